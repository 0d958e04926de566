import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments (issue 21): one row per file added to a ticket; the bytes are in the attachment
 * store (a directory or S3) under `display_key` and `thumbnail_key`. A row is PENDING from the
 * upload until the ticket's workflow recorded it (the `attach` Update: an ATTACHED audit row with
 * its id and SHA-256), then ATTACHED; REMOVED is for erasure later. Only ATTACHED rows are ever
 * shown; the orphan sweep removes PENDING rows an upload left behind.
 */
export class Attachments1765890000000 implements MigrationInterface {
  name = 'Attachments1765890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        kind text NOT NULL CHECK (kind IN ('CITIZEN', 'INTAKE', 'BEFORE', 'AFTER')),
        source text NOT NULL CHECK (source IN ('WHATSAPP', 'SMS', 'OPEN311', 'TRACKING_PAGE', 'CONSOLE')),
        media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size integer NOT NULL CHECK (size >= 0),
        width integer,
        height integer,
        display_key text NOT NULL,
        thumbnail_key text,
        file_name text,
        added_by_kind text NOT NULL CHECK (added_by_kind IN ('STAFF', 'CITIZEN', 'SYSTEM')),
        added_by text,
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'ATTACHED', 'REMOVED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        attached_at timestamptz,
        CHECK ((state = 'ATTACHED') = (attached_at IS NOT NULL) OR state = 'REMOVED'),
        CHECK ((added_by_kind = 'STAFF') = (added_by IS NOT NULL))
      );
      CREATE INDEX attachments_ticket_idx ON attachments (ticket_id, created_at);
      CREATE INDEX attachments_pending_idx ON attachments (created_at) WHERE state = 'PENDING';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachments`);
  }
}
