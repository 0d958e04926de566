import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The logs the analysis store's feed reads by id (libs/database/src/analysis-feed.repository.ts). */
const FED_LOGS = [
  { table: 'ticket_events', sequence: 'ticket_events_id_seq', next: 'ticket_events_next_id' },
  { table: 'analysis_changes', sequence: 'analysis_changes_id_seq', next: 'analysis_changes_next_id' },
] as const;

/**
 * The second log the analysis store's feed reads (the first is ticket_events, by id): changes
 * that write no audit row — a ticket recorded (its workflow may start later), a rating given or
 * changed, a closure check sent or answered, a contact recorded, corrected or removed. A row
 * names only what changed (a ticket or a contact id); the feed reads that ticket's or contact's
 * facts afresh, so a row seen twice counts nothing twice. Appended by triggers, so no writer can
 * forget it.
 *
 * Both logs' ids are taken only after the writing transaction has its transaction id
 * (`pg_current_xact_id()` first): the feed settles an id once every transaction older than the
 * snapshot that saw it has ended, which holds only if no id is handed out to a transaction that
 * has no transaction id yet (a plain bigserial default runs nextval before the row's insert
 * assigns one).
 */
export class AnalysisChanges1765880000000 implements MigrationInterface {
  name = 'AnalysisChanges1765880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analysis_changes (
        id bigserial PRIMARY KEY,
        ticket_id uuid,
        contact_id uuid,
        CHECK ((ticket_id IS NULL) <> (contact_id IS NULL))
      )`);
    for (const log of FED_LOGS) {
      await q.query(`
        CREATE FUNCTION ${log.next}() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
          PERFORM pg_current_xact_id();
          RETURN nextval('${log.sequence}');
        END $$`);
      await q.query(`ALTER TABLE ${log.table} ALTER COLUMN id SET DEFAULT ${log.next}()`);
    }
    await q.query(`
      CREATE FUNCTION analysis_note_ticket_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO analysis_changes (ticket_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.ticket_id ELSE NEW.ticket_id END);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION analysis_note_ticket_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO analysis_changes (ticket_id) VALUES (NEW.id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION analysis_note_contact_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO analysis_changes (contact_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tickets_analysis_change AFTER INSERT ON tickets
        FOR EACH ROW EXECUTE FUNCTION analysis_note_ticket_recorded()`);
    await q.query(`
      CREATE TRIGGER ticket_ratings_analysis_change AFTER INSERT OR UPDATE OF rating OR DELETE ON ticket_ratings
        FOR EACH ROW EXECUTE FUNCTION analysis_note_ticket_change()`);
    await q.query(`
      CREATE TRIGGER closure_checks_analysis_change AFTER INSERT OR UPDATE OF answer OR DELETE ON closure_checks
        FOR EACH ROW EXECUTE FUNCTION analysis_note_ticket_change()`);
    await q.query(`
      CREATE TRIGGER contacts_analysis_change AFTER INSERT OR UPDATE OF at, channel, outcome OR DELETE ON contacts
        FOR EACH ROW EXECUTE FUNCTION analysis_note_contact_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS contacts_analysis_change ON contacts;
      DROP TRIGGER IF EXISTS closure_checks_analysis_change ON closure_checks;
      DROP TRIGGER IF EXISTS ticket_ratings_analysis_change ON ticket_ratings;
      DROP TRIGGER IF EXISTS tickets_analysis_change ON tickets;
      DROP FUNCTION IF EXISTS analysis_note_contact_change();
      DROP FUNCTION IF EXISTS analysis_note_ticket_recorded();
      DROP FUNCTION IF EXISTS analysis_note_ticket_change();
      ALTER TABLE ticket_events ALTER COLUMN id SET DEFAULT nextval('ticket_events_id_seq');
      DROP FUNCTION IF EXISTS ticket_events_next_id();
      DROP TABLE IF EXISTS analysis_changes;
      DROP FUNCTION IF EXISTS analysis_changes_next_id()`);
  }
}
