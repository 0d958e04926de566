import { ApiErrorCode, statusOf, type ProblemCode } from './api-error-code';

/** RFC 9457 problem details, the body of every error response. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  /** For 400s: one entry per offending field, with dotted paths (requester.phone). */
  errors?: FieldError[];
  /** For 500s: the id under which the error was logged. */
  errorId?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export interface FieldError {
  field: string;
  messages: string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Exceptions the services throw for expected refusals; the filter turns them into problems. The status follows from the code. */
export class ApiProblem extends Error {
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly extra: { errors?: FieldError[]; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
    this.status = statusOf(code);
  }
}

export const badRequest = (field: string, message: string) =>
  new ApiProblem(ApiErrorCode.VALIDATION_FAILED, `${field}: ${message}`, { errors: [{ field, messages: [message] }] });
export const notFound = (what: string) => new ApiProblem(ApiErrorCode.NOT_FOUND, `${what} was not found`);
export const unauthorized = (message: string) => new ApiProblem(ApiErrorCode.UNAUTHENTICATED, message);
export const forbiddenProblem = (message: string) => new ApiProblem(ApiErrorCode.FORBIDDEN, message);
