/**
 * bench/load: Teksin under open-loop load, on the fault suite's stack (test/faults/support/
 * fault-stack.ts): embedded PostgreSQL, the Temporal dev server, the fake Twilio, and the API and
 * the worker as child processes (`apps/…/main.ts`, as in production), so their RSS and CPU are
 * read from /proc. Everything on loopback; every loop is bounded.
 *
 *   npm run bench:load                                  (the issue's sizes: about 50 minutes)
 *   LOAD_SUSTAINED_S=20 LOAD_RATE=2 LOAD_BURST_S=10 LOAD_BURST_RATE=4 LOAD_SOAK_S=30 LOAD_OPEN_TICKETS=300 npm run bench:load
 *   ONLY=sustained,bare npm run bench:load              (phases: sustained, burst, bare, soak, memory)
 *
 * Phases, in this order (ONLY= picks some):
 * - sustained: LOAD_RATE tickets/s (10) for LOAD_SUSTAINED_S (600), arrivals on a clock (open
 *   loop: a slow answer does not slow the arrivals), each ticket then driven through its whole
 *   process over HTTP by signed-in staff; then the bare baseline at the same rate (with `bare`).
 * - burst: the same at LOAD_BURST_RATE (25) for LOAD_BURST_S (120); then its baseline.
 * - bare: the baseline (bench/lifecycle/bare.workflow.ts: start + the same six updates, no
 *   activities), run after each of sustained and burst at its rate and duration.
 * - soak: LOAD_RATE for LOAD_SOAK_S (900); RSS growth from the end of the warm-up
 *   (LOAD_SOAK_WARMUP_S, default min(120, a quarter)) to the end of the arrivals must be < 10 %.
 * - memory: a fresh worker with its workflow cache capped (LOAD_WORKER_CACHE, 2000), then
 *   LOAD_OPEN_TICKETS (10000) tickets created and left open (LOAD_OPEN_CONCURRENCY at a time):
 *   worker RSS per cached open ticket.
 *
 * Each ticket: POST /tickets as the call-center agent → coordinator assigns fen-isleri → the
 * branch manager assigns the expert → the expert submits the resolution → level 1 (the manager)
 * and level 2 (the department head) approve → the coordinator finalizes. The staff act on the
 * ticket number the intake answered (no queue polling: the commands are Workflow Updates that
 * wait for the workflow, so the next actor can act as soon as the previous one got 200).
 * Sign-in is real: POST /auth/login with each seeded account's demo password, bearer tokens.
 * Like the console, every command carries an X-Request-Id and the intake an Idempotency-Key;
 * when the outcome is unknown (503 with Retry-After: the API waited COMMAND_WAIT, or Temporal
 * said "not now"; 409 REQUEST_IN_PROGRESS or TICKET_NOT_READY; no answer within
 * LOAD_REQUEST_TIMEOUT_MS, 30 s) the same request is sent again after Retry-After, up to
 * LOAD_RESENDS (5) times, and the checks count commands applied twice (must be 0).
 *
 * When a phase's arrivals end, in-flight lifecycles get LOAD_DRAIN_S (120) to finish; what is
 * left is cut (its requests aborted) and reported as the backlog: the bench ends in bounded time
 * even when the machine cannot keep up with the rate. Then the phase's checks: every accepted
 * ticket has its row and its workflow, finished ones are closed, one provider message per SMS
 * outbox row (no duplicate, none missing), each command once per ticket.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { maskTrackingTokens } from '../../libs/sms/src/mask-tracking-token';
import { FaultStack, settlesWithin, sleep, until, type Proc } from '../../test/faults/support/fault-stack';
import { intakeBody, phoneOf } from '../../test/faults/support/lifecycle';
import { STAFF } from '../../test/support/ticket-driver';
import { bareCommand, type bareWorkflow } from '../lifecycle/bare.workflow';
import { cpuMsOf, rssMiBOf, sampleCpu } from '../lifecycle/cpu-usage';
import { percentile } from '../support/latency-cases';
import { fullServerFor, loadTemporalKind } from './temporal-server';

const ROOT = path.resolve(__dirname, '../..');

function nonNegative(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${raw}"`);
  return value;
}

/** 409s that say "try again": the first attempt with this id is still being answered; the ticket's workflow is still being started. */
const TRY_AGAIN_CODES = ['REQUEST_IN_PROGRESS', 'TICKET_NOT_READY'];

/** What a 503 without Retry-After, or a time-out, waits before the resend (the API's Retry-After is 5 s too). */
const RETRY_AFTER_DEFAULT_S = 5;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

const SOAK_S = positive('LOAD_SOAK_S', 900);
const S = {
  rate: positive('LOAD_RATE', 10),
  sustainedS: positive('LOAD_SUSTAINED_S', 600),
  burstRate: positive('LOAD_BURST_RATE', 25),
  burstS: positive('LOAD_BURST_S', 120),
  soakS: SOAK_S,
  soakWarmupS: positive('LOAD_SOAK_WARMUP_S', Math.min(120, Math.floor(SOAK_S / 4))),
  openTickets: Math.round(positive('LOAD_OPEN_TICKETS', 10_000)),
  openConcurrency: Math.round(positive('LOAD_OPEN_CONCURRENCY', 8)),
  workerCache: Math.round(positive('LOAD_WORKER_CACHE', 2000)),
  drainS: positive('LOAD_DRAIN_S', 120),
  requestTimeoutMs: positive('LOAD_REQUEST_TIMEOUT_MS', 30_000),
  resends: Math.round(nonNegative('LOAD_RESENDS', 5)),
  /** Finalized tickets close (their workflow completes) this long after finalize. */
  reopenWindowMs: positive('LOAD_REOPEN_WINDOW_MS', 2000),
  sampleS: positive('LOAD_SAMPLE_S', 5),
};
/** Where the API and the worker write V8 CPU profiles (`--cpu-prof`), stopped with SIGTERM at the end so the profiles are written. */
const CPU_PROF_DIR = process.env.LOAD_CPU_PROF_DIR ? path.resolve(process.env.LOAD_CPU_PROF_DIR) : null;
/**
 * LOAD_PG_STATEMENTS=1: PostgreSQL loads pg_stat_statements (nested statements too: triggers'),
 * and each full phase ends with its statements by total execution time, per lifecycle.
 */
