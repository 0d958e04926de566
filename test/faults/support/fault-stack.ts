/**
 * The fault suite's own Teksin, separate from the shared servers of test/support/global-setup.ts:
 * an embedded PostgreSQL and a Temporal dev server on fixed ports with files it keeps (so either
 * can be stopped and started again on the same data), the fake Twilio in this process, and the
 * API and the worker as child processes (`node -r @swc-node/register apps/…/main.ts`, exactly as
 * `npm run start:api` / `start:worker`), so they can be sent SIGKILL or SIGTERM. Loopback only.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { prepareDatabase } from '../../../libs/database/src';
import { DEMO_PASSWORD } from '../../../libs/database/src/seed';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../../libs/temporal/src/search-attributes';
import { freePort } from '../../../scripts/lib/free-port';
import { startTemporalDevServer, type TemporalDevServer } from '../../../scripts/lib/temporal-dev-server';
import { startTemporalServer } from '../../../scripts/lib/temporal-server';
import { settlesWithin, sleep } from '../../../scripts/lib/wait';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio.server';

const ROOT = path.resolve(__dirname, '../../..');
const ACCOUNT_SID = `AC${'f'.repeat(32)}`;
const TWILIO_AUTH_TOKEN = 'fault-suite-token';

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Resolves with how it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Its stdout and stderr, for the failure message of a test. */
  output: string[];
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * Starts the stack's Temporal server on its port (and again on the same files after a stop).
 * Default: the dev server (SQLite in the work directory). bench/load passes another to run
 * against the full server on the stack's PostgreSQL, which is up when this is called.
 */

