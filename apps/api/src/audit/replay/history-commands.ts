import type { temporal } from '@temporalio/proto';
import type { TracedCommand } from '../../../../../workflows/replay-trace.interceptor';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A command a workflow gave, as its history records it (the event that recorded it). */
export interface RecordedCommand extends TracedCommand {
  eventId: number;
}

/** The commands a run's history records, in order: what the code that ran this ticket asked for. */
export function recordedCommands(events: HistoryEvent[]): RecordedCommand[] {
  const out: RecordedCommand[] = [];
  for (const e of events) {
    const eventId = Number(e.eventId);
    if (e.timerStartedEventAttributes) out.push({ eventId, kind: 'timer', detail: String(durationMs(e.timerStartedEventAttributes.startToFireTimeout)) });
    else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') out.push({ eventId, kind: 'localActivity', detail: localActivityType(e) });
    else if (e.activityTaskScheduledEventAttributes) out.push({ eventId, kind: 'activity', detail: e.activityTaskScheduledEventAttributes.activityType?.name ?? '' });
    else if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) out.push({ eventId, kind: 'signal', detail: e.signalExternalWorkflowExecutionInitiatedEventAttributes.signalName ?? '' });
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) out.push({ eventId, kind: 'childWorkflow', detail: e.startChildWorkflowExecutionInitiatedEventAttributes.workflowType?.name ?? '' });
    else if (e.workflowExecutionContinuedAsNewEventAttributes) out.push({ eventId, kind: 'continueAsNew', detail: '' });
  }
  return out;
}

function durationMs(d: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(d?.seconds ?? 0) * 1000 + Math.floor((d?.nanos ?? 0) / 1e6);
}

function localActivityType(e: HistoryEvent): string {
  const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return '';
  try {
    return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type ?? '';
  } catch {
    return '';
  }
}

/** "a timer of 36 h", "the local activity recordTicketEvents"… */
export function describeCommand(c: TracedCommand): string {
  switch (c.kind) {
    case 'timer':
      return `start a timer of ${humanDuration(Number(c.detail))}`;
    case 'localActivity':
      return `run the local activity ${c.detail}`;
    case 'activity':
      return `schedule the activity ${c.detail}`;
    case 'signal':
      return `signal another workflow (${c.detail})`;
    case 'childWorkflow':
      return `start a child workflow ${c.detail}`;
    case 'continueAsNew':
      return 'continue as new';
  }
}

export function humanDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms >= 86_400_000) return `${ms / 86_400_000} d`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(ms % 3_600_000 === 0 ? 0 : 1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(ms % 60_000 === 0 ? 0 : 1)} min`;
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** Timer durations too: replay reproduces the workflow's clock, so the same code asks for the same durations. */
const sameCommand = (a: TracedCommand, b: TracedCommand) => a.kind === b.kind && a.detail === b.detail;

export interface CommandMismatch {
  /** The history's command at the point of divergence, or null when the code asked for more than the history holds. */
  recorded: RecordedCommand | null;
  /** What the current code asked for there, or null when it stopped before. */
  now: TracedCommand | null;
}

/**
 * The first command where the code and the history part ways, compared per kind (the n-th timer
 * with the n-th timer, the n-th local activity with the n-th local activity: the order across
 * kinds in a history depends on when each completed). The earliest in the history wins.
 */
export function firstMismatch(recorded: RecordedCommand[], now: TracedCommand[]): CommandMismatch | null {
  const kinds = new Set([...recorded.map((c) => c.kind), ...now.map((c) => c.kind)]);
  let best: CommandMismatch | null = null;
  const position = (m: CommandMismatch) => m.recorded?.eventId ?? Number.MAX_SAFE_INTEGER;
  for (const kind of kinds) {
    const r = recorded.filter((c) => c.kind === kind);
    const n = now.filter((c) => c.kind === kind);
    for (let i = 0; i < n.length; i++) {
      if (i >= r.length || !sameCommand(r[i], n[i])) {
        const candidate = { recorded: r[i] ?? null, now: n[i] };
        if (!best || position(candidate) < position(best)) best = candidate;
        break;
      }
    }
  }
  return best;
}
