/* `npm run migrate`: apply pending migrations to DATABASE_URL, then seed the demo organisation when SEED_DEMO=true. */
import 'reflect-metadata';
import { loadConfig } from '../../config/src';
import { prepareDatabase } from './prepare-database';

async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await prepareDatabase(config.databaseUrl, { seedDemo: config.seedDemo, logging: config.databaseLogging });
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  if (config.seedDemo) console.log('demo organisation seeded');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