const PG_STATEMENTS = process.env.LOAD_PG_STATEMENTS === '1';
if (PG_STATEMENTS) process.env.PG_EXTRA_FLAGS = `${process.env.PG_EXTRA_FLAGS ?? ''} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all`.trim();
const PHASES = ['sustained', 'burst', 'bare', 'soak', 'memory'] as const;
type PhaseName = (typeof PHASES)[number];
const ONLY = (process.env.ONLY ?? PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
for (const p of ONLY) if (!PHASES.includes(p as PhaseName)) throw new Error(`ONLY: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
const runs = (p: PhaseName) => ONLY.includes(p);
const TEMPORAL = loadTemporalKind();
const BARE_QUEUE = 'load-bare';
/** Six staff commands per ticket; the baseline sends six updates. */
const UPDATES_PER_LIFECYCLE = 6;

// ---------------------------------------------------------------------------------------------

interface Sample {
  at: number;
  api: number | null;
  worker: number | null;
  bare: number | null;
  open: number | null;
}

interface CheckCounts {
  accepted: number;
  rows: number;
  workflowStarted: number;
  workflows: number;
  workflowsOpen: number;
  closedRows: number;
  smsRows: number;
  smsKeys: number;
  /** Over the whole run: outbox rows sent (SENT/UNCERTAIN) vs provider messages, per recipient and text. */
  smsDuplicates: number;
  smsMissing: number;
  /** Staff commands of the lifecycle found twice in a ticket's audit rows (a resend applied again): must be 0. */
  commandsAppliedTwice: number;
}

/** One phase's measurements. */
class Phase {
  /**
   * One request's abort: the phase's cut, or its own time-out on a plain timer. Not
   * AbortSignal.any([…, AbortSignal.timeout()]): on Node 20 the timeout signal inside it can be
   * garbage-collected before it fires (nodejs/node#57736), and requests then ran past the time-out
   * unaborted. `run` gets the signal; the timer and the listener go when it settles.
   */
  async withRequestSignal<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`time-out (${S.requestTimeoutMs} ms)`, 'TimeoutError')), S.requestTimeoutMs);
    const cut = () => controller.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', cut, { once: true });
    try {
      return await run(controller.signal);
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', cut);
    }
  }

  readonly latency = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly e2e: number[] = [];
  readonly accepted: string[] = [];
  readonly samples: Sample[] = [];
  /** Cuts every request of the phase at the drain time-out (each request listens: no listener limit). */
  readonly abort = (() => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  })();
  arrivals = 0;
  completed = 0;
  backlog = 0;
  maxArrivalLagMs = 0;
  startedAt = new Date();
  /** performance.now() at the start: sample times are relative to it. */
  startedAtPerf = performance.now();
  arrivalsEndedAt = 0;
  cpuMs: Record<string, number> = {};
  checks: CheckCounts | null = null;
  extra: Record<string, unknown> = {};

  constructor(
    readonly name: string,
    readonly rate: number,
    readonly seconds: number,
    readonly workflowType: 'ticketWorkflow' | 'bareWorkflow',
  ) {}

  record(kind: string, ms: number) {
    const list = this.latency.get(kind) ?? [];
    list.push(ms);
    this.latency.set(kind, list);
  }

  error(kind: string) {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** Requests sent again with the same X-Request-Id / Idempotency-Key after an unknown outcome, by request kind and why. */
  readonly resends = new Map<string, number>();
  resent(kind: string) {
    this.resends.set(kind, (this.resends.get(kind) ?? 0) + 1);
  }

  /** Waits `ms`, or less when the phase is cut. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  get errorCount() {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }
}

const ms1 = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
function p50p99(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? { n: sorted.length, p50: ms1(percentile(sorted, 50))!, p99: ms1(percentile(sorted, 99))! } : { n: 0, p50: null, p99: null };
}

// ---------------------------------------------------------------------------------------------

/**
 * What the API logs about its 5xx, every line of it: the problem filter's errorId lines with what
 * each error wraps, and the workflow translation's warnings naming Temporal's answer. (The fault
 * stack keeps only the tail of a process's output, for its own error messages.)
 */
class ApiErrorLog {
  private static readonly KEEP = /errorId=|Temporal answered |Temporal did not answer \(|^\s+caused by:/;
  readonly lines: string[] = [];
  private partial = '';

  constructor(api: Proc) {
    const take = (chunk: Buffer) => {
      const text = this.partial + chunk.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, ''); // Nest's colours
        if (ApiErrorLog.KEEP.test(line) && this.lines.length < 1_000_000) this.lines.push(line);
      }
    };
    api.child.stdout?.on('data', take);
    api.child.stderr?.on('data', take);
  }
}

class LoadRun {
  private readonly tokens = new Map<string, string>();
  bare: Proc | null = null;
  apiErrors: ApiErrorLog | null = null;

  constructor(readonly stack: FaultStack) {}

  /** The API and worker env for the run (on top of the fault stack's). */
  static env(): Record<string, string> {
    return {
      TEMPORAL_TASK_QUEUE: 'load-tickets',
      REOPEN_WINDOW: `${S.reopenWindowMs}ms`,
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '20',
      // Twilio's pace per sender is 10 SMS/s by default and a lifecycle sends about three: at
      // 10 tickets/s that is 30 SMS/s, and the outbox would queue them and stretch every
      // lifecycle. The fake Twilio has no such limit; the bench measures Teksin, not the pace.
      SMS_RATE_PER_SECOND: '1000',
      // A soak outlives the default 15 minutes of an access token; the staff sign in once.
      ACCESS_TOKEN_TTL: '3h',
      // The sweeper's default period: under overload it starts the workflows whose start missed its 3 s deadline.
      INTAKE_SWEEP_INTERVAL: '30s',
      WORKER_MAX_CACHED_WORKFLOWS: String(S.workerCache),
      // How long the API waits for a command's answer (its default, 20 s, unless the run says).
      ...(process.env.COMMAND_WAIT ? { COMMAND_WAIT: process.env.COMMAND_WAIT } : {}),
      // Off (the default) unless the run says: `TEMPORAL_SEARCH_ATTRIBUTES=live` measures what live attributes cost.
      ...(process.env.TEMPORAL_SEARCH_ATTRIBUTES ? { TEMPORAL_SEARCH_ATTRIBUTES: process.env.TEMPORAL_SEARCH_ATTRIBUTES } : {}),
    };
  }

  /** The worker's workflow cache size as it logged it at start (the cap it really applied). */
  workerCache: number | null = null;

  async startWorker() {
    const worker = await this.stack.startWorker({ ...LoadRun.env(), LOG_LEVEL: 'info' });
    const logged = worker.output.map((l) => /workflow cache (\d+)/.exec(l)).find(Boolean);
    this.workerCache = logged ? Number(logged[1]) : null;
  }

  /** The baseline's worker (bench/load/bare-worker.ts), a child process like the ticket worker. */
  async startBareWorker(): Promise<void> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'bare-worker.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: `127.0.0.1:${this.stack.temporalPort}`, BARE_TASK_QUEUE: BARE_QUEUE, WORKER_MAX_CACHED_WORKFLOWS: String(S.workerCache) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.bare = { name: 'bare worker', child, exited, output };
    await until(() => output.includes('READY'), 90_000, 'the bare worker to start', this.bare);
  }

  async stopBareWorker() {
    if (!this.bare || this.bare.child.exitCode !== null) return;
    this.bare.child.kill('SIGTERM');
    if (!(await settlesWithin(this.bare.exited, 30_000))) this.bare.child.kill('SIGKILL');
    await this.bare.exited;
  }

  async bearer(staffId: string): Promise<string> {
    let token = this.tokens.get(staffId);
    if (!token) {
      token = (await this.stack.bearer(staffId)).Authorization;
      this.tokens.set(staffId, token);
    }
    return token;
  }

  /**
   * One HTTP request of a lifecycle, as staff at the console send it: when its outcome is
   * unknown (503 with Retry-After, 409 REQUEST_IN_PROGRESS or TICKET_NOT_READY, no answer within
   * LOAD_REQUEST_TIMEOUT_MS) the same request goes again with the same X-Request-Id /
   * Idempotency-Key after Retry-After, up to LOAD_RESENDS times. Timed from the first attempt
   * when it ends 2xx; else counted as an error of its kind.
   */
  async call(phase: Phase, kind: string, route: string, body: unknown, staffId: string, headers: Record<string, string> = {}): Promise<Record<string, unknown> | null> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      let waitS = RETRY_AFTER_DEFAULT_S;
      try {
        const authorization = await this.bearer(staffId);
        const { res, text } = await phase.withRequestSignal(async (signal) => {
          const answer = await fetch(`http://127.0.0.1:${this.stack.apiPort}${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization, ...headers },
            body: JSON.stringify(body),
            signal,
          });
          return { res: answer, text: await answer.text() };
        });
        if (res.status >= 200 && res.status < 300) {
          phase.record(kind, performance.now() - started);
          return JSON.parse(text) as Record<string, unknown>;
        }
        let code = '';
        try {
          code = String((JSON.parse(text) as { code?: string }).code ?? '');
        } catch {
          // not JSON
        }
        failure = `${res.status}${code ? ` ${code}` : ''}`;
        waitS = Number(res.headers.get('retry-after')) || waitS;
        if (res.status !== 503 && !TRY_AGAIN_CODES.includes(code)) return this.failed(phase, kind, failure);
      } catch (error) {
        if (phase.abort.signal.aborted) return this.failed(phase, kind, 'cut at the drain time-out');
        const cause = (error as { cause?: { code?: string } }).cause?.code; // undici's reason for "fetch failed"
        failure = (error as Error).name === 'TimeoutError' ? `time-out (${S.requestTimeoutMs} ms)` : `${(error as Error).message}${cause ? ` (${cause})` : ''}`;
      }
      if (attempt >= S.resends) return this.failed(phase, kind, `${failure} (after ${S.resends} resends)`);
      phase.resent(`${kind} after ${failure.replace(/ \(\d+ ms\)/, '')}`);
      await phase.pause(waitS * 1000);
      if (phase.abort.signal.aborted) return this.failed(phase, kind, 'cut at the drain time-out');
    }
  }

  private failed(phase: Phase, kind: string, why: string): null {
    phase.error(`${kind}: ${why}`);
    return null;
  }

  /** One ticket through its whole process; never rejects (errors are counted). */
  async ticketLifecycle(phase: Phase, phone: string, arrivedAt: number): Promise<void> {
    const created = await this.call(phase, 'POST /tickets', '/tickets', intakeBody(phone), STAFF.agent, { 'idempotency-key': randomUUID() });
    if (!created) return;
    const number = String(created.number);
    phase.accepted.push(number);
    const steps: [string, string, string, Record<string, unknown>][] = [
      ['assign-department', STAFF.coordinator, 'assign-department', { departmentId: 'fen-isleri' }],
      ['assign-expert', STAFF.fenManager, 'assign-expert', { expertId: STAFF.fenExpert }],
      ['resolution', STAFF.fenExpert, 'resolution', { text: 'Kaldırım taşları yerine konuldu.' }],
      ['approve (level 1)', STAFF.fenManager, 'approve', {}],
      ['approve (level 2)', STAFF.fenHead, 'approve', {}],
      ['finalize', STAFF.coordinator, 'finalize', { summary: 'Kaldırım onarıldı.' }],
    ];
    for (const [kind, staffId, route, body] of steps) {
      if (phase.abort.signal.aborted) return;
      if (!(await this.call(phase, kind, `/tickets/${number}/${route}`, body, staffId, { 'x-request-id': randomUUID() }))) return;
    }
    phase.e2e.push(performance.now() - arrivedAt);
    phase.completed++;
  }

  /** The baseline's lifecycle: start, six updates, over the Temporal client; never rejects. */
  async bareLifecycle(phase: Phase, i: number, arrivedAt: number): Promise<void> {
    const client = this.stack.client;
    const timed = async <T>(kind: string, work: () => Promise<T>): Promise<T | null> => {
      const started = performance.now();
      try {
        const result = await phase.withRequestSignal((signal) => client.withAbortSignal(signal, work));
        phase.record(kind, performance.now() - started);
        return result;
      } catch (error) {
        const reason = phase.abort.signal.aborted ? 'cut at the drain time-out' : (error as Error).name === 'TimeoutError' ? `time-out (${S.requestTimeoutMs} ms)` : (error as Error).message.slice(0, 120);
        phase.error(`${kind}: ${reason}`);
        return null;
      }
    };
    const handle = await timed('start', () =>
      client.workflow.start<typeof bareWorkflow>('bareWorkflow', {
        workflowId: `bare-${phase.name}-${i}-${randomUUID().slice(0, 8)}`,
        taskQueue: BARE_QUEUE,
        args: [UPDATES_PER_LIFECYCLE, S.reopenWindowMs],
      }),
    );
    if (!handle) return;
    phase.accepted.push(handle.workflowId);
    for (let u = 0; u < UPDATES_PER_LIFECYCLE; u++) {
      if (phase.abort.signal.aborted) return;
      if ((await timed('update', () => handle.executeUpdate(bareCommand, { args: [`u${u}`] }))) === null) return;
    }
    phase.e2e.push(performance.now() - arrivedAt);
    phase.completed++;
  }

  // ----- sampling --------------------------------------------------------------------------

  private pids() {
    return { api: this.stack.api?.child.pid, worker: this.stack.worker?.child.pid, bare: this.bare?.child.pid };
  }

  async sample(phase: Phase): Promise<Sample> {
    const { api, worker, bare } = this.pids();
    let open: number | null = null;
    try {
      open = (await this.stack.client.workflow.count(`WorkflowType = "${phase.workflowType}" AND ExecutionStatus = "Running"`)).count;
    } catch {
      open = null;
    }
    const s: Sample = {
      at: Math.round(performance.now() - phase.startedAtPerf),
      api: api ? rssMiBOf(api) : null,
      worker: worker ? rssMiBOf(worker) : null,
      bare: bare ? rssMiBOf(bare) : null,
      open,
    };
    phase.samples.push(s);
    return s;
  }

  /** Samples every LOAD_SAMPLE_S until stopped. */
  sampler(phase: Phase): () => Promise<void> {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await this.sample(phase);
        for (let waited = 0; waited < S.sampleS * 1000 && !stopped; waited += 250) await sleep(250);
      }
    })();
    return async () => {
      stopped = true;
      await loop;
      await this.sample(phase);
    };
  }

  cpuNow(): Record<string, number> {
    const { node, temporal, postgres } = sampleCpu();
    const { api, worker, bare } = this.pids();
    return { api: api ? cpuMsOf(api) : 0, worker: worker ? cpuMsOf(worker) : 0, bareWorker: bare ? cpuMsOf(bare) : 0, temporal, postgres, 'driver (bench, fake Twilio)': node };
  }

  // ----- phases ----------------------------------------------------------------------------

  /** Open-loop arrivals at `rate` for `seconds`, then a bounded drain; measured and checked. */
  async openLoop(phase: Phase, lifecycle: (i: number, arrivedAt: number) => Promise<void>): Promise<void> {
    console.log(`\n== ${phase.name}: ${phase.rate}/s for ${phase.seconds} s (${Math.floor(phase.rate * phase.seconds)} arrivals), drain ≤ ${S.drainS} s`);
    phase.startedAt = new Date();
    phase.startedAtPerf = performance.now();
    const cpu0 = this.cpuNow();
    const stopSampling = this.sampler(phase);
    const running = new Set<Promise<void>>();
    const t0 = performance.now();
    const n = Math.floor(phase.rate * phase.seconds);
    let lastLog = t0;
    for (let i = 0; i < n; i++) {
      const at = t0 + (i * 1000) / phase.rate;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      phase.maxArrivalLagMs = Math.max(phase.maxArrivalLagMs, performance.now() - at);
      phase.arrivals++;
      const p: Promise<void> = lifecycle(i, at).finally(() => running.delete(p));
      running.add(p);
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        const s = phase.samples.at(-1);
        console.log(`  t=${Math.round((lastLog - t0) / 1000)} s arrivals ${phase.arrivals} done ${phase.completed} in flight ${running.size} errors ${phase.errorCount} open wf ${s?.open ?? '?'} RSS api ${s?.api ?? '?'} worker ${s?.worker ?? '?'} MiB`);
      }
    }
    phase.arrivalsEndedAt = performance.now() - phase.startedAtPerf;
    await this.sample(phase); // the end of the arrivals (the soak's "end")
    const drained = await settlesWithin(Promise.all(running), S.drainS * 1000);
    phase.backlog = running.size;
    if (!drained) {
      console.log(`  drain time-out: ${running.size} lifecycles still in flight are cut`);
      phase.abort.abort();
      await settlesWithin(Promise.all(running), 60_000);
    }
    const cpu1 = this.cpuNow();
    await stopSampling();
    // Per lifecycle's worth of answered requests (seven each: intake or start, six commands or
    // updates), so a phase whose backlog was cut is not charged its unfinished work per finished one.
    const answered = [...phase.latency.values()].reduce((n, v) => n + v.length, 0) / (1 + UPDATES_PER_LIFECYCLE);
    phase.cpuMs = Object.fromEntries(Object.keys(cpu1).map((k) => [k, answered ? Math.round((cpu1[k] - cpu0[k]) / answered) : 0]));
    console.log(`  arrivals ${phase.arrivals}, accepted ${phase.accepted.length}, lifecycles done ${phase.completed}, backlog ${phase.backlog}, errors ${phase.errorCount}`);
  }

  /** Waits (bounded) until the finished lifecycles' workflows have closed, then counts. */
  async checkTickets(phase: Phase): Promise<void> {
    const since = `StartTime >= "${phase.startedAt.toISOString()}"`;
    const countOpen = async () => (await this.stack.client.workflow.count(`WorkflowType = "${phase.workflowType}" AND ExecutionStatus = "Running" AND ${since}`)).count;
    // Lifecycles that stopped on an error stay open; the finished ones close after the reopen window.
    const mayStayOpen = phase.name.startsWith('memory') ? Infinity : phase.accepted.length - phase.completed;
    const deadline = Date.now() + S.reopenWindowMs + 60_000;
    while ((await countOpen()) > mayStayOpen && Date.now() < deadline) await sleep(1000);
    if (phase.workflowType === 'ticketWorkflow') {
      // An intake whose start missed its deadline (201 all the same) is started by the sweeper
      // (INTAKE_SWEEP_INTERVAL, 30 s here): give it two rounds, bounded.
      const unstarted = async () =>
        (await this.stack.db.query(`SELECT count(*)::int AS n FROM tickets WHERE number = ANY($1) AND workflow_started_at IS NULL`, [phase.accepted])).rows[0].n as number;
      const sweepDeadline = Date.now() + 75_000;
      while ((await unstarted()) > 0 && Date.now() < sweepDeadline) await sleep(1000);
    }
    const workflows = (await this.stack.client.workflow.count(`WorkflowType = "${phase.workflowType}" AND ${since}`)).count;
    const workflowsOpen = await countOpen();
    let rows = { rows: phase.accepted.length, started: phase.accepted.length, closed: phase.completed };
    let sms = { rows: 0, keys: 0 };
    let twice = 0;
    if (phase.workflowType === 'ticketWorkflow') {
      // Each command of the lifecycle once per ticket (an approval once per level), resends or not.
      [{ twice }] = (await this.stack.db.query(
        `SELECT count(*)::int AS twice FROM (
           SELECT 1 FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
            WHERE t.number = ANY($1) AND e.type IN ('DEPARTMENT_ASSIGNED', 'EXPERT_ASSIGNED', 'RESOLUTION_SUBMITTED', 'APPROVED_AT_LEVEL', 'FINALIZED')
            GROUP BY e.ticket_id, e.type, e.data->>'level' HAVING count(*) > 1) AS doubled`,
        [phase.accepted],
      )).rows;
      [rows] = (await this.stack.db.query(
        `SELECT count(*)::int AS rows, count(*) FILTER (WHERE workflow_started_at IS NOT NULL)::int AS started, count(*) FILTER (WHERE status = 'CLOSED')::int AS closed
           FROM tickets WHERE number = ANY($1)`,
        [phase.accepted],
      )).rows;
      [sms] = (await this.stack.db.query(
        `SELECT count(*)::int AS rows, count(DISTINCT o.notification_key)::int AS keys FROM sms_outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ANY($1)`,
        [phase.accepted],
      )).rows;
    }
    await this.outboxSettled();
    const { duplicates, missing } = await this.smsAgainstProvider();
    phase.checks = {
      accepted: phase.accepted.length,
      rows: rows.rows,
      workflowStarted: rows.started,
      workflows,
      workflowsOpen,
      closedRows: rows.closed,
      smsRows: sms.rows,
      smsKeys: sms.keys,
      smsDuplicates: duplicates,
      smsMissing: missing,
      commandsAppliedTwice: twice,
    };
    console.log(`  checks: ${JSON.stringify(phase.checks)}`);
  }

  /** Waits (bounded, 60 s) until no outbox row is PENDING or SENDING: a row being sent may have reached the provider already. */
  private async outboxSettled(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await this.stack.db.query(`SELECT count(*)::int AS n FROM sms_outbox WHERE status IN ('PENDING', 'SENDING')`);
      if (rows[0].n === 0) return;
      await sleep(500);
    }
  }

  /**
   * Every outbox row that reached the provider (SENT, UNCERTAIN) against the fake Twilio's
   * messages, grouped by recipient and text (the outbox keeps the text with its tracking token
   * masked): a group with more messages than rows is a duplicate, fewer a loss. Over the run.
   */
  async smsAgainstProvider(): Promise<{ duplicates: number; missing: number }> {
    const { rows } = await this.stack.db.query<{ recipient_phone: string; body: string; n: number }>(
      `SELECT recipient_phone, body, count(*)::int AS n FROM sms_outbox WHERE status IN ('SENT', 'UNCERTAIN') GROUP BY 1, 2`,
    );
    const messages = new Map<string, number>();
    for (const m of this.stack.twilio.messages) {
      const key = `${m.to}\n${maskTrackingTokens(m.body)}`;
      messages.set(key, (messages.get(key) ?? 0) + 1);
    }
    let duplicates = 0;
    let missing = 0;
    for (const r of rows) {
      const key = `${r.recipient_phone}\n${r.body}`;
      const got = messages.get(key) ?? 0;
      messages.delete(key);
      if (got > r.n) duplicates += got - r.n;
      if (got < r.n) missing += r.n - got;
    }
    for (const extra of messages.values()) duplicates += extra; // a message no row accounts for
    return { duplicates, missing };
  }

  async fullPhase(name: string, series: number, rate: number, seconds: number): Promise<Phase> {
    const phase = new Phase(name, rate, seconds, 'ticketWorkflow');
    const logged = this.apiErrors?.lines.length ?? 0;
    if (PG_STATEMENTS) await this.stack.db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()');
    await this.openLoop(phase, (i, at) => this.ticketLifecycle(phase, phoneOf(series * 100 + Math.floor(i / 10_000), i % 10_000), at));
    if (PG_STATEMENTS) await this.printStatements(phase);
    await this.checkTickets(phase);
    this.printUnexpected(phase, logged);
    return phase;
  }

  /** The phase's statements by total execution time (every database of the server: Teksin's and Temporal's), per finished lifecycle. */
  private async printStatements(phase: Phase): Promise<void> {
    const lifecycles = Math.max(1, phase.completed);
    const { rows } = await this.stack.db.query(
      `SELECT d.datname AS db, s.calls, s.total_exec_time AS ms, s.toplevel, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 140) AS query
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        ORDER BY s.total_exec_time DESC LIMIT 40`,
    );
    const byDb = await this.stack.db.query(
      `SELECT d.datname AS db, sum(s.calls) FILTER (WHERE s.toplevel) AS calls, sum(s.total_exec_time) FILTER (WHERE s.toplevel) AS ms
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid GROUP BY 1 ORDER BY 3 DESC NULLS LAST`,
    );
    console.log(`\n${phase.name}: PostgreSQL statements per finished lifecycle (${phase.completed}), execution time (top-level statements by database)`);
    console.log('| database | statements / lifecycle | exec ms / lifecycle |\n|---|---:|---:|');
    for (const r of byDb.rows) console.log(`| ${r.db} | ${(Number(r.calls) / lifecycles).toFixed(1)} | ${(Number(r.ms) / lifecycles).toFixed(1)} |`);
    console.log('\n| database | calls / lifecycle | exec ms / lifecycle | mean ms | nested | statement |\n|---|---:|---:|---:|---|---|');
    for (const r of rows) {
      console.log(`| ${r.db} | ${(r.calls / lifecycles).toFixed(2)} | ${(r.ms / lifecycles).toFixed(2)} | ${(r.ms / Math.max(1, r.calls)).toFixed(3)} | ${r.toplevel ? '' : 'yes'} | ${String(r.query).replace(/\|/g, '\\|')} |`);
    }
  }

  /**
   * The API's own account of its 5xx in the phase, each kind once with its count: the errorId
   * lines of the problem filter (with what each error wraps), and the workflow translation's
   * warnings naming what Temporal answered.
   */
  private printUnexpected(phase: Phase, from: number): void {
    const kinds = new Map<string, number>();
    const count = (kind: string) => kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const lines = this.apiErrors?.lines.slice(from) ?? [];
    lines.forEach((line, i) => {
      const temporal = line.indexOf('Temporal answered ');
      if (temporal >= 0 || line.includes('Temporal did not answer (')) {
        // "Temporal answered RESOURCE_EXHAUSTED (command, ticket …): Workflow Update failed (8 RESOURCE_EXHAUSTED: why)",
        // "Temporal did not answer (command, ticket …): Deadline exceeded after 20.001s,… (4 DEADLINE_EXCEEDED: …)".
        const what = /Temporal (answered \S+|did not answer) \((\w+)/.exec(line);
        const grpc = [...line.matchAll(/\((\d+ [A-Z_]+)(?:: ([^)]*))?/g)].pop();
        const why = temporal >= 0 && grpc?.[2] ? `: ${grpc[2].replace(/\d+(\.\d+)?/g, '…')}` : '';
        count(`503: Temporal ${what?.[1] ?? '?'} (${what?.[2] ?? '?'})${grpc ? ` ← ${grpc[1]}${why}` : ''}`);
        return;
      }
      const at = line.indexOf('errorId=');
      if (at < 0) return;
      // The method, the route's shape, the first line of the error and its causes, without ids and numbers.
      const causes: string[] = [];
      for (let j = i + 1; j < lines.length && /^\s+caused by:/.test(lines[j]); j++) causes.push(lines[j].trim());
      const first = line.slice(at).replace(/errorId=\S+ requestId=\S+ /, '').replace(/\/tickets\/[^/\s:]+/, '/tickets/:n').replace(/: the outcome is unknown.*$/, '');
      const kind = [first, ...causes].join(' ← ').replace(/\d{4,}/g, '…');
      count(kind.slice(0, 400));
    });
    if (kinds.size) console.log(`  the API's 5xx in ${phase.name}:\n${[...kinds].map(([k, n]) => `    ${n} × ${k}`).join('\n')}`);
  }

  async barePhase(name: string, rate: number, seconds: number): Promise<Phase> {
    const phase = new Phase(name, rate, seconds, 'bareWorkflow');
    await this.openLoop(phase, (i, at) => this.bareLifecycle(phase, i, at));
    await this.checkTickets(phase);
    return phase;
  }

  /**
   * A fresh worker (cache capped at LOAD_WORKER_CACHE), then LOAD_OPEN_TICKETS tickets created
   * and left open in triage: the worker's RSS against the number of cached open tickets.
   */
  async memoryPhase(): Promise<Phase> {
    const phase = new Phase('memory (open tickets)', 0, 0, 'ticketWorkflow');
    console.log(`\n== memory: ${S.openTickets} open tickets, worker cache capped at ${S.workerCache}`);
    const worker = this.stack.worker;
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await this.startWorker();
    phase.startedAt = new Date();
    phase.startedAtPerf = performance.now();
    const create = (i: number) => this.ticketIntakeOnly(phase, phoneOf(900 + Math.floor(i / 10_000), i % 10_000));
    // The ticket counts RSS is read at: a few warm-up tickets, then up to the cap in quarters,
    // then on to LOAD_OPEN_TICKETS in quarters (past the cap the RSS should stay flat).
    const cap = Math.min(S.workerCache, S.openTickets);
    const warm = Math.min(20, cap);
    const targets = [...new Set([warm, ...[0.25, 0.5, 0.75, 1].map((f) => Math.round(warm + (cap - warm) * f)), ...[0.25, 0.5, 0.75, 1].map((f) => Math.round(cap + (S.openTickets - cap) * f))])].filter((t) => t >= warm);
    const points: { open: number; inTriage: number; workerMiB: number | null; apiMiB: number | null }[] = [];
    let next = 0;
    for (const target of targets) {
      await Promise.all(
        Array.from({ length: S.openConcurrency }, async () => {
          while (next < target) await create(next++);
        }),
      );
      // Read once the worker has run every ticket's first workflow task (the row is in TRIAGE,
      // its acknowledgement settled): each is then in the cache, or evicted from it.
      const inTriage = await this.settled(phase, 60_000 + 100 * (target - (points.at(-1)?.open ?? 0)));
      await sleep(1000);
      const s = await this.sample(phase);
      points.push({ open: phase.accepted.length, inTriage, workerMiB: s.worker, apiMiB: s.api });
      console.log(`  ${phase.accepted.length} open (${inTriage} in triage): worker ${s.worker} MiB, API ${s.api} MiB`);
    }
    const cached = Math.min(phase.accepted.length, S.workerCache);
    const base = points[0];
    const atCap = points.find((p) => p.open >= cap) ?? points.at(-1)!;
    // The least-squares slope of RSS over open tickets from the first reading to the cap: less
    // at the mercy of one garbage collection than the difference of two readings.
    const upToCap = points.filter((p) => p.open <= cap && p.workerMiB !== null) as { open: number; workerMiB: number }[];
    const perCachedKiB = upToCap.length >= 2 ? Math.round(slope(upToCap.map((p) => [p.open, p.workerMiB])) * 1024) : null;
    phase.arrivals = S.openTickets;
    phase.extra = { cacheCap: S.workerCache, cacheLoggedByWorker: this.workerCache, cachedAtEnd: cached, base, atCap, end: points.at(-1), perCachedTicketKiB: perCachedKiB, points };
    await this.checkTickets(phase);
    return phase;
  }

  /** Waits (bounded) until every accepted ticket of the phase is in TRIAGE and no SMS is pending; returns how many are. */
  private async settled(phase: Phase, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await this.stack.db.query(
        `SELECT (SELECT count(*)::int FROM tickets WHERE number = ANY($1) AND status = 'TRIAGE') AS triage,
                (SELECT count(*)::int FROM sms_outbox WHERE status IN ('PENDING', 'SENDING')) AS pending`,
        [phase.accepted],
      );
      if ((rows[0].triage === phase.accepted.length && rows[0].pending === 0) || Date.now() > deadline) return rows[0].triage;
      await sleep(500);
    }
  }

  private async ticketIntakeOnly(phase: Phase, phone: string): Promise<void> {
    const created = await this.call(phase, 'POST /tickets', '/tickets', intakeBody(phone), STAFF.agent, { 'idempotency-key': randomUUID() });
    if (created) phase.accepted.push(String(created.number));
  }
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx ? sxy / sxx : 0;
}

