import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { getTicketQuery, type TicketView } from '../../../../workflows/ticket.messages';
import { ApiProblem, conflict } from '../common/problem';

const EventType = temporal.api.enums.v1.EventType;

export interface HistoryLine {
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
      if (error instanceof WorkflowNotFoundError) throw conflict('NO_WORKFLOW_YET', `ticket ${number} has no running workflow`);
      throw new ApiProblem(503, 'WORKFLOW_UNAVAILABLE', 'the workflow service is not reachable right now; try again');
    }
  }

  async history(number: string): Promise<{ workflowId: string; runId: string | undefined; timeline: HistoryLine[]; history: unknown }> {
    const workflowId = ticketWorkflowId(number);
    const handle = this.client.workflow.getHandle(workflowId);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw conflict('NO_WORKFLOW_YET', `ticket ${number} has no workflow history yet`);
      throw new ApiProblem(503, 'WORKFLOW_UNAVAILABLE', 'the workflow service is not reachable right now; try again');
    }
    const history = await handle.fetchHistory();
    const timeline = (history.events ?? []).map((event) => {
      const type = EventType[event.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? 'UNKNOWN';
      return {
        eventId: Number(event.eventId),
        time: event.eventTime?.seconds != null ? new Date(Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6)).toISOString() : null,
        type,
        summary: summarize(event),
      };
    });
    return { workflowId, runId: description.runId, timeline, history: JSON.parse(historyToJSON(history)) };
  }
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
