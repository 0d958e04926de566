import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/** The folded text search reads, kept in `tickets.search_text` by the trigger below. */
export const SEARCH_TEXT_SQL = (row: string) =>
  `teksin_fold(${row}.description || ' ' || COALESCE(${row}.address, '') || ' ' || COALESCE(${row}.resolution_text, ''))`;

/** The trigram index text search uses (replaces the expression index of TicketListingIndexes). */
export const SEARCH_TEXT_INDEX: Record<string, string> = {
  tickets_search_text_trgm_idx: 'USING gin (search_text gin_trgm_ops)',
};

/** Rows backfilled per statement: each UPDATE holds its row locks only that long. */
const BACKFILL_BATCH = 20_000;

/**
 * Text search reads a stored, folded copy of description, address and resolution
 * (`search_text`) instead of folding them on every row it looks at: at a million tickets the
 * per-row teksin_fold() was most of a search's time (bench/listing/RESULTS.md). A trigger keeps
 * the column right whoever writes the row (intake, the projection, an anonymisation), so no
 * writer can forget it. Added without a table rewrite (nullable, no default), filled in batches,
 * indexed CONCURRENTLY, then the old expression index is dropped: a large table keeps taking
 * writes throughout, hence no transaction around the whole.
 */
export class TicketSearchText1765000000000 implements MigrationInterface {
  name = 'TicketSearchText1765000000000';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN IF NOT EXISTS search_text text`);
    await q.query(`
      CREATE OR REPLACE FUNCTION tickets_fill_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_text := ${SEARCH_TEXT_SQL('NEW')};
        RETURN NEW;
      END $$`);
    await q.query(`DROP TRIGGER IF EXISTS tickets_search_text ON tickets`);
    await q.query(`
      CREATE TRIGGER tickets_search_text BEFORE INSERT OR UPDATE OF description, address, resolution_text ON tickets
        FOR EACH ROW EXECUTE FUNCTION tickets_fill_search_text()`);
    // Rows written before the trigger existed; rows written from now on are filled by it.
    for (;;) {
      const [, affected] = (await q.query(
        `UPDATE tickets t SET search_text = ${SEARCH_TEXT_SQL('t')}
         WHERE t.id IN (SELECT id FROM tickets WHERE search_text IS NULL LIMIT ${BACKFILL_BATCH})`,
      )) as [unknown, number];
      if (!affected) break;
    }
    await createIndexesConcurrently(q, 'tickets', SEARCH_TEXT_INDEX);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS tickets_search_trgm_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS tickets_search_trgm_idx ON tickets USING gin ((${SEARCH_TEXT_SQL('tickets').replace(/tickets\./g, '')}) gin_trgm_ops)`);
    await dropIndexesConcurrently(q, Object.keys(SEARCH_TEXT_INDEX));
    await q.query(`DROP TRIGGER IF EXISTS tickets_search_text ON tickets`);
    await q.query(`DROP FUNCTION IF EXISTS tickets_fill_search_text()`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS search_text`);
  }
}
