import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { completeCte, standingResponseSql } from './command-requests.repository';
import {
  ClosureCheckEntity,
  InboundMessageEntity,
  PiiReadEntity,
  TicketEventEntity,
  TicketRatingEntity,
  TicketTextEntity,
  type ClosureAnswer,
  type CommandResponse,
  type InboundMedia,
} from './entities';

/** Everything a ticket's view shows beside its row. */
export interface TicketTimeline {
  events: TicketEventEntity[];
  texts: TicketTextEntity[];
  messages: InboundMessageEntity[];
  rating: TicketRatingEntity | null;
  /** The name of every staff member the view names (its row's `staffIds`, the actors, ids in event data), by id. */
  staffNames: Record<string, string>;
}

/** A read of a citizen's personal data, for the log (KVKK). */
export interface PersonalDataRead {
  readerId: string;
  fields: string[];
  route: string;
  requestId: string | null;
}

/** A read of personal data of a ticket or a contact, for the log (KVKK). */
export type PersonalDataReadOf = PersonalDataRead & Pick<PiiReadEntity, 'ticketId' | 'contactId'>;

/** One audit row as the tamper check reads it: its content, whether it matches its own hash, and whether it links to the row before it. */
export interface AuditChainRow {
  seq: number;
  type: string;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  status: string;
  data: Record<string, unknown>;
  content_intact: boolean;
  linked: boolean;
}

/** An inbound WhatsApp or SMS message, as it is claimed before it is processed. */
export type InboundClaim = Pick<InboundMessageEntity, 'messageSid' | 'channel' | 'fromPhone' | 'body' | 'media'>;

/** What the timeline read also writes: the personal-data read log entry, and a command request's answer. */
export interface TimelineWrites {
  log?: PersonalDataRead | null;
  /** The X-Request-Id whose record is completed with `response` (first to complete wins: `standing`). */
  complete?: { requestId: string; response: CommandResponse } | null;
}

/**
 * A ticket's timeline (tables `ticket_events`, `ticket_texts`, `inbound_messages`,
 * `ticket_ratings`) read in one statement, which also writes what goes with a read: the
 * personal-data read log (`pii_reads`) and, for a command's answer, its request's record.
 */
