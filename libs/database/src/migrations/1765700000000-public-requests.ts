import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/**
 * Which tickets the citizen chose to make public (security review, issue 23 item 4): Open311
 * lists only these. Set at intake from the channel (a request filed on the web or through
 * Open311 is public) or the intake's `public` field. Tickets recorded before this migration
 * follow the same rule: WEB ones are public, every other channel's are not. The public listing
 * walks its own partial index in received order.
 */
export const PUBLIC_REQUEST_INDEXES: Record<string, string> = {
  tickets_public_received_idx: `(received_at DESC, id DESC) WHERE is_public`,
};

export class PublicRequests1765700000000 implements MigrationInterface {
  name = 'PublicRequests1765700000000';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN IF NOT EXISTS is_public boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE tickets SET is_public = true WHERE channel = 'WEB' AND NOT is_public`);
    await createIndexesConcurrently(q, 'tickets', PUBLIC_REQUEST_INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, Object.keys(PUBLIC_REQUEST_INDEXES));
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS is_public`);
  }
}
