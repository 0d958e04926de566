import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src';
import { ApiProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem';
import { requestIdOf } from './request-id.middleware';

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  [DomainErrorCode.INVALID_TRANSITION]: 409,
  [DomainErrorCode.REOPEN_WINDOW_CLOSED]: 409,
  [DomainErrorCode.FORBIDDEN]: 403,
  [DomainErrorCode.INVALID_COMMAND]: 400,
  [DomainErrorCode.NOT_FOUND]: 404,
};

/** The status of a domain error code, or undefined for any other string (own keys only: not `toString`). */
export const domainErrorStatus = (code: string): number | undefined =>
  Object.hasOwn(DOMAIN_STATUS, code) ? DOMAIN_STATUS[code as DomainErrorCode] : undefined;

const typeUri = (code: string) => `https://teksin.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
const title = (status: number) => (HttpStatus[status] ?? 'ERROR').toString().replace(/_/g, ' ').toLowerCase();

/** Turns anything thrown into the error's problem details. */
export function toProblem(error: unknown, path: string): ProblemDetails {
  if (error instanceof ApiProblem) {
    return { type: typeUri(error.code), title: title(error.status), status: error.status, detail: error.message, code: error.code, instance: path, ...error.extra };
  }
  if (error instanceof DomainError) {
    const status = DOMAIN_STATUS[error.code] ?? 409;
    return { type: typeUri(error.code), title: title(status), status, detail: error.message, code: error.code, instance: path, ...error.details };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const b = (typeof body === 'object' && body !== null ? body : { message: body }) as Record<string, unknown>;
    const code = typeof b.code === 'string' ? b.code : HttpStatus[status] ?? 'HTTP_ERROR';
    const message = Array.isArray(b.message) ? b.message.join('; ') : String(b.message ?? error.message);
    return { type: typeUri(code), title: title(status), status, detail: message, code, instance: path, ...(b.errors ? { errors: b.errors as ProblemDetails['errors'] } : {}) };
  }
  // body-parser errors (too large, malformed JSON) carry their own status and type.
  const e = error as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof e.type === 'string') {
    const code = e.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : e.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : e.type.toUpperCase().replace(/\W+/g, '_');
    return { type: typeUri(code), title: title(status), status, detail: e.message, code, instance: path };
  }
  return { type: typeUri('INTERNAL_ERROR'), title: 'internal server error', status: 500, detail: 'Unexpected error; quote the errorId when reporting it.', code: 'INTERNAL_ERROR', instance: path };
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
