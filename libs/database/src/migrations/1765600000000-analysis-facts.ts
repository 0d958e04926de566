import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

const OPEN = `('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED')`;

/** The audit row types whose times the analysis center measures. */
export const ANALYSIS_EVENT_TYPES = ['DEPARTMENT_ASSIGNED', 'EXPERT_ASSIGNED', 'RETURNED_TO_CENTER', 'RESOLUTION_SUBMITTED', 'APPROVED_AT_LEVEL', 'RESOLUTION_REJECTED'] as const;

/**
 * The indexes the figures read (index-only): every column a summary or a department report needs
 * of a ticket, in received order, so a 60-day period reads a narrow slice of one index instead of
 * the wide ticket rows; and the open tickets by place and category for the hot-spot view.
 */
export const ANALYSIS_INDEXES: Record<string, string> = {
  tickets_analysis_received_idx: `(received_at) INCLUDE (department_id, category, district, neighbourhood, channel, segment, type, status, outcome,
    sla_breached, reopen_count, resolved_at, closed_at, assignee_id, stage_since, first_department_at, first_expert_at, returned_to_center,
    approval_levels, approval_hours, rating, closure_checks_answered, closure_checks_not_fixed)`,
  tickets_analysis_open_places_idx: `(district, neighbourhood, category) INCLUDE (received_at, department_id, channel, segment, type) WHERE status IN ${OPEN}`,
};

/** The center's calendar: the contact rollup's days are local days in this zone. */
export const CENTER_TIME_ZONE = 'Europe/Istanbul';

/** The contact log counted by local day, channel and outcome, from the rows already there. */
export const BACKFILL_CONTACT_DAYS_SQL = `
  INSERT INTO contact_days (day, channel, outcome, contacts)
  SELECT (at AT TIME ZONE '${CENTER_TIME_ZONE}')::date, channel, outcome, count(*) FROM contacts GROUP BY 1, 2, 3
  ON CONFLICT (day, channel, outcome) DO UPDATE SET contacts = EXCLUDED.contacts`;

/** Tickets whose facts are computed from their audit rows per statement of the backfill. */
const BACKFILL_BATCH = 20_000;

/**
 * Computes the facts of tickets recorded before the triggers existed (or loaded with them off,
 * as bench/analysis does), from their audit rows, in batches of tickets by id; the same rules as
 * the triggers, as set operations.
 */
export async function backfillAnalysisFacts(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await query(
      `WITH batch AS (SELECT id FROM tickets WHERE id > $1::uuid ORDER BY id LIMIT ${BACKFILL_BATCH}),
       firsts AS (
         SELECT e.ticket_id,
                min(e.at) FILTER (WHERE e.type = 'DEPARTMENT_ASSIGNED') AS dep_at,
                min(e.at) FILTER (WHERE e.type = 'EXPERT_ASSIGNED') AS exp_at,
                bool_or(e.type = 'RETURNED_TO_CENTER') AS returned
           FROM ticket_events e JOIN batch ON batch.id = e.ticket_id
          WHERE e.type IN ('DEPARTMENT_ASSIGNED','EXPERT_ASSIGNED','RETURNED_TO_CENTER')
          GROUP BY e.ticket_id),
       steps AS (
         SELECT e.ticket_id, e.seq, e.type, e.at, (e.data->>'level')::int AS level,
                lag(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.seq) AS previous_at
           FROM ticket_events e JOIN batch ON batch.id = e.ticket_id
          WHERE e.type IN ('RESOLUTION_SUBMITTED','APPROVED_AT_LEVEL','RESOLUTION_REJECTED')),
       decisions AS (
         SELECT ticket_id, max(at) AS clock_at,
                coalesce(array_agg(level ORDER BY seq) FILTER (WHERE type <> 'RESOLUTION_SUBMITTED' AND level IS NOT NULL AND previous_at IS NOT NULL), '{}') AS levels,
                coalesce(array_agg(extract(epoch FROM at - previous_at)::float8 / 3600 ORDER BY seq)
                  FILTER (WHERE type <> 'RESOLUTION_SUBMITTED' AND level IS NOT NULL AND previous_at IS NOT NULL), '{}') AS hours
           FROM steps GROUP BY ticket_id),
       done AS (
         UPDATE tickets t SET
           first_department_at = f.dep_at, first_expert_at = f.exp_at, returned_to_center = coalesce(f.returned, false),
           approval_clock_at = d.clock_at, approval_levels = coalesce(d.levels, '{}'), approval_hours = coalesce(d.hours, '{}'),
           rating = (SELECT r.rating FROM ticket_ratings r WHERE r.ticket_id = t.id),
           closure_checks_answered = (SELECT count(*) FROM closure_checks k WHERE k.ticket_id = t.id AND k.answer IS NOT NULL),
           closure_checks_not_fixed = (SELECT count(*) FROM closure_checks k WHERE k.ticket_id = t.id AND k.answer = 'NOT_FIXED')
           FROM batch LEFT JOIN firsts f ON f.ticket_id = batch.id LEFT JOIN decisions d ON d.ticket_id = batch.id
          WHERE t.id = batch.id)
       SELECT max(id::text) AS last FROM batch`,
      [after],
    )) as { last: string | null }[];
    if (!rows[0]?.last) return;
    after = rows[0].last;
  }
}

