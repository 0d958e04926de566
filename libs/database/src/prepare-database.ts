import type { DataSource } from 'typeorm';
import { appRoleOf, grantAppRole } from './app-role';
import { createDataSource } from './data-source';
import { runMigrations } from './migrate';
import { seedDemoData } from './seed';

/**
 * What every entry point does before serving (the migrate CLI, `npm start`, the test setup,
 * the benchmark): on a short-lived connection as the owner role, apply pending migrations under
 * the advisory lock, grant the application role of `appUrl` (when it is another role: see
 * app-role.ts) what it needs and, when asked, upsert the demo organisation. Returns the
 * migrations applied.
 */
export async function prepareDatabase(databaseUrl: string, options: { seedDemo: boolean; logging?: boolean; appUrl?: string }): Promise<string[]> {
  const dataSource = await createDataSource(databaseUrl, options.logging ?? false, 2).initialize();
  try {
    const applied = await runMigrations(dataSource);
    const appRole = options.appUrl ? appRoleOf(options.appUrl, databaseUrl) : null;
    if (appRole) await grantAppRole(dataSource, appRole);
    if (options.seedDemo) await seedDemoData(dataSource);
    return applied;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The API's and the worker's start: with MIGRATION_DATABASE_URL (the owner) apply migrations and
 * grants through it; without, through the process's own connection, which finds nothing to do
 * when `npm run migrate` (the owner) ran first, and applies them in a one-role setup.
 */
export async function migrateOnStart(appDataSource: DataSource, config: { databaseUrl: string; migrationDatabaseUrl: string }): Promise<string[]> {
  if (config.migrationDatabaseUrl !== config.databaseUrl) return prepareDatabase(config.migrationDatabaseUrl, { seedDemo: false, appUrl: config.databaseUrl });
  return runMigrations(appDataSource);
}
