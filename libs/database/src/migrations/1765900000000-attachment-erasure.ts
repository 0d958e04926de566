import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * KVKK for attachments (issue 21): the anonymisation that erases a ticket's personal data makes
 * its attachments REMOVED in the same statement (`removed_at`; the sender's file name goes; id,
 * kind, size, media type and SHA-256 stay, so the audit chain's ATTACHED rows still name what
 * they hashed), and the erasure record counts and lists them. The stored objects are deleted
 * after the statement; `objects_deleted_at` says that was done, so a run that died in between is
 * finished by the next one (or the orphan sweep).
 */
export class AttachmentErasure1765900000000 implements MigrationInterface {
  name = 'AttachmentErasure1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments
        ADD COLUMN removed_at timestamptz,
        ADD COLUMN objects_deleted_at timestamptz,
        ADD CONSTRAINT attachments_removed_at CHECK ((state = 'REMOVED') = (removed_at IS NOT NULL)),
        ADD CONSTRAINT attachments_removed_no_name CHECK (state <> 'REMOVED' OR file_name IS NULL),
        ADD CONSTRAINT attachments_objects_deleted CHECK (objects_deleted_at IS NULL OR state = 'REMOVED');
      CREATE INDEX attachments_objects_to_delete_idx ON attachments (removed_at) WHERE state = 'REMOVED' AND objects_deleted_at IS NULL;
      ALTER TABLE data_erasures
        ADD COLUMN attachments int NOT NULL DEFAULT 0,
        ADD COLUMN attachment_ids uuid[] NOT NULL DEFAULT '{}';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE data_erasures DROP COLUMN attachment_ids, DROP COLUMN attachments;
      DROP INDEX attachments_objects_to_delete_idx;
      ALTER TABLE attachments DROP CONSTRAINT attachments_objects_deleted, DROP CONSTRAINT attachments_removed_no_name,
        DROP CONSTRAINT attachments_removed_at, DROP COLUMN objects_deleted_at, DROP COLUMN removed_at;
    `);
  }
}
