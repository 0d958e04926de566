import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { listingFacts, shownApprovalLevel } from '../libs/domain/src';
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
    RETURNING seq, type
  )
  UPDATE tickets SET
    status = $4, outcome = $5, department_id = $6, assignee_id = $7, approval_level = $8,
    sla_breached = $9, reopen_count = $10, last_event_seq = $3, workflow_view = $11,
    resolved_at = $12, closed_at = $13, category = $14, updated_at = now(),
    approver_ids = $15, current_approver_ids = $16, sla_total_ms = $17, sla_consumed_ms = $18,
    sla_running_since = $19, sla_due_at = $20, sla_risk_at = $21, legal_due_at = $22,
    -- When the current stage began: the approval level's start, else the last event that moved
    -- the status or the assignee (the "stuck" queue).
    stage_since = COALESCE($23::timestamptz, CASE
      WHEN tickets.status IS DISTINCT FROM $4 OR tickets.assignee_id IS DISTINCT FROM $7 OR tickets.stage_since IS NULL THEN $24::timestamptz
      ELSE tickets.stage_since END),
    resolution_text = CASE WHEN $25::text IS NULL THEN NULL
      ELSE (SELECT body FROM ticket_texts WHERE id::text = $25::text) END,
    rejected_back = $26,
    -- A ticket merged into this one is a call about it again; counted once, as its event is appended.
    duplicate_contacts = tickets.duplicate_contacts + (SELECT count(*)::int FROM appended WHERE appended.type = 'DUPLICATE_MERGED')
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
    const facts = listingFacts(view);
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
      facts.approverIds,
      facts.currentApproverIds,
      facts.slaTotalMs,
      facts.slaConsumedMs,
      facts.slaRunningSince,
      facts.slaDueAt,
      facts.slaRiskAt,
      facts.legalDueAt,
      facts.approvalLevelSince,
      events[events.length - 1].at,
      view.resolutionRef,
      facts.rejectedBack,
    ]);
  }
}