// ----- report --------------------------------------------------------------------------------

function rssOf(phase: Phase, key: 'api' | 'worker' | 'bare') {
  const values = phase.samples.map((s) => s[key]).filter((v): v is number => v !== null);
  if (!values.length) return null;
  return { start: values[0], end: values.at(-1)!, max: Math.max(...values) };
}

function soakGrowth(phase: Phase, warmupS: number) {
  const at = (key: 'api' | 'worker', t: number) => phase.samples.filter((s) => s.at <= t && s[key] !== null).at(-1)?.[key] ?? null;
  const afterWarmup = (key: 'api' | 'worker') => phase.samples.find((s) => s.at >= warmupS * 1000 && s[key] !== null)?.[key] ?? null;
  const out: Record<string, unknown> = {};
  for (const key of ['worker', 'api'] as const) {
    const start = afterWarmup(key);
    const end = at(key, phase.arrivalsEndedAt + 1);
    const max = Math.max(...phase.samples.filter((s) => s.at >= warmupS * 1000 && s.at <= phase.arrivalsEndedAt + 1).map((s) => s[key] ?? 0));
    out[key] = { afterWarmupMiB: start, endMiB: end, maxMiB: max, growthPercent: start && end ? Math.round(((end - start) / start) * 1000) / 10 : null };
  }
  return out;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(v));

