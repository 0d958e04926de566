import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InboundMessageEntity, TicketEntity, TicketEventEntity, TicketRatingEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { allowedCommands, isPlatformUser, shownApprovalLevel, type TicketState } from '../../../../libs/domain/src';
import { currentRequestId } from '../common/request-id.middleware';
import { toActor, toReader, type StaffIdentity } from '../identity/identity';
import { COMMAND_ROUTES, type CommandRouteName } from './ticket-command.table';
import { CitizenTokens, ticketNotFound } from './citizen-token';
import { TicketAccess, type SignedInView } from './ticket-access.service';
import { TicketViewMapper, type CitizenTicketView, type TicketViewFor, type TimelineSource, type Viewer } from './ticket-view.mapper';

/** Reads tickets from the PostgreSQL projection (rows written by the workflow's activities). */
@Injectable()
export class TicketQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: TicketAccess,
    private readonly tokens: CitizenTokens,
  ) {}

  async findRow(number: string): Promise<TicketEntity> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOneBy({ number });
    if (!ticket) throw ticketNotFound(number);
    return ticket;
  }

  exists(number: string): Promise<boolean> {
    return this.dataSource.getRepository(TicketEntity).existsBy({ number });
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
    const staffView = { ...TicketViewMapper.toStaff(row, source), actions: commands ? actionsOf(row, identity) : [] };
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
   * second read of the row). One statement reads the timeline up to that state and, when the view
   * shows personal data, writes the read log entry. The answer is given even when the command took
   * the ticket out of the caller's reach (a manager returning it to the center): they were allowed
   * when they sent it. `identity` null: the citizen (tracking token).
   */
  async commandView(row: TicketEntity, state: TicketState, identity: StaffIdentity | null, route: string): Promise<SignedInView | CitizenTicketView> {
    const ticket = withState(row, state);
    if (!identity) return TicketViewMapper.toCitizen(ticket, await this.timelineSource(ticket, state.seq));
    const reader = toReader(identity);
    const fields = this.access.personalFields(reader, ticket);
    const source = await this.timelineSource(ticket, state.seq, fields && { readerId: reader.id, fields, route });
    const staffView = { ...TicketViewMapper.toStaff(ticket, source), actions: isPlatformUser(reader) ? [] : actionsOf(ticket, identity) };
    return this.access.narrow(reader, ticket, staffView, { citizen: async () => TicketViewMapper.toCitizen(ticket, source), public: async () => TicketViewMapper.toPlatform(ticket, source) });
  }

  /**
   * Everything a view shows beside the row, in one statement: the events (up to `uptoSeq` when
   * given: a command's answer shows the state its Update returned, not a command that followed at
   * once), the texts their *Ref fields name, the citizen's messages, the rating; with `log`, the
   * personal-data read log entry (KVKK) in the same statement.
   */
  private async timelineSource(ticket: TicketEntity, uptoSeq: number | null = null, log: { readerId: string; fields: string[]; route: string } | null = null): Promise<TimelineSource> {
    const [row]: TimelineRow[] = await this.dataSource.query(TIMELINE_SQL, [
      ticket.id,
      uptoSeq,
      log?.readerId ?? null,
      log?.fields ?? null,
      log?.route ?? null,
      log ? (currentRequestId() ?? null) : null,
      staffIdsOf(ticket),
    ]);
    const events = row.events.map((e) => ({ ...e, at: new Date(e.at) }) as TicketEventEntity);
    return {
      events,
      texts: row.texts as TicketTextEntity[],
      messages: row.messages.map((m) => ({ ...m, receivedAt: new Date(m.receivedAt) }) as InboundMessageEntity),
      rating: row.rating ? ({ ...row.rating, ratedAt: new Date(row.rating.ratedAt) } as TicketRatingEntity) : null,
      staffNames: row.names,
    };
  }
}

/** What TIMELINE_SQL answers: JSON, its times as strings. */
interface TimelineRow {
  events: (Omit<TicketEventEntity, 'at'> & { at: string })[];
  texts: Pick<TicketTextEntity, 'id' | 'kind' | 'body'>[];
  messages: (Omit<InboundMessageEntity, 'receivedAt'> & { receivedAt: string })[];
  rating: (Omit<TicketRatingEntity, 'ratedAt'> & { ratedAt: string }) | null;
  names: Record<string, string>;
}

/** The staff ids a ticket's row names outside its events: the assignee, the approval round's approvers and whom it escalated to. */
function staffIdsOf(ticket: TicketEntity): string[] {
  const approval = (ticket.workflowView as Partial<TicketState> | null)?.approval;
  const ids = [ticket.assigneeId, ...(approval?.chain.map((step) => step.approverId) ?? []), approval?.escalatedTo];
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/** $1 ticket id, $2 the last event seq shown (all when null); $3–$6 the read log entry (reader, fields, route, request id), none when $3 is null; $7 staff ids the row names (assignee, approvers). */
const TIMELINE_SQL = `
  WITH logged AS (
    INSERT INTO pii_reads (ticket_id, reader_id, fields, route, request_id)
    SELECT $1, $3, $4::text[], $5, $6 WHERE $3::text IS NOT NULL
    RETURNING 1
  ), events AS (
    SELECT seq, type, at, actor_kind, actor_id, status, data FROM ticket_events WHERE ticket_id = $1 AND ($2::int IS NULL OR seq <= $2)
  )
  SELECT
    (SELECT coalesce(json_agg(json_build_object('seq', seq, 'type', type, 'at', at, 'actorKind', actor_kind, 'actorId', actor_id, 'status', status, 'data', data) ORDER BY seq), '[]')
       FROM events) AS events,
    (SELECT coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'body', x.body)), '[]')
       FROM ticket_texts x
      WHERE x.id = ANY (ARRAY(SELECT ref.value::uuid FROM events, jsonb_each_text(events.data) AS ref
                               WHERE ref.key LIKE '%Ref' AND jsonb_typeof(events.data -> ref.key) = 'string'))) AS texts,
    (SELECT coalesce(json_agg(json_build_object('receivedAt', m.received_at, 'channel', m.channel, 'body', m.body, 'media', m.media, 'outcome', m.outcome) ORDER BY m.received_at), '[]')
       FROM inbound_messages m WHERE m.ticket_id = $1 AND m.outcome <> 'PROCESSING') AS messages,
    (SELECT json_build_object('rating', r.rating, 'comment', r.comment, 'ratedAt', r.rated_at) FROM ticket_ratings r WHERE r.ticket_id = $1) AS rating,
    -- People by name: every staff id the view names (the row's, the actors', the ids in event data), looked up by primary key.
    (SELECT coalesce(json_object_agg(s.id, s.name), '{}') FROM staff s
      WHERE s.id IN (SELECT unnest($7::text[]) UNION SELECT actor_id FROM events WHERE actor_id IS NOT NULL
                     UNION SELECT v.value FROM events, jsonb_each_text(events.data) AS v WHERE jsonb_typeof(events.data -> v.key) = 'string')) AS names,
    (SELECT count(*) FROM logged) AS logged`;

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
 * The routes the caller may POST now, by the domain's own `authorize` on the projected state
 * (what the Update validator will check again). None before the workflow started or once closed.
 */
export function actionsOf(row: TicketEntity, identity: StaffIdentity, now = new Date()): CommandRouteName[] {
  const state = row.workflowView as TicketState | null;
  if (!row.workflowStartedAt || !state?.status || row.status === 'CLOSED') return [];
  return allowedCommands(state, toActor(identity), now.toISOString()).map((command) => ROUTE_OF.get(command)!);
}
