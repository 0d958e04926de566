import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TicketEntity, TicketFollowerEntity } from './entities';
import { referenceSql, type OrganisationReference } from './organisation.repository';
import { ACCOUNT_COLUMNS, accountFrom, type AccountKey, type StaffAccount } from './staff.repository';

/** A ticket's identity, as the audit's walks over many tickets name it. */
export interface TicketKey {
  id: string;
  number: string;
}

/** The column a walk over tickets goes by: closed_at (closed tickets) or received_at (every ticket). */
export type TicketTimeColumn = 'closed_at' | 'received_at';

/** What a caller look-up shows of each of a phone's tickets (no requester data beyond what the agent already has). */
export type CallerTicket = Pick<TicketEntity, 'id' | 'number' | 'status' | 'type' | 'category' | 'description' | 'receivedAt'>;

/** A re-send of a ticket's tracking link (tracking_link_resends), and whether it repeats one still within the window. */
export interface LinkResend {
  id: string;
  at: Date;
  requestedBy: string;
  /** The staff member's name as the center knows it now (null: no such account any more). */
  requestedByName: string | null;
  repeated: boolean;
}

interface LinkResendRow {
  id: string;
  at: Date | string;
  requested_by: string;
  requested_by_name: string | null;
}

const linkResend = (row: LinkResendRow, repeated: boolean): LinkResend => ({
  id: String(row.id),
  at: new Date(row.at),
  requestedBy: row.requested_by,
  requestedByName: row.requested_by_name,
  repeated,
});

/** Advisory lock class of a ticket's link re-sends (the ticket id's hash is the second key). */
const RESEND_LOCK = 185185723;

/** A reference a command's body names: the organisation's, or another ticket (a duplicate's survivor). */
export type ReferenceKind = OrganisationReference | 'ticket';

/** What a command's access read found: each may be missing (null), and is judged by the caller. */
export interface CommandRead {
  ticket: TicketEntity | null;
  /** The live account the token names (null: none, or the session ended, or it was deactivated); undefined without a token. */
  account?: StaffAccount | null;
  /** The platform users among the account's ids who follow the ticket (the access rules need nothing else of the followers). */
  followerIds: string[];
  /** Per body field, what its reference names (null when nothing by that name exists). */
  references: Record<string, Record<string, unknown> | null>;
}

/**
 * The ticket row (table `tickets`) as the API reads it. A command's access read is one
 * statement: the row, the caller's live account (session, deputies in force), whether the
 * caller follows it, and every reference the body names. A revoked session, a deactivated
 * account or an ended deputyship shows on the very next command, with no statement of its own.
 */
