import { Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError } from '@temporalio/client';
import { ApplicationFailure, type TemporalFailure } from '@temporalio/common';
import { DOMAIN_ERROR_CODES, type DomainErrorCode } from '../../../../libs/domain/src';
import { isTemporalUnreachable, temporalNotNow } from '../../../../libs/temporal/src';
import { ApiErrorCode } from './api-error-code';
import { ApiProblem } from './problem';

/** What the caller asked the workflow: to change the ticket (an Update) or to read it (Query, describe, history). */
export type WorkflowOperation = 'command' | 'read';

/** The ticket the call was about, as far as the translation needs it. */
export interface WorkflowTarget {
  number: string;
  /** Whether the API has started the ticket's workflow (tickets.workflow_started_at). */
  workflowStarted: boolean;
}

const logger = new Logger('Workflow');

/**
 * The one translation from a Temporal failure to the HTTP problem the caller sees, for
 * commands and reads alike. Returns the error unchanged when it is not Temporal's answer
 * (then it is a bug, and the filter makes it a 500 with an errorId).
 */
export function workflowProblem(error: unknown, target: WorkflowTarget, operation: WorkflowOperation): unknown {
  // The workflow refused the command: its ApplicationFailure's type is the domain code.
  if (error instanceof WorkflowUpdateFailedError) return domainProblem(error.cause) ?? error;

  // No such run: never started yet, or closed (a completed workflow refuses Updates).
  if (error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && /already completed/i.test(error.message))) {
    if (!target.workflowStarted) return notReady(target.number);
    return new ApiProblem(
      ApiErrorCode.TICKET_CLOSED,
      operation === 'command' ? `ticket ${target.number} is closed` : `ticket ${target.number} is closed and Temporal no longer keeps its workflow`,
    );
  }

  // No answer in time, or "not now" (overloaded, the workflow not ready): Temporal's state,
  // never the caller's input nor our bug, so a 503 with Retry-After, not a 500.
  const notNow = temporalNotNow(error);
  if (notNow || isTemporalUnreachable(error)) {
    const what = notNow ? `answered ${notNow}` : 'did not answer';
    logger.warn(`Temporal ${what} (${operation}, ticket ${target.number}): ${error instanceof Error ? error.message : String(error)}${causeMessage(error)}`);
    return new ApiProblem(
      ApiErrorCode.WORKFLOW_UNAVAILABLE,
      operation === 'command'
        ? `the workflow service ${notNow ? 'could not take the command now' : 'did not answer in time'}: the outcome is unknown (the command may or may not have been applied). Read the ticket, or resend the same request with the same X-Request-Id: it is applied at most once and answered as the first was`
        : `the workflow service ${notNow ? 'is busy' : 'is not reachable'} right now; try again`,
    );
  }
  return error;
}

export const notReady = (number: string) =>
  new ApiProblem(ApiErrorCode.TICKET_NOT_READY, `ticket ${number} is still being registered; try again in a moment`);

export const ticketClosed = (number: string) => new ApiProblem(ApiErrorCode.TICKET_CLOSED, `ticket ${number} is closed`);

/** A domain refusal carried by a Temporal failure, as a problem (naming the field when the rules say which). */
export function domainProblem(failure: Error | TemporalFailure | undefined): ApiProblem | undefined {
  if (!(failure instanceof ApplicationFailure) || !isDomainCode(failure.type)) return undefined;
  const details = (failure.details?.[0] ?? {}) as Record<string, unknown>;
  const field = typeof details.field === 'string' ? details.field : undefined;
  return new ApiProblem(failure.type, failure.message, field ? { errors: [{ field, messages: [failure.message] }] } : {});
}

const isDomainCode = (type: string | null | undefined): type is DomainErrorCode => typeof type === 'string' && DOMAIN_ERROR_CODES.includes(type);

/** The wrapped gRPC error's own words (the client's ServiceError says only "Workflow Update failed"). */
const causeMessage = (error: unknown) => {
  const cause = (error as { cause?: unknown })?.cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
};
