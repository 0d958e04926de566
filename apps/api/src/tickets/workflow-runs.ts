import type { Client } from '@temporalio/client';
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
