import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TicketAccessFacts } from '../../domain/src';

/** One audit row as the live feed streams it, with what the access rules need of its ticket now. */
export interface LiveEventRow {
  /** ticket_events.id: the stream's cursor (a bigint, as a string). */
  id: string;
  ticketId: string;
  number: string;
  seq: number;
  type: string;
  /** The ticket's status after the event. */
  status: string;
  facts: TicketAccessFacts;
}

/** The columns of canOpen's facts, plus the event; followers gathered per ticket (a handful at most). */
const SELECT_EVENTS = `
  SELECT e.id::text AS id, e.ticket_id AS "ticketId", t.number, e.seq, e.type, e.status,
         t.department_id, t.assignee_id, t.approver_ids, t.district, t.neighbourhood, t.submitted_by,
         ARRAY(SELECT f.user_id FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids,
         -- Staff who acted on a ticket keep reading it (canOpen): they hear of it too.
         ARRAY(SELECT DISTINCT a.actor_id FROM ticket_events a WHERE a.ticket_id = t.id AND a.actor_id IS NOT NULL) AS actor_ids
    FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id`;

interface Row {
  id: string;
  ticketId: string;
  number: string;
  seq: number;
  type: string;
  status: string;
  department_id: string | null;
  assignee_id: string | null;
  approver_ids: string[] | null;
  district: string | null;
  neighbourhood: string | null;
  submitted_by: string | null;
  follower_ids: string[];
  actor_ids: string[];
}

const toEvent = (r: Row): LiveEventRow => ({
  id: r.id,
  ticketId: r.ticketId,
  number: r.number,
  seq: r.seq,
  type: r.type,
  status: r.status,
  facts: {
    departmentId: r.department_id,
    assigneeId: r.assignee_id,
    approverIds: r.approver_ids ?? [],
    district: r.district,
    neighbourhood: r.neighbourhood,
    submittedBy: r.submitted_by,
    followerIds: r.follower_ids,
    actorIds: r.actor_ids,
  },
});

/** The live feed's reads of the audit log (append-only, ordered by its id). */
@Injectable()
export class LiveEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The rows just notified, in id order. */
  async byIds(ids: string[]): Promise<LiveEventRow[]> {
    const rows: Row[] = await this.dataSource.query(`${SELECT_EVENTS} WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`, [ids]);
    return rows.map(toEvent);
  }

  /** Up to `limit` rows after the cursor, in id order (one more than asked tells the caller there are more). */
  async after(cursor: string, limit: number): Promise<LiveEventRow[]> {
    const rows: Row[] = await this.dataSource.query(`${SELECT_EVENTS} WHERE e.id > $1::bigint ORDER BY e.id LIMIT $2`, [cursor, limit]);
    return rows.map(toEvent);
  }

  /** The newest row's id ('0' for an empty log): where a new stream starts. */
  async latestId(): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT COALESCE(max(id), 0)::text AS id FROM ticket_events`);
    return row.id;
  }
}
