import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError, authorize, decide, decideJudged, type AnyFacts, type Command, type Decision, type TicketState } from '../libs/domain/src';

/**
 * The rules, as the workflow calls them: a refusal becomes a non-retryable ApplicationFailure
 * whose type is the domain error code (the API maps it to 403/409/400). Anything else is a bug
 * and fails the workflow task, so it is retried once the code is fixed.
 */
export function authorizeOrFail(state: TicketState, command: Command, now: string): void {
  refusalsAsFailures(() => authorize(state, command, now));
}

/** Decides; `judged` says the command was already judged against this very state (the rules then only apply it). */
export function decideOrFail(state: TicketState, command: Command, now: string, facts: AnyFacts | undefined, judged: boolean): Decision {
  return refusalsAsFailures(() => (judged ? decideJudged : decide)(state, command, now, facts));
}

function refusalsAsFailures<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true, details: [error.details] });
    }
    throw error;
  }
}
