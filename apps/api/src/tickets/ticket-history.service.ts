import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { isPlatformUser, type StaffRole } from '../../../../libs/domain/src';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { getTicketQuery, type TicketView } from '../../../../workflows/ticket.messages';
import { forbiddenProblem } from '../common/problem';
import { workflowProblem } from '../common/workflow-problem';
import type { StaffIdentity } from '../identity/identity';
import type { SignedInView } from './ticket-access.service';
import { TicketQueryService } from './ticket-query.service';
import { eventTime, workflowRuns, type History } from './workflow-runs';

const EventType = temporal.api.enums.v1.EventType;

/** Who may read a ticket's legal record (the full workflow history). */
const HISTORY_READERS: StaffRole[] = ['AUDITOR', 'COORDINATOR', 'ADMIN'];

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
  constructor(
    private readonly client: Client,
    private readonly query: TicketQueryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The workflow's own view (getTicket Query): clocks, approval chain, round, staff ids — for
   * staff. A platform user gets what GET /tickets/:number gives them (the workflow state is
   * internal), or its 404.
   */
  async live(number: string, identity: StaffIdentity): Promise<TicketView | SignedInView> {
    if (isPlatformUser(identity)) return this.query.viewFor(identity, number, 'GET /tickets/:number/live');
    const ticket = await this.query.findFor(identity, number);
    try {
      return await this.client.workflow.getHandle(ticketWorkflowId(number)).query(getTicketQuery);
    } catch (error) {
      throw readProblem(error, ticket);
    }
  }

  /**
   * Every run of the ticket, oldest first: a ticket that continued as new has several, and
   * the legal record is all of them. For AUDITOR, COORDINATOR and ADMIN only (403 otherwise).
   */
  async history(number: string, identity: StaffIdentity): Promise<TicketHistory> {
    const ticket = await this.query.findFor(identity, number);
    if (!identity.roles.some((role) => HISTORY_READERS.includes(role))) {
      throw forbiddenProblem(`the event history is for ${HISTORY_READERS.join(', ')}`);
    }
    const workflowId = ticketWorkflowId(number);
    const runs: RunHistory[] = [];
    let runId: string;
    try {
      runId = (await this.client.workflow.getHandle(workflowId).describe()).runId;
      for await (const run of workflowRuns(this.client, workflowId, runId)) {
        runs.unshift({ runId: run.runId, timeline: readable(run.history, run.runId), history: JSON.parse(historyToJSON(run.history)) });
      }
    } catch (error) {
      throw readProblem(error, ticket);
    }
    const current = runs[runs.length - 1];
    const ui = this.config.temporal.uiUrl;
    const temporalUiUrl = ui ? `${ui}/namespaces/${encodeURIComponent(this.config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history` : null;
    return { workflowId, runId, temporalUiUrl, runs, timeline: runs.flatMap((r) => r.timeline), history: current.history };
  }
}

const readProblem = (error: unknown, ticket: TicketEntity) =>
  workflowProblem(error, { number: ticket.number, workflowStarted: ticket.workflowStartedAt !== null }, 'read');

interface RunHistory {
  runId: string;
  timeline: HistoryLine[];
  /** Replayable JSON (`temporal workflow show --output json` format). */
  history: unknown;
}

export interface TicketHistory {
  workflowId: string;
  runId: string;
  /** The workflow in the Temporal Web UI (TEMPORAL_UI_URL), or null when none is configured. */
  temporalUiUrl: string | null;
  /** Every run, oldest first. */
  runs: RunHistory[];
  /** The readable timeline of all runs. */
  timeline: HistoryLine[];
  /** The current run's history (the only one unless the ticket continued as new). */
  history: unknown;
}

function readable(history: History, runId: string): HistoryLine[] {
  return (history.events ?? []).map((event) => ({
    runId,
    eventId: Number(event.eventId),
    time: eventTime(event)?.toISOString() ?? null,
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