/**
 * The analysis center's facts of a ticket, kept on its row by triggers as the audit rows,
 * ratings and closure checks are written, so no writer can forget them and a figure over a
 * period reads one index entry per ticket instead of scanning the audit table
 * (bench/analysis/RESULTS.md: the audit scan made a 60-day summary take 8–10 s at a million
 * tickets):
 * - first_department_at / first_expert_at: the earliest DEPARTMENT_ASSIGNED / EXPERT_ASSIGNED;
 * - returned_to_center: any RETURNED_TO_CENTER (misrouting);
 * - approval_levels / approval_hours: per approval decision (approved or rejected at a level),
 *   its level and the hours since the previous submission or decision (approval_clock_at). Audit
 *   rows arrive in seq order (the workflow writes them in order, one activity at a time), so the
 *   previous one is the one the trigger saw last;
 * - rating (the citizen's 1–5) and the answered / "not fixed" closure checks.
 * The triggers fire AFTER INSERT, so a retried write that the (ticket, seq) key turns away counts
 * nothing twice. Columns are added without a table rewrite; the backfill runs in batches; the
 * indexes are built CONCURRENTLY.
 */
export class AnalysisFacts1765600000000 implements MigrationInterface {
  name = 'AnalysisFacts1765600000000';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets
        ADD COLUMN IF NOT EXISTS first_department_at timestamptz,
        ADD COLUMN IF NOT EXISTS first_expert_at timestamptz,
        ADD COLUMN IF NOT EXISTS returned_to_center boolean NOT NULL DEFAULT false,
        ADD COLUMN IF NOT EXISTS approval_clock_at timestamptz,
        ADD COLUMN IF NOT EXISTS approval_levels int[] NOT NULL DEFAULT '{}',
        ADD COLUMN IF NOT EXISTS approval_hours float8[] NOT NULL DEFAULT '{}',
        ADD COLUMN IF NOT EXISTS rating smallint,
        ADD COLUMN IF NOT EXISTS closure_checks_answered int NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS closure_checks_not_fixed int NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE OR REPLACE FUNCTION tickets_note_analysis_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE level int := (NEW.data->>'level')::int;
      BEGIN
        CASE NEW.type
          WHEN 'DEPARTMENT_ASSIGNED' THEN
            UPDATE tickets SET first_department_at = NEW.at
             WHERE id = NEW.ticket_id AND (first_department_at IS NULL OR first_department_at > NEW.at);
          WHEN 'EXPERT_ASSIGNED' THEN
            UPDATE tickets SET first_expert_at = NEW.at
             WHERE id = NEW.ticket_id AND (first_expert_at IS NULL OR first_expert_at > NEW.at);
          WHEN 'RETURNED_TO_CENTER' THEN
            UPDATE tickets SET returned_to_center = true WHERE id = NEW.ticket_id AND NOT returned_to_center;
          WHEN 'RESOLUTION_SUBMITTED' THEN
            UPDATE tickets SET approval_clock_at = NEW.at WHERE id = NEW.ticket_id;
          ELSE -- a decision at a level
            UPDATE tickets SET
              approval_levels = CASE WHEN level IS NULL OR approval_clock_at IS NULL THEN approval_levels ELSE approval_levels || level END,
              approval_hours = CASE WHEN level IS NULL OR approval_clock_at IS NULL THEN approval_hours
                ELSE approval_hours || (extract(epoch FROM NEW.at - approval_clock_at)::float8 / 3600) END,
              approval_clock_at = NEW.at
             WHERE id = NEW.ticket_id;
        END CASE;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER IF EXISTS ticket_events_analysis_facts ON ticket_events`);
    await q.query(`
      CREATE TRIGGER ticket_events_analysis_facts AFTER INSERT ON ticket_events
        FOR EACH ROW WHEN (NEW.type IN (${ANALYSIS_EVENT_TYPES.map((t) => `'${t}'`).join(',')}))
        EXECUTE FUNCTION tickets_note_analysis_event()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION tickets_note_rating() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          UPDATE tickets SET rating = NULL WHERE id = OLD.ticket_id;
        ELSE
          UPDATE tickets SET rating = NEW.rating WHERE id = NEW.ticket_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER IF EXISTS ticket_ratings_analysis_facts ON ticket_ratings`);
    await q.query(`
      CREATE TRIGGER ticket_ratings_analysis_facts AFTER INSERT OR UPDATE OF rating OR DELETE ON ticket_ratings
        FOR EACH ROW EXECUTE FUNCTION tickets_note_rating()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION tickets_note_closure_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        answered int := 0;
        not_fixed int := 0;
        ticket uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.ticket_id ELSE NEW.ticket_id END;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          answered := answered - (OLD.answer IS NOT NULL)::int;
          not_fixed := not_fixed - (OLD.answer IS NOT DISTINCT FROM 'NOT_FIXED')::int;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          answered := answered + (NEW.answer IS NOT NULL)::int;
          not_fixed := not_fixed + (NEW.answer IS NOT DISTINCT FROM 'NOT_FIXED')::int;
        END IF;
        IF answered <> 0 OR not_fixed <> 0 THEN
          UPDATE tickets SET closure_checks_answered = closure_checks_answered + answered,
                             closure_checks_not_fixed = closure_checks_not_fixed + not_fixed
           WHERE id = ticket;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER IF EXISTS closure_checks_analysis_facts ON closure_checks`);
    await q.query(`
      CREATE TRIGGER closure_checks_analysis_facts AFTER INSERT OR UPDATE OF answer OR DELETE ON closure_checks
        FOR EACH ROW EXECUTE FUNCTION tickets_note_closure_check()`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS contact_days (
        day date NOT NULL,
        channel text NOT NULL,
        outcome text NOT NULL,
        contacts int NOT NULL,
        PRIMARY KEY (day, channel, outcome)
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION contact_days_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          UPDATE contact_days SET contacts = contacts - 1
           WHERE day = (OLD.at AT TIME ZONE '${CENTER_TIME_ZONE}')::date AND channel = OLD.channel AND outcome = OLD.outcome;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO contact_days (day, channel, outcome, contacts)
          VALUES ((NEW.at AT TIME ZONE '${CENTER_TIME_ZONE}')::date, NEW.channel, NEW.outcome, 1)
          ON CONFLICT (day, channel, outcome) DO UPDATE SET contacts = contact_days.contacts + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER IF EXISTS contacts_analysis_days ON contacts`);
    await q.query(`
      CREATE TRIGGER contacts_analysis_days AFTER INSERT OR UPDATE OF at, channel, outcome OR DELETE ON contacts
        FOR EACH ROW EXECUTE FUNCTION contact_days_count()`);
    await q.query(BACKFILL_CONTACT_DAYS_SQL);
    await backfillAnalysisFacts((sql, params) => q.query(sql, params));
    await createIndexesConcurrently(q, 'tickets', ANALYSIS_INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, Object.keys(ANALYSIS_INDEXES));
    await q.query(`
      DROP TRIGGER IF EXISTS contacts_analysis_days ON contacts;
      DROP FUNCTION IF EXISTS contact_days_count();
      DROP TABLE IF EXISTS contact_days;
      DROP TRIGGER IF EXISTS closure_checks_analysis_facts ON closure_checks;
      DROP TRIGGER IF EXISTS ticket_ratings_analysis_facts ON ticket_ratings;
      DROP TRIGGER IF EXISTS ticket_events_analysis_facts ON ticket_events;
      DROP FUNCTION IF EXISTS tickets_note_closure_check();
      DROP FUNCTION IF EXISTS tickets_note_rating();
      DROP FUNCTION IF EXISTS tickets_note_analysis_event();
      ALTER TABLE tickets
        DROP COLUMN IF EXISTS first_department_at, DROP COLUMN IF EXISTS first_expert_at, DROP COLUMN IF EXISTS returned_to_center,
        DROP COLUMN IF EXISTS approval_clock_at, DROP COLUMN IF EXISTS approval_levels, DROP COLUMN IF EXISTS approval_hours,
        DROP COLUMN IF EXISTS rating, DROP COLUMN IF EXISTS closure_checks_answered, DROP COLUMN IF EXISTS closure_checks_not_fixed`);
  }
}
