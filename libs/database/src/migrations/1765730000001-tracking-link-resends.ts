import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The center's re-sends of a citizen's tracking link (POST /tickets/:number/resend-link): who
 * asked, when, for which ticket, under which request id. Append-only like the audit rows (a
 * trigger refuses UPDATE, DELETE and TRUNCATE; the application role may only SELECT and
 * INSERT). The SMS itself goes through the outbox under the key
 * `ticket-<number>:LINK_RESENT:<id of this row>`.
 */
export class TrackingLinkResends1765730000001 implements MigrationInterface {
  name = 'TrackingLinkResends1765730000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracking_link_resends (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        requested_by text NOT NULL,
        request_id text,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX tracking_link_resends_ticket_idx ON tracking_link_resends (ticket_id, at);
      CREATE FUNCTION tracking_link_resends_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'tracking_link_resends is append-only (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER tracking_link_resends_no_update_delete BEFORE UPDATE OR DELETE ON tracking_link_resends
        FOR EACH ROW EXECUTE FUNCTION tracking_link_resends_append_only();
      CREATE TRIGGER tracking_link_resends_no_truncate BEFORE TRUNCATE ON tracking_link_resends
        FOR EACH STATEMENT EXECUTE FUNCTION tracking_link_resends_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracking_link_resends; DROP FUNCTION tracking_link_resends_append_only();`);
  }
}
