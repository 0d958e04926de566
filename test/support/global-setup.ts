/**
 * Starts what the integration suites run against, once for the whole run: a real PostgreSQL
 * (embedded, or DATABASE_URL) with migrations and the demo organisation, a real Temporal dev
 * server (or TEMPORAL_ADDRESS) with the ticket search attributes, and the workflow bundle
 * built once so each suite's worker starts in a second.
 */
import 'reflect-metadata';
import { bundleWorkflowCode } from '@temporalio/worker';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareDatabase } from '../../libs/database/src';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../libs/temporal/src/search-attributes';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { resolveWeed } from '../../scripts/lib/seaweedfs';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-test-'));
  const stops: (() => Promise<void>)[] = [];

  // SeaweedFS's `weed` for the S3 attachment store's suites (test/support/seaweedfs.ts), found or
  // built (minutes, once per machine) while the servers start. A failure fails only those suites.
  // Go's own output (indented) is left out; a failed build's tail is in the error.
  const weed = resolveWeed({ log: (line) => line.startsWith('  ') || console.log(`[seaweedfs] ${line}`) }).then(
    (found) => {
      if (found) process.env.TEKSIN_TEST_WEED_PATH = found.path;
      else process.env.TEKSIN_TEST_WEED_ERROR = 'no `weed` in SEAWEEDFS_WEED_PATH or the cache, and no Go to build it';
    },
    (error: Error) => {
      process.env.TEKSIN_TEST_WEED_ERROR = error.message;
    },
  );
  const [postgres, temporal] = await Promise.all([
    process.env.DATABASE_URL
      ? Promise.resolve({ url: process.env.DATABASE_URL, appUrl: process.env.DATABASE_URL, stop: async () => undefined })
      : startEmbeddedPostgres({ dataDir: path.join(workDir, 'pg'), persistent: false }),
    startTemporalDevServer({ searchAttributes: SEARCH_ATTRIBUTE_CLI_TYPES, uiPort: null, logFile: path.join(workDir, 'temporal.log') }),
  ]);
  stops.push(() => temporal.stop(), () => postgres.stop());
  (globalThis as any).__TEKSIN_TEST_STOP__ = async () => {
    for (const stop of stops) await stop().catch((error) => console.error('teardown:', error));
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  // Migrations as the owner; the suites connect as the application role (no DDL, append-only audit).
  await prepareDatabase(postgres.url, { seedDemo: true, appUrl: postgres.appUrl });

  const bundlePath = path.join(workDir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  fs.writeFileSync(bundlePath, code);

  process.env.TEKSIN_TEST_DATABASE_URL = postgres.appUrl;
  process.env.TEKSIN_TEST_OWNER_DATABASE_URL = postgres.url;
  process.env.TEKSIN_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEKSIN_TEST_TEMPORAL_NAMESPACE = temporal.namespace;
  process.env.TEKSIN_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEKSIN_TEST_WORK_DIR = workDir;
  await weed;
  console.log(`\n[teksin tests] PostgreSQL + Temporal (${temporal.address}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
  log: () => undefined,
};
