import { Injectable } from '@nestjs/common';
import type { CommandResponse, TicketEntity } from '../../../../libs/database/src/entities';
import { TicketTimelineRepository, type PersonalDataRead } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { allowedActions, allowedAttachmentKinds, isPlatformUser, shownApprovalLevel, type AttachmentKind, type TicketState } from '../../../../libs/domain/src';
import { currentRequestId } from '../common/request-id.middleware';
import { toActor, toReader, type StaffIdentity } from '../identity/identity';
import { COMMAND_ROUTES, type CommandRouteName } from './ticket-command.table';
import { CitizenTokens, ticketNotFound } from './citizen-token';
import { TicketAccess, type SignedInView } from './ticket-access.service';
import { TicketViewMapper, type TicketViewFor, type TimelineSource, type Viewer } from './ticket-view.mapper';
import type { CitizenTicketView } from './ticket-views.schema';

/** Reads tickets from the PostgreSQL projection (rows written by the workflow's activities). */
@Injectable()
export class TicketQueryService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
    private readonly access: TicketAccess,
    private readonly tokens: CitizenTokens,
  ) {}

  async findRow(number: string): Promise<TicketEntity> {
    const ticket = await this.tickets.findByNumber(number);
    if (!ticket) throw ticketNotFound(number);
    return ticket;
  }

  exists(number: string): Promise<boolean> {
    return this.tickets.exists(number);
  }

  /** The ticket for a signed-in user: 404 when it is unknown or theirs to not see (one answer for both). */
  async findFor(identity: StaffIdentity, number: string): Promise<TicketEntity> {
    const ticket = await this.findRow(number);
    await this.access.assertCanOpen(identity, ticket);
    return ticket;
  }

  /**
   * GET /tickets/:number: a signed-in user what their role lets them see, the citizen with its
   * tracking token their ticket; anyone else gets the 404 of an unknown ticket, so ticket numbers
   * cannot be enumerated.
   */
  async read(number: string, identity: StaffIdentity | null, token: string | undefined): Promise<SignedInView | TicketViewFor<Viewer>> {
    if (identity) return this.viewFor(identity, number, 'GET /tickets/:number');
    const ticket = await this.findRow(number);
    this.tokens.assert(ticket, token);
    return this.view(ticket, 'CITIZEN');
  }

  /**
   * The view a signed-in user gets of a ticket they may open, read afresh (404 otherwise);
   * `route` goes into the personal-data read log. The answer to a command is given even when the
   * command itself took the ticket out of the caller's reach (a manager returning it to the
   * center): they were allowed when they sent it.
   */
  async viewFor(identity: StaffIdentity, number: string, route: string, answering: 'READ' | 'COMMAND' = 'READ'): Promise<SignedInView> {
    const row = await this.findRow(number);
    const reader = answering === 'COMMAND' ? toReader(identity) : await this.access.assertCanOpen(identity, row);
    const source = await this.timelineSource(row);
    // A reader who only keeps it because they acted on it (out of reach now) reads it, with no action to offer.
    const commands = !isPlatformUser(reader) && (answering === 'COMMAND' || (await this.access.reaches(reader, row)));
    const staffView = { ...TicketViewMapper.toStaff(row, source), actions: commands ? actionsOf(row, identity) : [], attachKinds: commands ? attachKindsOf(row, identity) : [] };
    return this.access.present(reader, row, staffView, { citizen: async () => TicketViewMapper.toCitizen(row, source), public: async () => TicketViewMapper.toPlatform(row, source) }, route);
  }

  /** The ticket as `viewer` may see it, read afresh (a command's answer shows its own effect). */
  async view<V extends Viewer>(ticket: TicketEntity, viewer: V, fresh = false): Promise<TicketViewFor<V>> {
    const row = fresh ? await this.findRow(ticket.number) : ticket;
    const source = await this.timelineSource(row);
    return (viewer === 'STAFF' ? TicketViewMapper.toStaff(row, source) : TicketViewMapper.toCitizen(row, source)) as TicketViewFor<V>;
  }

  /**
   * A command's answer, built from the state its Update returned and the row read for the access
   * check (its personal fields; everything the workflow decides comes from the state, not from a
   * second read of the row). One statement reads the timeline up to that state, writes the read
   * log entry when the view shows personal data and, with an X-Request-Id, completes the request's
   * record with the state and the actions (`standing`: the answer that stands, should another
   * attempt have completed it first). The answer is given even when the command took the ticket
   * out of the caller's reach (a manager returning it to the center): they were allowed when they
   * sent it. `identity` null: the citizen (tracking token). `actions`: the recorded ones, for a replay.
   */
  async commandView(
    row: TicketEntity,
    state: TicketState,
    identity: StaffIdentity | null,
    route: string,
    options: { requestId?: string; actions?: string[] } = {},
  ): Promise<{ view: SignedInView | CitizenTicketView; standing: CommandResponse | null }> {
    const ticket = withState(row, state);
    const reader = identity && toReader(identity);
    const actions = (options.actions ?? (identity && !isPlatformUser(reader!) ? actionsOf(ticket, identity) : [])) as CommandRouteName[];
    const fields = reader && this.access.personalFields(reader, ticket);
    const log: PersonalDataRead | null = reader && fields ? { readerId: reader.id, fields, route, requestId: currentRequestId() ?? null } : null;
    const complete = options.requestId ? { requestId: options.requestId, response: { status: 200 as const, state: state as unknown as Record<string, unknown>, actions } } : null;
    const { standing, ...source } = await this.timeline.read(ticket.id, state.seq, { log, complete }, staffIdsOf(ticket));
    if (!reader) return { view: TicketViewMapper.toCitizen(ticket, source), standing };
    const staffView = { ...TicketViewMapper.toStaff(ticket, source), actions: isPlatformUser(reader) ? [] : actions, attachKinds: isPlatformUser(reader) ? [] : attachKindsOf(ticket, identity!) };
    const view = await this.access.narrow(reader, ticket, staffView, { citizen: async () => TicketViewMapper.toCitizen(ticket, source), public: async () => TicketViewMapper.toPlatform(ticket, source) });
    return { view, standing };
  }

  /** Everything a view shows beside the row, in one statement (ticket-timeline.repository.ts), with the read log entry when given. */
  private async timelineSource(ticket: TicketEntity, uptoSeq: number | null = null, log: { readerId: string; fields: string[]; route: string } | null = null): Promise<TimelineSource> {
    const { standing: _none, ...source } = await this.timeline.read(ticket.id, uptoSeq, { log: log && { ...log, requestId: currentRequestId() ?? null } }, staffIdsOf(ticket));
    return source;
  }
}


