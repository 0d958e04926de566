import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from './free-port';
import { startSupervised } from './supervised-process';
import { sleep } from './wait';
import { resolveTemporalCli } from './temporal-cli';

/**
 * A Temporal dev server for `npm start` and the integration tests: the Temporal CLI's
 * `server start-dev` (SQLite, in-process UI), started from a locally available CLI, or from
 * a download by the SDK as a last resort, or not at all when TEMPORAL_ADDRESS points at a
 * server someone else runs.
 */

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  namespace: string;
  /** Web UI, or null when headless or when the server is not ours. */
  uiUrl: string | null;
  /** Stops the server we started (no-op for TEMPORAL_ADDRESS). Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartTemporalDevServerOptions {
  /** SQLite file for a persistent store; omitted = in-memory, gone when the server stops. */
  dbFilename?: string;
  /** Frontend gRPC port; 0 or undefined = a free port. */
  port?: number;
  /** Web UI port; 0 or undefined = a free port; null = headless. */
  uiPort?: number | null;
  /** Default 'default'. */
  namespace?: string;
  /** Custom search attributes, name -> CLI type (Text, Keyword, Int, Double, Bool, Datetime,
   *  KeywordList). */
  searchAttributes: Record<string, string>;
  log?: (line: string) => void;
  /** Server stdout/stderr is appended here; omitted = discarded (the tail still goes in errors). */
  logFile?: string;
}

const READY_TIMEOUT_MS = 60_000;
const SERVER_NAME = 'Temporal dev server';
const STOP_GRACE_MS = 10_000;
/** gRPC status ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

const CLI_TYPES: Record<string, SearchAttributeType> = {
  text: SearchAttributeType.TEXT,
  keyword: SearchAttributeType.KEYWORD,
  int: SearchAttributeType.INT,
  double: SearchAttributeType.DOUBLE,
  bool: SearchAttributeType.BOOL,
  datetime: SearchAttributeType.DATETIME,
  keywordlist: SearchAttributeType.KEYWORD_LIST,
};

export function sdkType(name: string, cliType: string): SearchAttributeType {
  const type = CLI_TYPES[cliType.toLowerCase()];
  if (!type) throw new Error(`Search attribute ${name}: unknown type "${cliType}"`);
  return type;
}

export async function startTemporalDevServer(
  opts: StartTemporalDevServerOptions,
): Promise<TemporalDevServer> {
  const log = opts.log ?? (() => undefined);
  const namespace = opts.namespace ?? 'default';
  // Validate the types up front, whichever way the server comes up.
  for (const [name, type] of Object.entries(opts.searchAttributes)) sdkType(name, type);

  const external = process.env.TEMPORAL_ADDRESS;
  if (external) {
    log(`Using the Temporal server at ${external} (TEMPORAL_ADDRESS); not starting one.`);
    const connection = Connection.lazy({ address: external });
    try {
      await connection.ensureConnected().catch((err: Error) => {
        throw new Error(`Cannot reach Temporal at ${external} (TEMPORAL_ADDRESS): ${err.message}`);
      });
      await registerMissingSearchAttributes(connection, namespace, opts.searchAttributes, log);
    } finally {
      await connection.close();
    }
    return { address: external, namespace, uiUrl: null, stop: async () => undefined };
  }

  const cli = await resolveTemporalCli({ log });
  if (cli.kind === 'sdk-download') return startViaSdk(opts, namespace, log);
  return spawnCli(cli.path, opts, namespace, log);
}

/**
 * Adds the custom search attributes the namespace lacks and leaves the rest alone. Needed for a
 * server we did not start, and for a db file created before an attribute was added.
 */
export async function registerMissingSearchAttributes(
  connection: Connection,
  namespace: string,
  wanted: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, number> = {};
  for (const [name, cliType] of Object.entries(wanted)) {
    const type = encodeSearchAttributeIndexedValueType(sdkType(name, cliType))!;
    const existing = customAttributes?.[name];
    if (existing == null) missing[name] = type;
    else if (existing !== type) {
      throw new Error(
        `Search attribute ${name} exists on ${namespace} with another type than ${cliType}; ` +
          'workflows upserting it would fail. Remove or rename it on that server.',
      );
    }
  }
  if (Object.keys(missing).length === 0) return;
  log(`Registering search attributes on ${namespace}: ${Object.keys(missing).join(', ')}`);
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (err) {
    // Another process registered them between our list and add: that is the outcome we wanted.
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
  }
}

/**
 * We spawn the CLI ourselves rather than through @temporalio/testing so we control the Web UI
 * port and can keep the server's output in a log file.
 */
