import type { DataSource } from 'typeorm';

/** Any fixed number; all Teksin processes use the same one for the migration lock. */
const MIGRATION_LOCK_KEY = 185_185_001;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so the API and the worker can
 * both start at once: the second waits, then finds nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
