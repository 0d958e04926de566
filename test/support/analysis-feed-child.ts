/**
 * test/analysis-store.spec.ts's feed process: opens the file store FEED_CHILD_STORE against
 * FEED_CHILD_DATABASE_URL and feeds it up to date (building it first if it is new). With
 * FEED_CHILD_CRASH it kills itself with SIGKILL inside the first batch that brings tickets,
 * after their facts are written and before COMMIT: a crash in the middle of a batch.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { loadConfig } from '../../libs/config/src';
import { createDataSource } from '../../libs/database/src';
import { AnalysisFeedRepository } from '../../libs/database/src/analysis-feed.repository';
import { AnalysisFeed } from '../../apps/api/src/analysis/store/analysis-feed';
import { AnalysisStore } from '../../apps/api/src/analysis/store/analysis-store';

async function main(): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: process.env.FEED_CHILD_DATABASE_URL!,
    ANALYSIS_STORE_PATH: process.env.FEED_CHILD_STORE!,
    AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
    TRACKING_TOKEN_SECRET: randomBytes(48).toString('base64url'),
  });
  const db = await createDataSource(config.databaseUrl).initialize();
  const store = new AnalysisStore(config);
  await store.open();
  if (process.env.FEED_CHILD_CRASH) {
    store.beforeCommit = (batch) => {
      if (batch.fresh || batch.tickets.length === 0) return;
      writeSync(1, `killed mid-batch with ${batch.tickets.length} tickets written\n`);
      process.kill(process.pid, 'SIGKILL');
    };
  }
  const feed = new AnalysisFeed(new AnalysisFeedRepository(db), store, config);
  await feed.catchUp();
  await feed.catchUp();
  store.close();
  await db.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
