import { performance } from 'node:perf_hooks';

/** One measured case: a request to repeat, and its goal (p95, ms). */
export interface LatencyCase {
  name: string;
  goal: number;
  run: () => Promise<unknown>;
}

export interface LatencyResult {
  name: string;
  goal: number;
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LatencyRun {
  clients: number;
  /** A case stops after this many requests… */
  requests: number;
  /** …or this many seconds, whichever comes first (bounded on a shared machine). */
  seconds: number;
  /** Called before a case's warm-up request (e.g. to tag the SQL it records). */
  onCase?: (name: string) => void;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * Each case in turn: one warm-up request, then `clients` concurrent loops until `requests` or
 * `seconds`; p50/p95/p99 of the request times, printed as each case ends.
 */
export async function measureCases(cases: LatencyCase[], run: LatencyRun): Promise<LatencyResult[]> {
  const width = Math.max(...cases.map((c) => c.name.length), 20);
  const results: LatencyResult[] = [];
  for (const c of cases) {
    run.onCase?.(c.name);
    await c.run();
    const times: number[] = [];
    let next = 0;
    const caseStarted = performance.now();
    await Promise.all(
      Array.from({ length: run.clients }, async () => {
        while (next < run.requests && performance.now() - caseStarted < run.seconds * 1000) {
          next += 1;
          const started = performance.now();
          await c.run();
          times.push(performance.now() - started);
        }
      }),
    );
    times.sort((a, b) => a - b);
    const r = { name: c.name, goal: c.goal, n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
    results.push(r);
    console.log(`  ${c.name.padEnd(width)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms`);
  }
  return results;
}

/** The results as the Markdown table RESULTS.md files carry, each p95 against its goal. */
export function printGoalTable(results: LatencyResult[]): void {
  console.log(`| case | requests | p50 ms | p95 ms | p99 ms | goal p95 |\n|---|---:|---:|---:|---:|---:|`);
  for (const r of results) console.log(`| ${r.name} | ${r.n} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.p95 <= r.goal ? '✓' : '✗'} ≤ ${r.goal} |`);
}

/** The results, the furthest over (or least under) its goal first. */
export const byDistanceFromGoal = (results: LatencyResult[]) => [...results].sort((a, b) => b.p95 / b.goal - a.p95 / a.goal);
