import { departmentsOfReader, positionsOfReader, seesEveryTicket, type Reader } from '../../../../../libs/domain/src';

/** Positional parameters of one SQL statement: `add` returns the placeholder ($n) of a value. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * canOpen (libs/domain/src/ticket.access.ts) as a SQL condition on the tickets row `t`: the lists
 * show exactly the tickets GET /tickets/:number opens for the reader. Same rules, same order:
 * the center and the auditors everything; the submitter; the followed tickets (only platform
 * users follow: TicketAccess spares the look-up for others); a muhtar's neighbourhood; the
 * assignee, every approver of the round, the department's roles, each for the reader and whoever
 * they stand in for. test/ticket-lists.spec.ts checks it against canOpen on generated tickets.
 */
export function scopeSql(reader: Reader, params: SqlParams, t = 't'): string {
  if (seesEveryTicket(reader)) return 'TRUE';
  const me = params.add(reader.id);
  const positions = params.add(positionsOfReader(reader).map((p) => p.id));
  const departments = departmentsOfReader(reader);
  const place =
    reader.roles.includes('MUHTAR') && reader.neighbourhood
      ? { district: params.add(reader.neighbourhood.district), neighbourhood: params.add(reader.neighbourhood.neighbourhood) }
      : null;
  if (departments.length === 0) {
    // No department (platform users): the few tickets they may open, each way by its own index,
    // gathered first — rather than filtering every row of the table through the alternatives.
    const ways = [
      `SELECT id FROM tickets WHERE submitted_by = ${me}`,
      `SELECT ticket_id AS id FROM ticket_followers WHERE user_id = ${me}`,
      `SELECT id FROM tickets WHERE assignee_id = ANY(${positions}::text[])`,
      `SELECT id FROM tickets WHERE approver_ids && ${positions}::text[]`,
      ...(place ? [`SELECT id FROM tickets WHERE district = ${place.district} AND neighbourhood = ${place.neighbourhood}`] : []),
    ];
    // An array computed once (an InitPlan), then fetched by primary key: the planner cannot turn it into a walk of the whole table.
    return `${t}.id = ANY(ARRAY(${ways.join(' UNION ALL ')}))`;
  }
  const or = [
    `${t}.submitted_by = ${me}`,
    `${t}.id IN (SELECT f.ticket_id FROM ticket_followers f WHERE f.user_id = ${me})`,
    ...(place ? [`(${t}.district = ${place.district} AND ${t}.neighbourhood = ${place.neighbourhood})`] : []),
    `${t}.assignee_id = ANY(${positions}::text[])`,
    `${t}.approver_ids && ${positions}::text[]`,
    `${t}.department_id = ANY(${params.add(departments)}::text[])`,
  ];
  return `(${or.join(' OR ')})`;
}
