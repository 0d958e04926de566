import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CENTER_TIME_ZONE } from './migrations/1765600000000-analysis-facts';

/**
 * The logs the analysis store is fed from, each read by its bigserial id: the audit rows (every
 * ticket change the workflow records) and analysis_changes (ratings, closure checks, contacts:
 * changes without an audit row).
 */
export const ANALYSIS_SOURCES = {
  events: { table: 'ticket_events', sequence: 'ticket_events_id_seq', ticket: 'ticket_id', contact: 'NULL::uuid' },
  changes: { table: 'analysis_changes', sequence: 'analysis_changes_id_seq', ticket: 'ticket_id', contact: 'contact_id' },
} as const;
export type AnalysisSource = keyof typeof ANALYSIS_SOURCES;

/**
 * A ticket's analysis facts: no name, phone, text or address beyond district and neighbourhood.
 * Instants are epoch milliseconds and durations hours, as float8; `day` is the local day of
 * receipt (days since 1970-01-01 in the center's zone), so the store needs no time-zone function.
 */
export interface TicketFacts {
  id: string;
  number: string;
  received_ms: number;
  day: number;
  channel: string;
  type: string;
  category: string;
  department_id: string | null;
  district: string | null;
  neighbourhood: string | null;
  segment: string;
  status: string;
  outcome: string | null;
  sla_breached: boolean;
  reopen_count: number;
  resolved: boolean;
  res_h: number | null;
  clo_h: number | null;
  dep_h: number | null;
  exp_h: number | null;
  answered_ms: number | null;
  has_assignee: boolean;
  stage_since_ms: number | null;
  routed: boolean;
  returned: boolean;
  approval_levels: number[];
  approval_hours: number[];
  rating: number | null;
  checks: number;
  not_fixed: number;
}

/** A contact's analysis facts: when, how and with what outcome; never the caller's number or note. */
export interface ContactFacts {
  id: string;
  at_ms: number;
  day: number;
  channel: string;
  outcome: string;
}

const ms = (column: string) => `(date_part('epoch', ${column}) * 1000)::float8`;
const hours = (later: string, earlier: string) => `(date_part('epoch', ${later} - ${earlier}) / 3600)::float8`;
const localDay = (column: string) => `((${column} AT TIME ZONE '${CENTER_TIME_ZONE}')::date - date '1970-01-01')`;

/** The one definition of a ticket's facts, as PostgreSQL computes them from its row (kept by the AnalysisFacts triggers). */
const TICKET_COLUMNS = `
         t.id::text AS id, t.number, ${ms('t.received_at')} AS received_ms, ${localDay('t.received_at')} AS day,
         t.channel, t.type, t.category, t.department_id, t.district, t.neighbourhood, t.segment, t.status, t.outcome,
         t.sla_breached, t.reopen_count, t.resolved_at IS NOT NULL AS resolved,
         ${hours('t.resolved_at', 't.received_at')} AS res_h, ${hours('t.closed_at', 't.received_at')} AS clo_h,
         ${hours('t.first_department_at', 't.received_at')} AS dep_h, ${hours('t.first_expert_at', 't.received_at')} AS exp_h,
         ${ms('coalesce(t.resolved_at, t.closed_at)')} AS answered_ms, t.assignee_id IS NOT NULL AS has_assignee,
         ${ms('t.stage_since')} AS stage_since_ms, t.first_department_at IS NOT NULL AS routed, t.returned_to_center AS returned,
         t.approval_levels, t.approval_hours, t.rating::int AS rating, t.closure_checks_answered AS checks, t.closure_checks_not_fixed AS not_fixed`;
const TICKET_FACTS = `SELECT ${TICKET_COLUMNS} FROM tickets t`;
const CONTACT_COLUMNS = `k.id::text AS id, ${ms('k.at')} AS at_ms, ${localDay('k.at')} AS day, k.channel, k.outcome`;
const CONTACT_FACTS = `SELECT ${CONTACT_COLUMNS} FROM contacts k`;

/** Where a page of the rebuild ended: its last row's instant (as PostgreSQL's text, exact) and id. */
export interface PageCursor {
  at: string;
  id: string;
}

/** What one read of a log finds: the tickets and contacts its rows name. */
export interface LogSlice {
  tickets: string[];
  contacts: string[];
}

