/**
 * bench/lifecycle: full ticket lifecycles per second against a bare workflow that receives
 * the same number of updates with no activities, both on the same Temporal dev server and
 * PostgreSQL in one run. Everything is on loopback and the loops are bounded.
 *
 *   npm run bench:lifecycle                 (defaults: 200 lifecycles, 20 at a time)
 *   LIFECYCLES=500 CONCURRENCY=40 npm run bench:lifecycle
 *
 * Lifecycle = create (intake: row + workflow start) → assign department → assign expert →
 * resolution → approve level 1 → approve level 2 → finalize → close (reopen window 100 ms),
 * every command a Workflow Update over the client, every event projected and audited in
 * PostgreSQL, every SMS through the outbox (console gateway).
 *
 * Then, in the same run, intake latency: `POST /tickets` through the real HTTP API (the Nest app
 * listening on loopback) against `client.workflow.start` alone with the same arguments on a
 * separate workflow id, interleaved so both see the same load, with the workers stopped.
 *
 *   INTAKE_SAMPLES=500 INTAKE_CONCURRENCY=1,4  (defaults: 500 pairs one at a time, then four at a time)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/app.factory';
import { IntakeService } from '../../apps/api/src/tickets/intake.service';
import { WorkflowStarter } from '../../apps/api/src/tickets/workflow-starter.service';
import { TicketWorker } from '../../apps/worker/src/ticket-worker';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig } from '../../libs/config/src';
import { DEMO_PASSWORD, prepareDatabase } from '../../libs/database/src';
import { CategoryEntity, TicketEntity } from '../../libs/database/src/entities';
import type { Actor, StaffRole } from '../../libs/domain/src';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../libs/temporal/src/search-attributes';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { ticketUpdates } from '../../workflows/ticket.messages';
import { bareCommand, type bareWorkflow } from './bare.workflow';
import { cpuPer, sampleCpu } from './cpu-usage';

const LIFECYCLES = Number(process.env.LIFECYCLES ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const INTAKE_SAMPLES = Number(process.env.INTAKE_SAMPLES ?? 500);
const INTAKE_CONCURRENCY = (process.env.INTAKE_CONCURRENCY ?? '1,4').split(',').map(Number);
const UPDATES_PER_LIFECYCLE = 6;
/** The ticket closes when its reopen window ends; the baseline waits the same time. */
const REOPEN_WINDOW_MS = 100;

/**
 * The four staff the lifecycles act as, signed in through the API (POST /auth/login with the demo
 * password): each actor is who the sign-in says, roles and department included. The commands
 * themselves then go to the workflows over the client, as before.
 */
