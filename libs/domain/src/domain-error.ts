/**
 * Why a command was refused. The API maps each code to one HTTP status (see the error
 * filter); the workflow turns it into a non-retryable ApplicationFailure of the same type.
 */
export enum DomainErrorCode {
  /** The command does not fit the ticket's current state (HTTP 409). */
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** The actor may not issue this command on this ticket (HTTP 403). */
  FORBIDDEN = 'FORBIDDEN',
  /** The command's content is wrong, e.g. a duplicate without the surviving ticket (HTTP 400). */
  INVALID_COMMAND = 'INVALID_COMMAND',
  /** Something it refers to does not exist (HTTP 404 or 400 depending on the reference). */
  NOT_FOUND = 'NOT_FOUND',
  /** The reopen window has passed (HTTP 409). */
  REOPEN_WINDOW_CLOSED = 'REOPEN_WINDOW_CLOSED',
  /**
   * Separation of duties (four eyes): the approval would be the resolving expert's own, or the
   * same person's at a second level of one approval round, in person or as a deputy (HTTP 403).
   */
  SEPARATION_OF_DUTIES = 'SEPARATION_OF_DUTIES',
}

export const DOMAIN_ERROR_CODES: readonly string[] = Object.values(DomainErrorCode);

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidTransition = (message: string, details?: Record<string, unknown>) =>
  new DomainError(DomainErrorCode.INVALID_TRANSITION, message, details);
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new DomainError(DomainErrorCode.FORBIDDEN, message, details);
export const separationOfDuties = (message: string, details?: Record<string, unknown>) =>
  new DomainError(DomainErrorCode.SEPARATION_OF_DUTIES, message, details);
export const invalidCommand = (message: string, details?: Record<string, unknown>) =>
  new DomainError(DomainErrorCode.INVALID_COMMAND, message, details);
