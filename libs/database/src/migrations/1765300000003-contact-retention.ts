import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/**
 * KVKK for the contact log: a contact's personal data (the caller's number, the agent's note) is
 * anonymised RETENTION_CONTACTS after the call, or early at the data subject's request, and the
 * erasure record counts the contacts it changed. The outcome, channel and time stay: the
 * registration rate is computed from them. The phone index serves GET /audit/subjects.
 */
export class ContactRetention1765300000003 implements MigrationInterface {
  name = 'ContactRetention1765300000003';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contacts ADD COLUMN IF NOT EXISTS anonymised_at timestamptz`);
    await q.query(`ALTER TABLE data_erasures ADD COLUMN IF NOT EXISTS contacts int NOT NULL DEFAULT 0`);
    await createIndexesConcurrently(q, 'contacts', {
      contacts_caller_phone_idx: `(caller_phone) WHERE caller_phone IS NOT NULL`,
      contacts_retention_idx: `(at) WHERE anonymised_at IS NULL`,
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, ['contacts_retention_idx', 'contacts_caller_phone_idx']);
    await q.query(`ALTER TABLE data_erasures DROP COLUMN IF EXISTS contacts`);
    await q.query(`ALTER TABLE contacts DROP COLUMN IF EXISTS anonymised_at`);
  }
}