async function spawnCli(
  cliPath: string,
  opts: StartTemporalDevServerOptions,
  namespace: string,
  log: (line: string) => void,
): Promise<TemporalDevServer> {
  const started = Date.now();
  const port = opts.port || (await freePort());
  const uiPort = opts.uiPort === null ? null : opts.uiPort || (await freePort([port]));
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push(...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort)]));
  args.push('--namespace', namespace, '--log-level', 'warn');
  if (opts.dbFilename) {
    fs.mkdirSync(path.dirname(path.resolve(opts.dbFilename)), { recursive: true });
    args.push('--db-filename', opts.dbFilename);
  }
  for (const [name, type] of Object.entries(opts.searchAttributes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }

  let logStream: fs.WriteStream | undefined;
  if (opts.logFile) {
    fs.mkdirSync(path.dirname(path.resolve(opts.logFile)), { recursive: true });
    logStream = fs.createWriteStream(opts.logFile, { flags: 'a' });
    logStream.write(`\n=== ${new Date().toISOString()} ${cliPath} ${args.join(' ')}\n`);
  }
  log(`Starting Temporal dev server on ${address} (${opts.dbFilename ?? 'in-memory'})...`);
  // The SQLite store is transactional, so a persistent db survives a kill.
  const server = startSupervised({ name: SERVER_NAME, command: cliPath, args, logStream, graceMs: STOP_GRACE_MS, log });
  const { stop } = server;

  try {
    const connection = await waitForFrontend({ address, namespace, server: SERVER_NAME, exitInfo: server.exitInfo, timeoutMs: READY_TIMEOUT_MS, pollMs: 250 });
    try {
      // `--search-attribute` only takes effect when the namespace is created, i.e. on a fresh
      // db file; attributes added to the project later must be registered on an old one.
      await registerMissingSearchAttributes(connection, namespace, opts.searchAttributes, log);
    } finally {
      await connection.close();
    }
  } catch (err) {
    // Taken before stop(), whose shutdown adds noise.
    const recent = server.recentOutput();
    const output = recent.length ? `\nLast output:\n${recent.join('\n')}` : '';
    await stop();
    throw new Error(`${(err as Error).message}${output}`);
  }
  const uiUrl = uiPort === null ? null : `http://127.0.0.1:${uiPort}`;
  const ui = uiUrl ? `; UI ${uiUrl}` : '';
  log(`Temporal dev server ready on ${address} in ${Date.now() - started} ms${ui}`);
  return { address, namespace, uiUrl, stop };
}

/**
 * Ready means the frontend answers and the namespace exists (a listening port alone is not
 * enough for workers to start right away). Returns the open connection. Shared with the full
 * server (temporal-server.ts), which waits for its system namespace.
 */
export async function waitForFrontend(opts: {
  address: string;
  namespace: string;
  /** How messages name the server ("Temporal dev server"). */
  server: string;
  exitInfo: () => string | null;
  timeoutMs: number;
  pollMs: number;
}): Promise<Connection> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const exited = opts.exitInfo();
    if (exited) throw new Error(`${opts.server} exited during startup (${exited}).`);
    // lazy() + ensureConnected() rather than connect(): connect() leaks its gRPC channel when
    // it fails, and a leaked channel keeps retrying and holds the process open.
    const connection = Connection.lazy({ address: opts.address, connectTimeout: 2_000 });
    try {
      await connection.ensureConnected();
      await connection.workflowService.describeNamespace({ namespace: opts.namespace });
      return connection;
    } catch (err) {
      await connection.close().catch(() => undefined);
      if (Date.now() > deadline) {
        throw new Error(
          `${opts.server} on ${opts.address} not ready after ${opts.timeoutMs / 1000} s: ` +
            (err instanceof Error ? err.message : String(err)),
        );
      }
    }
    await sleep(opts.pollMs);
  }
}

/**
 * No local CLI and no Go: @temporalio/testing downloads the dev server (needs internet). It is
 * loaded lazily because it pulls in the worker's native bridge.
 */
async function startViaSdk(
  opts: StartTemporalDevServerOptions,
  namespace: string,
  log: (line: string) => void,
): Promise<TemporalDevServer> {
  const started = Date.now();
  log('No local Temporal CLI; letting the SDK download a dev server (needs internet)...');
  const { TestWorkflowEnvironment: Env } =
    require('@temporalio/testing') as typeof import('@temporalio/testing');
  const uiPort = opts.uiPort === null ? null : opts.uiPort || (await freePort());
  const env: TestWorkflowEnvironment = await Env.createLocal({
    server: {
      ip: '127.0.0.1',
      port: opts.port || undefined,
      namespace,
      dbFilename: opts.dbFilename,
      ui: uiPort !== null,
      uiPort: uiPort ?? undefined,
      searchAttributes: Object.entries(opts.searchAttributes).map(([name, type]) =>
        defineSearchAttributeKey(name, sdkType(name, type)),
      ),
    },
  }).catch((err: Error) => {
    throw new Error(
      `No local Temporal CLI, and the SDK could not get a dev server: ${err.message}\n` +
        'Offline? Run `npm run temporal:install` (needs Go), put `temporal` on PATH, set ' +
        'TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running server.',
    );
  });
  let stopping: Promise<void> | undefined;
  try {
    // As with the CLI: a reused db file only got the attributes known when it was created.
    await registerMissingSearchAttributes(env.connection, namespace, opts.searchAttributes, log);
  } catch (err) {
    await env.teardown();
    throw err;
  }
  log(`Temporal dev server (SDK download) ready on ${env.address} in ${Date.now() - started} ms`);
  return {
    address: env.address,
    namespace,
    uiUrl: uiPort === null ? null : `http://127.0.0.1:${uiPort}`,
    stop: () => (stopping ??= env.teardown()),
  };
}
