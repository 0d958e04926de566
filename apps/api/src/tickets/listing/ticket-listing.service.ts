import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../../libs/config/src';
import {
  isPlatformUser,
  positionsOfReader,
  slaPercentUsed,
  type Reader,
  type StaffRole,
} from '../../../../../libs/domain/src';
import {
  LIST_TOTAL_CAP,
  OLDER_MATCHES_RANK,
  QUEUE_COUNT_CAP,
  searchWords,
  SUBJECT_CHARS,
  TicketListingRepository,
  type CursorKey,
  type ListingClock,
  type ListRow,
} from '../../../../../libs/database/src/ticket-listing.repository';
import { badRequest } from '../../common/problem';
import { currentRequestId } from '../../common/request-id.middleware';
import { toReader, type StaffIdentity } from '../../identity/identity';
import { LIST_LIMIT_DEFAULT, QUEUES, type ListSort, type ListTicketsQueryDto, type QueueName } from './list-tickets.dto';
import type { QueueCounts, TicketListPage } from './listing-views.schema';

export { LIST_TOTAL_CAP, QUEUE_COUNT_CAP, RELEVANCE_CANDIDATES, SEARCH_MIN_RUN, SUBJECT_CHARS } from '../../../../../libs/database/src/ticket-listing.repository';

// The answers' types are their schemas' (listing-views.schema.ts): one source for the document and the code.
type TicketListItem = TicketListPage['items'][number];

const CENTER_ROLES: readonly StaffRole[] = ['AGENT', 'COORDINATOR'];
const OVERSIGHT_ROLES: readonly StaffRole[] = ['AUDITOR', 'ADMIN'];
const DEPARTMENT_ROLES: readonly StaffRole[] = ['EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD'];
const DECIDING_ROLES: readonly StaffRole[] = ['APPROVER', 'MANAGER', 'DEPARTMENT_HEAD'];

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
 * GET /tickets and GET /queues: the caller's reader, the sort and the cursor checked (400 naming
 * the field), the rows read by TicketListingRepository (scoped like GET /tickets/:number, paged
 * by keyset), and each row as its reader may see it.
 */
@Injectable()
export class TicketListingService {
  constructor(
    private readonly listing: TicketListingRepository,
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
    if (query.q) {
      const search = searchWords(query.q);
      if ('refused' in search) throw badRequest('q', search.refused);
    }
    const clock = this.clock(now);
    const [rows, total] = await Promise.all([this.listing.page(reader, query, sort, after, limit, clock), after ? null : this.listing.total(reader, query, sort, clock)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const platform = isPlatformUser(reader);
    const names = platform ? new Map<string, string>() : await this.listing.namesAndReadLog(reader.id, currentRequestId() ?? null, page);
    return {
      items: page.map((row) => this.item(row, platform, names, now)),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ sort, at: sort === 'deadline' ? last.due_key : last.received_key, id: last.id, ...(sort === 'relevance' ? { rank: last.rank_key } : {}) }) : null,
      total: total === null ? null : { count: Math.min(total, LIST_TOTAL_CAP), more: total > LIST_TOTAL_CAP },
    };
  }

  /** The caller's queues (by role) with how many tickets each holds now, scoped like the lists. */
  async queues(identity: StaffIdentity, now = new Date()): Promise<QueueCounts> {
    const reader = toReader(identity);
    const names = queuesOf(reader);
    if (names.length === 0) return { queues: [] };
    // Each is counted up to QUEUE_COUNT_CAP (then "99+"), so a big queue costs no more.
    const counts = await this.listing.queueCounts(reader, names, this.clock(now));
    return { queues: names.map((queue, i) => ({ queue, count: Math.min(counts[i], QUEUE_COUNT_CAP), more: counts[i] > QUEUE_COUNT_CAP })) };
  }

  private clock(now: Date): ListingClock {
    return { now, stuckAfterMs: this.config.ticket.stuckAfterMs };
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
      // Exact pins are for staff; a platform user's list has no position (their ticket view has it rounded).
      lat: platform || row.lat === null || row.lng === null ? null : Number(row.lat),
      lng: platform || row.lat === null || row.lng === null ? null : Number(row.lng),
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
