import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's live feed (GET /events): PostgreSQL tells every API process, on the channel
 * `teksin_live`, when something it streams changes. Sent at commit, so a listener that reads the
 * ticket then sees the projection already moved (the projection's events and row are one statement).
 * Payloads are identifiers only, never personal data (PostgreSQL also caps them at 8 kB):
 * - `{"k":"event","id":…,"ticket":"<uuid>"}` per audit row: the row's id is the stream's cursor;
 * - `{"k":"session","id":"<uuid>"}` when a session is revoked (sign-out, reuse, password change);
 * - `{"k":"staff","id":"<staff id>"}` when an account is deactivated.
 * The API reads the rest (number, status, who may see it) from the tables it already reads.
 */
export class LiveFeed1765830000000 implements MigrationInterface {
  name = 'LiveFeed1765830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION live_notify_ticket_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('teksin_live', json_build_object('k', 'event', 'id', NEW.id, 'ticket', NEW.ticket_id)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER ticket_events_live_notify AFTER INSERT ON ticket_events
        FOR EACH ROW EXECUTE FUNCTION live_notify_ticket_event();

      CREATE FUNCTION live_notify_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('teksin_live', json_build_object('k', 'session', 'id', NEW.id)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER sessions_live_notify AFTER UPDATE OF revoked_at ON sessions
        FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
        EXECUTE FUNCTION live_notify_session_revoked();

      CREATE FUNCTION live_notify_staff_deactivated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('teksin_live', json_build_object('k', 'staff', 'id', NEW.id)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER staff_live_notify AFTER UPDATE OF active ON staff
        FOR EACH ROW WHEN (OLD.active AND NOT NEW.active)
        EXECUTE FUNCTION live_notify_staff_deactivated();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER staff_live_notify ON staff; DROP FUNCTION live_notify_staff_deactivated();
      DROP TRIGGER sessions_live_notify ON sessions; DROP FUNCTION live_notify_session_revoked();
      DROP TRIGGER ticket_events_live_notify ON ticket_events; DROP FUNCTION live_notify_ticket_event();
    `);
  }
}
