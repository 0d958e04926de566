/**
 * Replay tracing, for auditors only (never registered on the worker that runs tickets): while a
 * ticket's history is replayed, reports through sinks what the current code asks for — the audit
 * rows it would write (the input of recordTicketEvents) and every command in order — so a
 * replay can name what the code would do now, and the audit table can be compared with the
 * history. Sinks have no effect on the workflow: a replay with or without them is the same.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface TracedCommand {
  kind: 'timer' | 'localActivity' | 'activity' | 'signal' | 'childWorkflow' | 'continueAsNew';
  /** The activity type, the signal name, the timer's duration in ms… */
  detail: string;
}

export interface ReplayTraceSinks extends Sinks {
  replayTrace: {
    command(command: TracedCommand): void;
    /** The events the code hands to recordTicketEvents (its audit rows), as plain JSON. */
    recorded(events: unknown[]): void;
  };
}

const { replayTrace } = proxySinks<ReplayTraceSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      startTimer(input, next) {
        replayTrace.command({ kind: 'timer', detail: String(input.durationMs) });
        return next(input);
      },
      scheduleLocalActivity(input, next) {
        replayTrace.command({ kind: 'localActivity', detail: input.activityType });
        if (input.activityType === 'recordTicketEvents') {
          const [arg] = input.args as [{ events?: unknown[] }];
          replayTrace.recorded(arg?.events ?? []);
        }
        return next(input);
      },
      scheduleActivity(input, next) {
        replayTrace.command({ kind: 'activity', detail: input.activityType });
        return next(input);
      },
      signalWorkflow(input, next) {
        replayTrace.command({ kind: 'signal', detail: input.signalName });
        return next(input);
      },
      startChildWorkflowExecution(input, next) {
        replayTrace.command({ kind: 'childWorkflow', detail: input.workflowType });
        return next(input);
      },
      continueAsNew(input, next) {
        replayTrace.command({ kind: 'continueAsNew', detail: '' });
        return next(input);
      },
    },
  ],
});
