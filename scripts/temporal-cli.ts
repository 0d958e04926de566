/**
 * `npm run temporal:install`: make sure a Temporal CLI is available (building it with Go into
 * the per-user cache if needed) and print its path on stdout. Progress goes to stderr, so
 * `TEMPORAL_CLI_PATH=$(npm run -s temporal:install)` works. CI runs this before the tests so
 * the several-minute first build is not charged to a test timeout.
 */
import { resolveTemporalCli, TEMPORAL_CLI_VERSION } from './lib/temporal-cli';

async function main(): Promise<void> {
  const log = (msg: string) => process.stderr.write(`[temporal-cli] ${msg}\n`);
  const cli = await resolveTemporalCli({ log });
  if (cli.kind === 'path') {
    log(`using ${cli.path} (from ${cli.source})`);
    process.stdout.write(`${cli.path}\n`);
    return;
  }
  throw new Error(
    `No Temporal CLI found and none could be built: set TEMPORAL_CLI_PATH, put \`temporal\` on ` +
      `PATH, or install Go so \`go install github.com/temporalio/cli/cmd/temporal@` +
      `${TEMPORAL_CLI_VERSION}\` can run. (Without any of these, the SDK would download a dev ` +
      'server at test time, which needs internet access.)',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`[temporal-cli] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
