/**
 * `npm run seaweedfs:install`: make sure SeaweedFS's `weed` is available (building it with Go
 * into the per-user cache if needed) and print its path on stdout. Progress goes to stderr, so
 * `SEAWEEDFS_WEED_PATH=$(npm run -s seaweedfs:install)` works. CI runs this before the tests so
 * the several-minute first build is not charged to a test timeout.
 */
import { resolveWeed, SEAWEEDFS_MODULE, SEAWEEDFS_VERSION } from './lib/seaweedfs';

async function main(): Promise<void> {
  const log = (msg: string) => process.stderr.write(`[seaweedfs] ${msg}\n`);
  const weed = await resolveWeed({ log });
  if (weed) {
    log(`using ${weed.path} (from ${weed.source})`);
    process.stdout.write(`${weed.path}\n`);
    return;
  }
  // Unlike Temporal there is no download to fall back on: the S3 store's tests need this binary.
  log(
    'No SeaweedFS `weed` found and none could be built: no SEAWEEDFS_WEED_PATH, nothing in the cache, ' +
      `and no Go to build ${SEAWEEDFS_MODULE}/weed@${SEAWEEDFS_VERSION}. The S3 attachment store's tests will fail.`,
  );
  process.exit(1);
}

main().catch((err: unknown) => {
  process.stderr.write(`[seaweedfs] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
