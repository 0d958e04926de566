import type { ReplayVerdict } from './history-replayer';

export type BatchItem = { label: string; verdict: ReplayVerdict } | { label: string; error: string };

export interface BatchSummary {
  tickets: number;
  deterministic: number;
  diverged: number;
  /** Tickets whose history could not be read (e.g. past Temporal's retention). */
  unreadable: number;
  runs: number;
  events: number;
  seconds: number;
  /** Histories (runs) replayed per second. */
  historiesPerSecond: number;
  /** The first divergences and read errors, in words (at most 20). */
  problems: string[];
}

const MAX_PROBLEMS = 20;

/** Consumes a stream of replays, keeping counts only (and the first few problems): memory stays flat over any number of tickets. */
export async function summarise(items: AsyncIterable<BatchItem>, onProgress?: (done: number, summary: BatchSummary) => void): Promise<BatchSummary> {
  const started = process.hrtime.bigint();
  const summary: BatchSummary = { tickets: 0, deterministic: 0, diverged: 0, unreadable: 0, runs: 0, events: 0, seconds: 0, historiesPerSecond: 0, problems: [] };
  const note = (line: string) => summary.problems.length < MAX_PROBLEMS && summary.problems.push(line);
  for await (const item of items) {
    summary.tickets++;
    if ('error' in item) {
      summary.unreadable++;
      note(`${item.label}: history not readable: ${item.error}`);
    } else {
      summary.runs += item.verdict.runs;
      summary.events += item.verdict.events;
      if (item.verdict.deterministic) summary.deterministic++;
      else {
        summary.diverged++;
        note(`${item.label}: ${item.verdict.divergence?.text}`);
      }
    }
    summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    summary.historiesPerSecond = summary.seconds > 0 ? summary.runs / summary.seconds : 0;
    onProgress?.(summary.tickets, summary);
  }
  return summary;
}

/** The one summary line: "1000 tickets (1000 histories, 17000 events) in 12.3 s, 81.3 histories/s: 1000 deterministic, 0 diverged, 0 unreadable". */
export function summaryLine(s: BatchSummary): string {
  return (
    `${s.tickets} tickets (${s.runs} histories, ${s.events} events) in ${s.seconds.toFixed(1)} s, ` +
    `${s.historiesPerSecond.toFixed(1)} histories/s: ${s.deterministic} deterministic, ${s.diverged} diverged, ${s.unreadable} unreadable`
  );
}

/** A progress bar on a terminal, a line every `every` tickets otherwise (logs, CI). */
export function progressPrinter(stream: NodeJS.WriteStream, total: number | null, every = 100): (done: number, s: BatchSummary) => void {
  return (done, s) => {
    if (stream.isTTY) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : done % (width + 1);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(Math.max(0, width - filled))}]`;
      stream.write(`\r${bar} ${done}${total ? `/${total}` : ''} tickets, ${s.diverged} diverged, ${s.historiesPerSecond.toFixed(1)} histories/s`);
    } else if (done % every === 0) {
      stream.write(`${done}${total ? `/${total}` : ''} tickets replayed, ${s.diverged} diverged, ${s.historiesPerSecond.toFixed(1)} histories/s\n`);
    }
  };
}
