import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper evidence for the audit table (ticket_events): every row carries `hash` =
 * sha256(previous row's hash of the same ticket ‖ the row's content) and `prev_hash`, set by a
 * BEFORE INSERT trigger, so the application's one INSERT statement computes them with no extra
 * round trip. An edited row no longer matches its hash, a deleted one breaks the next row's
 * `prev_hash`; `GET /audit/tickets/:number/verify` checks both and compares the rows with the
 * ticket's Temporal history (which catches inserted rows too). TRUNCATE is refused like UPDATE
 * and DELETE. Existing rows are chained here, oldest first.
 */
export class AuditHashChain1765300000000 implements MigrationInterface {
  name = 'AuditHashChain1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket_events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

      -- The row's content, one field after another (unit separators between), and the previous hash.
      CREATE FUNCTION ticket_event_hash(prev bytea, e ticket_events) RETURNS bytea LANGUAGE sql STABLE AS $$
        SELECT sha256(COALESCE(prev, '\\x'::bytea) || convert_to(concat_ws(E'\\x1f',
          e.ticket_id::text, e.seq::text, e.type,
          to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          e.actor_kind, COALESCE(e.actor_id, ''), e.status, e.data::text), 'UTF8'))
      $$;

      CREATE FUNCTION ticket_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE previous bytea;
      BEGIN
        SELECT hash INTO previous FROM ticket_events
          WHERE ticket_id = NEW.ticket_id AND seq < NEW.seq ORDER BY seq DESC LIMIT 1;
        NEW.prev_hash := previous;
        NEW.hash := ticket_event_hash(previous, NEW);
        RETURN NEW;
      END $$;

      -- Rows recorded before this migration, per ticket in seq order.
      ALTER TABLE ticket_events DISABLE TRIGGER ticket_events_no_update_delete;
      DO $$
      DECLARE r ticket_events; previous bytea; current_ticket uuid;
      BEGIN
        FOR r IN SELECT * FROM ticket_events ORDER BY ticket_id, seq LOOP
          IF current_ticket IS DISTINCT FROM r.ticket_id THEN previous := NULL; current_ticket := r.ticket_id; END IF;
          UPDATE ticket_events SET prev_hash = previous, hash = ticket_event_hash(previous, r) WHERE id = r.id;
          previous := ticket_event_hash(previous, r);
        END LOOP;
      END $$;
      ALTER TABLE ticket_events ENABLE TRIGGER ticket_events_no_update_delete;
      ALTER TABLE ticket_events ALTER COLUMN hash SET NOT NULL;

      CREATE TRIGGER ticket_events_hash_chain BEFORE INSERT ON ticket_events
        FOR EACH ROW EXECUTE FUNCTION ticket_events_chain();
      CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER ticket_events_no_truncate ON ticket_events;
      DROP TRIGGER ticket_events_hash_chain ON ticket_events;
      DROP FUNCTION ticket_events_chain();
      DROP FUNCTION ticket_event_hash(bytea, ticket_events);
      ALTER TABLE ticket_events DROP COLUMN hash, DROP COLUMN prev_hash;
    `);
  }
}
