import { DomainErrorCode } from '../../../../libs/domain/src';

/**
 * Why the API refused a request, beside the domain's own codes (`DomainErrorCode`, raised by
 * the workflow). Every problem body's `code` is one of the two.
 */
export enum ApiErrorCode {
  /** The body, a path parameter or a reference in it is wrong (unknown department…). */
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  /** The body is not JSON. */
  MALFORMED_JSON = 'MALFORMED_JSON',
  /** The request itself is malformed (e.g. a path with a broken percent-encoding), before any route. */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The body's encoding or charset is not one the API reads. */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** The body is over HTTP_BODY_LIMIT. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** No identity where one is needed, an unknown staff id, a missing or wrong tracking token. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The caller may never do this, whatever the ticket's state. */
  FORBIDDEN = 'FORBIDDEN',
  /** Unknown ticket or route. */
  NOT_FOUND = 'NOT_FOUND',
  /** A command on a closed ticket. */
  TICKET_CLOSED = 'TICKET_CLOSED',
  /** The ticket's workflow has not started yet: try again in a moment. */
  TICKET_NOT_READY = 'TICKET_NOT_READY',
  /** The X-Request-Id was already used for another request (command, caller, ticket or body). */
  REQUEST_ID_REUSED = 'REQUEST_ID_REUSED',
  /** The first request with this X-Request-Id is still being answered: try again shortly. */
  REQUEST_IN_PROGRESS = 'REQUEST_IN_PROGRESS',
  /** The Idempotency-Key of POST /tickets was already used by this caller for an intake with another body. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** PostgreSQL did not answer: nothing was recorded; try again after Retry-After seconds. */
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** GET /events while this API process is shutting down: reconnect (to another instance). */
  LIVE_FEED_UNAVAILABLE = 'LIVE_FEED_UNAVAILABLE',
  /** POST /auth/login over LOGIN_RATE_LIMIT for the IP or the username (Retry-After says when to try again). */
  TOO_MANY_SIGN_IN_ATTEMPTS = 'TOO_MANY_SIGN_IN_ATTEMPTS',
  /** A token of the external OIDC issuer whose signing keys could not be fetched. */
  IDENTITY_PROVIDER_UNAVAILABLE = 'IDENTITY_PROVIDER_UNAVAILABLE',
  /** Too many requests from this address, or for this phone number (anonymous intake): try again after Retry-After seconds. */
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  /** A rating of a ticket that is not resolved (yet). */
  RATING_NOT_OPEN = 'RATING_NOT_OPEN',
  /** The ticket has its rating already: a citizen rates once. */
  ALREADY_RATED = 'ALREADY_RATED',
  /** No closure check waits for an answer (not asked, answered already, or the ticket moved on). */
  CLOSURE_CHECK_NOT_OPEN = 'CLOSURE_CHECK_NOT_OPEN',
  /** The tracking link cannot be re-sent: the requester's number is not a Turkish mobile (nothing can be texted to it). */
  CITIZEN_NOT_TEXTABLE = 'CITIZEN_NOT_TEXTABLE',
  /** The tracking link cannot be re-sent: the ticket has no working link (closed longer than TRACKING_TOKEN_TTL_AFTER_CLOSE, anonymised, or recorded before tokens were hashed). */
  TRACKING_LINK_UNAVAILABLE = 'TRACKING_LINK_UNAVAILABLE',
  /** Temporal did not answer within COMMAND_WAIT, or answered "not now" (overloaded, the workflow not ready): the outcome is unknown (resend with the same X-Request-Id). */
  WORKFLOW_UNAVAILABLE = 'WORKFLOW_UNAVAILABLE',
  /** POST /admin/deputies naming the same person as principal and deputy. */
  DEPUTY_OF_SELF = 'DEPUTY_OF_SELF',
  /** POST /admin/deputies: the deputy does not work in the principal's department (or the principal in none). */
  DEPUTY_OTHER_DEPARTMENT = 'DEPUTY_OTHER_DEPARTMENT',
  /** POST /admin/deputies: the principal has a deputy for part of those dates already, or the deputy is away themself then. */
  DEPUTY_OVERLAP = 'DEPUTY_OVERLAP',
  /** Anything unexpected; the problem carries an errorId that is also logged. */
  INTERNAL_ERROR = 'INTERNAL_ERROR',
  /** A valid token of the external OIDC issuer whose account (iss, sub) no ADMIN linked to an active staff row. */
  OIDC_ACCOUNT_NOT_LINKED = 'OIDC_ACCOUNT_NOT_LINKED',
  /** PUT /admin/staff/:id/oidc-link: that (issuer, subject) is linked to another staff member already. */
  OIDC_ACCOUNT_LINKED_ELSEWHERE = 'OIDC_ACCOUNT_LINKED_ELSEWHERE',
  /** PostgreSQL cancelled the request's statement after DATABASE_STATEMENT_TIMEOUT: ask for less, or try again after Retry-After seconds. */
  DATABASE_TIMEOUT = 'DATABASE_TIMEOUT',
  /** An attachment over ATTACHMENT_MAX_BYTES. */
  ATTACHMENT_TOO_LARGE = 'ATTACHMENT_TOO_LARGE',
  /** An image over ATTACHMENT_MAX_PIXELS (a decompression bomb), judged from its header. */
  ATTACHMENT_TOO_MANY_PIXELS = 'ATTACHMENT_TOO_MANY_PIXELS',
  /** The file's bytes are not JPEG, PNG, WebP, HEIC/HEIF or PDF (whatever its name or Content-Type say). */
  ATTACHMENT_TYPE_UNSUPPORTED = 'ATTACHMENT_TYPE_UNSUPPORTED',
  /** The file claims an allowed type but cannot be read whole (truncated, corrupt). */
  ATTACHMENT_UNREADABLE = 'ATTACHMENT_UNREADABLE',
  /** A PDF with scripts, actions on opening, launches or embedded files. */
  ATTACHMENT_ACTIVE_CONTENT = 'ATTACHMENT_ACTIVE_CONTENT',
  /** The ticket has ATTACHMENT_MAX_PER_TICKET attachments already. */
  ATTACHMENT_LIMIT_REACHED = 'ATTACHMENT_LIMIT_REACHED',
}

