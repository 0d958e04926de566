import { departmentsOfReader, positionsOfReader, seesEveryTicket, type Reader } from '../../domain/src';
import type { SqlParams } from './sql-params';

/**
 * canOpen (libs/domain/src/ticket.access.ts) as a SQL condition on the tickets row `t`: the lists
 * show exactly the tickets GET /tickets/:number opens for the reader. Same rules, same order:
 * the center and the auditors everything; the submitter; the followed tickets (only platform
 * users follow: TicketAccess spares the look-up for others); a muhtar's neighbourhood; the
 * staff who issued a command in its history (the reader alone, not whom they stand in for); the
 * assignee, every approver of the round, the department's roles, each for the reader and whoever
 * they stand in for. test/ticket-lists.spec.ts checks it against canOpen on generated tickets.
 */
export function scopeSql(reader: Reader, params: SqlParams, t = 't'): string {
  if (seesEveryTicket(reader)) return 'TRUE';
  const departments = departmentsOfReader(reader);
  if (departments.length === 0) {
    // No department (platform users): the few tickets they may open, each way by its own index,
    // gathered first — rather than filtering every row of the table through the alternatives.
    // An array computed once (an InitPlan), then fetched by primary key: the planner cannot turn it into a walk of the whole table.
    return `${t}.id = ANY(ARRAY(${platformWays(reader, params).map((w) => w.ids).join(' UNION ALL ')}))`;
  }
  const me = params.add(reader.id);
  const positions = params.add(positionsOfReader(reader).map((p) => p.id));
  const place =
    reader.roles.includes('MUHTAR') && reader.neighbourhood
      ? { district: params.add(reader.neighbourhood.district), neighbourhood: params.add(reader.neighbourhood.neighbourhood) }
      : null;
  const or = [
    `${t}.submitted_by = ${me}`,
    `${t}.id IN (SELECT f.ticket_id FROM ticket_followers f WHERE f.user_id = ${me})`,
    ...(place ? [`(${t}.district = ${place.district} AND ${t}.neighbourhood = ${place.neighbourhood})`] : []),
    `${t}.id IN (${actedOn(me)})`,
    `${t}.assignee_id = ANY(${positions}::text[])`,
    `${t}.approver_ids && ${positions}::text[]`,
    `${t}.department_id = ANY(${params.add(departments)}::text[])`,
  ];
  return `(${or.join(' OR ')})`;
}

/** The tickets whose history records a command by `me` (index ticket_events_actor_idx). */
const actedOn = (me: string) => `SELECT e.ticket_id FROM ticket_events e WHERE e.actor_id = ${me}`;

/** One way a reader without a department may open a ticket. */
export interface ScopeWay {
  /** `SELECT id …` of the tickets this way opens. */
  ids: string;
  /** The same as rows of `from` (the ticket as `t`) matching `where`, with their received time and ticket id columns, for a walk in received order. */
  from: string;
  where: string;
  received: string;
  id: string;
  /** An index walks it in received order; otherwise (a GIN index) its few rows are fetched whole. */
  ordered: boolean;
}

/**
 * The ways of scopeSql for a reader without a department (platform users), each served by an
 * index in received order — so a list can walk each way for one page (ticket-listing.repository).
 * `following`: only the ways of the `following` queue (the followed tickets, a muhtar's neighbourhood).
 */
export function platformWays(reader: Reader, params: SqlParams, only: 'all' | 'following' = 'all'): ScopeWay[] {
  const me = params.add(reader.id);
  const ticket = (where: string, ordered = true): ScopeWay => ({
    ids: `SELECT t.id FROM tickets t WHERE ${where}`,
    from: 'tickets t',
    where,
    received: 't.received_at',
    id: 't.id',
    ordered,
  });
  const followed: ScopeWay = {
    ids: `SELECT f.ticket_id FROM ticket_followers f WHERE f.user_id = ${me}`,
    from: 'ticket_followers f JOIN tickets t ON t.id = f.ticket_id',
    where: `f.user_id = ${me}`,
    received: 'f.received_at',
    id: 'f.ticket_id',
    ordered: true,
  };
  const place =
    reader.roles.includes('MUHTAR') && reader.neighbourhood
      ? [ticket(`t.district = ${params.add(reader.neighbourhood.district)} AND t.neighbourhood = ${params.add(reader.neighbourhood.neighbourhood)}`)]
      : [];
  if (only === 'following') return [followed, ...place];
  const positions = params.add(positionsOfReader(reader).map((p) => p.id));
  return [
    ticket(`t.submitted_by = ${me}`),
    followed,
    ticket(`t.assignee_id = ANY(${positions}::text[])`),
    // A ticket the reader acted on: few, found by the actor index, fetched whole (not in received order).
    ticket(`t.id IN (${actedOn(me)})`, false),
    // Approvers are staff: for a platform user this way is empty, and a walk of the received-order
    // index looking for it would read the whole table.
    ticket(`t.approver_ids && ${positions}::text[]`, false),
    ...place,
  ];
}
