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
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/app.factory';
import { IntakeService } from '../../apps/api/src/tickets/intake.service';
import { TicketWorker } from '../../apps/worker/src/ticket-worker';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig } from '../../libs/config/src';
import { DEMO_PASSWORD, prepareDatabase } from '../../libs/database/src';
import type { Actor, StaffRole } from '../../libs/domain/src';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../libs/temporal/src/search-attributes';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { ticketUpdates } from '../../workflows/ticket.messages';
import { bareCommand, type bareWorkflow } from './bare.workflow';

const LIFECYCLES = Number(process.env.LIFECYCLES ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
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
    });
    const api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    cleanup.unshift(() => api.close());
    const { coordinator, manager, expert, head } = await signInActors(await api.getUrl());
    const intake = api.get(IntakeService);
    const db = api.get(DataSource);

    const workerApp = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    const ticketWorker = workerApp.get(TicketWorker);
    await ticketWorker.create();
    const running = ticketWorker.run();
    cleanup.unshift(async () => {
      ticketWorker.shutdown();
      await running;
      await workerApp.close();
    });

    const bareConnection = await NativeConnection.connect({ address: temporal.address });
    const bareWorker = await Worker.create({ connection: bareConnection, taskQueue: 'bench-bare', workflowsPath: require.resolve('./bare.workflow') });
    const bareRunning = bareWorker.run();
    cleanup.unshift(async () => {
      bareWorker.shutdown();
      await bareRunning;
      await bareConnection.close();
    });

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
    let t0 = performance.now();
    const numbers = await pool(LIFECYCLES, CONCURRENCY, lifecycle);
    const fullSeconds = (performance.now() - t0) / 1000;

    t0 = performance.now();
    await pool(LIFECYCLES, CONCURRENCY, bare);
    const bareSeconds = (performance.now() - t0) / 1000;

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

    const full = LIFECYCLES / fullSeconds;
    const baseline = LIFECYCLES / bareSeconds;
    const report = {
      lifecycles: LIFECYCLES,
      concurrency: CONCURRENCY,
      fullLifecyclesPerSecond: Number(full.toFixed(2)),
      bareWorkflowsPerSecond: Number(baseline.toFixed(2)),
      ratio: Number((full / baseline).toFixed(3)),
      auditEventsPerLifecycle: stats.events,
      statusTransitionsPerLifecycle: stats.transitions,
      smsPerLifecycle: sms.per,
      meanLatencyMsPerStep: Object.fromEntries(Object.entries(latency).map(([step, ms]) => [step, Math.round(ms / LIFECYCLES)])),
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