/** Every code a problem body can carry. */
export type ProblemCode = ApiErrorCode | DomainErrorCode;

/**
 * The one mapping from a code to its HTTP status, exhaustive over both enums (a new code does
 * not compile until it has a status). Keyed by the codes' string values: FORBIDDEN and
 * NOT_FOUND exist in both enums and mean the same.
 */
const STATUS: Record<`${ProblemCode}`, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  INVALID_COMMAND: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SEPARATION_OF_DUTIES: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  REOPEN_WINDOW_CLOSED: 409,
  TICKET_CLOSED: 409,
  TICKET_NOT_READY: 409,
  REQUEST_ID_REUSED: 409,
  REQUEST_IN_PROGRESS: 409,
  RATING_NOT_OPEN: 409,
  ALREADY_RATED: 409,
  CLOSURE_CHECK_NOT_OPEN: 409,
  CITIZEN_NOT_TEXTABLE: 409,
  TRACKING_LINK_UNAVAILABLE: 409,
  DEPUTY_OF_SELF: 409,
  DEPUTY_OTHER_DEPARTMENT: 409,
  DEPUTY_OVERLAP: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  TOO_MANY_SIGN_IN_ATTEMPTS: 429,
  IDENTITY_PROVIDER_UNAVAILABLE: 503,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  WORKFLOW_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  LIVE_FEED_UNAVAILABLE: 503,
  OIDC_ACCOUNT_NOT_LINKED: 401,
  OIDC_ACCOUNT_LINKED_ELSEWHERE: 409,
  DATABASE_TIMEOUT: 503,
  ATTACHMENT_TOO_LARGE: 413,
  ATTACHMENT_TOO_MANY_PIXELS: 413,
  ATTACHMENT_TYPE_UNSUPPORTED: 415,
  ATTACHMENT_UNREADABLE: 422,
  ATTACHMENT_ACTIVE_CONTENT: 422,
  ATTACHMENT_LIMIT_REACHED: 409,
};

export const statusOf = (code: ProblemCode): number => STATUS[code];

/** Whether a string (say, an ApplicationFailure's type) is a code the API knows. */
export const isProblemCode = (code: unknown): code is ProblemCode => typeof code === 'string' && Object.hasOwn(STATUS, code);
