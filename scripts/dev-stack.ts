/**
 * `npm start`: the whole Teksin on one machine, in one command.
 *   1. PostgreSQL: DATABASE_URL, or an embedded server with its data under .data/postgres
 *   2. Temporal: TEMPORAL_ADDRESS, or the CLI's dev server (SQLite in .data/temporal.db, Web UI), or
 *      with TEMPORAL_SERVER=1 the full Temporal server on that PostgreSQL (scripts/lib/temporal-server.ts)
 *   3. migrations (as the owner role) and the demo organisation with its demo accounts (unless
 *      SEED_DEMO=false); the API and the worker connect as the application role teksin_app
 *   4. the worker and the API as child processes (each owns its own graceful shutdown), with
 *      AUTH_TOKEN_SECRET made up for this run and a TRACKING_TOKEN_SECRET kept in the data folder,
 *      unless you set them
 * The API listens on 127.0.0.1 only (HOST to change it): the demo accounts' password is published.
 * Ctrl-C (or SIGTERM) stops them in reverse order and leaves no process behind.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_PASSWORD, prepareDatabase } from '../libs/database/src';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../libs/temporal/src/search-attributes';
import { buildConsoleIfMissing } from './lib/console-build';
import { startEmbeddedPostgres, type LocalPostgres } from './lib/embedded-postgres';
import { startTemporalDevServer, type TemporalDevServer } from './lib/temporal-dev-server';
import { startTemporalServer } from './lib/temporal-server';
import { settlesWithin } from './lib/wait';

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(process.env.TEKSIN_DATA_DIR ?? path.join(root, '.data'));
const say = (line: string) => console.log(`[teksin] ${line}`);

/** The tracking-link key of this data folder: made once and kept, so links texted before a restart still open. */
function trackingSecret(): string {
  const file = path.join(dataDir, 'tracking-token-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  const started = Date.now();
  const stops: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  async function shutdown(code: number): Promise<never> {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    say('stopping…');
    // API first (stop taking requests), then the worker (drains tasks), then the servers.
    for (const child of [...children].reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (!(await settlesWithin(exited, 30_000))) child.kill('SIGKILL');
      }
    }
    for (const stop of stops.reverse()) await stop().catch((error) => say(`stop failed: ${error}`));
    say('stopped');
    process.exit(code);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let postgres: LocalPostgres;
    if (process.env.DATABASE_URL) {
      // MIGRATION_DATABASE_URL (the owner) migrates when given; the API and the worker use DATABASE_URL.
      postgres = { url: process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL, appUrl: process.env.DATABASE_URL, stop: async () => undefined };
      say('using PostgreSQL at DATABASE_URL');
    } else {
      say(`starting embedded PostgreSQL (data in ${path.relative(root, path.join(dataDir, 'postgres'))})`);
      postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), persistent: true, port: Number(process.env.PGPORT ?? 0) || undefined });
    }
    stops.push(() => postgres.stop());

    // TEMPORAL_SERVER=1: the full Temporal server on this PostgreSQL (docker-compose.yml's shape, no Web UI).
    const temporal: TemporalDevServer =
      process.env.TEMPORAL_SERVER === '1' && !process.env.TEMPORAL_ADDRESS
        ? await startTemporalServer({
            postgresUrl: postgres.url,
            workDir: path.join(dataDir, 'temporal-server'),
            port: Number(process.env.TEMPORAL_PORT ?? 7233),
            searchAttributes: SEARCH_ATTRIBUTE_CLI_TYPES,
            log: say,
          })
        : await startTemporalDevServer({
            dbFilename: path.join(dataDir, 'temporal.db'),
            port: Number(process.env.TEMPORAL_PORT ?? 7233),
            uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
            searchAttributes: SEARCH_ATTRIBUTE_CLI_TYPES,
            logFile: path.join(dataDir, 'temporal.log'),
            log: say,
          });
    stops.push(() => temporal.stop());

    // The demo organisation and its accounts are on for `npm start`; SEED_DEMO=false leaves them out.
    const seedDemo = process.env.SEED_DEMO !== 'false';
    const applied = await prepareDatabase(postgres.url, { seedDemo, appUrl: postgres.appUrl });
    if (applied.length) say(`applied migrations: ${applied.join(', ')}`);

    buildConsoleIfMissing(say);
    const port = process.env.PORT ?? '3000';
    const env = {
      ...process.env,
      // The application role: it cannot alter tables or triggers, and only appends to the audit rows.
      DATABASE_URL: postgres.appUrl,
      MIGRATION_DATABASE_URL: '',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      // The console links auditors to the ticket's workflow in the dev server's Web UI.
      ...(temporal.uiUrl && !process.env.TEMPORAL_UI_URL ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
      PORT: port,
      // A fresh signing key each run: access tokens of a previous run stop working (refresh tokens do not).
      AUTH_TOKEN_SECRET: process.env.AUTH_TOKEN_SECRET || randomBytes(48).toString('base64url'),
      // Kept across runs: the links already texted to citizens must keep working.
      TRACKING_TOKEN_SECRET: process.env.TRACKING_TOKEN_SECRET || trackingSecret(),
    };
    const launch = (name: string, entry: string) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, entry)], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
      child.once('exit', (code, signal) => {
        if (!stopping) {
          say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
          void shutdown(1);
        }
      });
      children.push(child);
      return child;
    };
    launch('worker', 'apps/worker/src/main.ts');
    launch('api', 'apps/api/src/main.ts');

    // The API listens on loopback unless HOST says otherwise (the demo accounts' password is public).
    const host = process.env.HOST || '127.0.0.1';
    const apiUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`;
    await waitForHealthy(`${apiUrl}/health`, () => stopping);
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`API          ${apiUrl}${host === '0.0.0.0' || host === '::' ? ' (HOST: every interface)' : ' (this machine only; HOST=0.0.0.0 opens it to the network)'}`);
    say(`OpenAPI docs ${apiUrl}/docs`);
    say(`Staff console ${apiUrl}/console`);
    if (temporal.uiUrl) say(`Temporal UI  ${temporal.uiUrl}`);
    say(`PostgreSQL   ${postgres.appUrl} (migrations as ${new URL(postgres.url).username})`);
    if (seedDemo) say(`Demo accounts: username = a seeded staff id (e.g. coord.ayse), password "${DEMO_PASSWORD}" (README: Demo accounts)`);
    say('Ctrl-C stops everything.');
  } catch (error) {
    say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

async function waitForHealthy(url: string, cancelled: () => boolean): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !cancelled()) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!cancelled()) throw new Error(`${url} did not become healthy within 3 minutes`);
}

void main();
