import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { freePort } from './free-port';
import { findOnPath, goInstallCached, isExecutableFile, teksinCacheDir } from './temporal-cli';
import { registerMissingSearchAttributes, sdkType, waitForFrontend, type TemporalDevServer } from './temporal-dev-server';
import { startSupervised } from './supervised-process';
import { sleep } from './wait';

/**
 * The production shape of Temporal on this machine, without Docker: the full Temporal server
 * (`go.temporal.io/server/cmd/server`, one process running frontend, history, matching and
 * worker) on PostgreSQL, its two databases made and migrated by the server's own SQL tool
 * (`temporal-sql-tool`, plugin postgres12) — what docker-compose.yml's `temporal` service runs.
 * Unlike the dev server (`temporal server start-dev`: SQLite through ONE connection), its
 * persistence is a pool of PostgreSQL connections per service, so the figure a city's deployment
 * would see can be measured here (bench/load).
 *
 * startTemporalServer() returns the same shape as startTemporalDevServer(), so a caller can swap
 * one for the other.
 */

/** The server release the Temporal CLI v1.5.1 embeds (its dev server), so both run the same code. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

export type TemporalServer = TemporalDevServer;

export interface StartTemporalServerOptions {
  /**
   * A role of the PostgreSQL server that may create databases (e.g. LocalPostgres.url, the owner
   * of the embedded one); Temporal's two databases are created beside the project's, on the same
   * server, as in docker-compose.yml. The path (database) of the URL is ignored.
   */
  postgresUrl: string;
  /** The server's config, dynamic config, port choice and log go here; created if missing. Reuse it
   *  (with the same PostgreSQL) to restart the same server on the same ports and data. */
  workDir: string;
  /** Frontend gRPC port; 0 or undefined = the one this workDir had, else a free one. */
  port?: number;
  /** Default 'default'. Registered if missing (the full server does not create one). */
  namespace?: string;
  /** Custom search attributes, name -> CLI type (Keyword, Int, Bool, ...), registered if missing. */
  searchAttributes: Record<string, string>;
  /** Default { default: 'temporal', visibility: 'temporal_visibility' } (docker-compose.yml's). */
  databases?: { default: string; visibility: string };
  /** Fixed when the databases are created; a later start with another count fails. Default 4. */
  numHistoryShards?: number;
  /** Connection pool of each service (four) to the default store; visibility gets half. Default 10. */
  maxConns?: number;
  /** Retention of closed workflows on a namespace we create. Default 720h (docker-compose.yml). */
  retention?: Duration;
  /** Extra dynamic config, key -> value (one value for all namespaces). */
  dynamicConfig?: Record<string, unknown>;
  log?: (line: string) => void;
  /** Server stdout/stderr is appended here; default <workDir>/temporal-server.log. */
  logFile?: string;
}

const EXE = process.platform === 'win32' ? '.exe' : '';
const READY_TIMEOUT_MS = 120_000;
const SERVER_NAME = 'The Temporal server';
/** The history service hands its shards back and the matching service its task queues on SIGTERM. */
const STOP_GRACE_MS = 20_000;

/** `<cache>/temporal-server/v1.29.1`, holding `server` and `sql` as `go install` names them. */
export function temporalServerCacheDir(): string {
  return path.join(teksinCacheDir(), 'temporal-server', TEMPORAL_SERVER_VERSION);
}

export interface TemporalServerBinaries {
  /** go.temporal.io/server/cmd/server */
  server: string;
  /** go.temporal.io/server/cmd/tools/sql (temporal-sql-tool) */
  sqlTool: string;
}

/**
 * The cached binaries, built with Go on first use (about a minute and a half on two cores, with
 * the module cache warm; several minutes when every module is downloaded). TEMPORAL_SERVER_BIN_DIR
 * points at a directory that already holds `server` and `sql`.
 */
export async function resolveTemporalServerBinaries(
  log: (line: string) => void = () => undefined,
): Promise<TemporalServerBinaries> {
  const fromEnv = process.env.TEMPORAL_SERVER_BIN_DIR;
  const dir = fromEnv ? path.resolve(fromEnv) : temporalServerCacheDir();
  const binaries = { server: path.join(dir, `server${EXE}`), sqlTool: path.join(dir, `sql${EXE}`) };
  const present = () => isExecutableFile(binaries.server) && isExecutableFile(binaries.sqlTool);
  if (present()) return binaries;
  if (fromEnv) {
    throw new Error(`TEMPORAL_SERVER_BIN_DIR is ${fromEnv}, but it holds no executable server and sql.`);
  }
  const go = findOnPath(`go${EXE}`);
  if (!go) {
    throw new Error(
      `No Temporal server in ${dir} and no Go to build it: install Go, or run elsewhere ` +
        `\`GOBIN=${dir} go install go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION} ` +
        `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}\` and copy the binaries.`,
    );
  }
  const module = `go.temporal.io/server`;
  await goInstallCached(
    go,
    {
      dir,
      packages: [`${module}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${module}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`],
      binaries: ['server', 'sql'],
      what: `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`,
    },
    log,
  );
  return binaries;
}

