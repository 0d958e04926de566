import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * KVKK (Law 6698): `tickets.anonymised_at` marks a ticket whose personal data was replaced by a
 * marker, and `data_erasures` records every anonymisation — the retention job's runs (even
 * those that found nothing) and data-subject erasures with who asked and why. Append-only like
 * the audit table. Its indexes are built concurrently by the next migration.
 */
export class PersonalDataRetention1765300000001 implements MigrationInterface {
  name = 'PersonalDataRetention1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets ADD COLUMN anonymised_at timestamptz;

      CREATE TABLE data_erasures (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL CHECK (kind IN ('RETENTION', 'SUBJECT_REQUEST')),
        actor_id text,
        reason text NOT NULL,
        criteria jsonb NOT NULL,
        ticket_ids uuid[] NOT NULL,
        tickets int NOT NULL,
        texts int NOT NULL,
        outbox_rows int NOT NULL
      );
      CREATE FUNCTION data_erasures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'data_erasures is append-only (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER data_erasures_no_update_delete BEFORE UPDATE OR DELETE ON data_erasures
        FOR EACH ROW EXECUTE FUNCTION data_erasures_append_only();
      CREATE TRIGGER data_erasures_no_truncate BEFORE TRUNCATE ON data_erasures
        FOR EACH STATEMENT EXECUTE FUNCTION data_erasures_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE data_erasures; DROP FUNCTION data_erasures_append_only();
      ALTER TABLE tickets DROP COLUMN anonymised_at;
    `);
  }
}
