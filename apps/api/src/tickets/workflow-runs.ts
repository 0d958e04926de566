import type { Client } from '@temporalio/client';
import { defaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

export interface WorkflowRun {
  runId: string;
  history: History;
  /** When the run started (its first event), per the Temporal server's clock. */
  startedAt: Date | null;
}

/** A guard against a corrupt chain; a real ticket continues as new a handful of times at most. */
const MAX_RUNS = 100;

/**
 * The runs of a workflow with their histories, newest first, from `runId` back through each
 * start event's `continuedExecutionRunId` (read from the histories themselves: no visibility
 * lag). A ticket that continued as new has several; the legal record is all of them.
 */
export async function* workflowRuns(client: Client, workflowId: string, runId: string): AsyncGenerator<WorkflowRun> {
  for (let next: string | undefined = runId, count = 0; next && count < MAX_RUNS; count++) {
    const history: History = await client.workflow.getHandle(workflowId, next).fetchHistory();
    const first: temporal.api.history.v1.IHistoryEvent | undefined = history.events?.[0];
    yield { runId: next, history, startedAt: eventTime(first) };
    next = first?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
}

export function eventTime(event: temporal.api.history.v1.IHistoryEvent | undefined): Date | null {
  const t = event?.eventTime;
  return t?.seconds != null ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)) : null;
}

/** Where an Update stands in the runs of a workflow that closed since it was first sent. */
export type UpdateOutcome = { kind: 'APPLIED' } | { kind: 'REFUSED'; failure: Error } | { kind: 'NEVER_APPLIED_AND_CLOSED' } | { kind: 'ASK_CURRENT_RUN' };

/** Allowance for the API's database clock and the Temporal server's clock disagreeing. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Looks for an Update's outcome in the runs that closed since `since`. Within one run Temporal
 * de-duplicates an Update by its id (ASK_CURRENT_RUN: resending is safe); a run that closed
 * since (continued as new, or the ticket closed) no longer knows the id, so its history is read.
 */
export async function updateOutcomeInClosedRuns(client: Client, workflowId: string, updateId: string, since: Date): Promise<UpdateOutcome> {
  const description = await client.workflow.getHandle(workflowId).describe();
  const running = description.status.name === 'RUNNING';
  const horizon = since.getTime() - CLOCK_SKEW_MS;
  if (running && description.startTime.getTime() <= horizon) return { kind: 'ASK_CURRENT_RUN' };
  // The first run still running: there is no closed run to look into (spares a history read on
  // every resend of a young ticket's command, which under overload is most of them).
  if (running && description.raw.workflowExecutionInfo?.firstRunId === description.runId) return { kind: 'ASK_CURRENT_RUN' };
  for await (const run of workflowRuns(client, workflowId, description.runId)) {
    if (!(running && run.runId === description.runId)) {
      for (const event of run.history.events ?? []) {
        const completed = event.workflowExecutionUpdateCompletedEventAttributes;
        if (completed?.meta?.updateId !== updateId) continue;
        if (!completed.outcome?.failure) return { kind: 'APPLIED' };
        return { kind: 'REFUSED', failure: defaultFailureConverter.failureToError(completed.outcome.failure, defaultPayloadConverter) };
      }
    }
    if ((eventTime(run.history.events?.[0])?.getTime() ?? 0) <= horizon) break;
  }
  return running ? { kind: 'ASK_CURRENT_RUN' } : { kind: 'NEVER_APPLIED_AND_CLOSED' };
}
