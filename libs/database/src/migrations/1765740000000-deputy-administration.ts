import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deputies (vekalet) managed through the API (security review item 10): a deputyship can be
 * revoked (the row stays, with who and when), lasts at most 90 days (MAX_DEPUTY_DAYS; NOT VALID:
 * rows made by SQL before keep their dates, every new or changed row is checked), and every
 * administration action leaves a row in `admin_audit`, which the application role may only
 * append to (see app-role.ts).
 */
export class DeputyAdministration1765740000000 implements MigrationInterface {
  name = 'DeputyAdministration1765740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deputies
        ADD COLUMN revoked_at timestamptz,
        ADD COLUMN revoked_by text REFERENCES staff(id),
        ADD CONSTRAINT deputies_revoked_check CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
        ADD CONSTRAINT deputies_at_most_90_days_check CHECK (valid_to <= valid_from + interval '90 days') NOT VALID;

      -- Who did what in the administration routes, append-only: never a password, key or free text.
      CREATE TABLE admin_audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL REFERENCES staff(id),
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        request_id text
      );
      CREATE INDEX admin_audit_subject_idx ON admin_audit (subject_type, subject_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE admin_audit;
      ALTER TABLE deputies DROP CONSTRAINT deputies_at_most_90_days_check, DROP CONSTRAINT deputies_revoked_check,
        DROP COLUMN revoked_by, DROP COLUMN revoked_at;
    `);
  }
}