async function signInActors(apiUrl: string): Promise<Record<'coordinator' | 'manager' | 'expert' | 'head', Actor>> {
  const signIn = async (username: string): Promise<Actor> => {
    const res = await fetch(`${apiUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
    const { user } = (await res.json()) as { user: { id: string; roles: StaffRole[]; departmentId: string | null } };
    return { kind: 'STAFF', id: user.id, roles: user.roles, departmentId: user.departmentId };
  };
  const [coordinator, manager, expert, head] = await Promise.all(['coord.ayse', 'mgr.fen.hasan', 'expert.fen.ali', 'head.fen.fatma'].map(signIn));
  return { coordinator, manager, expert, head };
}

async function pool<T>(count: number, concurrency: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await run(i);
      }
    }),
  );
  return results;
}

/** Nearest-rank percentile of milliseconds, rounded to 0.1 ms. */
function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] * 10) / 10;
}

/** One JSON POST over a keep-alive loopback connection; resolves with the status and parsed body. */
function postJson(agent: http.Agent, port: number, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false });
  const temporal = await startTemporalDevServer({ searchAttributes: SEARCH_ATTRIBUTE_CLI_TYPES, uiPort: null });
  const cleanup: (() => Promise<unknown>)[] = [() => temporal.stop(), () => postgres.stop()];
  try {
    await prepareDatabase(postgres.url, { seedDemo: true });

    const config = loadConfig({
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: '30',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'bench-tickets',
      REOPEN_WINDOW: `${REOPEN_WINDOW_MS}ms`,
      LOG_LEVEL: 'error',
      INTAKE_SWEEP_INTERVAL: '0',
      AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
      TRACKING_TOKEN_SECRET: 'teksin-bench-tracking-secret-0123456789',
      // One address and a few phones send every ticket here: the anonymous-intake limits are lifted.
      INTAKE_RATE_LIMIT: '100000,100000',
      ACK_SMS_DAILY_LIMIT: '100000',
      // The console gateway sends nothing: Twilio's pace per sender (default 10/s, 3 SMS a
      // lifecycle) would cap the run at 3.3 lifecycles/s and hide the workflow's own cost.
      SMS_RATE_PER_SECOND: '1000',
      // The default (off) unless the run says otherwise: `TEMPORAL_SEARCH_ATTRIBUTES=live` measures what live attributes cost.
      ...(process.env.TEMPORAL_SEARCH_ATTRIBUTES ? { TEMPORAL_SEARCH_ATTRIBUTES: process.env.TEMPORAL_SEARCH_ATTRIBUTES } : {}),
    });
    const api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    cleanup.unshift(() => api.close());
    const { coordinator, manager, expert, head } = await signInActors(await api.getUrl());
    const apiPort = (api.getHttpServer().address() as AddressInfo).port;
    const intake = api.get(IntakeService);
    const db = api.get(DataSource);

    const workerApp = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    const ticketWorker = workerApp.get(TicketWorker);
    await ticketWorker.create();
    const running = ticketWorker.run();
    const bareConnection = await NativeConnection.connect({ address: temporal.address });
    const bareWorker = await Worker.create({ connection: bareConnection, taskQueue: 'bench-bare', workflowsPath: require.resolve('./bare.workflow') });
    const bareRunning = bareWorker.run();
    let workersStopped: Promise<void> | null = null;
    const stopWorkers = () =>
      (workersStopped ??= (async () => {
        ticketWorker.shutdown();
        bareWorker.shutdown();
        await Promise.all([running, bareRunning]);
        await workerApp.close();
        await bareConnection.close();
      })());
    cleanup.unshift(stopWorkers);

    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });

    /** Summed milliseconds per step, for the per-command latency in the report. */
    const latency: Record<string, number> = {};
    const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        latency[step] = (latency[step] ?? 0) + performance.now() - started;
      }
    };

    const lifecycle = async (): Promise<string> => {
      const created = await timed('create', () =>
        intake.create({
        channel: 'CALL_CENTER',
        type: 'COMPLAINT',
        category: 'ROAD_REPAIR',
        requester: { name: 'Bench', phone: '+905321234567' },
        description: 'benchmark',
      } as never));
      const handle = client.workflow.getHandle(created.workflowId);
      const send = (name: keyof typeof ticketUpdates, args: Record<string, unknown>) =>
        timed(name, () => handle.executeUpdate(ticketUpdates[name] as never, { args: [args] as never }));
      await send('assignDepartment', { actor: coordinator, departmentId: 'fen-isleri' });
      await send('assignExpert', { actor: manager, expertId: 'expert.fen.ali', expertDepartmentId: 'fen-isleri' });
      await send('submitResolution', { actor: expert, textRef: randomUUID() });
      await send('approve', { actor: manager });
      await send('approve', { actor: head });
      await send('finalize', { actor: coordinator, summaryRef: randomUUID() });
      await timed('close (reopen window + completion)', () => handle.result());
      return created.number;
    };

    const bare = async (): Promise<void> => {
      const handle = await client.workflow.start<typeof bareWorkflow>('bareWorkflow', {
        workflowId: `bare-${randomUUID()}`,
        taskQueue: 'bench-bare',
        args: [UPDATES_PER_LIFECYCLE, REOPEN_WINDOW_MS],
      });
      for (let u = 0; u < UPDATES_PER_LIFECYCLE; u++) await handle.executeUpdate(bareCommand, { args: [`u${u}`] });
      await handle.result();
    };

    // Warm up both paths (bundles, connections, JIT) before measuring.
    await pool(CONCURRENCY, CONCURRENCY, lifecycle);
    await pool(CONCURRENCY, CONCURRENCY, bare);

    for (const key of Object.keys(latency)) delete latency[key]; // forget the warm-up
    const cpu0 = sampleCpu();
    let t0 = performance.now();
    const numbers = await pool(LIFECYCLES, CONCURRENCY, lifecycle);
    const fullSeconds = (performance.now() - t0) / 1000;
    const cpu1 = sampleCpu();

    t0 = performance.now();
    await pool(LIFECYCLES, CONCURRENCY, bare);
    const bareSeconds = (performance.now() - t0) / 1000;
    const cpu2 = sampleCpu();

    const [stats] = await db.query(
      `SELECT avg(events)::float AS events, avg(transitions)::float AS transitions FROM (
         SELECT t.id, count(e.*) AS events,
                count(*) FILTER (WHERE e.status IS DISTINCT FROM prev) AS transitions
           FROM tickets t
           JOIN (SELECT ticket_id, status, lag(status, 1, 'RECEIVED') OVER (PARTITION BY ticket_id ORDER BY seq) AS prev FROM ticket_events) e ON e.ticket_id = t.id
          WHERE t.number = ANY($1) GROUP BY t.id) s`,
      [numbers],
    );
    const [sms] = await db.query(`SELECT count(*)::float / $2 AS per FROM sms_outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ANY($1)`, [numbers, numbers.length]);

    // --- intake latency: POST /tickets over HTTP against client.workflow.start alone ---------
    // Intake's own cost on top of the start it makes. The workers are stopped first: in
    // production the API has its process to itself, while here the worker shares its event
    // loop, and every POST starts a ticket whose opening the worker would run right there.
    // Each slot alternates one POST /tickets with one start of the same ticket's workflow,
    // built by the same WorkflowStarter.startOptions, on another workflow id and on a task
    // queue nobody polls: both starts leave a workflow task waiting, neither is run.
    // One request at a time is intake's own latency. Four at a time, in a closed loop with no
    // pause, keeps both cores busy: then it shows how much more a POST queues than a start.
    await stopWorkers();
    const starter = api.get(WorkflowStarter);
    const apiClient = api.get(Client);
    const roadRepair = await db.getRepository(CategoryEntity).findOneByOrFail({ code: 'ROAD_REPAIR' });
    const intakeLatency = [];
    for (const concurrency of INTAKE_CONCURRENCY) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const postMs: number[] = [];
      const startMs: number[] = [];
      const intakePair = async (): Promise<void> => {
        let t = performance.now();
        const res = await postJson(agent, apiPort, '/tickets', {
          channel: 'CALL_CENTER',
          type: 'COMPLAINT',
          category: 'ROAD_REPAIR',
          requester: { name: 'Bench', phone: '+905321234567' },
          description: 'benchmark',
        });
        postMs.push(performance.now() - t);
        if (res.status !== 201) throw new Error(`POST /tickets answered ${res.status}: ${JSON.stringify(res.body)}`);
        const ticket = await db.getRepository(TicketEntity).findOneByOrFail({ number: String(res.body.number) });
        const options = { ...starter.startOptions(ticket, roadRepair), workflowId: `bench-start-${randomUUID()}`, taskQueue: 'bench-start-only' };
        t = performance.now();
        await apiClient.workflow.start('ticketWorkflow', options);
        startMs.push(performance.now() - t);
      };
      await pool(concurrency * 10, concurrency, intakePair); // warm-up
      postMs.length = 0;
      startMs.length = 0;
      await pool(INTAKE_SAMPLES, concurrency, intakePair);
      agent.destroy();
      const post = { p50: percentile(postMs, 0.5), p99: percentile(postMs, 0.99) };
      const start = { p50: percentile(startMs, 0.5), p99: percentile(startMs, 0.99) };
      intakeLatency.push({
        samples: INTAKE_SAMPLES,
        concurrency,
        postTicketsMs: post,
        workflowStartMs: start,
        differenceMs: { p50: Math.round((post.p50 - start.p50) * 10) / 10, p99: Math.round((post.p99 - start.p99) * 10) / 10 },
      });
    }

    const full = LIFECYCLES / fullSeconds;
    const baseline = LIFECYCLES / bareSeconds;
    const report = {
      lifecycles: LIFECYCLES,
      concurrency: CONCURRENCY,
      searchAttributes: config.temporal.searchAttributes,
      fullLifecyclesPerSecond: Number(full.toFixed(2)),
      bareWorkflowsPerSecond: Number(baseline.toFixed(2)),
      ratio: Number((full / baseline).toFixed(3)),
      auditEventsPerLifecycle: stats.events,
      statusTransitionsPerLifecycle: stats.transitions,
      smsPerLifecycle: sms.per,
      meanLatencyMsPerStep: Object.fromEntries(Object.entries(latency).map(([step, ms]) => [step, Math.round(ms / LIFECYCLES)])),
      cpuMsPerLifecycle: { full: cpuPer(cpu0, cpu1, LIFECYCLES), bare: cpuPer(cpu1, cpu2, LIFECYCLES) },
      intakeLatency,
      machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    for (const stop of cleanup) await stop().catch((error) => console.error('cleanup:', error));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
