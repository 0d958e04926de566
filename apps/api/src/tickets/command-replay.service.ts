import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { CommandRequestEntity, type CommandResponse } from '../../../../libs/database/src/entities';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem } from '../common/problem';
import { domainProblem, ticketClosed, workflowProblem, type WorkflowTarget } from '../common/workflow-problem';
import { bindingMismatch, CommandRequestRepository, type RequestBinding } from '../../../../libs/database/src/command-requests.repository';
import { updateOutcomeInClosedRuns } from './workflow-runs';

/** How long a twin of a request still being answered waits for that answer before 409 REQUEST_IN_PROGRESS. */
const TWIN_WAIT_MS = 10_000;
const TWIN_POLL_MS = 100;

/** How the dispatcher finishes a request the replay takes over: the answer of an applied Update, a refusal, or sending it again. */
export interface RequestFinish<A> {
  /** The recorded answer, given again (an applied command's is rebuilt from the state it recorded). */
  recorded(response: CommandResponse): Promise<A>;
  applied(): Promise<A>;
  refused(problem: ApiProblem): Promise<A>;
  /** Sends the Update to the current run: Temporal de-duplicates it by its id there. */
  resend(): Promise<A>;
}

/**
 * X-Request-Id seen before (see libs/database command-requests.repository.ts): the recorded answer of the same
 * request, 409 for another one, and the recovery of a request whose first attempt ended without
 * an answer (503, a crash). Sending commands is the dispatcher's (ticket-commands.service.ts).
 */
@Injectable()
export class CommandReplay {
  constructor(
    private readonly client: Client,
    private readonly requests: CommandRequestRepository,
  ) {}

  /**
   * 409 REQUEST_ID_REUSED for a different request; the recorded answer for the same one; while
   * its first attempt still runs, wait for it; when that attempt ended without an answer,
   * recover it (`finish` takes the row's own arguments).
   */
  async answerAgain<A>(row: CommandRequestEntity, binding: RequestBinding, target: WorkflowTarget, finish: (row: CommandRequestEntity) => RequestFinish<A>): Promise<A> {
    const mismatch = bindingMismatch(row, binding);
    if (mismatch) {
      throw new ApiProblem(
        ApiErrorCode.REQUEST_ID_REUSED,
        `X-Request-Id "${binding.requestId}" was already used for a different request (${mismatch}); a new request needs a new id`,
      );
    }
    const deadline = Date.now() + TWIN_WAIT_MS;
    for (let current: CommandRequestEntity | null = row; current; current = await this.requests.find(row.requestId)) {
      if (current.status === 'DONE') return finish(current).recorded(current.response!);
      if (await this.requests.takeOver(current.requestId)) return this.recover(current, target, finish(current));
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, TWIN_POLL_MS));
    }
    throw new ApiProblem(ApiErrorCode.REQUEST_IN_PROGRESS, `the first request with X-Request-Id "${binding.requestId}" is still being answered; try again shortly`);
  }

  /**
   * Finishes a request whose first attempt ended without an answer. Within one workflow run
   * Temporal itself de-duplicates the Update by its id, so resending is safe and gets the
   * first outcome. A run that closed since (continued as new, or the ticket closed) no longer
   * does: there the outcome is read from the run's history.
   */
  private async recover<A>(row: CommandRequestEntity, target: WorkflowTarget, finish: RequestFinish<A>): Promise<A> {
    let outcome: Awaited<ReturnType<typeof updateOutcomeInClosedRuns>>;
    try {
      outcome = await updateOutcomeInClosedRuns(this.client, ticketWorkflowId(target.number), `${row.command}:${row.requestId}`, row.createdAt);
    } catch (error) {
      await this.requests.release(row.requestId);
      throw workflowProblem(error, target, 'command');
    }
    switch (outcome.kind) {
      case 'APPLIED':
        return finish.applied();
      case 'REFUSED':
        return finish.refused(domainProblem(outcome.failure) ?? new ApiProblem(ApiErrorCode.INTERNAL_ERROR, outcome.failure.message));
      case 'NEVER_APPLIED_AND_CLOSED':
        return finish.refused(ticketClosed(target.number));
      case 'ASK_CURRENT_RUN':
        return finish.resend();
    }
  }
}

/** A recorded answer, given again: the view, or the same problem thrown (one recorded as a state is the dispatcher's to rebuild). */
export function recordedAnswer(response: Exclude<CommandResponse, { state: unknown }>): unknown {
  if ('body' in response) return response.body;
  throw new ApiProblem(response.problem.code as ApiErrorCode, response.problem.detail, response.problem.errors ? { errors: response.problem.errors } : {});
}
