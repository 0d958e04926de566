import { temporal } from '@temporalio/proto';
import { Worker, type InjectedSinks, type WorkflowBundleOption } from '@temporalio/worker';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { ReplayTraceSinks, TracedCommand } from '../../../../../workflows/replay-trace.interceptor';
import { describeCommand, firstMismatch, recordedCommands } from './history-commands';

const EventType = temporal.api.enums.v1.EventType;

export interface RunHistory {
  runId: string;
  history: History;
}

/** One ticket's legal record: every run of its workflow, oldest first. */
export interface TicketHistoryInput {
  workflowId: string;
  runs: RunHistory[];
}

export interface Divergence {
  runId: string;
  /** The history event where the code parts ways, when it can be named. */
  eventId: number | null;
  eventType: string | null;
  /** What the history records there, and what the current code would do instead, in words. */
  recorded: string | null;
  now: string | null;
  /** The whole finding in one sentence. */
  text: string;
  /** The replay engine's own message (Temporal core). */
  engineMessage: string;
}

/** An audit row as the code hands it to recordTicketEvents (TicketEvent, plain JSON). */
export interface TracedEvent {
  seq: number;
  type: string;
  at: string;
  actor: { kind: string; id?: string };
  status: string;
  data: Record<string, unknown>;
}

export interface ReplayVerdict {
  workflowId: string;
  deterministic: boolean;
  runs: number;
  events: number;
  divergence: Divergence | null;
  /** The audit rows the current code writes when it runs this history, in order (all runs). */
  auditRows: TracedEvent[];
  /**
   * When each workflow task attempt that was lost began (its WorkflowTaskStarted time, epoch ms):
   * the attempt timed out or failed — a worker died mid-task — and the task ran again later.
   */
  lostTaskStarts: number[];
}

interface Trace {
  commands: TracedCommand[];
  auditRows: TracedEvent[];
}

/**
 * Replays ticket histories against a workflow bundle (Worker.runReplayHistories, one replay
 * worker for any number of histories, which are pulled one at a time: a batch never holds more
 * than the history being replayed). The bundle carries the replay-trace interceptor, whose sinks
 * tell what the code asks for: the first divergence can be put in words, and the audit rows the
 * code would write are known (for the tamper check).
 */
export class HistoryReplayer {
  constructor(private readonly bundle: WorkflowBundleOption) {}

  async replayOne(input: TicketHistoryInput): Promise<ReplayVerdict> {
    for await (const verdict of this.replay([input])) return verdict;
    throw new Error('replay produced no verdict');
  }

  async *replay(inputs: AsyncIterable<TicketHistoryInput> | Iterable<TicketHistoryInput>): AsyncGenerator<ReplayVerdict> {
    const traces = new Map<string, Trace>();
    const traceOf = (workflowId: string, runId: string) => {
      const key = `${workflowId}/${runId}`;
      let trace = traces.get(key);
      if (!trace) traces.set(key, (trace = { commands: [], auditRows: [] }));
      return trace;
    };
    const sinks: InjectedSinks<ReplayTraceSinks> = {
      replayTrace: {
        command: { fn: (info, command) => void traceOf(info.workflowId, info.runId).commands.push(command), callDuringReplay: true },
        recorded: { fn: (info, rows) => void traceOf(info.workflowId, info.runId).auditRows.push(...(rows as TracedEvent[])), callDuringReplay: true },
      },
    };

    // Tickets whose runs are being replayed, in order; the engine answers run by run, in order too.
    const pending: TicketHistoryInput[] = [];
    async function* runsOf(): AsyncGenerator<{ workflowId: string; history: History }> {
      for await (const given of inputs) {
        // A run that has not had its first workflow task yet (a ticket that continued as new a
        // moment ago) holds nothing to replay; a ticket of only such runs is replayed as it is.
        const replayable = given.runs.filter((r) => hasWorkflowTask(r.history));
        const ticket = replayable.length ? { ...given, runs: replayable } : given;
        pending.push(ticket);
        for (const run of ticket.runs) yield { workflowId: ticket.workflowId, history: run.history };
      }
    }

    let current: { ticket: TicketHistoryInput; index: number; divergence: Divergence | null; auditRows: TracedEvent[] } | null = null;
    for await (const result of Worker.runReplayHistories({ workflowBundle: this.bundle, sinks, replayName: 'teksin-audit' }, runsOf())) {
      if (!current) current = { ticket: pending.shift()!, index: 0, divergence: null, auditRows: [] };
      const run = current.ticket.runs[current.index];
      const trace = traceOf(result.workflowId, result.runId);
      traces.delete(`${result.workflowId}/${result.runId}`);
      current.auditRows.push(...trace.auditRows);
      if (result.error && !current.divergence) current.divergence = describeDivergence(run, trace.commands, result.error);
      current.index++;
      if (current.index === current.ticket.runs.length) {
        const { ticket, divergence, auditRows } = current;
        current = null;
        yield {
          workflowId: ticket.workflowId,
          deterministic: divergence === null,
          runs: ticket.runs.length,
          events: ticket.runs.reduce((n, r) => n + (r.history.events?.length ?? 0), 0),
          divergence,
          auditRows,
          lostTaskStarts: ticket.runs.flatMap((r) => lostTaskStarts(r.history)),
        };
      }
    }
  }
}

