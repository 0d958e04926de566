import type { QueryRunner } from 'typeorm';

/**
 * Builds indexes with CREATE INDEX CONCURRENTLY, so a large table keeps taking writes meanwhile
 * (the migration must run outside a transaction: `transaction = false`). IF NOT EXISTS lets a
 * rerun after an interrupted build continue; an interrupted CONCURRENTLY build leaves an
 * INVALID index, which is dropped first. `indexes`: name → what follows `ON <table>`.
 */
export async function createIndexesConcurrently(q: QueryRunner, table: string, indexes: Record<string, string>): Promise<void> {
  for (const [name, definition] of Object.entries(indexes)) {
    const [invalid] = await q.query(`SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`, [name]);
    if (invalid) await q.query(`DROP INDEX CONCURRENTLY ${name}`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${table} ${definition}`);
  }
}

/** The indexes of createIndexesConcurrently, dropped the same way (a migration's down). */
export async function dropIndexesConcurrently(q: QueryRunner, names: string[]): Promise<void> {
  for (const name of names) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
}
