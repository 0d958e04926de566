import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../../libs/config/src';
import {
  AT_RISK_LEGAL_MS,
  departmentsOfReader,
  foldForSearch,
  isPlatformUser,
  OPEN_STATUSES,
  positionsOfReader,
  seesEveryTicket,
  slaPercentUsed,
  type Channel,
  type Reader,
  type Segment,
  type StaffRole,
  type TicketStatus,
  type TicketType,
} from '../../../../../libs/domain/src';
import { badRequest } from '../../common/problem';
import { currentRequestId } from '../../common/request-id.middleware';
import { toReader, type StaffIdentity } from '../../identity/identity';
import { LIST_LIMIT_DEFAULT, QUEUES, type ListSort, type ListTicketsQueryDto, type QueueName } from './list-tickets.dto';
import type { QueueCounts, TicketListPage } from './listing-views.schema';
import { platformWays, scopeSql, SqlParams } from './ticket-scope.sql';

// The answers' types are their schemas' (listing-views.schema.ts): one source for the document and the code.
type TicketListItem = TicketListPage['items'][number];

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
const OLDER_MATCHES_RANK = -1;

/** Every work queue but `following` holds open tickets only, and says so: the planner then uses the open-tickets index (a few percent of the table). */
const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`;
/** The statuses of an expert's own tasks (the `mine` queue). */
const MINE_SQL = `('IN_PROGRESS','WAITING_FOR_CITIZEN')`;
const MANAGING_ROLES: readonly StaffRole[] = ['MANAGER', 'DEPARTMENT_HEAD'];
const CENTER_ROLES: readonly StaffRole[] = ['AGENT', 'COORDINATOR'];
const OVERSIGHT_ROLES: readonly StaffRole[] = ['AUDITOR', 'ADMIN'];
const DEPARTMENT_ROLES: readonly StaffRole[] = ['EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD'];
const DECIDING_ROLES: readonly StaffRole[] = ['APPROVER', 'MANAGER', 'DEPARTMENT_HEAD'];

/** The deadline order's key (index tickets_open_deadline_idx): the SLA's due time, a paused or stopped clock last. */
const DUE_SQL = `COALESCE(t.sla_due_at, 'infinity'::timestamptz)`;
const TIME_KEY = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

const SELECT_COLUMNS = `t.id, t.number, t.type, t.category, t.channel, t.segment, t.status, t.department_id, t.assignee_id,
  t.district, t.neighbourhood, t.received_at, t.sla_due_at, t.sla_total_ms, t.sla_consumed_ms, t.sla_running_since,
  t.sla_breached, t.legal_due_at, t.approval_level, t.reopen_count, t.rejected_back, t.duplicate_contacts,
  left(t.description, ${SUBJECT_CHARS + 1}) AS description_head,
  to_char(t.received_at AT TIME ZONE 'UTC', ${TIME_KEY}) AS received_key,
  CASE WHEN t.sla_due_at IS NULL THEN 'infinity' ELSE to_char(t.sla_due_at AT TIME ZONE 'UTC', ${TIME_KEY}) END AS due_key`;

interface ListRow {
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

/** The cursor's content: the sort it belongs to and the last row's sort key (`at`: its received time, or its SLA due time for `deadline`). */
type CursorKey = { sort: ListSort; at: string; id: string; rank?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECEIVED_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const RANK_KEY = /^(-1|0|1|0?\.\d+|\d(\.\d+)?(e-?\d+)?)$/;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.at, key.id, ...(key.rank !== undefined ? [key.rank] : [])])).toString('base64url');
}

/** The cursor back, or 400 naming `cursor`: it must be one this API wrote, for the same sort. */
export function decodeCursor(cursor: string, sort: ListSort): CursorKey {
  const invalid = () => badRequest('cursor', 'is not a cursor of this list (use nextCursor of the previous page, with the same sort)');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts[0] !== sort || parts.length !== (sort === 'relevance' ? 4 : 3)) throw invalid();
  const [, at, id, rank] = parts as unknown[];
  const openEnded = sort === 'deadline' && at === 'infinity';
  if (typeof at !== 'string' || (!openEnded && (!RECEIVED_KEY.test(at) || Number.isNaN(Date.parse(at))))) throw invalid();
  if (typeof id !== 'string' || !UUID.test(id)) throw invalid();
  if (sort === 'relevance' && (typeof rank !== 'string' || !RANK_KEY.test(rank) || !((Number(rank) >= 0 && Number(rank) <= 1) || Number(rank) === OLDER_MATCHES_RANK))) throw invalid();
  return { sort, at, id, ...(sort === 'relevance' ? { rank: rank as string } : {}) };
}

const has = (reader: Reader, roles: readonly StaffRole[]) => positionsOfReader(reader).some((p) => p.roles.some((r) => roles.includes(r)));

/**
 * GET /tickets and GET /queues: lists of the projection rows, scoped by the caller exactly as
 * GET /tickets/:number is (scopeSql = canOpen), filtered by work queue and query, paged by keyset
 * (the sort key and the id in an opaque cursor; never OFFSET), each query served by an index of
 * migration TicketListingIndexes.
 */
@Injectable()
export class TicketListingService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(identity: StaffIdentity, query: ListTicketsQueryDto, now = new Date()): Promise<TicketListPage> {
    const reader = toReader(identity);
    const sort: ListSort = query.sort ?? (query.q ? 'relevance' : '-received');
    if (sort === 'relevance' && !query.q) throw badRequest('sort', 'relevance needs a text search (q)');
    // The SLA is internal: a platform user's list is not ordered by it.
    if (sort === 'deadline' && isPlatformUser(reader)) throw badRequest('sort', 'deadline is for staff (the SLA is internal)');
    const limit = query.limit ?? LIST_LIMIT_DEFAULT;
    const after = query.cursor ? decodeCursor(query.cursor, sort) : null;

    const params = new SqlParams();
    // A platform user's received-order list walks the ways they may open a ticket instead of a scope condition.
    const walksWays = (sort === '-received' || sort === 'received') && !seesEveryTicket(reader) && departmentsOfReader(reader).length === 0;
    // The `following` queue is two of those ways (followed, neighbourhood): walked alone, with no queue condition.
    const followingWays = walksWays && query.queue === 'following';
    const where = walksWays ? this.filters(reader, followingWays ? { ...query, queue: undefined } : query, params, now) : this.conditions(reader, query, params, now);
    // Only open tickets have a deadline running: the deadline order lists them (and walks the open tickets' deadline index).
    if (sort === 'deadline') where.push(`t.status IN ${OPEN_SQL}`);
    let sql: string;
    if (sort === 'relevance') {
      // Ranking costs a similarity per row, so only the RELEVANCE_CANDIDATES most recent matches
      // are ranked; the older matches follow them, newest first, with rank -1 (OLDER_MATCHES_RANK):
      // every match is reachable, and one (rank, received, id) keyset pages through both parts.
      const words = foldForSearch(query.q!).split(/\s+/).filter(Boolean).join(' ');
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
    const [rows, total] = await Promise.all([this.dataSource.query(sql, params.values) as Promise<ListRow[]>, after ? null : this.total(reader, query, sort, now)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const platform = isPlatformUser(reader);
    const names = platform ? new Map<string, string>() : await this.namesAndReadLog(reader.id, page);
    return {
      items: page.map((row) => this.item(row, platform, names, now)),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ sort, at: sort === 'deadline' ? last.due_key : last.received_key, id: last.id, ...(sort === 'relevance' ? { rank: last.rank_key } : {}) }) : null,
      total,
    };
  }

  /** How many tickets the list holds (scope, queue, filters, search), counted up to LIST_TOTAL_CAP. */
  private async total(reader: Reader, query: ListTicketsQueryDto, sort: ListSort, now: Date): Promise<{ count: number; more: boolean }> {
    const params = new SqlParams();
    const where = this.conditions(reader, query, params, now);
    if (sort === 'deadline') where.push(`t.status IN ${OPEN_SQL}`);
    const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM tickets t WHERE ${where.join(' AND ')} LIMIT ${LIST_TOTAL_CAP + 1}) capped`, params.values)) as { n: number }[];
    return { count: Math.min(n, LIST_TOTAL_CAP), more: n > LIST_TOTAL_CAP };
  }

  /**
   * One statement per page (never one per row): the assignees' names, and the personal-data read
   * log (KVKK) of the subjects shown — one pii_reads row per ticket, field `description`.
   */
  private async namesAndReadLog(readerId: string, page: ListRow[]): Promise<Map<string, string>> {
    if (page.length === 0) return new Map();
    const assignees = [...new Set(page.map((row) => row.assignee_id).filter((id): id is string => !!id))];
    const rows = (await this.dataSource.query(
      // A data-modifying WITH runs to completion whether or not the query reads it.
      `WITH logged AS (
         INSERT INTO pii_reads (ticket_id, reader_id, fields, route, request_id)
         SELECT id, $2, ARRAY['description'], 'GET /tickets', $3 FROM unnest($1::uuid[]) AS id)
       SELECT s.id, s.name FROM staff s WHERE s.id = ANY($4::text[])`,
      [page.map((row) => row.id), readerId, currentRequestId() ?? null, assignees],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The caller's queues (by role) with how many tickets each holds now, scoped like the lists. */
  async queues(identity: StaffIdentity, now = new Date()): Promise<QueueCounts> {
    const reader = toReader(identity);
    const names = queuesOf(reader);
    if (names.length === 0) return { queues: [] };
    // One statement, one count per queue: one round trip and one pooled connection per badge
    // refresh. Each is counted up to QUEUE_COUNT_CAP (then "99+"), so a big queue costs no more.
    const params = new SqlParams();
    const counts = names.map((queue, i) => {
      const where = this.conditions(reader, { queue }, params, now);
      return `(SELECT count(*)::int FROM (SELECT 1 FROM tickets t WHERE ${where.join(' AND ')} LIMIT ${QUEUE_COUNT_CAP + 1}) capped) AS q${i}`;
    });
    const [row] = (await this.dataSource.query(`SELECT ${counts.join(', ')}`, params.values)) as Record<string, number>[];
    return {
      queues: names.map((queue, i) => {
        const count = row[`q${i}`];
        return { queue, count: Math.min(count, QUEUE_COUNT_CAP), more: count > QUEUE_COUNT_CAP };
      }),
    };
  }

  /** The WHERE conditions: scope, queue, filters, search (not the keyset). */
  conditions(reader: Reader, query: Omit<ListTicketsQueryDto, 'sort' | 'limit' | 'cursor'>, params: SqlParams, now: Date): string[] {
    return [scopeSql(reader, params), ...this.filters(reader, query, params, now)];
  }

  /** The conditions but the scope: queue, filters, search. */
  private filters(reader: Reader, query: Omit<ListTicketsQueryDto, 'sort' | 'limit' | 'cursor'>, params: SqlParams, now: Date): string[] {
    const where: string[] = [];
    if (query.queue) where.push(this.queueSql(query.queue, reader, params, now));
    const equals: [keyof typeof query, string][] = [
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
      if (query[field] !== undefined) where.push(`t.${column} = ${params.add(query[field])}`);
    }
    if (query.slaBreached !== undefined) where.push(`t.sla_breached = ${params.add(query.slaBreached === 'true')}`);
    if (query.from) where.push(`t.received_at >= ${params.add(query.from)}::timestamptz`);
    if (query.to) where.push(`t.received_at < ${params.add(query.to)}::timestamptz`);
    if (query.q) {
      const words = foldForSearch(query.q).split(/\s+/).filter(Boolean);
      if (words.length === 0) throw badRequest('q', 'has no words to search for');
      // Only a run of SEARCH_MIN_RUN letters or digits gives the trigram index something to look up;
      // a search of shorter words alone would read every ticket (and hold a pooled connection).
      if (!words.some((word) => SEARCHABLE_WORD.test(word))) throw badRequest('q', `needs a word of at least ${SEARCH_MIN_RUN} letters or digits (shorter words may follow it)`);
      for (const word of words) where.push(`t.search_text LIKE ${params.add(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
      // Description, address and resolution are read by staff and by the one who submitted it.
      if (isPlatformUser(reader)) where.push(`t.submitted_by = ${params.add(reader.id)}`);
    }
    return where;
  }

  private queueSql(queue: QueueName, reader: Reader, params: SqlParams, now: Date): string {
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
        return `(t.status IN ('IN_APPROVAL','IN_PROGRESS') AND (t.status = 'IN_APPROVAL' OR t.assignee_id IS NOT NULL) AND t.stage_since <= ${params.add(new Date(now.getTime() - this.config.ticket.stuckAfterMs).toISOString())}::timestamptz)`;
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

  private item(row: ListRow, platform: boolean, names: Map<string, string>, now: Date): TicketListItem {
    const num = (v: string | null) => (v === null ? null : Number(v));
    return {
      number: row.number,
      type: row.type,
      category: row.category,
      channel: row.channel,
      segment: row.segment,
      status: row.status,
      departmentId: row.department_id,
      assigneeId: platform ? null : row.assignee_id,
      district: row.district,
      neighbourhood: row.neighbourhood,
      receivedAt: row.received_at.toISOString(),
      sla: platform
        ? null
        : {
            dueAt: row.sla_due_at?.toISOString() ?? null,
            percentUsed: slaPercentUsed({ slaTotalMs: num(row.sla_total_ms), slaConsumedMs: num(row.sla_consumed_ms), slaRunningSince: row.sla_running_since?.toISOString() ?? null }, now.getTime()),
            breached: row.sla_breached,
          },
      legalDueAt: row.legal_due_at?.toISOString() ?? null,
      approvalLevel: platform ? null : row.approval_level,
      reopenCount: row.reopen_count,
      subject: platform ? null : subjectOf(row.description_head),
      assigneeName: platform || !row.assignee_id ? null : (names.get(row.assignee_id) ?? null),
      flags: platform
        ? null
        : { reopened: row.reopen_count > 0, rejectedBack: row.rejected_back, calledAgain: row.duplicate_contacts, waitingForCitizen: row.status === 'WAITING_FOR_CITIZEN' },
    };
  }
}

/** The first words of a description: up to SUBJECT_CHARS characters, cut at the last whole word, "…" when cut. */
export function subjectOf(head: string): string {
  const text = head.replace(/\s+/g, ' ').trim();
  if (text.length <= SUBJECT_CHARS) return text;
  const cut = text.slice(0, SUBJECT_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUBJECT_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Which queues a console shows the caller (GET /queues). Any queue can be asked for in GET /tickets; the scope decides what it holds. */
export function queuesOf(reader: Reader): QueueName[] {
  const names = new Set<QueueName>();
  if (has(reader, CENTER_ROLES)) ['triage', 'at-risk', 'stuck'].forEach((q) => names.add(q as QueueName));
  if (has(reader, OVERSIGHT_ROLES)) ['at-risk', 'stuck'].forEach((q) => names.add(q as QueueName));
  if (has(reader, DEPARTMENT_ROLES)) ['department', 'at-risk', 'stuck'].forEach((q) => names.add(q as QueueName));
  if (reader.roles.includes('EXPERT')) names.add('mine');
  if (has(reader, DECIDING_ROLES)) names.add('approvals');
  if (isPlatformUser(reader)) names.add('following');
  return QUEUES.filter((q) => names.has(q));
}