/** The start times of the workflow task attempts that timed out or failed (a worker died mid-task). */
export function lostTaskStarts(history: History): number[] {
  const events = history.events ?? [];
  const starts: number[] = [];
  for (let i = 0; i + 1 < events.length; i++) {
    const next = events[i + 1].eventType;
    if (
      events[i].eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED &&
      (next === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT || next === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
    ) {
      const time = events[i].eventTime;
      if (time) starts.push(Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6));
    }
  }
  return starts;
}

function hasWorkflowTask(history: History): boolean {
  return (history.events ?? []).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
}

function eventTypeName(type: number | null | undefined): string {
  return EventType[type ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? 'UNKNOWN';
}

/** Temporal core's words, without the SDK's wrapping. */
function engineMessage(error: Error): string {
  const core = /Nondeterminism error: ([^"]+)"/.exec(error.message)?.[1];
  return core ?? error.message;
}

export function describeDivergence(run: RunHistory, now: TracedCommand[], error: Error): Divergence {
  const events = run.history.events ?? [];
  const recorded = recordedCommands(events);
  const message = engineMessage(error);
  let mismatch = firstMismatch(recorded, now);

  // The engine names the history's n-th local activity or an event when the code did not get that far.
  if (!mismatch) {
    const localActivity = /LocalActivity\((\d+)\)/.exec(message);
    const eventId = /HistoryEvent\(id: (\d+)/.exec(message);
    const at = localActivity
      ? recorded.filter((c) => c.kind === 'localActivity')[Number(localActivity[1]) - 1]
      : eventId
        ? recorded.find((c) => c.eventId === Number(eventId[1]))
        : undefined;
    if (at) mismatch = { recorded: at, now: null };
  }

  const event = mismatch?.recorded ? events.find((e) => Number(e.eventId) === mismatch!.recorded!.eventId) : undefined;
  const eventType = event ? eventTypeName(event.eventType) : null;
  const recordedWords = mismatch?.recorded ? `the history records that the code ${verbPast(describeCommand(mismatch.recorded))}` : null;
  const nowWords = mismatch?.now
    ? `the current code would ${describeCommand(mismatch.now)} instead`
    : mismatch
      ? `the current code does not do that (${now.length ? `its commands so far: ${now.map(describeCommand).join(', ')}` : 'it gave no command before'})`
      : null;
  const where = mismatch?.recorded ? `event ${mismatch.recorded.eventId} (${eventType}) of run ${run.runId}` : `run ${run.runId}`;
  const text = mismatch
    ? mismatch.recorded
      ? `Not deterministic at ${where}: ${recordedWords}; ${nowWords}.`
      : `Not deterministic in ${where}: the current code would ${describeCommand(mismatch.now!)}, which the history does not hold.`
    : `Not deterministic in ${where}: ${message}`;
  return {
    runId: run.runId,
    eventId: mismatch?.recorded?.eventId ?? null,
    eventType,
    recorded: recordedWords,
    now: mismatch?.now ? describeCommand(mismatch.now) : null,
    text,
    engineMessage: message,
  };
}

/** "start a timer of 36 h" → "started a timer of 36 h". */
function verbPast(phrase: string): string {
  return phrase
    .replace(/^start /, 'started ')
    .replace(/^run /, 'ran ')
    .replace(/^schedule /, 'scheduled ')
    .replace(/^signal /, 'signalled ')
    .replace(/^continue /, 'continued ');
}
