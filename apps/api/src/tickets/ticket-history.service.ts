import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { getTicketQuery, type TicketView } from '../../../../workflows/ticket.messages';
import { ApiProblem, conflict } from '../common/problem';

const EventType = temporal.api.enums.v1.EventType;

export interface HistoryLine {
  runId: string;
  eventId: number;
  time: string | null;
  type: string;
  summary: string;
}

/**
 * The legal record of a ticket: its Temporal event history, both as the JSON an auditor can
 * replay (`temporal workflow show --output json` format) and as a readable timeline.
 */
@Injectable()
export class TicketHistoryService {
  constructor(private readonly client: Client) {}

  /** The workflow's own view (getTicket Query): clocks, approval chain, round; no personal data. */
  async live(number: string): Promise<TicketView> {
    try {
      return await this.client.workflow.getHandle(ticketWorkflowId(number)).query(getTicketQuery);
    } catch (error) {
      throw readProblem(error, number);
    }
  }

  /**
   * Every run of the ticket, oldest first: a ticket that continued as new has several, and
   * the legal record is all of them. Runs are chained through each start event's
   * `continuedExecutionRunId`, read from the histories themselves (no visibility lag).
   */
  async history(number: string): Promise<TicketHistory> {
    const workflowId = ticketWorkflowId(number);
    let description;
    try {
      description = await this.client.workflow.getHandle(workflowId).describe();
    } catch (error) {
      throw readProblem(error, number);
    }
    const runs: RunHistory[] = [];
    for (let runId: string | undefined = description.runId; runId && runs.length < MAX_RUNS; ) {
      const history = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
      runs.unshift({ runId, timeline: readable(history, runId), history: JSON.parse(historyToJSON(history)) });
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    const current = runs[runs.length - 1];
    return { workflowId, runId: description.runId, runs, timeline: runs.flatMap((r) => r.timeline), history: current.history };
  }
}

/** A read of the workflow failed: it does not exist yet (409), or Temporal did not answer (503). */
function readProblem(error: unknown, number: string): ApiProblem {
  return error instanceof WorkflowNotFoundError
    ? conflict('NO_WORKFLOW_YET', `ticket ${number} has no workflow yet`)
    : new ApiProblem(503, 'WORKFLOW_UNAVAILABLE', 'the workflow service is not reachable right now; try again');
}

/** A guard against a corrupt chain; a real ticket continues as new a handful of times at most. */
const MAX_RUNS = 100;

interface RunHistory {
  runId: string;
  timeline: HistoryLine[];
  /** Replayable JSON (`temporal workflow show --output json` format). */
  history: unknown;
}

export interface TicketHistory {
  workflowId: string;
  runId: string;
  /** Every run, oldest first. */
  runs: RunHistory[];
  /** The readable timeline of all runs. */
  timeline: HistoryLine[];
  /** The current run's history (the only one unless the ticket continued as new). */
  history: unknown;
}

function readable(history: temporal.api.history.v1.IHistory, runId: string): HistoryLine[] {
  return (history.events ?? []).map((event) => ({
    runId,
    eventId: Number(event.eventId),
    time: event.eventTime?.seconds != null ? new Date(Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6)).toISOString() : null,
    type: EventType[event.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? 'UNKNOWN',
    summary: summarize(event),
  }));
}

function summarize(event: temporal.api.history.v1.IHistoryEvent): string {
  const a = event;
  if (a.activityTaskScheduledEventAttributes) return `activity ${a.activityTaskScheduledEventAttributes.activityType?.name} scheduled`;
  if (a.activityTaskCompletedEventAttributes) return 'activity completed';
  if (a.activityTaskFailedEventAttributes) return `activity failed: ${a.activityTaskFailedEventAttributes.failure?.message ?? ''}`;
  if (a.workflowExecutionUpdateAcceptedEventAttributes) {
    return `command ${a.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name} accepted`;
  }
  if (a.workflowExecutionUpdateCompletedEventAttributes) {
    const outcome = a.workflowExecutionUpdateCompletedEventAttributes.outcome;
    return outcome?.failure ? `command refused: ${outcome.failure.message}` : 'command completed';
  }
  if (a.markerRecordedEventAttributes) {
    const name = a.markerRecordedEventAttributes.markerName;
    return name === 'core_local_activity' ? 'local activity completed (database or SMS)' : name === 'core_patch' ? 'workflow code version marker' : `marker ${name}`;
  }
  if (a.workflowTaskCompletedEventAttributes) return 'workflow step completed';
  if (a.timerStartedEventAttributes) return 'clock armed';
  if (a.timerCanceledEventAttributes) return 'clock re-armed';
  if (a.timerFiredEventAttributes) return 'clock fired';
  if (a.workflowExecutionSignaledEventAttributes) return `signal ${a.workflowExecutionSignaledEventAttributes.signalName}`;
  if (a.upsertWorkflowSearchAttributesEventAttributes) return 'search attributes updated';
  if (a.workflowExecutionStartedEventAttributes) return `ticket workflow started on ${a.workflowExecutionStartedEventAttributes.taskQueue?.name}`;
  if (a.workflowExecutionCompletedEventAttributes) return 'ticket workflow completed';
  if (a.workflowExecutionContinuedAsNewEventAttributes) return 'continued as new';
  return '';
}