@Injectable()
export class TicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByNumber(number: string): Promise<TicketEntity | null> {
    return this.dataSource.getRepository(TicketEntity).findOneBy({ number });
  }

  exists(number: string): Promise<boolean> {
    return this.dataSource.getRepository(TicketEntity).existsBy({ number });
  }

  /** By id; `manager`: the caller's transaction (an intake replaying its Idempotency-Key). */
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TicketEntity | null> {
    return manager.getRepository(TicketEntity).findOneBy({ id });
  }

  /** The status of a ticket by number (null when none): whether a call can be logged against it. */
  statusOf(number: string): Promise<Pick<TicketEntity, 'number' | 'status'> | null> {
    return this.dataSource.getRepository(TicketEntity).findOne({ where: { number }, select: { status: true, number: true } });
  }

  /** The next number of the ticket sequence, inside the intake's transaction (a rolled-back intake leaves a gap, as sequences do). */
  async nextNumberSeq(manager: EntityManager): Promise<number> {
    const [{ seq }] = await manager.query(`SELECT nextval('ticket_number_seq')::int AS seq`);
    return seq;
  }

  /** Builds the entity (defaults and transformers as TypeORM applies them) without writing it. */
  build(fields: Partial<TicketEntity>): TicketEntity {
    return this.dataSource.getRepository(TicketEntity).create(fields);
  }

  /** Writes a new row in the intake's transaction. */
  async insert(manager: EntityManager, ticket: TicketEntity): Promise<void> {
    await manager.getRepository(TicketEntity).insert(ticket as QueryDeepPartialEntity<TicketEntity>);
  }

  /**
   * Marks the workflow started, in one statement that commits without waiting for the WAL flush:
   * a mark lost in a database crash only makes the sweeper start the workflow again, which
   * Temporal refuses as a duplicate.
   */
  async markWorkflowStarted(id: string): Promise<void> {
    await this.dataSource.query(
      `WITH no_flush_wait AS (SELECT set_config('synchronous_commit', 'off', true))
       UPDATE tickets SET workflow_started_at = now() FROM no_flush_wait WHERE id = $1`,
      [id],
    );
  }

  /** Up to `take` rows received before `receivedBefore` whose workflow was never started, oldest first (the intake sweeper's batch). */
  withoutWorkflow(receivedBefore: Date, take: number): Promise<TicketEntity[]> {
    return this.dataSource.getRepository(TicketEntity).find({
      where: { workflowStartedAt: IsNull(), receivedAt: LessThan(receivedBefore) },
      order: { receivedAt: 'ASC' },
      take,
    });
  }

  /** The newest ticket of the phone that is not closed (an inbound message belongs to it), or null. */
  async latestNotClosedOf(phone: string): Promise<Pick<TicketEntity, 'id' | 'number' | 'status'> | null> {
    const [row]: Pick<TicketEntity, 'id' | 'number' | 'status'>[] = await this.dataSource.query(
      `SELECT id, number, status FROM tickets WHERE requester_phone = $1 AND status <> 'CLOSED' ORDER BY received_at DESC LIMIT 1`,
      [phone],
    );
    return row ?? null;
  }

  /** Gives a ticket without a position the one a citizen shared later (a WhatsApp location); one that has a position keeps it. */
  async placeIfUnplaced(ticketId: string, place: { lat: number; lng: number }): Promise<void> {
    await this.dataSource.query(`UPDATE tickets SET lat = $2, lng = $3 WHERE id = $1 AND lat IS NULL AND lng IS NULL`, [ticketId, place.lat, place.lng]);
  }

  /** The caller's tickets, newest first, at most `take`. */
  callerTickets(phone: string, take: number): Promise<CallerTicket[]> {
    return this.dataSource.getRepository(TicketEntity).find({
      where: { requesterPhone: phone },
      select: { id: true, number: true, status: true, type: true, category: true, description: true, receivedAt: true },
      order: { receivedAt: 'DESC' },
      take,
    });
  }

  /** Every ticket of the phone with its personal data, oldest first: a data subject's report (KVKK). Raw rows, column names as stored. */
  ofSubject(phone: string): Promise<Record<string, any>[]> {
    return this.dataSource.query(
      `SELECT id, number, status, outcome, channel, type, category, received_at, closed_at, anonymised_at,
              requester_name, description, address, district, neighbourhood, media_url
         FROM tickets WHERE requester_phone = $1 ORDER BY received_at, id`,
      [phone],
    );
  }

  /** The numbers of the phone's tickets still open, oldest first (an erasure leaves them alone). */
  async openNumbersOf(phone: string): Promise<string[]> {
    const rows: { number: string }[] = await this.dataSource.query(`SELECT number FROM tickets WHERE requester_phone = $1 AND closed_at IS NULL ORDER BY received_at`, [phone]);
    return rows.map((r) => r.number);
  }

  /**
   * Records a re-send of the ticket's tracking link (append-only: who, when, request id), unless
   * one was recorded within `windowSeconds`: then that one (`repeated`), so a double click texts
   * once. Under the ticket's lock, so two at once agree.
   */
  recordLinkResend(ticketId: string, requestedBy: string, requestId: string | null, windowSeconds: number): Promise<LinkResend> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [RESEND_LOCK, ticketId]);
      const [recent]: LinkResendRow[] = await m.query(
        `SELECT r.id, r.at, r.requested_by, s.name AS requested_by_name
           FROM tracking_link_resends r LEFT JOIN staff s ON s.id = r.requested_by
          WHERE r.ticket_id = $1 AND r.at > now() - make_interval(secs => $2) ORDER BY r.id DESC LIMIT 1`,
        [ticketId, windowSeconds],
      );
      if (recent) return linkResend(recent, true);
      const [created]: LinkResendRow[] = await m.query(
        `WITH created AS (INSERT INTO tracking_link_resends (ticket_id, requested_by, request_id) VALUES ($1, $2, $3) RETURNING id, at, requested_by)
         SELECT c.id, c.at, c.requested_by, s.name AS requested_by_name FROM created c LEFT JOIN staff s ON s.id = c.requested_by`,
        [ticketId, requestedBy, requestId],
      );
      return linkResend(created, false);
    });
  }

  /** How many tickets were closed at or after `since`. */
  async countClosedSince(since: Date): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM tickets WHERE closed_at >= $1`, [since]);
    return count;
  }

  /**
   * Tickets whose `column` is at or after `since`, oldest first, a page at a time (keyset): never
   * the whole table in memory. `after`: the last ticket of the previous page (its time and id).
   */
  async *since(since: Date, column: TicketTimeColumn, pageSize = 200): AsyncGenerator<TicketKey> {
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const page: { id: string; number: string; at: Date }[] = after
        ? await this.dataSource.query(
            `SELECT id, number, ${column} AS at FROM tickets WHERE ${column} >= $1 AND (${column}, id) > ($2, $3::uuid) ORDER BY ${column}, id LIMIT $4`,
            [since, after.at, after.id, pageSize],
          )
        : await this.dataSource.query(`SELECT id, number, ${column} AS at FROM tickets WHERE ${column} >= $1 ORDER BY ${column}, id LIMIT $2`, [since, pageSize]);
      for (const row of page) yield { id: row.id, number: row.number };
      if (page.length < pageSize) return;
      const last = page[page.length - 1];
      after = { at: last.at, id: last.id };
    }
  }

  /** Which of `userId` follows the ticket ([] or [userId]): what the access rules need of its followers. */
  async followerIdsOf(ticketId: string, userId: string): Promise<string[]> {
    const rows = await this.dataSource.getRepository(TicketFollowerEntity).find({ where: { ticketId, userId }, select: { userId: true } });
    return rows.map((f) => f.userId);
  }

  /** Adds a follower (once: a second add is no change). */
  async addFollower(ticketId: string, userId: string, addedBy: string): Promise<void> {
    await this.dataSource.getRepository(TicketFollowerEntity).createQueryBuilder().insert().values({ ticketId, userId, addedBy }).orIgnore().execute();
  }

  /** The command's access read (see the class): `key` the verified token's, `references` the body's fields to look up. */
  async commandRead(number: string, key: AccountKey | null, references: Record<string, { kind: ReferenceKind; value: string }>): Promise<CommandRead> {
    const params: unknown[] = [number];
    const param = (value: unknown) => `$${params.push(value)}`;
    const account = key ? `(SELECT row_to_json(a) FROM (SELECT ${ACCOUNT_COLUMNS} ${accountFrom(key, param)}) a)` : 'NULL::json';
    const followers = key
      ? `(SELECT coalesce(json_agg(f.user_id), '[]') FROM ticket_followers f WHERE f.ticket_id = t.id AND f.user_id IN (SELECT s.id ${accountFrom(key, param)}))`
      : `'[]'::json`;
    const refs = Object.entries(references).map(([field, { kind, value }]) => {
      const placeholder = param(value);
      const lookup = kind === 'ticket' ? `(SELECT json_build_object('number', o.number) FROM tickets o WHERE o.number = ${placeholder})` : referenceSql(kind, placeholder);
      return `${param(field)}::text, ${lookup}`;
    });
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT t.*, ${account} AS "__account", ${followers} AS "__followers", json_build_object(${refs.join(', ')}) AS "__references"
         FROM (SELECT 1) one LEFT JOIN tickets t ON t.number = $1`,
      params,
    );
    return {
      ticket: row.id === null ? null : this.hydrate(row),
      ...(key ? { account: (row.__account as StaffAccount | null) ?? null } : {}),
      followerIds: row.__followers as string[],
      references: row.__references as CommandRead['references'],
    };
  }

  /** A raw `tickets` row as the entity TypeORM would read (column names, types, transformers). */
  private hydrate(row: Record<string, unknown>): TicketEntity {
    const entity = new TicketEntity();
    for (const column of this.dataSource.getMetadata(TicketEntity).columns) {
      (entity as unknown as Record<string, unknown>)[column.propertyName] = this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return entity;
  }
}
