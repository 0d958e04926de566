import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/**
 * KVKK: the personal-data read log (pii_reads) is append-only, like the audit rows and the
 * erasure records: a trigger refuses UPDATE, DELETE and TRUNCATE to everyone, the owner too,
 * and the application role is granted only SELECT and INSERT on it (APPEND_ONLY_TABLES in
 * app-role.ts). No job deletes its rows (it holds no citizen data: who read which ticket or
 * contact, when, which fields). A read of the contact log names the contact (`contact_id`)
 * instead of a ticket, so a row names one or the other.
 */
export class PiiReadsAppendOnly1765730000000 implements MigrationInterface {
  name = 'PiiReadsAppendOnly1765730000000';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE pii_reads ALTER COLUMN ticket_id DROP NOT NULL, ADD COLUMN IF NOT EXISTS contact_id uuid;
      ALTER TABLE pii_reads DROP CONSTRAINT IF EXISTS pii_reads_subject;
      ALTER TABLE pii_reads ADD CONSTRAINT pii_reads_subject CHECK (ticket_id IS NOT NULL OR contact_id IS NOT NULL);
      CREATE OR REPLACE FUNCTION pii_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'pii_reads is append-only (% refused)', TG_OP;
      END $$;
      DROP TRIGGER IF EXISTS pii_reads_no_update_delete ON pii_reads;
      CREATE TRIGGER pii_reads_no_update_delete BEFORE UPDATE OR DELETE ON pii_reads
        FOR EACH ROW EXECUTE FUNCTION pii_reads_append_only();
      DROP TRIGGER IF EXISTS pii_reads_no_truncate ON pii_reads;
      CREATE TRIGGER pii_reads_no_truncate BEFORE TRUNCATE ON pii_reads
        FOR EACH STATEMENT EXECUTE FUNCTION pii_reads_append_only();
    `);
    await createIndexesConcurrently(q, 'pii_reads', { pii_reads_contact_idx: `(contact_id, at) WHERE contact_id IS NOT NULL` });
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, ['pii_reads_contact_idx']);
    await q.query(`
      DROP TRIGGER pii_reads_no_truncate ON pii_reads;
      DROP TRIGGER pii_reads_no_update_delete ON pii_reads;
      DROP FUNCTION pii_reads_append_only();
      ALTER TABLE pii_reads DROP CONSTRAINT pii_reads_subject, DROP COLUMN contact_id;
    `);
  }
}