/** PostgreSQL's side of the analysis feed: every read it makes, in one snapshot per call of `inSnapshot`. */
@Injectable()
export class AnalysisFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Each log's highest id handed out so far (committed or not). */
  async lastIds(m?: EntityManager): Promise<Record<AnalysisSource, number>> {
    const [row] = await (m ?? this.dataSource).query(
      `SELECT ${Object.entries(ANALYSIS_SOURCES)
        .map(([name, s]) => `(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${s.sequence})::float8 AS ${name}`)
        .join(', ')}`,
    );
    return row;
  }

  /**
   * Each log's highest id handed out so far, and a transaction id taken right after reading them
   * (in a transaction of its own, committed at once). Every transaction that holds one of those
   * ids took its transaction id before the id (the logs' id defaults, migration AnalysisChanges),
   * so before this one: once a snapshot's xmin is at or past `xid`, all of them have ended and
   * their rows are visible.
   */
  lastIdsSettledAfter(): Promise<{ ids: Record<AnalysisSource, number>; xid: number }> {
    return this.dataSource.transaction(async (m) => {
      const ids = await this.lastIds(m);
      const [{ xid }] = await m.query(`SELECT pg_current_xact_id()::text::float8 AS xid`);
      return { ids, xid };
    });
  }

  /** The snapshot's xmin (no transaction below it still runs), as a number. */
  async horizon(m?: EntityManager): Promise<{ xmin: number }> {
    const [row] = await (m ?? this.dataSource).query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text::float8 AS xmin`);
    return row;
  }

  /** Runs `read` in one read-only REPEATABLE READ transaction: every read in it sees one snapshot, whose horizon it is given. */
  inSnapshot<T>(read: (reader: AnalysisSnapshotReader, horizon: { xmin: number }) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const horizon = await this.horizon(m);
      return read(new AnalysisSnapshotReader(m), horizon);
    });
  }
}

/** The reads of one snapshot. */
export class AnalysisSnapshotReader {
  constructor(private readonly m: EntityManager) {}

  /** Every row of a log past `after` that this snapshot sees. */
  async log(source: AnalysisSource, after: number): Promise<LogSlice> {
    const s = ANALYSIS_SOURCES[source];
    const rows: { ticket: string | null; contact: string | null }[] = await this.m.query(
      `SELECT ${s.ticket}::text AS ticket, ${s.contact}::text AS contact FROM ${s.table} WHERE id > $1`,
      [after],
    );
    return {
      tickets: [...new Set(rows.flatMap((r) => (r.ticket ? [r.ticket] : [])))],
      contacts: [...new Set(rows.flatMap((r) => (r.contact ? [r.contact] : [])))],
    };
  }

  ticketFacts(ids: string[]): Promise<TicketFacts[]> {
    return ids.length ? this.m.query(`${TICKET_FACTS} WHERE t.id = ANY($1::uuid[])`, [ids]) : Promise.resolve([]);
  }

  contactFacts(ids: string[]): Promise<ContactFacts[]> {
    return ids.length ? this.m.query(`${CONTACT_FACTS} WHERE k.id = ANY($1::uuid[])`, [ids]) : Promise.resolve([]);
  }

  /** Every ticket's facts in received order, a page at a time after the last one's (received_at, id): the rebuild. */
  ticketPage(after: PageCursor | null, limit: number): Promise<{ rows: TicketFacts[]; next: PageCursor | null }> {
    return this.page(`SELECT ${TICKET_COLUMNS}, t.received_at::text AS cursor_at FROM tickets t`, 't.received_at', 't.id', after, limit);
  }

  /** Every contact's facts in time order, a page at a time: the rebuild. */
  contactPage(after: PageCursor | null, limit: number): Promise<{ rows: ContactFacts[]; next: PageCursor | null }> {
    return this.page(`SELECT ${CONTACT_COLUMNS}, k.at::text AS cursor_at FROM contacts k`, 'k.at', 'k.id', after, limit);
  }

  private async page<T extends { id: string }>(select: string, at: string, id: string, after: PageCursor | null, limit: number) {
    const rows: (T & { cursor_at?: string })[] = await this.m.query(
      `${select} ${after ? `WHERE (${at}, ${id}) > ($1::timestamptz, $2::uuid)` : ''} ORDER BY ${at}, ${id} LIMIT ${Math.floor(limit)}`,
      after ? [after.at, after.id] : [],
    );
    const last = rows[rows.length - 1];
    const next = last ? { at: last.cursor_at!, id: last.id } : null;
    for (const row of rows) delete row.cursor_at;
    return { rows: rows as T[], next };
  }
}
