/**
 * bench/live: what 200 idle signed-in consoles cost the API, polling (as the console did until
 * issue 20) versus the live feed (GET /events, server-sent events).
 *
 *   npm run bench:live                       (200 clients, 60 s windows, 3 runs of each mode)
 *   LIVE_CLIENTS=50 LIVE_WINDOW_S=20 LIVE_RUNS=1 npm run bench:live
 *
 * On the fault suite's stack (test/faults/support/fault-stack.ts): embedded PostgreSQL, the
 * Temporal dev server, the fake Twilio, the worker and the API as child processes started as
 * in production, so the API's CPU is read from /proc/<pid>/stat. A few tickets are filed and
 * sent to a department first (real intake, real workflows). Each client signs in for real
 * (POST /auth/login, its own session) as one of the seeded accounts that may open those tickets
 * (coordinators, an agent, an auditor, the department's staff), then idles:
 * - polling: GET /queues and GET /tickets/{one ticket} every 4 s (the console's REFRESH_MS),
 *   the clients' phases spread over the 4 s;
 * - events: one GET /events stream each, read and discarded (heartbeats every
 *   LIVE_HEARTBEAT_INTERVAL, 20 s by default).
 * Nothing else happens during a window: this measures the cost of idling, not of changes.
 * Each run: the clients connect, LIVE_WARMUP_S (10) pass, then the API's CPU milliseconds over
 * LIVE_WINDOW_S; the modes alternate (polling, events, polling, …) so drift on a shared machine
 * hits both. PostgreSQL's CPU (every backend) is reported beside it.
 */
import { setMaxListeners } from 'node:events';
import * as os from 'node:os';
import { cpuMsOf, sampleCpu } from '../lifecycle/cpu-usage';
import { FaultStack, sleep } from '../../test/faults/support/fault-stack';
import { intakeBody, phoneOf } from '../../test/faults/support/lifecycle';
import { DEMO_PASSWORD } from '../../libs/database/src/seed';

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const CLIENTS = int('LIVE_CLIENTS', 200);
const WINDOW_S = int('LIVE_WINDOW_S', 60);
const WARMUP_S = int('LIVE_WARMUP_S', 10);
const RUNS = int('LIVE_RUNS', 3);
const TICKETS = int('LIVE_TICKETS', 10);
/** The console's polling period before the live feed. */
const POLL_MS = 4_000;
/** Accounts that may open tickets of fen-isleri (the center sees all; the department's staff theirs). */
const ACCOUNTS = ['coord.ayse', 'coord.mehmet', 'agent.elif', 'auditor.nur', 'expert.fen.ali', 'expert.fen.zeynep', 'mgr.fen.hasan', 'mgr.fen.seda', 'head.fen.fatma'];

type Mode = 'polling' | 'events';

interface Client {
  authorization: string;
  ticket: string;
}

interface RunResult {
  mode: Mode;
  run: number;
  apiCpuMs: number;
  postgresCpuMs: number;
  requests: number;
  streamsOpen: number;
}

async function main(): Promise<void> {
  console.log(`bench/live: ${JSON.stringify({ clients: CLIENTS, windowS: WINDOW_S, warmupS: WARMUP_S, runs: RUNS, cpus: os.cpus().length, load: os.loadavg().map((l) => l.toFixed(2)) })}`);
  const stack = await FaultStack.start();
  const stop = () => void stack.close().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await stack.startWorker();
    const api = await stack.startApi({ LOGIN_RATE_LIMIT: '100000,100000' });
    const numbers = await fileTickets(stack);
    const clients = await signIn(stack, numbers);
    const results: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const mode of ['polling', 'events'] as const) {
        const result = await measure(stack, api.child.pid!, clients, mode, run);
        results.push(result);
        console.log(`  ${mode} run ${run}: API ${result.apiCpuMs} ms CPU in ${WINDOW_S} s (${pct(result.apiCpuMs)} of a core), PostgreSQL ${result.postgresCpuMs} ms, ${result.requests} requests, ${result.streamsOpen} streams`);
      }
    }
    report(results);
  } finally {
    await stack.close();
  }
}

