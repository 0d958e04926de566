import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An external identity provider's account, linked to a staff row by its issuer and subject
 * (`iss` + `sub`, OpenID Connect Core §5.7: the only claims that identify a user for good; a
 * username claim can often be changed by the user). An ADMIN links it (PUT
 * /admin/staff/:id/oidc-link); one (issuer, subject) names at most one staff row. Every link and
 * unlink is written to `staff_oidc_link_events`, which the application may only append to.
 */
export class StaffOidcLink1765720000000 implements MigrationInterface {
  name = 'StaffOidcLink1765720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE staff
        ADD COLUMN oidc_issuer text,
        ADD COLUMN oidc_subject text,
        ADD CONSTRAINT staff_oidc_link_check CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL));
      CREATE UNIQUE INDEX staff_oidc_link_idx ON staff (oidc_issuer, oidc_subject) WHERE oidc_issuer IS NOT NULL;

      CREATE TABLE staff_oidc_link_events (
        id bigserial PRIMARY KEY,
        staff_id text NOT NULL REFERENCES staff(id),
        action text NOT NULL CHECK (action IN ('LINKED', 'UNLINKED')),
        issuer text NOT NULL,
        subject text NOT NULL,
        by_staff_id text NOT NULL,
        request_id text,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX staff_oidc_link_events_staff_idx ON staff_oidc_link_events (staff_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE staff_oidc_link_events;
      DROP INDEX staff_oidc_link_idx;
      ALTER TABLE staff DROP CONSTRAINT staff_oidc_link_check, DROP COLUMN oidc_issuer, DROP COLUMN oidc_subject;
    `);
  }
}
