/*
 * `npm run migrate`: apply pending migrations as the owner role (MIGRATION_DATABASE_URL, default
 * DATABASE_URL), grant DATABASE_URL's application role what it needs when it is another role,
 * then seed the demo organisation when SEED_DEMO=true.
 */
import 'reflect-metadata';
import { loadConfig } from '../../config/src';
import { prepareDatabase } from './prepare-database';

async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await prepareDatabase(config.migrationDatabaseUrl, { seedDemo: config.seedDemo, logging: config.databaseLogging, appUrl: config.databaseUrl });
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  if (config.seedDemo) console.log('demo organisation seeded');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
