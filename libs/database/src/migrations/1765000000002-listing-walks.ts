import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/**
 * Two walks in received order that the lists lacked (bench/listing):
 * - a district filter without a neighbourhood (the center's "everything in Tarsus", a search in
 *   one district) walks that district's tickets only, not the whole table;
 * - the approvals queue walks the tickets in approval, newest first, reading who decides now from
 *   the index itself (INCLUDE, so no table row is read), instead of fetching every ticket an
 *   approver waits on through the GIN index and sorting them: an approver with a thousand waiting
 *   reads a page's worth.
 */
export const LISTING_WALK_INDEXES: Record<string, string> = {
  tickets_district_received_idx: `(district, received_at DESC, id DESC)`,
  tickets_approvals_received_idx: `(received_at DESC, id DESC) INCLUDE (current_approver_ids) WHERE status = 'IN_APPROVAL'`,
};

export class ListingWalks1765000000002 implements MigrationInterface {
  name = 'ListingWalks1765000000002';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, 'tickets', LISTING_WALK_INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, Object.keys(LISTING_WALK_INDEXES));
  }
}
