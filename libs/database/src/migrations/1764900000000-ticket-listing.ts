import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the work queues, lists and search read from the projection row, as plain columns (lists
 * never parse workflow_view): the approvers of the round and the ones deciding now, the SLA
 * clock and when it puts the ticket at risk, the legal deadline, when the current stage began,
 * the resolution's text. Only nullable columns without defaults: adding them rewrites nothing.
 * The existing rows are filled from their workflow_view. The indexes come in the next migration,
 * built CONCURRENTLY.
 *
 * teksin_fold(): Turkish-aware case and diacritic folding (İ/I/ı → i, ç → c, ğ → g, …), IMMUTABLE
 * so an index can be built on it; foldForSearch() in libs/domain is the same in TypeScript.
 */
export class TicketListing1764900000000 implements MigrationInterface {
  name = 'TicketListing1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE OR REPLACE FUNCTION teksin_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(translate($1, 'İIıÇçĞğÖöŞşÜüÂâÎîÛû', 'iiiccggoossuuaaiiuu')) $$;
      ALTER TABLE tickets
        ADD COLUMN approver_ids text[],
        ADD COLUMN current_approver_ids text[],
        ADD COLUMN sla_total_ms bigint,
        ADD COLUMN sla_consumed_ms bigint,
        ADD COLUMN sla_running_since timestamptz,
        ADD COLUMN sla_due_at timestamptz,
        ADD COLUMN sla_risk_at timestamptz,
        ADD COLUMN legal_due_at timestamptz,
        ADD COLUMN stage_since timestamptz,
        ADD COLUMN resolution_text text;
    `);
    // Existing rows, from the workflow's view (same rules as listingFacts()).
    await q.query(`
      UPDATE tickets t SET
        approver_ids = COALESCE((SELECT array_agg(s->>'approverId') FROM jsonb_array_elements(v->'approval'->'chain') s), '{}'),
        current_approver_ids = CASE WHEN t.status = 'IN_APPROVAL' THEN
            array_remove(ARRAY[(v->'approval'->'chain'->((v->'approval'->>'level')::int - 1))->>'approverId', v->'approval'->>'escalatedTo'], NULL)
          ELSE '{}' END,
        sla_total_ms = (v->'sla'->>'totalMs')::bigint,
        sla_consumed_ms = (v->'sla'->>'consumedMs')::bigint,
        sla_running_since = CASE WHEN (v->'sla'->>'stopped')::boolean THEN NULL ELSE (v->'sla'->>'runningSince')::timestamptz END,
        legal_due_at = CASE WHEN (v->'legal'->>'stopped')::boolean THEN NULL ELSE (v->'legal'->>'dueAt')::timestamptz END,
        stage_since = CASE WHEN t.status = 'IN_APPROVAL' THEN COALESCE((v->'approval'->>'levelStartedAt')::timestamptz, t.updated_at) ELSE t.updated_at END,
        resolution_text = (SELECT body FROM ticket_texts x WHERE x.id::text = v->>'resolutionRef')
      FROM (SELECT id, workflow_view AS v FROM tickets WHERE workflow_view IS NOT NULL) w
      WHERE w.id = t.id;
      UPDATE tickets SET
        sla_due_at = sla_running_since + (sla_total_ms - sla_consumed_ms) * interval '1 millisecond',
        sla_risk_at = CASE WHEN sla_running_since IS NOT NULL THEN sla_running_since + (sla_total_ms * 0.75 - sla_consumed_ms) * interval '1 millisecond'
                           WHEN sla_consumed_ms >= sla_total_ms * 0.75 THEN '-infinity'::timestamptz END
      WHERE sla_total_ms IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets DROP COLUMN approver_ids, DROP COLUMN current_approver_ids, DROP COLUMN sla_total_ms, DROP COLUMN sla_consumed_ms,
        DROP COLUMN sla_running_since, DROP COLUMN sla_due_at, DROP COLUMN sla_risk_at, DROP COLUMN legal_due_at, DROP COLUMN stage_since,
        DROP COLUMN resolution_text;
      DROP FUNCTION teksin_fold(text);
    `);
  }
}