interface Ports {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export async function startTemporalServer(opts: StartTemporalServerOptions): Promise<TemporalServer> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const namespace = opts.namespace ?? 'default';
  for (const [name, type] of Object.entries(opts.searchAttributes)) sdkType(name, type);
  const workDir = path.resolve(opts.workDir);
  fs.mkdirSync(workDir, { recursive: true });
  const pg = new URL(opts.postgresUrl);
  const db = {
    host: pg.hostname || '127.0.0.1',
    port: Number(pg.port || 5432),
    user: decodeURIComponent(pg.username),
    password: decodeURIComponent(pg.password),
    ...(opts.databases ?? { default: 'temporal', visibility: 'temporal_visibility' }),
  };

  const binaries = await resolveTemporalServerBinaries(log);
  const sqlLog: string[] = [];
  for (const [database, schema] of [
    [db.default, 'postgresql/v12/temporal'],
    [db.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    // Each step is a no-op when already done: the database exists, the versioning tables exist,
    // the schema is at the latest version. The schema versions come embedded in the tool.
    const sql = (...args: string[]) => runSqlTool(binaries.sqlTool, db, database, args, sqlLog);
    await sql('create-database');
    await sql('setup-schema', '--version', '0.0');
    await sql('update-schema', '--schema-name', schema);
  }
  fs.writeFileSync(path.join(workDir, 'sql-tool.log'), sqlLog.join(''));
  log(`Temporal databases ${db.default} and ${db.visibility} on ${db.host}:${db.port} at the latest schema`);

  const ports = await choosePorts(workDir, opts.port);
  const address = `127.0.0.1:${ports.frontend}`;
  writeConfig(workDir, ports, db, opts);

  const logFile = opts.logFile ?? path.join(workDir, 'temporal-server.log');
  fs.mkdirSync(path.dirname(path.resolve(logFile)), { recursive: true });
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  const args = ['--root', workDir, '--config', 'config', '--env', 'teksin', '--allow-no-auth', 'start'];
  logStream.write(`\n=== ${new Date().toISOString()} ${binaries.server} ${args.join(' ')}\n`);

  log(`Starting the Temporal server ${TEMPORAL_SERVER_VERSION} on ${address} (PostgreSQL ${db.host}:${db.port})...`);
  // PostgreSQL keeps the data consistent through a kill; the shards are taken over at the next start.
  const server = startSupervised({ name: SERVER_NAME, command: binaries.server, args, cwd: workDir, logStream, graceMs: STOP_GRACE_MS, log });
  const { stop } = server;

  try {
    // The system namespace exists once the server has finished its own start-up; ours comes after.
    const connection = await waitForFrontend({ address, namespace: 'temporal-system', server: SERVER_NAME, exitInfo: server.exitInfo, timeoutMs: READY_TIMEOUT_MS, pollMs: 500 });
    try {
      await ensureNamespace(connection, namespace, opts.retention ?? '720h', log);
      await retryWhileNamespaceUnknown(() =>
        registerMissingSearchAttributes(connection, namespace, opts.searchAttributes, log),
      );
      await waitForSearchAttributes(connection, namespace, Object.keys(opts.searchAttributes));
    } finally {
      await connection.close();
    }
  } catch (err) {
    const recent = server.recentOutput();
    const output = recent.length ? `\nLast output (all of it in ${logFile}):\n${recent.join('\n')}` : '';
    await stop();
    throw new Error(`${(err as Error).message}${output}`);
  }
  log(`Temporal server ready on ${address} in ${Date.now() - started} ms (log ${logFile})`);
  return { address, namespace, uiUrl: null, stop };
}

/** The SQL tool with the password in its environment (not on the command line, where ps shows it). */
function runSqlTool(
  tool: string,
  db: { host: string; port: number; user: string; password: string },
  database: string,
  args: string[],
  output: string[],
): Promise<void> {
  const argv = ['--plugin', 'postgres12', '--endpoint', db.host, '--port', String(db.port), '--user', db.user, '--database', database, ...args];
  output.push(`\n=== ${tool} ${argv.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, argv, {
      env: { ...process.env, SQL_PASSWORD: db.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      output.push(text);
      if (code === 0) resolve();
      else {
        const tail = text.trimEnd().split('\n').slice(-15).join('\n');
        reject(new Error(`temporal-sql-tool ${args[0]} on ${database} failed (exit ${code}):\n${tail}`));
      }
    });
  });
}

/**
 * The ports of this workDir's previous start when they are all free again, so a restarted server
 * is the same cluster member on the same addresses (its old membership row names them), else new
 * ones. Written to <workDir>/ports.json.
 */
async function choosePorts(workDir: string, frontend: number | undefined): Promise<Ports> {
  const file = path.join(workDir, 'ports.json');
  const keys: (keyof Ports)[] = [
    'frontend', 'frontendHttp', 'frontendMembership', 'history', 'historyMembership',
    'matching', 'matchingMembership', 'worker', 'workerMembership',
  ];
  let previous: Partial<Ports> = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Ports>;
  } catch {
    // first start in this workDir
  }
  const ports = {} as Ports;
  const taken: number[] = [];
  for (const key of keys) {
    const wanted = key === 'frontend' && frontend ? frontend : previous[key];
    const port = wanted && !taken.includes(wanted) && (await canListen(wanted)) ? wanted : await freePort(taken);
    ports[key] = port;
    taken.push(port);
  }
  if (frontend && ports.frontend !== frontend) throw new Error(`Port ${frontend} for the Temporal frontend is in use.`);
  fs.writeFileSync(file, JSON.stringify(ports, null, 2));
  return ports;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = require('node:net').createServer() as import('node:net').Server;
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * <workDir>/config/teksin.yaml (JSON, which YAML reads as is) and the dynamic config beside it:
 * config/development-postgres12.yaml of the server's repository, on our ports and databases.
 */
function writeConfig(
  workDir: string,
  ports: Ports,
  db: { host: string; port: number; user: string; password: string; default: string; visibility: string },
  opts: StartTemporalServerOptions,
): void {
  const maxConns = opts.maxConns ?? 10;
  const store = (databaseName: string, conns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns: conns,
      maxIdleConns: conns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...(httpPort ? { httpPort } : {}) },
  });
  const frontendAddress = `127.0.0.1:${ports.frontend}`;
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: opts.numHistoryShards ?? 4,
      datastores: {
        'postgres-default': store(db.default, maxConns),
        'postgres-visibility': store(db.visibility, Math.max(2, Math.ceil(maxConns / 2))),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      // No metrics endpoint and no pprof: nothing listens beyond the services' own ports.
      pprof: { port: 0 },
    },
    services: {
      frontend: rpc(ports.frontend, ports.frontendMembership, ports.frontendHttp),
      history: rpc(ports.history, ports.historyMembership),
      matching: rpc(ports.matching, ports.matchingMembership),
      worker: rpc(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontendAddress },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    // The server's own worker service (schedules, batch jobs) reaches the frontend here.
    publicClient: { hostPort: frontendAddress },
    dynamicConfigClient: { filepath: path.join(workDir, 'config', 'dynamic.yaml'), pollInterval: '10s' },
  };
  const dynamic: Record<string, unknown> = {
    // Listing tickets by search attribute in the Web UI or with the CLI: the default of 10
    // visibility requests per second per namespace is the dev server's 100 here too.
    'frontend.namespaceRPS.visibility': 100,
    ...opts.dynamicConfig,
  };
  const dir = path.join(workDir, 'config');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'teksin.yaml'), JSON.stringify(config, null, 2), { mode: 0o600 });
  const dynamicYaml = Object.fromEntries(Object.entries(dynamic).map(([k, value]) => [k, [{ value, constraints: {} }]]));
  fs.writeFileSync(path.join(dir, 'dynamic.yaml'), JSON.stringify(dynamicYaml, null, 2));
}

/** gRPC status codes. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const INVALID_ARGUMENT = 3;

async function ensureNamespace(connection: Connection, namespace: string, retention: Duration, log: (line: string) => void) {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (err) {
    if ((err as { code?: number }).code !== NOT_FOUND) throw err;
  }
  log(`Registering namespace ${namespace} (retention ${retention})`);
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retention),
      description: 'Teksin tickets',
    });
  } catch (err) {
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
  }
}

/**
 * A namespace just registered reaches the frontend's namespace cache within its refresh interval
 * (system.namespaceCacheRefreshInterval, 2 s); until then the operator service says it is unknown.
 */
async function retryWhileNamespaceUnknown(action: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await action();
    } catch (err) {
      if ((err as { code?: number }).code !== NOT_FOUND || Date.now() > deadline) throw err;
    }
    await sleep(500);
  }
}

/**
 * Waits until the frontend accepts a visibility query naming every custom attribute: the same
 * namespace-cache mapping (attribute -> SQL column) that validates a workflow start's attributes.
 * The dev server forces a refresh on every read instead (system.forceSearchAttributesCacheRefreshOnRead);
 * production does not, and neither do we.
 */
async function waitForSearchAttributes(connection: Connection, namespace: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const query = names.map((name) => `${name} IS NULL`).join(' AND ');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace, query });
      return;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if ((code !== INVALID_ARGUMENT && code !== NOT_FOUND) || Date.now() > deadline) throw err;
    }
    await sleep(500);
  }
}
