import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError } from '../../../../libs/domain/src';
import { ApiErrorCode, statusOf } from './api-error-code';
import { ApiProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem';
import { requestIdOf } from './request-id.middleware';

const typeUri = (code: string) => `https://teksin.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
const title = (status: number) => (HttpStatus[status] ?? 'ERROR').toString().replace(/_/g, ' ').toLowerCase();
const problem = (code: string, status: number, detail: string | undefined, path: string, extra: Partial<ProblemDetails> = {}): ProblemDetails => ({
  type: typeUri(code),
  title: title(status),
  status,
  detail,
  code,
  instance: path,
  ...extra,
});

/** Turns anything thrown into the error's problem details. */
export function toProblem(error: unknown, path: string): ProblemDetails {
  if (error instanceof ApiProblem) return problem(error.code, error.status, error.message, path, error.extra);
  if (error instanceof DomainError) return problem(error.code, statusOf(error.code), error.message, path, error.details);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const b = (typeof body === 'object' && body !== null ? body : { message: body }) as Record<string, unknown>;
    const code = typeof b.code === 'string' ? b.code : HttpStatus[status] ?? 'HTTP_ERROR';
    const message = Array.isArray(b.message) ? b.message.join('; ') : String(b.message ?? error.message);
    return problem(code, status, message, path, b.errors ? { errors: b.errors as ProblemDetails['errors'] } : {});
  }
  // body-parser errors (too large, malformed JSON) carry their own status and type.
  const e = error as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof e.type === 'string') {
    const code = e.type === 'entity.too.large' ? ApiErrorCode.PAYLOAD_TOO_LARGE : e.type === 'entity.parse.failed' ? ApiErrorCode.MALFORMED_JSON : e.type.toUpperCase().replace(/\W+/g, '_');
    return problem(code, status, e.message, path);
  }
  return problem(ApiErrorCode.INTERNAL_ERROR, 500, 'Unexpected error; quote the errorId when reporting it.', path);
}

/** The one error filter: every error leaves as application/problem+json. 500s get an errorId that is also logged. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    sendProblem(error, req, res, this.logger);
  }
}

export function sendProblem(error: unknown, req: Request, res: Response, logger: Logger): void {
  const problem = toProblem(error, req.originalUrl?.split('?')[0] ?? req.url);
  problem.requestId = requestIdOf(req);
  if (problem.status >= 500) {
    problem.errorId = randomUUID();
    logger.error(`errorId=${problem.errorId} requestId=${problem.requestId} ${req.method} ${req.originalUrl}: ${(error as Error)?.stack ?? String(error)}`);
  }
  if (res.headersSent) return;
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