export class FaultStack {
  private pg: Proc | null = null;
  private temporal: TemporalDevServer | null = null;
  private readonly procs = new Set<Proc>();
  private readonly tokens = new Map<string, string>();
  /** The owner's pool, for the assertions (it reconnects after a PostgreSQL restart). */
  readonly db: Pool;
  readonly client: Client;
  api: Proc | null = null;
  worker: Proc | null = null;
  /** Extra `node` flags for the API and the worker (bench/load's `--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeFlags: string[] = [];

  private constructor(
    readonly workDir: string,
    readonly pgPort: number,
    readonly temporalPort: number,
    readonly apiPort: number,
    readonly bundlePath: string,
    readonly twilio: FakeTwilio,
    private readonly secrets: { auth: string; tracking: string },
    pg: Proc,
    temporal: TemporalDevServer,
    /** The full Temporal server on this stack's PostgreSQL instead of the dev server. */
    readonly fullServer: boolean,
  ) {
    this.pg = pg;
    this.procs.add(pg);
    void pg.exited.then(() => this.procs.delete(pg));
    this.temporal = temporal;
    this.db = new Pool({ connectionString: ownerUrl(pgPort), max: 4, connectionTimeoutMillis: 2_000 });
    this.db.on('error', () => undefined); // an idle client losing its server during a PostgreSQL stop
    this.client = new Client({ connection: Connection.lazy({ address: temporal.address }), namespace: temporal.namespace });
  }

  /** `fullServer`: the full Temporal server on PostgreSQL (default: TEMPORAL_SERVER=1), else the dev server. */
  static async start(options: { fullServer?: boolean } = {}): Promise<FaultStack> {
    const fullServer = options.fullServer ?? productionShape();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-faults-'));
    const pgPort = await freePort();
    const temporalPort = await freePort([pgPort]);
    const apiPort = await freePort([pgPort, temporalPort]);
    const pgStarting = startPostgresProcess(workDir, pgPort);
    const settled = await Promise.allSettled([
      pgStarting,
      // The full server keeps its data in that PostgreSQL, so it waits for it; the dev server does not.
      fullServer ? pgStarting.then(() => startTemporal(workDir, temporalPort, pgPort, fullServer)) : startTemporal(workDir, temporalPort, pgPort, fullServer),
      startFakeTwilio({ authToken: TWILIO_AUTH_TOKEN }),
      bundleInChild(path.join(workDir, 'workflow-bundle.js')),
    ] as const);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      // Stop what did start before giving up, so no process outlives the suite.
      const [pg, temporal, twilio] = settled;
      if (pg.status === 'fulfilled') pg.value.child.kill('SIGTERM');
      if (temporal.status === 'fulfilled') await temporal.value.stop().catch(() => undefined);
      if (twilio.status === 'fulfilled') await twilio.value.close().catch(() => undefined);
      if (pg.status === 'fulfilled') await pg.value.exited;
      throw (failed as PromiseRejectedResult).reason;
    }
    const [pg, temporal, twilio, bundlePath] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [Proc, TemporalDevServer, FakeTwilio, string];
    await prepareDatabase(ownerUrl(pgPort), { seedDemo: true, appUrl: appUrl(pgPort) });
    const secrets = { auth: randomBytes(48).toString('base64url'), tracking: randomBytes(32).toString('base64url') };
    return new FaultStack(workDir, pgPort, temporalPort, apiPort, bundlePath, twilio, secrets, pg, temporal, fullServer);
  }

  /** What the API and the worker are started with (as in production: the app role, migrations as the owner). */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      DATABASE_URL: appUrl(this.pgPort),
      MIGRATION_DATABASE_URL: ownerUrl(this.pgPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${this.temporalPort}`,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'faults',
      WORKFLOW_BUNDLE_PATH: this.bundlePath,
      PORT: String(this.apiPort),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: 'http://teksin.test',
      AUTH_TOKEN_SECRET: this.secrets.auth,
      TRACKING_TOKEN_SECRET: this.secrets.tracking,
      LOGIN_RATE_LIMIT: '100000,100000',
      INTAKE_RATE_LIMIT: '100000,100000',
      ACK_SMS_DAILY_LIMIT: '100000',
      INTAKE_SWEEP_INTERVAL: '2s',
      // Read by the API when it starts a workflow: closed tickets complete a few seconds after finalize.
      REOPEN_WINDOW: '4s',
      LOG_LEVEL: 'warn',
      SMS_GATEWAY: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: this.twilio.url,
      ...extra,
    };
  }

  // ----- processes -----

  private spawn(name: string, entry: string, extraEnv: Record<string, string> = {}): Proc {
    const child = spawn(process.execPath, [...this.nodeFlags, '-r', '@swc-node/register', path.join(ROOT, entry)], {
      cwd: ROOT,
      env: this.env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 200));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const proc: Proc = { name, child, exited, output };
    this.procs.add(proc);
    void exited.then(() => this.procs.delete(proc));
    return proc;
  }

  /** A worker process, ready once it logged that it polls. */
  async startWorker(extraEnv: Record<string, string> = {}): Promise<Proc> {
    const worker = this.spawn('worker', 'apps/worker/src/main.ts', { LOG_LEVEL: 'info', ...extraEnv });
    this.worker = worker;
    await until(() => worker.output.some((l) => l.includes('worker ready on task queue')), 90_000, 'the worker to start', worker);
    return worker;
  }

  /** The API process, ready once GET /health answers 200. */
  async startApi(extraEnv: Record<string, string> = {}): Promise<Proc> {
    const api = this.spawn('api', 'apps/api/src/main.ts', extraEnv);
    this.api = api;
    await until(async () => (await this.request('GET', '/health').catch(() => null))?.status === 200, 90_000, 'the API to answer /health', api);
    return api;
  }

  /** SIGKILL: no handler runs, nothing is drained. */
  async kill(proc: Proc | null): Promise<void> {
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  // ----- servers -----

  /** PostgreSQL's fast shutdown (SIGINT to the postmaster): sessions are ended, the data kept. */
  async stopPostgres(): Promise<void> {
    const pg = this.pg;
    this.pg = null;
    if (!pg || pg.child.exitCode !== null) return;
    pg.child.kill('SIGTERM');
    await pg.exited;
  }

  async startPostgres(): Promise<void> {
    const pg = await startPostgresProcess(this.workDir, this.pgPort);
    this.procs.add(pg);
    void pg.exited.then(() => this.procs.delete(pg));
    this.pg = pg;
  }

  async stopTemporal(): Promise<void> {
    await this.temporal?.stop();
    this.temporal = null;
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporal(this.workDir, this.temporalPort, this.pgPort, this.fullServer);
  }

  // ----- HTTP -----

  async request(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const res = await fetch(`http://127.0.0.1:${this.apiPort}${route}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** `Authorization` of a demo account (signed in once per API secret). */
  async bearer(staffId: string): Promise<{ Authorization: string }> {
    let token = this.tokens.get(staffId);
    if (!token) {
      const res = await this.request('POST', '/auth/login', { username: staffId, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`sign-in of ${staffId}: ${res.status} ${JSON.stringify(res.body)}`);
      token = res.body.accessToken as string;
      this.tokens.set(staffId, token);
    }
    return { Authorization: `Bearer ${token}` };
  }

  async close(): Promise<void> {
    for (const proc of [...this.procs].filter((p) => p !== this.pg)) await this.kill(proc);
    await this.client.connection.close().catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await this.twilio.close().catch(() => undefined);
    await this.stopTemporal().catch(() => undefined);
    await this.stopPostgres().catch(() => undefined);
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

const ownerUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/teksin`;
const appUrl = (port: number) => `postgres://teksin_app:teksin_app@127.0.0.1:${port}/teksin`;

/** test/faults/support/postgres.process.ts on the suite's data directory and port; resolves once it is ready. */
async function startPostgresProcess(workDir: string, port: number): Promise<Proc> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'postgres.process.ts'), path.join(workDir, 'pg'), String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(...c.toString('utf8').split('\n').filter(Boolean)));
  child.stderr!.on('data', (c: Buffer) => output.push(...c.toString('utf8').split('\n').filter(Boolean)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc: Proc = { name: 'postgres', child, exited, output };
  await until(() => output.includes('READY'), 90_000, 'PostgreSQL to start', proc);
  return proc;
}

async function startTemporal(workDir: string, port: number, pgPort: number, fullServer: boolean): Promise<TemporalDevServer> {
  // Always a server of our own, even when TEMPORAL_ADDRESS names a shared one: this one gets stopped.
  const external = process.env.TEMPORAL_ADDRESS;
  delete process.env.TEMPORAL_ADDRESS;
  try {
    return await startOwnTemporal(workDir, port, pgPort, fullServer);
  } finally {
    if (external !== undefined) process.env.TEMPORAL_ADDRESS = external;
  }
}

/**
 * TEMPORAL_SERVER=1: the full Temporal server on the suite's PostgreSQL (docker-compose.yml's
 * topology, scripts/lib/temporal-server.ts) instead of the dev server on SQLite.
 */
export const productionShape = () => process.env.TEMPORAL_SERVER === '1';

function startOwnTemporal(workDir: string, port: number, pgPort: number, fullServer: boolean): Promise<TemporalDevServer> {
  if (fullServer) {
    return startTemporalServer({
      postgresUrl: ownerUrl(pgPort),
      workDir: path.join(workDir, 'temporal-server'),
      port,
      searchAttributes: SEARCH_ATTRIBUTE_CLI_TYPES,
    });
  }
  return startTemporalDevServer({
    searchAttributes: SEARCH_ATTRIBUTE_CLI_TYPES,
    uiPort: null,
    port,
    dbFilename: path.join(workDir, 'temporal.sqlite'),
    logFile: path.join(workDir, 'temporal.log'),
  });
}

/** Polls `probe` until it holds; on time-out the error carries the tail of `proc`'s output. */
export async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string, proc?: Proc): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (proc && proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}) while waiting for ${what}:\n${proc.output.slice(-40).join('\n')}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${proc ? `:\n${proc.output.slice(-40).join('\n')}` : ''}`);
    await sleep(250);
  }
}

export { settlesWithin, sleep };

/**
 * The workflow bundle, built once by a plain Node child (webpack does not run inside Jest's
 * module sandbox; test/support/global-setup.ts builds it outside Jest for the same reason).
 */
async function bundleInChild(out: string): Promise<string> {
  const script = `require('@temporalio/worker').bundleWorkflowCode({ workflowsPath: ${JSON.stringify(path.join(ROOT, 'workflows', 'index.ts'))}, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } })
    .then(({ code }) => require('node:fs').writeFileSync(${JSON.stringify(out)}, code), (e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bundling the workflows failed (${code}): ${errors.join('').slice(-2000)}`);
  return out;
}