/** Real tickets in fen-isleri, so every account above may open them. */
async function fileTickets(stack: FaultStack): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const res = await stack.request('POST', '/tickets', intakeBody(phoneOf(777, i)), await stack.bearer('agent.elif'));
    if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
    numbers.push(res.body.number);
  }
  for (const number of numbers) {
    for (let attempt = 0; ; attempt++) {
      const res = await stack.request('POST', `/tickets/${number}/assign-department`, { departmentId: 'fen-isleri' }, await stack.bearer('coord.ayse'));
      if (res.status === 200) break;
      // The workflow may still be starting (409 TICKET_NOT_READY, 503): a moment later.
      if (attempt > 50) throw new Error(`assign-department ${number}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(200);
    }
  }
  return numbers;
}

/** One real sign-in per client: 200 sessions, as 200 consoles would have. */
async function signIn(stack: FaultStack, numbers: string[]): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const res = await stack.request('POST', '/auth/login', { username: ACCOUNTS[i % ACCOUNTS.length], password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${JSON.stringify(res.body)}`);
    clients.push({ authorization: `Bearer ${res.body.accessToken}`, ticket: numbers[i % numbers.length] });
  }
  return clients;
}

async function measure(stack: FaultStack, apiPid: number, clients: Client[], mode: Mode, run: number): Promise<RunResult> {
  const base = `http://127.0.0.1:${stack.apiPort}`;
  const abort = new AbortController();
  // Every request of the window listens to this one signal (thousands of them while polling).
  setMaxListeners(0, abort.signal);
  let requests = 0;
  let failures = 0;
  let streamsOpen = 0;
  const get = async (path: string, authorization: string) => {
    try {
      const res = await fetch(`${base}${path}`, { headers: { authorization }, signal: abort.signal });
      await res.arrayBuffer();
      if (!res.ok) failures++;
      requests++;
    } catch {
      if (!abort.signal.aborted) failures++;
    }
  };
  const tasks = clients.map(async (client, i) => {
    if (mode === 'polling') {
      // Spread over the period, as consoles opened at different times are.
      await sleep((POLL_MS * i) / clients.length);
      while (!abort.signal.aborted) {
        const started = Date.now();
        await Promise.all([get('/queues', client.authorization), get(`/tickets/${client.ticket}`, client.authorization)]);
        await sleep(Math.max(0, POLL_MS - (Date.now() - started)));
      }
    } else {
      try {
        const res = await fetch(`${base}/events`, { headers: { authorization: client.authorization, accept: 'text/event-stream' }, signal: abort.signal });
        requests++;
        if (!res.ok || !res.body) return void failures++;
        streamsOpen++;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) void chunk;
      } catch {
        if (!abort.signal.aborted) failures++;
      }
    }
  });
  await sleep(WARMUP_S * 1000);
  const before = { api: cpuMsOf(apiPid), postgres: sampleCpu().postgres, requests };
  await sleep(WINDOW_S * 1000);
  const after = { api: cpuMsOf(apiPid), postgres: sampleCpu().postgres, requests };
  const open = streamsOpen;
  abort.abort();
  await Promise.allSettled(tasks);
  if (failures) throw new Error(`${mode} run ${run}: ${failures} requests failed`);
  // Let the API settle (closed streams, sockets) before the next run.
  await sleep(3_000);
  return { mode, run, apiCpuMs: Math.round(after.api - before.api), postgresCpuMs: Math.round(after.postgres - before.postgres), requests: after.requests - before.requests, streamsOpen: open };
}

const pct = (ms: number) => `${((ms / (WINDOW_S * 1000)) * 100).toFixed(1)} %`;

function report(results: RunResult[]): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`\n| mode | run | API CPU (ms in ${WINDOW_S} s) | API CPU (% of one core) | PostgreSQL CPU (ms) | requests in the window (per s) | API CPU per request (ms) |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const perRequest = r.requests ? (r.apiCpuMs / r.requests).toFixed(1) : '–';
    console.log(`| ${r.mode} | ${r.run} | ${r.apiCpuMs} | ${pct(r.apiCpuMs)} | ${r.postgresCpuMs} | ${r.requests} (${(r.requests / WINDOW_S).toFixed(1)}) | ${perRequest} |`);
  }
  for (const mode of ['polling', 'events'] as const) {
    const of = results.filter((r) => r.mode === mode);
    console.log(`${mode}: median API CPU ${median(of.map((r) => r.apiCpuMs))} ms (${pct(median(of.map((r) => r.apiCpuMs)))}), PostgreSQL ${median(of.map((r) => r.postgresCpuMs))} ms`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
