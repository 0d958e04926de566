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
 * The API's and the worker's start: apply migrations and grants through MIGRATION_DATABASE_URL
 * (the owner; default DATABASE_URL, a one-role setup) on a short-lived connection of its own —
 * never through the application's pool, whose statement and idle-in-transaction timeouts
 * (DATABASE_STATEMENT_TIMEOUT…) would cut a long migration short. Finds nothing to do when
 * `npm run migrate` ran first.
 */
export async function migrateOnStart(config: { databaseUrl: string; migrationDatabaseUrl: string }): Promise<string[]> {
  return prepareDatabase(config.migrationDatabaseUrl, { seedDemo: false, appUrl: config.databaseUrl });
}
