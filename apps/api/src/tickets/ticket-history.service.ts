import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { isPlatformUser, type StaffRole } from '../../../../libs/domain/src';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { getTicketQuery, type TicketView } from '../../../../workflows/ticket.messages';
import { forbiddenProblem } from '../common/problem';
import { workflowProblem } from '../common/workflow-problem';
import type { StaffIdentity } from '../identity/identity';
import type { SignedInView } from './ticket-access.service';
import { TicketQueryService } from './ticket-query.service';
import { actorIds, historyTimeline, withNames } from './history-timeline';
import type { TicketHistory } from './ticket-views.schema';
import { workflowRuns } from './workflow-runs';

/** Who may read a ticket's legal record (the full workflow history). */
const HISTORY_READERS: StaffRole[] = ['AUDITOR', 'COORDINATOR', 'ADMIN'];

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
    private readonly organisation: OrganisationRepository,
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
    const runs: TicketHistory['runs'] = [];
    let runId: string;
    try {
      runId = (await this.client.workflow.getHandle(workflowId).describe()).runId;
      for await (const run of workflowRuns(this.client, workflowId, runId)) {
        runs.unshift({ runId: run.runId, timeline: historyTimeline(run.history, run.runId), history: JSON.parse(historyToJSON(run.history)) });
      }
    } catch (error) {
      throw readProblem(error, ticket);
    }
    // People by name: the staff who sent each command, looked up once for all runs.
    const names = await this.organisation.staffNames(runs.flatMap((r) => actorIds(r.timeline)));
    for (const run of runs) run.timeline = withNames(run.timeline, names);
    const current = runs[runs.length - 1];
    const ui = this.config.temporal.uiUrl;
    const temporalUiUrl = ui ? `${ui}/namespaces/${encodeURIComponent(this.config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history` : null;
    return { workflowId, runId, temporalUiUrl, runs, timeline: runs.flatMap((r) => r.timeline), history: current.history };
  }
}

const readProblem = (error: unknown, ticket: TicketEntity) =>
  workflowProblem(error, { number: ticket.number, workflowStarted: ticket.workflowStartedAt !== null }, 'read');
