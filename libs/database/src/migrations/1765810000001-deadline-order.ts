import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/**
 * "Deadline nearest first" (`GET /tickets?sort=deadline`, issue 20): the open tickets in the order
 * their SLA runs out, a paused or stopped clock (no due time) last, the id breaking ties: the
 * keyset the list pages by, so a queue sorted so walks a page's worth of this index.
 */
export const DEADLINE_ORDER_INDEXES: Record<string, string> = {
  tickets_open_deadline_idx: `((COALESCE(sla_due_at, 'infinity'::timestamptz)), id)
    WHERE status IN ('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED')`,
};

export class DeadlineOrder1765810000001 implements MigrationInterface {
  name = 'DeadlineOrder1765810000001';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, 'tickets', DEADLINE_ORDER_INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, Object.keys(DEADLINE_ORDER_INDEXES));
  }
}
