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
  // No CLI and no Go: the tests and `npm start` fall back to the SDK's own download of a dev
  // server, which needs internet access. Say so, but do not fail a machine that has it.
  log(
    'No Temporal CLI found and none could be built (no TEMPORAL_CLI_PATH, no `temporal` on PATH, ' +
      `no Go for \`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}\`). ` +
      'The dev server will be downloaded by the Temporal SDK at start, which needs internet access.',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`[temporal-cli] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