@Injectable()
export class TicketTimelineRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A command's free texts, stored before the Update names them by id (with an X-Request-Id they go with its record instead). */
  async insertTexts(texts: Partial<TicketTextEntity>[]): Promise<void> {
    await this.dataSource.getRepository(TicketTextEntity).insert(texts);
  }

  /** The texts of a refused command: it leaves no trace. */
  async deleteTexts(ids: string[]): Promise<void> {
    await this.dataSource.getRepository(TicketTextEntity).delete({ id: In(ids) });
  }

  /** A read of personal data outside a timeline read (a list, the history): its log entry. */
  async logRead(ticketId: string, read: PersonalDataRead): Promise<void> {
    await this.dataSource.getRepository(PiiReadEntity).insert({ ticketId, ...read });
  }

  /** Many reads' log entries (a download, a report), in chunks: thousands of rows would pass PostgreSQL's 65,535 parameters in one statement. */
  async logReads(reads: PersonalDataReadOf[]): Promise<void> {
    for (let i = 0; i < reads.length; i += 1000) await this.dataSource.getRepository(PiiReadEntity).insert(reads.slice(i, i + 1000));
  }

  /** The personal-data read log of a ticket, oldest first (for auditors). */
  readsOf(ticketId: string): Promise<PiiReadEntity[]> {
    return this.dataSource.getRepository(PiiReadEntity).find({ where: { ticketId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Every audit row of a ticket, whole (with its hashes), by seq: the audit export. */
  auditRows(ticketId: string): Promise<TicketEventEntity[]> {
    return this.dataSource.getRepository(TicketEventEntity).find({ where: { ticketId }, order: { seq: 'ASC' } });
  }

  /** Each audit row's content against its own hash, and its prev_hash against the row before it (the tamper check). */
  auditChain(ticketId: string): Promise<AuditChainRow[]> {
    return this.dataSource.query(
      `SELECT seq, type, at, actor_kind, actor_id, status, data,
              hash = ticket_event_hash(prev_hash, e) AS content_intact,
              prev_hash IS NOT DISTINCT FROM lag(hash) OVER (ORDER BY seq) AS linked
         FROM ticket_events e WHERE ticket_id = $1 ORDER BY seq`,
      [ticketId],
    );
  }

  /** The events' types, times, statuses and data only, by seq: the tracking page's steps (never who did what). */
  steps(ticketId: string): Promise<Pick<TicketEventEntity, 'type' | 'at' | 'status' | 'data'>[]> {
    return this.dataSource.getRepository(TicketEventEntity).find({ where: { ticketId }, order: { seq: 'ASC' }, select: { type: true, at: true, status: true, data: true } });
  }

  /** The citizen's rating of the ticket, if given. */
  rating(ticketId: string): Promise<TicketRatingEntity | null> {
    return this.dataSource.getRepository(TicketRatingEntity).findOneBy({ ticketId });
  }

  /** Records the citizen's rating once: false when the ticket was already rated. */
  async rate(ticketId: string, rating: number, comment: string | null): Promise<boolean> {
    const inserted = await this.dataSource.getRepository(TicketRatingEntity).createQueryBuilder().insert().values({ ticketId, rating, comment }).orIgnore().returning(['ticket_id']).execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  /** Records that a round's closure check is asked, before its SMS goes (once: a second sweep finds the row). */
  async askClosureCheck(ticketId: string, round: number): Promise<void> {
    await this.dataSource.query(`INSERT INTO closure_checks (ticket_id, round) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ticketId, round]);
  }

  /** The "is it really fixed?" question of a resolution round, if it was asked. */
  closureCheck(ticketId: string, round: number): Promise<ClosureCheckEntity | null> {
    return this.dataSource.getRepository(ClosureCheckEntity).findOneBy({ ticketId, round });
  }

  /** Records the answer of a round's closure check, unless it was answered already. */
  async answerClosureCheck(ticketId: string, round: number, answer: ClosureAnswer): Promise<void> {
    await this.dataSource.getRepository(ClosureCheckEntity).update({ ticketId, round, answer: IsNull() }, { answer, answeredAt: new Date() });
  }

  /** Claims an inbound message for processing by its id (Twilio retries a webhook): false when it was claimed before. */
  async claimInbound(message: InboundClaim): Promise<boolean> {
    const claim = await this.dataSource
      .getRepository(InboundMessageEntity)
      .createQueryBuilder()
      .insert()
      .values({ ...message, outcome: 'PROCESSING' })
      .orIgnore()
      .returning(['message_sid'])
      .execute();
    return (claim.raw as unknown[]).length > 0;
  }

  /** What came of a claimed message, and the ticket it went to. */
  async settleInbound(messageSid: string, outcome: InboundMessageEntity['outcome'], ticketId: string | null): Promise<void> {
    await this.dataSource.getRepository(InboundMessageEntity).update({ messageSid }, { outcome, ticketId });
  }

  /**
   * A settled message with media and the ticket it went to (null: unknown, still PROCESSING, or
   * without media): what the worker's media workflow fetches, and what a retried webhook starts it for.
   */
  async inboundMediaOf(messageSid: string): Promise<{ channel: 'SMS' | 'WHATSAPP'; media: InboundMedia[]; ticketId: string; ticketNumber: string } | null> {
    const [row] = await this.dataSource.query(
      `SELECT m.channel, m.media, m.ticket_id AS "ticketId", t.number AS "ticketNumber"
         FROM inbound_messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE m.message_sid = $1 AND m.outcome <> 'PROCESSING' AND jsonb_array_length(m.media) > 0`,
      [messageSid],
    );
    return row ?? null;
  }

  /** Gives a claimed message back unprocessed, so Twilio's retry processes it. */
  async releaseInbound(messageSid: string): Promise<void> {
    await this.dataSource.getRepository(InboundMessageEntity).delete({ messageSid, outcome: 'PROCESSING' });
  }

  /** When the phone last wrote on WhatsApp (null: never): Meta's 24-hour session rule. */
  async lastWhatsAppFrom(phone: string | null): Promise<Date | null> {
    const [last]: Array<{ at: Date | null }> = await this.dataSource.query(`SELECT max(received_at) AS at FROM inbound_messages WHERE from_phone = $1 AND channel = 'WHATSAPP'`, [phone]);
    return last?.at ? new Date(last.at) : null;
  }

  /** A data subject's messages: those from the phone, and those kept on its tickets, oldest first (raw rows with the ticket's number). */
  subjectMessages(phone: string, ticketIds: string[]): Promise<Record<string, any>[]> {
    return this.dataSource.query(
      `SELECT m.received_at, m.channel, m.body, m.media, t.number
         FROM inbound_messages m LEFT JOIN tickets t ON t.id = m.ticket_id
        WHERE m.from_phone = $1 OR m.ticket_id = ANY($2::uuid[]) ORDER BY m.received_at, m.message_sid`,
      [phone, ticketIds],
    );
  }

  /** The texts of the given kinds on the tickets, oldest first (raw rows with the ticket's number). */
  async subjectTexts(ticketIds: string[], kinds: readonly string[]): Promise<Record<string, any>[]> {
    if (!ticketIds.length) return [];
    return this.dataSource.query(
      `SELECT x.created_at, t.number, x.kind, x.body, x.author_kind FROM ticket_texts x JOIN tickets t ON t.id = x.ticket_id
        WHERE x.ticket_id = ANY($1::uuid[]) AND x.kind = ANY($2::text[]) ORDER BY x.created_at, x.id`,
      [ticketIds, kinds],
    );
  }

  /** The ratings of the tickets, oldest first (raw rows with the ticket's number). */
  async subjectRatings(ticketIds: string[]): Promise<Record<string, any>[]> {
    if (!ticketIds.length) return [];
    return this.dataSource.query(
      `SELECT r.rated_at, t.number, r.rating, r.comment FROM ticket_ratings r JOIN tickets t ON t.id = r.ticket_id
        WHERE r.ticket_id = ANY($1::uuid[]) ORDER BY r.rated_at, t.number`,
      [ticketIds],
    );
  }

  /**
   * The events (up to `uptoSeq` when given: a command's answer shows the state its Update
   * returned, not a command that followed at once), the texts their *Ref fields name, the
   * citizen's messages, the rating; `standing` is the request's answer that stands, when one was completed.
   */
  /** Whether `actorId` has a command in the ticket's history (index ticket_events_actor_idx): staff who acted on a ticket keep reading it. */
  async hasActor(ticketId: string, actorId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM ticket_events WHERE ticket_id = $1 AND actor_id = $2 LIMIT 1`, [ticketId, actorId]);
    return row !== undefined;
  }

  async read(ticketId: string, uptoSeq: number | null = null, writes: TimelineWrites = {}, staffIds: string[] = []): Promise<TicketTimeline & { standing: CommandResponse | null }> {
    const { log, complete } = writes;
    const [row]: TimelineRow[] = await this.dataSource.query(TIMELINE_SQL, [
      ticketId,
      uptoSeq,
      log?.readerId ?? null,
      log?.fields ?? null,
      log?.route ?? null,
      log?.requestId ?? null,
      complete?.requestId ?? null,
      complete ? JSON.stringify(complete.response) : null,
      staffIds,
    ]);
    return {
      events: row.events.map((e) => ({ ...e, at: new Date(e.at) }) as TicketEventEntity),
      texts: row.texts as TicketTextEntity[],
      messages: row.messages.map((m) => ({ ...m, receivedAt: new Date(m.receivedAt) }) as InboundMessageEntity),
      rating: row.rating ? ({ ...row.rating, ratedAt: new Date(row.rating.ratedAt) } as TicketRatingEntity) : null,
      staffNames: row.names,
      standing: row.standing,
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
  standing: CommandResponse | null;
}

/**
 * $1 ticket id, $2 the last event seq shown (all when null); $3–$6 the read log entry (reader,
 * fields, route, request id), none when $3 is null; $7–$8 the command request completed with its
 * answer, none when $7 is null; $9 the staff ids the row names (assignee, approvers). Data-modifying
 * CTEs run whether or not they are referenced.
 */
const TIMELINE_SQL = `
  WITH logged AS (
    INSERT INTO pii_reads (ticket_id, reader_id, fields, route, request_id)
    SELECT $1, $3, $4::text[], $5, $6 WHERE $3::text IS NOT NULL
    RETURNING 1
  ), ${completeCte('$7::text', '$8')}, events AS (
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
      WHERE s.id IN (SELECT unnest($9::text[]) UNION SELECT actor_id FROM events WHERE actor_id IS NOT NULL
                     UNION SELECT v.value FROM events, jsonb_each_text(events.data) AS v WHERE jsonb_typeof(events.data -> v.key) = 'string')) AS names,
    (${standingResponseSql('$7::text')}) AS standing,
    (SELECT count(*) FROM logged) AS logged`;
