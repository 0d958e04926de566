import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError } from '../../../../libs/domain/src';
import { ApiErrorCode, isProblemCode, statusOf } from './api-error-code';
import { isDatabaseUnavailable, isStatementTimeout, RETRY_AFTER_SECONDS } from './database-unavailable';
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

/** The code of an error that carries only an HTTP status (Nest's own exceptions, body-parser). */
const CODE_OF_STATUS: Partial<Record<number, ApiErrorCode>> = {
  400: ApiErrorCode.BAD_REQUEST,
  401: ApiErrorCode.UNAUTHENTICATED,
  403: ApiErrorCode.FORBIDDEN,
  404: ApiErrorCode.NOT_FOUND,
  413: ApiErrorCode.PAYLOAD_TOO_LARGE,
  415: ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ApiErrorCode.TOO_MANY_REQUESTS,
};
const codeOfStatus = (status: number): ApiErrorCode => CODE_OF_STATUS[status] ?? (status < 500 ? ApiErrorCode.BAD_REQUEST : ApiErrorCode.INTERNAL_ERROR);

/** body-parser's error types the API names. */
const BODY_ERRORS: Record<string, ApiErrorCode> = {
  'entity.too.large': ApiErrorCode.PAYLOAD_TOO_LARGE,
  'entity.parse.failed': ApiErrorCode.MALFORMED_JSON,
};

/** Turns anything thrown into the error's problem details; every code is one of the two enums, its status from the one mapping. */
export function toProblem(error: unknown, path: string): ProblemDetails {
  if (error instanceof ApiProblem) return problem(error.code, error.status, error.message, path, error.extra);
  if (error instanceof DomainError) return problem(error.code, statusOf(error.code), error.message, path, error.details);
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const b = (typeof body === 'object' && body !== null ? body : { message: body }) as Record<string, unknown>;
    const code = isProblemCode(b.code) ? b.code : codeOfStatus(error.getStatus());
    const message = Array.isArray(b.message) ? b.message.join('; ') : String(b.message ?? error.message);
    return problem(code, statusOf(code), message, path, b.errors ? { errors: b.errors as ProblemDetails['errors'] } : {});
  }
  // body-parser failures (too large, malformed JSON, unknown charset) carry their own status and type.
  const e = error as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof e.type === 'string') {
    const code = BODY_ERRORS[e.type] ?? codeOfStatus(status);
    return problem(code, statusOf(code), e.message, path);
  }
  if (isDatabaseUnavailable(error)) {
    return problem(ApiErrorCode.DATABASE_UNAVAILABLE, 503, `the database is not reachable right now. Try again in ${RETRY_AFTER_SECONDS} s, with the same Idempotency-Key (intake) or X-Request-Id (command) so that it is applied at most once`, path);
  }
  if (isStatementTimeout(error)) {
    return problem(ApiErrorCode.DATABASE_TIMEOUT, 503, `the database stopped this request's query: it ran longer than allowed (DATABASE_STATEMENT_TIMEOUT). Ask for less (a shorter period, a more specific search) or try again in ${RETRY_AFTER_SECONDS} s; a command may be resent with the same X-Request-Id`, path);
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
  // The path only: a query string can carry a tracking token (/t/<number>?k=…).
  const path = (req.originalUrl ?? req.url).split('?')[0];
  const problem = toProblem(error, path);
  problem.requestId = requestIdOf(req);
  if (problem.status >= 500) {
    problem.errorId = randomUUID();
    logger.error(`errorId=${problem.errorId} requestId=${problem.requestId} ${req.method} ${path}: ${withCauses(error)}`);
  }
  if (res.headersSent) return;
  // Both 503s (PostgreSQL or Temporal not answering) are worth retrying shortly.
  if (problem.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** The error's stack, then what it wraps: a client's "Workflow Update failed" says why only in its `cause`. */
function withCauses(error: unknown): string {
  let text = (error as Error)?.stack ?? String(error);
  for (let e = (error as { cause?: unknown })?.cause, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    text += `\n  caused by: ${e instanceof Error ? e.message : String(e)}`;
  }
  return text;
}
