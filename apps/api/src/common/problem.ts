/** RFC 9457 problem details, the body of every error response. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  /** For 400s: one entry per offending field, with dotted paths (requester.phone). */
  errors?: { field: string; messages: string[] }[];
  /** For 500s: the id under which the error was logged. */
  errorId?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Exceptions the services throw for expected refusals; the filter turns them into problems. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Partial<ProblemDetails> = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

export const badRequest = (field: string, message: string) =>
  new ApiProblem(400, 'VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, messages: [message] }] });
export const notFound = (what: string) => new ApiProblem(404, 'NOT_FOUND', `${what} was not found`);
export const conflict = (code: string, message: string) => new ApiProblem(409, code, message);
export const unauthorized = (message: string) => new ApiProblem(401, 'UNAUTHENTICATED', message);
export const forbiddenProblem = (message: string) => new ApiProblem(403, 'FORBIDDEN', message);
