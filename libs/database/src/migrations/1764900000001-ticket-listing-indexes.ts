import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/** The folded text of (description, address, resolution), indexed here; since TicketSearchText a stored column. */
const SEARCH_EXPRESSION = `teksin_fold(description || ' ' || COALESCE(address, '') || ' ' || COALESCE(resolution_text, ''))`;

/**
 * The indexes the queues and lists use (apps/api/src/tickets/listing/), built CONCURRENTLY so a
 * large tickets table keeps taking writes meanwhile (createIndexesConcurrently). Frozen as it
 * ran: the current set is CURRENT_LISTING_INDEXES (listing-indexes.ts).
 */
export const LISTING_INDEXES: Record<string, string> = {
  // Every list's default order, and the center's unfiltered listing.
  tickets_received_idx: `(received_at DESC, id DESC)`,
  // The work queues (open tickets only: a few percent of the table), newest first.
  tickets_open_received_idx: `(received_at DESC, id DESC) WHERE status IN ('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED')`,
  // triage, status filters.
  tickets_status_received_idx: `(status, received_at DESC, id DESC)`,
  // department queue, departmentId filter, department scope.
  tickets_department_received_idx: `(department_id, status, received_at DESC, id DESC)`,
  // mine, assigneeId filter.
  tickets_assignee_received_idx: `(assignee_id, received_at DESC, id DESC) WHERE assignee_id IS NOT NULL`,
  // approvals: who decides now.
  tickets_current_approvers_idx: `USING gin (current_approver_ids) WHERE status = 'IN_APPROVAL'`,
  // scope: every approver of the round.
  tickets_approvers_idx: `USING gin (approver_ids)`,
  // at-risk: by SLA, by legal deadline (open tickets only).
  tickets_sla_risk_idx: `(sla_risk_at) WHERE status IN ('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED')`,
  tickets_legal_due_idx: `(legal_due_at) WHERE status IN ('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED')`,
  // stuck: most tickets in approval or progress for days are stuck, so the queue walks these in
  // received order and filters on stage_since (an index on stage_since made the planner fetch and
  // sort them all: bench/listing).
  tickets_stuck_received_idx: `(received_at DESC, id DESC) WHERE status IN ('IN_APPROVAL','IN_PROGRESS')`,
  // muhtar scope and following, district filter.
  tickets_place_received_idx: `(district, neighbourhood, received_at DESC, id DESC)`,
  // text search (pg_trgm, LIKE '%…%').
  tickets_search_trgm_idx: `USING gin ((${SEARCH_EXPRESSION}) gin_trgm_ops)`,
};

export class TicketListingIndexes1764900000001 implements MigrationInterface {
  name = 'TicketListingIndexes1764900000001';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, 'tickets', LISTING_INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, Object.keys(LISTING_INDEXES));
  }
}
