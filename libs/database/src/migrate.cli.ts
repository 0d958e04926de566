/* `npm run migrate`: apply pending migrations to DATABASE_URL, then seed the demo organisation when SEED_DEMO=true. */
import 'reflect-metadata';
import { loadConfig } from '../../config/src';
import { createDataSource } from './data-source';
import { runMigrations } from './migrate';
import { seedDemoData } from './seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await createDataSource(config.databaseUrl, config.databaseLogging, 2).initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
    if (config.seedDemo) {
      await seedDemoData(dataSource);
      console.log('demo organisation seeded');
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
