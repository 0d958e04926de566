import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AT_RISK_LEGAL_MS,
  departmentsOfReader,
  foldForSearch,
  isPlatformUser,
  OPEN_STATUSES,
  positionsOfReader,
  seesEveryTicket,
  type Channel,
  type Reader,
  type Segment,
  type StaffRole,
  type TicketStatus,
  type TicketType,
} from '../../domain/src';
import { SqlParams } from './sql-params';
import { platformWays, scopeSql } from './ticket-scope.sql';

export const QUEUES = ['triage', 'department', 'mine', 'approvals', 'at-risk', 'stuck', 'following'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * `-received` newest first (default), `received` oldest first, `relevance` best text match first
 * (with `q`; the default then), `deadline` the SLA running out first (a paused or stopped clock last; staff only).
 */
export const SORTS = ['-received', 'received', 'relevance', 'deadline'] as const;
export type ListSort = (typeof SORTS)[number];

/** What a list is filtered by (GET /tickets' query but its sort, limit and cursor); `q` already checked by searchWords. */
export interface ListingFilter {
  queue?: QueueName;
  status?: TicketStatus;
  departmentId?: string;
  assigneeId?: string;
  category?: string;
  type?: TicketType;
  channel?: Channel;
  segment?: Segment;
  district?: string;
  neighbourhood?: string;
  slaBreached?: 'true' | 'false';
  from?: string;
  to?: string;
  q?: string;
}

/** The cursor's content: the sort it belongs to and the last row's sort key (`at`: its received time, or its SLA due time for `deadline`). */
export type CursorKey = { sort: ListSort; at: string; id: string; rank?: string };

/** The time a list is read at, and how long a ticket may sit in one stage before it is `stuck` (TICKET_STUCK_AFTER_MS). */
export interface ListingClock {
  now: Date;
  stuckAfterMs: number;
}

/**
 * GET /queues counts a queue up to this many tickets, then says "more" (a badge shows "99+", as
 * phones do): a badge is refreshed every few seconds by every console, so it must cost a few
 * index entries, not a walk of a queue of thousands. The list pages through all of it; the
 * analysis figures give the exact sizes.
 */
export const QUEUE_COUNT_CAP = 99;

/**
 * A list's first page says how many tickets it holds, counted up to this many ("1,000+" beyond):
 * a count walks the matching index entries, so it is bounded like a badge's, and only the first
 * page pays for it.
 */
export const LIST_TOTAL_CAP = 1000;

/** The subject of a row: at most this many characters of the description, cut at a word. */
export const SUBJECT_CHARS = 80;

/** How many of the most recent matches a relevance-sorted search ranks (about 20 µs a row). */
export const RELEVANCE_CANDIDATES = 200;

/**
 * A text search needs one word with this many letters or digits in a row: pg_trgm splits text at
 * anything else and finds `%word%` in tickets_search_text_trgm_idx only by the word's trigrams.
 */
export const SEARCH_MIN_RUN = 3;
const SEARCHABLE_WORD = new RegExp(`[\\p{L}\\p{N}]{${SEARCH_MIN_RUN},}`, 'u');
/** The rank of the matches older than the ranked ones: below any similarity (0–1). */
export const OLDER_MATCHES_RANK = -1;

/**
 * The words of a text search as the index holds them (folded), or why there are none to search
 * for: a search of short words alone would read every ticket (and hold a pooled connection).
 */
export function searchWords(q: string): { words: string[] } | { refused: string } {
  const words = foldForSearch(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) return { refused: 'has no words to search for' };
  // Only a run of SEARCH_MIN_RUN letters or digits gives the trigram index something to look up.
  if (!words.some((word) => SEARCHABLE_WORD.test(word))) return { refused: `needs a word of at least ${SEARCH_MIN_RUN} letters or digits (shorter words may follow it)` };
  return { words };
}

/** One row of a list page, as the statement answers it. */
export interface ListRow {
  id: string;
  number: string;
  type: TicketType;
  category: string;
  channel: Channel;
  segment: Segment;
  status: TicketStatus;
  department_id: string | null;
  assignee_id: string | null;
  district: string | null;
  neighbourhood: string | null;
  /** numeric(9,6), as pg gives it: a string. */
  lat: string | null;
  lng: string | null;
  received_at: Date;
  sla_due_at: Date | null;
  sla_total_ms: string | null;
  sla_consumed_ms: string | null;
  sla_running_since: Date | null;
  sla_breached: boolean;
  legal_due_at: Date | null;
  approval_level: number | null;
  reopen_count: number;
  rejected_back: boolean;
  duplicate_contacts: number;
  description_head: string;
  received_key: string;
  due_key: string;
  rank_key?: string;
}

/** Every work queue but `following` holds open tickets only, and says so: the planner then uses the open-tickets index (a few percent of the table). */
const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`;
/** The statuses of an expert's own tasks (the `mine` queue). */
const MINE_SQL = `('IN_PROGRESS','WAITING_FOR_CITIZEN')`;
const MANAGING_ROLES: readonly StaffRole[] = ['MANAGER', 'DEPARTMENT_HEAD'];
const DEPARTMENT_ROLES: readonly StaffRole[] = ['EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD'];

/** The deadline order's key (index tickets_open_deadline_idx): the SLA's due time, a paused or stopped clock last. */
const DUE_SQL = `COALESCE(t.sla_due_at, 'infinity'::timestamptz)`;
const TIME_KEY = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

const SELECT_COLUMNS = `t.id, t.number, t.type, t.category, t.channel, t.segment, t.status, t.department_id, t.assignee_id,
  t.district, t.neighbourhood, t.lat, t.lng, t.received_at, t.sla_due_at, t.sla_total_ms, t.sla_consumed_ms, t.sla_running_since,
  t.sla_breached, t.legal_due_at, t.approval_level, t.reopen_count, t.rejected_back, t.duplicate_contacts,
  left(t.description, ${SUBJECT_CHARS + 1}) AS description_head,
  to_char(t.received_at AT TIME ZONE 'UTC', ${TIME_KEY}) AS received_key,
  CASE WHEN t.sla_due_at IS NULL THEN 'infinity' ELSE to_char(t.sla_due_at AT TIME ZONE 'UTC', ${TIME_KEY}) END AS due_key`;

/**
 * The lists' SQL (GET /tickets, GET /queues): the projection rows (tickets, with their followers
 * and the actor index of ticket_events), scoped by the reader exactly as GET /tickets/:number is
 * (scopeSql = canOpen), filtered by work queue and query, paged by keyset (never OFFSET), each
 * query served by an index of migration TicketListingIndexes. One statement per page, one per
 * count, one for the page's names and read log, one for all the queue badges.
 */
@Injectable()
export class TicketListingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit + 1` rows after the cursor (one more than a page: whether a next page exists). */
  page(reader: Reader, filter: ListingFilter, sort: ListSort, after: CursorKey | null, limit: number, clock: ListingClock): Promise<ListRow[]> {
    const params = new SqlParams();
    // A platform user's received-order list walks the ways they may open a ticket instead of a scope condition.
    const walksWays = (sort === '-received' || sort === 'received') && !seesEveryTicket(reader) && departmentsOfReader(reader).length === 0;
    // The `following` queue is two of those ways (followed, neighbourhood): walked alone, with no queue condition.
    const followingWays = walksWays && filter.queue === 'following';
    const where = walksWays ? this.filters(reader, followingWays ? { ...filter, queue: undefined } : filter, params, clock) : this.conditions(reader, filter, params, clock);
    // Only open tickets have a deadline running: the deadline order lists them (and walks the open tickets' deadline index).
    if (sort === 'deadline') where.push(`t.status IN ${OPEN_SQL}`);
    let sql: string;
    if (sort === 'relevance') {
      // Ranking costs a similarity per row, so only the RELEVANCE_CANDIDATES most recent matches
      // are ranked; the older matches follow them, newest first, with rank -1 (OLDER_MATCHES_RANK):
      // every match is reachable, and one (rank, received, id) keyset pages through both parts.
      const words = foldForSearch(filter.q!).split(/\s+/).filter(Boolean).join(' ');
      const olderOnly = after !== null && Number(after.rank) === OLDER_MATCHES_RANK;
      const rankedKeyset = after && !olderOnly ? `WHERE (r.rank, r.received_at, r.id) < (${params.add(after.rank)}::real, ${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)` : '';
      const olderKeyset = olderOnly ? `AND (t.received_at, t.id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)` : '';
      const size = params.add(limit + 1);
      sql = `WITH c AS MATERIALIZED (
            SELECT ${SELECT_COLUMNS}, t.search_text AS folded FROM tickets t WHERE ${where.join(' AND ')}
            ORDER BY t.received_at DESC, t.id DESC LIMIT ${RELEVANCE_CANDIDATES})
        SELECT p.*, p.rank::text AS rank_key FROM (
          (SELECT r.* FROM (SELECT c.*, word_similarity(${params.add(words)}, c.folded) AS rank FROM c) r
            ${olderOnly ? 'WHERE FALSE' : rankedKeyset} ORDER BY r.rank DESC, r.received_at DESC, r.id DESC LIMIT ${size})
          UNION ALL
          (SELECT ${SELECT_COLUMNS}, NULL AS folded, ${OLDER_MATCHES_RANK}::real AS rank FROM tickets t
            WHERE ${where.join(' AND ')} AND (t.received_at, t.id) < (SELECT received_at, id FROM c ORDER BY received_at, id LIMIT 1) ${olderKeyset}
            ORDER BY t.received_at DESC, t.id DESC LIMIT ${size})
        ) p ORDER BY p.rank DESC, p.received_at DESC, p.id DESC LIMIT ${size}`;
    } else if (sort === 'deadline') {
      const keyset = after ? `(${DUE_SQL}, t.id) > (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)` : 'TRUE';
      sql = `SELECT ${SELECT_COLUMNS} FROM tickets t WHERE ${[...where, keyset].join(' AND ')}
        ORDER BY ${DUE_SQL}, t.id LIMIT ${params.add(limit + 1)}`;
    } else {
      const descending = sort === '-received';
      const direction = descending ? 'DESC' : 'ASC';
      const keyset = (received: string, id: string) =>
        after ? `(${received}, ${id}) ${descending ? '<' : '>'} (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)` : 'TRUE';
      const size = params.add(limit + 1);
      if (walksWays) {
        // Each way walked in received order for one page (its own index), then the page from their
        // union: never every ticket a muhtar may see, fetched and sorted.
        const pages = platformWays(reader, params, followingWays ? 'following' : 'all').map(
          (w) => `(SELECT ${w.id} FROM ${w.from} WHERE ${[w.where, ...where, keyset(w.received, w.id)].join(' AND ')}
            ${w.ordered ? `ORDER BY ${w.received} ${direction}, ${w.id} ${direction} LIMIT ${size}` : ''})`,
        );
        sql = `SELECT ${SELECT_COLUMNS} FROM tickets t WHERE t.id IN (${pages.join(' UNION ALL ')})
          ORDER BY t.received_at ${direction}, t.id ${direction} LIMIT ${size}`;
      } else {
        sql = `SELECT ${SELECT_COLUMNS} FROM tickets t WHERE ${[...where, keyset('t.received_at', 't.id')].join(' AND ')}
          ORDER BY t.received_at ${direction}, t.id ${direction} LIMIT ${size}`;
      }
    }
    return this.dataSource.query(sql, params.values) as Promise<ListRow[]>;
  }

  /** How many tickets the list holds (scope, queue, filters, search), counted up to LIST_TOTAL_CAP + 1. */
  async total(reader: Reader, filter: ListingFilter, sort: ListSort, clock: ListingClock): Promise<number> {
    const params = new SqlParams();
    const where = this.conditions(reader, filter, params, clock);
    if (sort === 'deadline') where.push(`t.status IN ${OPEN_SQL}`);
    const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM tickets t WHERE ${where.join(' AND ')} LIMIT ${LIST_TOTAL_CAP + 1}) capped`, params.values)) as { n: number }[];
    return n;
  }

  /**
   * One statement per page (never one per row): the assignees' names, and the personal-data read
   * log (KVKK) of the subjects shown — one pii_reads row per ticket, field `description`.
   */
  async namesAndReadLog(readerId: string, requestId: string | null, page: Pick<ListRow, 'id' | 'assignee_id'>[]): Promise<Map<string, string>> {
    if (page.length === 0) return new Map();
    const assignees = [...new Set(page.map((row) => row.assignee_id).filter((id): id is string => !!id))];
    const rows = (await this.dataSource.query(
      // A data-modifying WITH runs to completion whether or not the query reads it.
      `WITH logged AS (
         INSERT INTO pii_reads (ticket_id, reader_id, fields, route, request_id)
         SELECT id, $2, ARRAY['description'], 'GET /tickets', $3 FROM unnest($1::uuid[]) AS id)
       SELECT s.id, s.name FROM staff s WHERE s.id = ANY($4::text[])`,
      [page.map((row) => row.id), readerId, requestId, assignees],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * How many tickets each queue holds now, each counted up to QUEUE_COUNT_CAP + 1, in one
   * statement: one round trip and one pooled connection per badge refresh.
   */
  async queueCounts(reader: Reader, queues: QueueName[], clock: ListingClock): Promise<number[]> {
    const params = new SqlParams();
    const counts = queues.map((queue, i) => {
      const where = this.conditions(reader, { queue }, params, clock);
      return `(SELECT count(*)::int FROM (SELECT 1 FROM tickets t WHERE ${where.join(' AND ')} LIMIT ${QUEUE_COUNT_CAP + 1}) capped) AS q${i}`;
    });
    const [row] = (await this.dataSource.query(`SELECT ${counts.join(', ')}`, params.values)) as Record<string, number>[];
    return queues.map((_, i) => row[`q${i}`]);
  }

  /** The WHERE conditions: scope, queue, filters, search (not the keyset). */
  private conditions(reader: Reader, filter: ListingFilter, params: SqlParams, clock: ListingClock): string[] {
    return [scopeSql(reader, params), ...this.filters(reader, filter, params, clock)];
  }

  /** The conditions but the scope: queue, filters, search. */
  private filters(reader: Reader, filter: ListingFilter, params: SqlParams, clock: ListingClock): string[] {
    const where: string[] = [];
    if (filter.queue) where.push(this.queueSql(filter.queue, reader, params, clock));
    const equals: [keyof ListingFilter, string][] = [
      ['status', 'status'],
      ['departmentId', 'department_id'],
      ['assigneeId', 'assignee_id'],
      ['category', 'category'],
      ['type', 'type'],
      ['channel', 'channel'],
      ['segment', 'segment'],
      ['district', 'district'],
      ['neighbourhood', 'neighbourhood'],
    ];
    for (const [field, column] of equals) {
      if (filter[field] !== undefined) where.push(`t.${column} = ${params.add(filter[field])}`);
    }
    if (filter.slaBreached !== undefined) where.push(`t.sla_breached = ${params.add(filter.slaBreached === 'true')}`);
    if (filter.from) where.push(`t.received_at >= ${params.add(filter.from)}::timestamptz`);
    if (filter.to) where.push(`t.received_at < ${params.add(filter.to)}::timestamptz`);
    if (filter.q) {
      const search = searchWords(filter.q);
      if ('refused' in search) throw new Error(`q ${search.refused}: check it with searchWords first`);
      for (const word of search.words) where.push(`t.search_text LIKE ${params.add(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
      // Description, address and resolution are read by staff and by the one who submitted it.
      if (isPlatformUser(reader)) where.push(`t.submitted_by = ${params.add(reader.id)}`);
    }
    return where;
  }

  private queueSql(queue: QueueName, reader: Reader, params: SqlParams, { now, stuckAfterMs }: ListingClock): string {
    const positions = () => params.add(positionsOfReader(reader).map((p) => p.id));
    switch (queue) {
      case 'triage':
        return `t.status IN ${OPEN_SQL} AND t.status = 'TRIAGE'`;
      case 'department': {
        const managed = departmentsOfReader(reader, MANAGING_ROLES);
        const own = departmentsOfReader(reader, DEPARTMENT_ROLES);
        const or = [`(t.status IN ${OPEN_SQL} AND t.status = 'IN_DEPARTMENT' AND t.department_id = ANY(${params.add(own)}::text[]))`];
        if (managed.length) or.push(`(t.status IN ${OPEN_SQL} AND t.department_id = ANY(${params.add(managed)}::text[]))`);
        return `(${or.join(' OR ')})`;
      }
      case 'mine':
        // What waits on the expert: in progress, or back from the citizen's answer soon. Not what
        // waits on approvers or the center (in approval, approved).
        return `(t.assignee_id = ${params.add(reader.id)} AND t.status IN ${OPEN_SQL} AND t.status IN ${MINE_SQL})`;
      case 'approvals':
        // `(… && …) IS TRUE` on purpose: the planner misjudges array overlap (a handful of rows where
        // an approver has a thousand) and would fetch them all through the GIN index and sort;
        // written so, it walks tickets_approvals_received_idx in received order and stops at a page.
        return `(t.status IN ${OPEN_SQL} AND t.status = 'IN_APPROVAL' AND (t.current_approver_ids && ${positions()}::text[]) IS TRUE)`;
      case 'at-risk':
        return `(t.status IN ${OPEN_SQL} AND (t.sla_risk_at <= ${params.add(now.toISOString())}::timestamptz OR t.legal_due_at <= ${params.add(new Date(now.getTime() + AT_RISK_LEGAL_MS).toISOString())}::timestamptz))`;
      case 'stuck':
        return `(t.status IN ('IN_APPROVAL','IN_PROGRESS') AND (t.status = 'IN_APPROVAL' OR t.assignee_id IS NOT NULL) AND t.stage_since <= ${params.add(new Date(now.getTime() - stuckAfterMs).toISOString())}::timestamptz)`;
      case 'following': {
        // Gathered by their own indexes (followers, the neighbourhood), not by filtering every row.
        const ways = [`SELECT ticket_id FROM ticket_followers WHERE user_id = ${params.add(reader.id)}`];
        if (reader.roles.includes('MUHTAR') && reader.neighbourhood) {
          ways.push(`SELECT id FROM tickets WHERE district = ${params.add(reader.neighbourhood.district)} AND neighbourhood = ${params.add(reader.neighbourhood.neighbourhood)}`);
        }
        return `t.id = ANY(ARRAY(${ways.join(' UNION ALL ')}))`;
      }
    }
  }
}
