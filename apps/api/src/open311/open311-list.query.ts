import { CONTROL_CHARACTERS } from '../common/text-fields';
import { TICKET_NUMBER } from '../common/ticket-number';
import { Open311Error, open311BadRequest } from './open311.error';

/** GeoReport v2: without dates, the last 90 days; a date range may not span more than 90 days. */
export const MAX_SPAN_DAYS = 90;
/** GeoReport v2: at most 1000 requests an answer. */
export const MAX_PAGE_SIZE = 1000;
export const MAX_PAGE = 1000;
export const MAX_REQUEST_IDS = 100;

const DAY_MS = 24 * 3_600_000;
/** W3C date-time (a profile of ISO 8601): a date, or a date and time with its zone (Z or ±hh:mm). */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const LIST_PARAMETERS = ['api_key', 'jurisdiction_id', 'service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'page', 'page_size'] as const;

export type ListFilter =
  | { kind: 'ids'; numbers: string[] }
  | { kind: 'range'; serviceCodes: string[] | null; from: Date; to: Date; statuses: ('open' | 'closed')[] | null; page: number; pageSize: number };

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

function date(name: string, value: string): Date {
  const at = W3C_DATETIME.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw open311BadRequest(name, 'must be a W3C date-time with its zone, e.g. 2026-11-05T08:15:30+03:00');
  return at;
}

function int(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw open311BadRequest(name, `must be a whole number from 1 to ${max}`);
  return n;
}

/**
 * Reads GET requests' parameters (GeoReport v2, plus `page` and `page_size`): a
 * `service_request_id` list overrides every other filter, as the spec says; otherwise a range of
 * `requested_datetime` (default the last 90 days, never more than 90 days), `service_code` and
 * `status` lists (comma-separated, `open`/`closed`), newest first, 1000 an answer at most.
 */
export function readListQuery(query: Record<string, unknown>, now: Date = new Date()): ListFilter {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!(LIST_PARAMETERS as readonly string[]).includes(name)) throw open311BadRequest(name, 'is not a parameter of GET requests');
    if (typeof value !== 'string') throw open311BadRequest(name, 'must be given once (lists are comma-separated)');
    if (CONTROL_CHARACTERS.test(value)) throw open311BadRequest(name, 'must not contain control characters');
    // An empty parameter (`status=`), as forms send them, is no parameter.
    if (value.trim() !== '') values[name] = value;
  }

  if (values.service_request_id !== undefined) {
    const ids = list(values.service_request_id);
    if (ids.length === 0) throw open311BadRequest('service_request_id', 'must name at least one request');
    if (ids.length > MAX_REQUEST_IDS) throw open311BadRequest('service_request_id', `at most ${MAX_REQUEST_IDS} at once`);
    return { kind: 'ids', numbers: [...new Set(ids.filter((id) => TICKET_NUMBER.test(id)))] };
  }

  const start = values.start_date ? date('start_date', values.start_date) : null;
  const end = values.end_date ? date('end_date', values.end_date) : null;
  const span = MAX_SPAN_DAYS * DAY_MS;
  const to = end ?? (start ? new Date(start.getTime() + span) : now);
  const from = start ?? new Date(to.getTime() - span);
  if (to.getTime() < from.getTime()) throw new Open311Error(400, 'end_date: must not be before start_date');
  if (to.getTime() - from.getTime() > span) throw new Open311Error(400, `start_date/end_date: a range may not span more than ${MAX_SPAN_DAYS} days`);

  let statuses: ('open' | 'closed')[] | null = null;
  if (values.status !== undefined) {
    const given = list(values.status.toLowerCase());
    if (given.length === 0 || given.some((s) => s !== 'open' && s !== 'closed')) throw open311BadRequest('status', 'must be open, closed or both (comma-separated)');
    statuses = [...new Set(given)] as ('open' | 'closed')[];
  }
  const codes = values.service_code !== undefined ? list(values.service_code) : null;
  if (codes !== null && codes.length === 0) throw open311BadRequest('service_code', 'must name at least one service');

  return {
    kind: 'range',
    serviceCodes: codes,
    from,
    to,
    statuses,
    page: int('page', values.page, 1, MAX_PAGE),
    pageSize: int('page_size', values.page_size, MAX_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}
