import { createDataSource } from './data-source';
import { runMigrations } from './migrate';
import { seedDemoData } from './seed';

/**
 * What every entry point does before serving (the migrate CLI, `npm start`, the test setup,
 * the benchmark): on a short-lived connection, apply pending migrations under the advisory
 * lock and, when asked, upsert the demo organisation. Returns the migrations applied.
 */
export async function prepareDatabase(databaseUrl: string, options: { seedDemo: boolean; logging?: boolean }): Promise<string[]> {
  const dataSource = await createDataSource(databaseUrl, options.logging ?? false, 2).initialize();
  try {
    const applied = await runMigrations(dataSource);
    if (options.seedDemo) await seedDemoData(dataSource);
    return applied;
  } finally {
    await dataSource.destroy();
  }
}
