import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../libs/config/src';
import { migrateOnStart } from '../../../libs/database/src';
import { createApiApp } from './app.factory';

/** The API process: migrate (under the shared advisory lock), then serve; SIGINT/SIGTERM close Nest cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  app.enableShutdownHooks();
  await migrateOnStart(app.get(DataSource), config);
  await app.listen(config.port, config.host);
  new Logger('api').log(`Teksin API on http://localhost:${config.port} (docs: /docs)`);
}

main().catch((error) => {
  console.error('api failed to start:', error);
  process.exit(1);
});