/** The staff ids a ticket's row names outside its events: the assignee, the approval round's approvers and whom it escalated to. */
function staffIdsOf(ticket: TicketEntity): string[] {
  const approval = (ticket.workflowView as Partial<TicketState> | null)?.approval;
  const ids = [ticket.assigneeId, ...(approval?.chain.map((step) => step.approverId) ?? []), approval?.escalatedTo];
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/** The row as the Update's state has it: the workflow's own fields from the state, the personal ones from the row. */
function withState(row: TicketEntity, state: TicketState): TicketEntity {
  return {
    ...row,
    status: state.status,
    outcome: state.outcome,
    category: state.category,
    departmentId: state.departmentId,
    assigneeId: state.assigneeId,
    approvalLevel: shownApprovalLevel(state),
    slaBreached: state.sla.breached,
    reopenCount: state.reopenCount,
    lastEventSeq: state.seq,
    workflowView: state as unknown as Record<string, unknown>,
    resolvedAt: state.resolvedAt ? new Date(state.resolvedAt) : null,
    closedAt: state.closedAt ? new Date(state.closedAt) : null,
  };
}

/** Route of each command (the inverse of the route table). */
const ROUTE_OF = new Map(Object.entries(COMMAND_ROUTES).map(([name, spec]) => [spec.command as string, name as CommandRouteName]));

/**
 * The routes the caller may POST now: the domain's `allowedActions`, one pass over the policy on
 * the projected state (held equal to `authorize`, which the Update validator runs, by its unit
 * test). None before the workflow started or once closed.
 */
export function actionsOf(row: TicketEntity, identity: StaffIdentity, now = new Date()): CommandRouteName[] {
  const state = row.workflowView as TicketState | null;
  if (!row.workflowStartedAt || !state?.status || row.status === 'CLOSED') return [];
  return allowedActions(state, toActor(identity), now.toISOString()).map((command) => ROUTE_OF.get(command)!);
}

/** The kinds of file the caller may attach now (POST /tickets/:number/attachments), by the same rules as the `attach` Update's validator. */
export function attachKindsOf(row: TicketEntity, identity: StaffIdentity, now = new Date()): AttachmentKind[] {
  const state = row.workflowView as TicketState | null;
  if (!row.workflowStartedAt || !state?.status || row.status === 'CLOSED') return [];
  return allowedAttachmentKinds(state, toActor(identity), now.toISOString());
}