function printTables(phases: Phase[]) {
  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  out(`Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; Temporal: ${TEMPORAL === 'dev' ? 'dev server (SQLite file)' : 'server on PostgreSQL'}; reopen window ${S.reopenWindowMs} ms; worker cache ${S.workerCache}`);
  out();
  out('| phase | rate/s × s | arrivals | accepted | done | backlog | errors | intake p50 / p99 ms | end-to-end p50 / p99 ms | open wf peak | API RSS start → end (max) MiB | worker RSS start → end (max) MiB | CPU ms / lifecycle (excl. driver) |');
  out('|---|---|---:|---:|---:|---:|---:|---|---|---:|---|---|---:|');
  for (const p of phases) {
    const intake = p50p99(p.latency.get(p.workflowType === 'bareWorkflow' ? 'start' : 'POST /tickets') ?? []);
    const e2e = p50p99(p.e2e);
    const api = rssOf(p, 'api');
    const worker = p.workflowType === 'bareWorkflow' ? rssOf(p, 'bare') : rssOf(p, 'worker');
    const peak = Math.max(0, ...p.samples.map((s) => s.open ?? 0));
    const cpu = Object.entries(p.cpuMs).filter(([k]) => !k.startsWith('driver')).reduce((a, [, v]) => a + v, 0);
    out(
      `| ${p.name} | ${p.rate ? `${p.rate} × ${p.seconds}` : `${S.openConcurrency} at a time`} | ${p.arrivals} | ${p.accepted.length} | ${p.completed} | ${p.backlog} | ${p.errorCount} | ${fmt(intake.p50)} / ${fmt(intake.p99)} | ${fmt(e2e.p50)} / ${fmt(e2e.p99)} | ${peak} | ${
        api ? `${api.start} → ${api.end} (${api.max})` : '–'
      } | ${worker ? `${worker.start} → ${worker.end} (${worker.max})${p.workflowType === 'bareWorkflow' ? ' bare worker' : ''}` : '–'} | ${p.completed ? cpu : '–'} |`,
    );
  }
  out();
  out('| phase | request | n | p50 ms | p99 ms |');
  out('|---|---|---:|---:|---:|');
  for (const p of phases) for (const [kind, values] of p.latency) {
    const r = p50p99(values);
    out(`| ${p.name} | ${kind} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
  }
  const pairs = phases.filter((p) => p.workflowType === 'ticketWorkflow' && p.rate).map((full) => [full, phases.find((b) => b.workflowType === 'bareWorkflow' && b.rate === full.rate && b.seconds === full.seconds)] as const).filter(([, b]) => b);
  if (pairs.length) {
    out();
    out('| rate/s | full end-to-end p50 / p99 ms | bare end-to-end p50 / p99 ms | ratio p50 (full / bare) | CPU ms / lifecycle full | CPU ms / lifecycle bare | ratio CPU |');
    out('|---:|---|---|---:|---:|---:|---:|');
    for (const [full, bare] of pairs) {
      const f = p50p99(full.e2e);
      const b = p50p99(bare!.e2e);
      const cpu = (p: Phase) => Object.entries(p.cpuMs).filter(([k]) => !k.startsWith('driver')).reduce((a, [, v]) => a + v, 0);
      out(`| ${full.rate} | ${fmt(f.p50)} / ${fmt(f.p99)} | ${fmt(b.p50)} / ${fmt(b.p99)} | ${f.p50 && b.p50 ? (f.p50 / b.p50).toFixed(1) : '–'} | ${cpu(full)} | ${cpu(bare!)} | ${cpu(bare!) ? (cpu(full) / cpu(bare!)).toFixed(1) : '–'} |`);
    }
  }
  out();
  out('| phase | CPU ms per lifecycle (7 answered requests): API | worker | bare worker | Temporal | PostgreSQL | driver (bench, fake Twilio) | lifecycles/s all cores could drive at that cost |');
  out('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of phases.filter((x) => x.rate && x.completed)) {
    const c = p.cpuMs;
    const total = c.api + c.worker + c.bareWorker + c.temporal + c.postgres;
    out(`| ${p.name} | ${c.api} | ${c.worker} | ${c.bareWorker} | ${c.temporal} | ${c.postgres} | ${c['driver (bench, fake Twilio)']} | ${total ? ((os.cpus().length * 1000) / (total + c['driver (bench, fake Twilio)'])).toFixed(1) : '–'} |`);
  }
  out();
  out('| phase | accepted | rows | rows with workflow started | workflows | still open | rows closed | SMS rows | SMS keys | SMS duplicates (run) | SMS missing (run) | commands applied twice |');
  out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of phases) {
    const c = p.checks;
    // The baseline has no row and sends no SMS: only its workflows are counted.
    const ticket = p.workflowType === 'ticketWorkflow';
    const t = (v: number) => (ticket ? String(v) : '–');
    if (c) out(`| ${p.name} | ${c.accepted} | ${t(c.rows)} | ${t(c.workflowStarted)} | ${c.workflows} | ${c.workflowsOpen} | ${t(c.closedRows)} | ${t(c.smsRows)} | ${t(c.smsKeys)} | ${c.smsDuplicates} | ${c.smsMissing} | ${t(c.commandsAppliedTwice)} |`);
  }
  const soak = phases.find((p) => p.name === 'soak');
  if (soak) {
    const g = soakGrowth(soak, S.soakWarmupS) as Record<'worker' | 'api', { afterWarmupMiB: number; endMiB: number; maxMiB: number; growthPercent: number | null }>;
    out();
    out(`| soak (${S.soakS} s, warm-up ${S.soakWarmupS} s) | RSS after warm-up MiB | at the end MiB | max MiB | growth | < 10 % |`);
    out('|---|---:|---:|---:|---:|---|');
    for (const key of ['worker', 'api'] as const) out(`| ${key} | ${fmt(g[key].afterWarmupMiB)} | ${fmt(g[key].endMiB)} | ${fmt(g[key].maxMiB)} | ${fmt(g[key].growthPercent)} % | ${g[key].growthPercent !== null && g[key].growthPercent < 10 ? '✓' : '✗'} |`);
    soak.extra = { ...soak.extra, growth: g };
  }
  const memory = phases.find((p) => p.name.startsWith('memory'));
  if (memory) {
    const e = memory.extra as { cacheCap: number; cacheLoggedByWorker: number | null; cachedAtEnd: number; base: { open: number; workerMiB: number }; atCap: { open: number; workerMiB: number }; end: { open: number; workerMiB: number; apiMiB: number }; perCachedTicketKiB: number | null };
    out();
    out('| open tickets | cache cap | worker RSS (tickets) before | at the cap | at the end | KiB per cached open ticket (slope up to the cap) | API RSS at the end |');
    out('|---:|---:|---|---|---|---:|---:|');
    out(`| ${memory.accepted.length} | ${e.cacheCap} (worker: ${fmt(e.cacheLoggedByWorker)}) | ${e.base.workerMiB} MiB (${e.base.open}) | ${e.atCap.workerMiB} MiB (${e.atCap.open}) | ${e.end.workerMiB} MiB (${e.end.open}) | ${fmt(e.perCachedTicketKiB)} | ${e.end.apiMiB} MiB |`);
  }
  const errors = phases.flatMap((p) => [...p.errors].map(([kind, n]) => `| ${p.name} | ${kind} | ${n} |`));
  out();
  out(errors.length ? ['| phase | error | count |', '|---|---|---:|', ...errors].join('\n') : 'Errors: 0 (no non-2xx answer, no time-out).');
  const resends = phases.flatMap((p) => [...p.resends].map(([kind, n]) => `| ${p.name} | ${kind} | ${n} |`));
  out();
  out(resends.length ? ['| phase | sent again (same X-Request-Id / Idempotency-Key) | count |', '|---|---|---:|', ...resends].join('\n') : 'Resends: 0.');
  console.log(`\n${lines.join('\n')}`);
}

function verdict(phases: Phase[]): string[] {
  const problems: string[] = [];
  for (const p of phases) {
    if (p.errorCount) problems.push(`${p.name}: ${p.errorCount} errors`);
    if (p.backlog) problems.push(`${p.name}: ${p.backlog} lifecycles not finished within the drain time-out`);
    const c = p.checks;
    if (!c) continue;
    if (c.rows !== c.accepted || c.workflowStarted !== c.accepted || c.workflows !== c.accepted) problems.push(`${p.name}: accepted ${c.accepted}, rows ${c.rows}, started ${c.workflowStarted}, workflows ${c.workflows}`);
    if (p.rate && c.workflowsOpen > c.accepted - p.completed) problems.push(`${p.name}: ${c.workflowsOpen} workflows still open`);
    if (c.smsKeys !== c.smsRows) problems.push(`${p.name}: SMS rows ${c.smsRows} but keys ${c.smsKeys}`);
    if (c.smsDuplicates || c.smsMissing) problems.push(`${p.name}: SMS duplicates ${c.smsDuplicates}, missing ${c.smsMissing}`);
    if (c.commandsAppliedTwice) problems.push(`${p.name}: ${c.commandsAppliedTwice} commands applied twice`);
  }
  const soak = phases.find((p) => p.name === 'soak');
  const growth = soak?.extra.growth as Record<string, { growthPercent: number | null }> | undefined;
  for (const [key, g] of Object.entries(growth ?? {})) if (g.growthPercent === null || g.growthPercent >= 10) problems.push(`soak: ${key} RSS grew ${g.growthPercent} %`);
  return problems;
}

async function main(): Promise<void> {
  console.log(`bench/load: ${JSON.stringify({ temporal: TEMPORAL, only: ONLY, ...S })}`);
  const stack = await FaultStack.start({ fullServer: fullServerFor(TEMPORAL) });
  // LOAD_CPU_PROF_DIR: the API and the worker write V8 CPU profiles there when they stop (SIGTERM at the end).
  if (CPU_PROF_DIR) stack.nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`];
  const run = new LoadRun(stack);
  const phases: Phase[] = [];
  const stop = () => {
    console.error('interrupted: stopping the stack');
    void run.stopBareWorker().finally(() => stack.close().finally(() => process.exit(130)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await run.startWorker();
    run.apiErrors = new ApiErrorLog(await stack.startApi(LoadRun.env()));
    if (runs('bare')) await run.startBareWorker();
    // Sign every actor in once (real POST /auth/login), then warm the path with a few lifecycles.
    for (const id of [STAFF.agent, STAFF.coordinator, STAFF.fenManager, STAFF.fenExpert, STAFF.fenHead]) await run.bearer(id);
    const warm = new Phase('warm-up', 1, 5, 'ticketWorkflow');
    warm.startedAtPerf = performance.now();
    await Promise.all(Array.from({ length: 5 }, (_, i) => run.ticketLifecycle(warm, phoneOf(999, i), performance.now())));
    if (warm.errorCount) throw new Error(`the warm-up lifecycles failed: ${JSON.stringify([...warm.errors])}`);

    if (runs('sustained')) phases.push(await run.fullPhase('sustained', 1, S.rate, S.sustainedS));
    if (runs('bare') && (runs('sustained') || !runs('burst'))) phases.push(await run.barePhase('bare (sustained rate)', S.rate, S.sustainedS));
    if (runs('burst')) phases.push(await run.fullPhase('burst', 2, S.burstRate, S.burstS));
    if (runs('bare') && (runs('burst') || !runs('sustained'))) phases.push(await run.barePhase('bare (burst rate)', S.burstRate, S.burstS));
    if (runs('soak')) phases.push(await run.fullPhase('soak', 3, S.rate, S.soakS));
    if (runs('memory')) phases.push(await run.memoryPhase());

    printTables(phases);
    const report = phases.map((p) => ({
      phase: p.name,
      rate: p.rate,
      seconds: p.seconds,
      arrivals: p.arrivals,
      accepted: p.accepted.length,
      completed: p.completed,
      backlog: p.backlog,
      maxArrivalLagMs: Math.round(p.maxArrivalLagMs),
      errors: Object.fromEntries(p.errors),
      resends: Object.fromEntries(p.resends),
      latencyMs: Object.fromEntries([...p.latency].map(([k, v]) => [k, p50p99(v)])),
      endToEndMs: p50p99(p.e2e),
      openWorkflowsPeak: Math.max(0, ...p.samples.map((s) => s.open ?? 0)),
      rssMiB: { api: rssOf(p, 'api'), worker: rssOf(p, 'worker'), bareWorker: rssOf(p, 'bare') },
      cpuMsPerLifecycle: p.cpuMs,
      checks: p.checks,
      ...p.extra,
    }));
    console.log(`\n${JSON.stringify(report, null, 1)}`);
    const problems = verdict(phases);
    console.log(problems.length ? `\nNOT OK:\n- ${problems.join('\n- ')}` : '\nOK: no error, no backlog, every accepted ticket has its row and its workflow, one message per SMS row.');
    process.exitCode = problems.length ? 1 : 0;
  } finally {
    await run.stopBareWorker().catch(() => undefined);
    if (CPU_PROF_DIR) await stopGracefully([stack.api, stack.worker]);
    await stack.close();
  }
}

/** SIGTERM (the processes drain and exit, writing their CPU profiles), then wait up to 60 s each. */
async function stopGracefully(procs: (Proc | null)[]): Promise<void> {
  for (const proc of procs) {
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) continue;
    proc.child.kill('SIGTERM');
    await settlesWithin(proc.exited, 60_000).catch(() => undefined);
  }
  console.log(`bench/load: CPU profiles in ${CPU_PROF_DIR} (open them in Chrome DevTools, or summarise with bench/load/profile-summary.ts)`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
