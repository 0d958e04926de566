import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { shownApprovalLevel } from '../libs/domain/src';
import type { RecordTicketEventsInput } from './ticket-activities.contract';

/**
 * Appends the events to the audit table and moves the ticket's read model, in one SQL
 * statement (atomic, one round trip: this runs for every state change of every ticket).
 * Idempotent: events by (ticket, seq), the row by `last_event_seq`, so a retried or replayed
 * activity changes nothing the second time.
 */
const RECORD_SQL = `
  WITH appended AS (
    INSERT INTO ticket_events (ticket_id, seq, type, at, actor_kind, actor_id, status, data)
    SELECT $1, e.seq, e.type, e.at, e.actor_kind, e.actor_id, e.status, e.data
      FROM jsonb_to_recordset($2::jsonb)
        AS e(seq int, type text, at timestamptz, actor_kind text, actor_id text, status text, data jsonb)
    ON CONFLICT (ticket_id, seq) DO NOTHING
    RETURNING seq
  )
  UPDATE tickets SET
    status = $4, outcome = $5, department_id = $6, assignee_id = $7, approval_level = $8,
    sla_breached = $9, reopen_count = $10, last_event_seq = $3, workflow_view = $11,
    resolved_at = $12, closed_at = $13, category = $14, updated_at = now()
  WHERE id = $1 AND last_event_seq < $3`;

@Injectable()
export class TicketProjectionActivities {
  constructor(private readonly dataSource: DataSource) {}

  async recordTicketEvents({ ticketId, events, view }: RecordTicketEventsInput): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.at,
      actor_kind: e.actor.kind,
      actor_id: e.actor.kind === 'STAFF' ? e.actor.id : null,
      status: e.status,
      data: e.data,
    }));
    await this.dataSource.query(RECORD_SQL, [
      ticketId,
      JSON.stringify(rows),
      Math.max(...events.map((e) => e.seq)),
      view.status,
      view.outcome,
      view.departmentId,
      view.assigneeId,
      shownApprovalLevel(view),
      view.sla.breached,
      view.reopenCount,
      JSON.stringify(view),
      view.resolvedAt,
      view.closedAt,
      view.category,
    ]);
  }
}
