import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { erasuresOfTickets } from '../../../../libs/database/src/personal-data.repository';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import type { StaffRole } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem, notFound } from '../common/problem';
import { workflowProblem } from '../common/workflow-problem';
import type { StaffIdentity } from '../identity/identity';
import { TicketHistoryService } from '../tickets/ticket-history.service';
import { TicketQueryService } from '../tickets/ticket-query.service';
import { HistoryReplayer, type TicketHistoryInput } from './replay/history-replayer';
import { currentReplayBundle } from './replay/replay-bundle';
import { fetchTicketHistory, verifyTicket } from './ticket-auditor';
import type { VerifyResult } from './audit-views.schema';
import type { AuditExport, ReplayAnswer } from './audit-views.schema';

/** Replay, verification and the audit export are the auditor's. */
export const AUDITORS: StaffRole[] = ['AUDITOR'];

export function assertAuditor(identity: StaffIdentity, what: string): void {
  if (!identity.roles.some((role) => AUDITORS.includes(role))) throw forbiddenProblem(`${what} is for ${AUDITORS.join(', ')}`);
}

/**
 * The auditor's questions about one ticket: its legal record (the Temporal history, every run),
 * whether today's code would do the same (replay), whether the audit table was altered (verify),
 * and everything recorded about it in one download (export).
 */
@Injectable()
export class TicketAuditService {
  private replayer: Promise<HistoryReplayer> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly client: Client,
    private readonly db: DataSource,
    private readonly timeline: TicketTimelineRepository,
    private readonly query: TicketQueryService,
    private readonly histories: TicketHistoryService,
  ) {}

  history(number: string, identity: StaffIdentity) {
    return this.histories.history(number, identity);
  }

  /** One run's history exactly as Temporal writes it (`temporal workflow show --output json`): the current run unless `runId` names another. */
  async temporalJson(number: string, identity: StaffIdentity, runId?: string): Promise<{ fileName: string; json: string }> {
    const ticket = await this.query.findFor(identity, number);
    const full = await this.histories.history(number, identity);
    const run = runId ? full.runs.find((r) => r.runId === runId) : full.runs[full.runs.length - 1];
    if (!run) throw badRequest('run', `ticket ${ticket.number} has no run ${runId}`);
    return { fileName: `ticket-${ticket.number}-${run.runId}.json`, json: JSON.stringify(run.history) };
  }

  async replay(number: string, identity: StaffIdentity): Promise<ReplayAnswer> {
    assertAuditor(identity, 'replaying a ticket');
    const ticket = await this.query.findRow(number);
    const history = await this.fetch(ticket);
    const verdict = await (await this.replayerOnce()).replayOne(history);
    return {
      number: ticket.number,
      workflowId: history.workflowId,
      verdict: verdict.deterministic ? 'deterministic' : verdict.divergence!.text,
      deterministic: verdict.deterministic,
      runs: verdict.runs,
      events: verdict.events,
      divergence: verdict.divergence,
    };
  }

  async verify(number: string, identity: StaffIdentity): Promise<VerifyResult> {
    assertAuditor(identity, 'verifying a ticket’s audit trail');
    const ticket = await this.query.findRow(number);
    const verdict = await (await this.replayerOnce()).replayOne(await this.fetch(ticket));
    return verifyTicket(this.timeline, ticket, verdict);
  }

  /** The ticket's audit rows (with their hashes), its personal-data read log and its erasures, as one JSON document. */
  async export(number: string, identity: StaffIdentity): Promise<AuditExport> {
    assertAuditor(identity, 'the audit export');
    const ticket = await this.query.findRow(number);
    const [events, piiReads, erasures] = await Promise.all([
      this.timeline.auditRows(ticket.id),
      this.timeline.readsOf(ticket.id),
      erasuresOfTickets(this.db, [ticket.id]),
    ]);
    return {
      number: ticket.number,
      exportedAt: new Date().toISOString(),
      exportedBy: identity.id,
      auditRows: events.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: e.at.toISOString(),
        actor: { kind: e.actorKind, id: e.actorId },
        status: e.status,
        data: e.data,
        recordedAt: e.recordedAt.toISOString(),
        prevHash: e.prevHash?.toString('hex') ?? null,
        hash: e.hash.toString('hex'),
      })),
      piiReads: piiReads.map((r) => ({ at: r.at.toISOString(), readerId: r.readerId, fields: r.fields, route: r.route, requestId: r.requestId })),
      /** When and why its personal data was anonymised (KVKK), if it was. */
      erasures: erasures.map((e) => ({ at: e.at, kind: e.kind, actorId: e.actorId, reason: e.reason })),
    };
  }

  private async fetch(ticket: TicketEntity): Promise<TicketHistoryInput> {
    if (!ticket.workflowStartedAt) throw notFound(`the workflow of ticket ${ticket.number}`);
    try {
      return await fetchTicketHistory(this.client, ticket.number);
    } catch (error) {
      throw workflowProblem(error, { number: ticket.number, workflowStarted: true }, 'read');
    }
  }

  private replayerOnce(): Promise<HistoryReplayer> {
    this.replayer ??= currentReplayBundle(this.config.workflowBundlePath).then(
      (bundle) => new HistoryReplayer(bundle),
      (error) => {
        this.replayer = null;
        throw error;
      },
    );
    return this.replayer;
  }
}

