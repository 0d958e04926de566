import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { HistoryLine } from './ticket-views.schema';
import { eventTime, type History } from './workflow-runs';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;
const EventType = temporal.api.enums.v1.EventType;

/**
 * What an auditor meets in a ticket's engine history, one kind per sentence the console says
 * (History.tsx words each in Turkish and English). ENGINE_STEP is the engine's own bookkeeping
 * (workflow tasks, search attributes): shown on request, never hidden from the download.
 */
export const TIMELINE_KINDS = [
  'WORKFLOW_STARTED',
  'COMMAND_ACCEPTED',
  'COMMAND_COMPLETED',
  'COMMAND_REFUSED',
  'ACTIVITY_SCHEDULED',
  'ACTIVITY_COMPLETED',
  'ACTIVITY_FAILED',
  'LOCAL_ACTIVITY',
  'TIMER_STARTED',
  'TIMER_FIRED',
  'TIMER_CANCELED',
  'SIGNAL',
  'SIGNAL_SENT',
  'CONTINUED_AS_NEW',
  'WORKFLOW_COMPLETED',
  'WORKFLOW_FAILED',
  'ENGINE_STEP',
  'OTHER',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const ACTOR_KINDS = ['STAFF', 'CITIZEN', 'SYSTEM'] as const;

/** Who sent a command, as its Update's argument records it; `name` is filled from the staff table. */
type TimelineActor = NonNullable<HistoryLine['actor']>;

type Facts = Pick<HistoryLine, 'kind' | 'command' | 'actor' | 'activity' | 'durationMs' | 'detail'>;
const NONE: Facts = { kind: 'OTHER', command: null, actor: null, activity: null, durationMs: null, detail: null };

/**
 * One run's events as timeline lines, in order. Later events name what they finish by the id of
 * the event that began it (an activity's completion its scheduling, an Update's completion its
 * acceptance, a timer's firing its start), so the walk remembers those as it goes.
 */
export function historyTimeline(history: History, runId: string): HistoryLine[] {
  const activities = new Map<string, string>();
  const updates = new Map<string, { command: string | null; actor: TimelineActor | null }>();
  const timers = new Map<string, number>();
  return (history.events ?? []).map((event) => {
    const facts = factsOf(event, activities, updates, timers);
    return {
      runId,
      eventId: Number(event.eventId),
      time: eventTime(event)?.toISOString() ?? null,
      type: EventType[event.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? 'UNKNOWN',
      summary: summaryOf(facts),
      ...facts,
    };
  });
}

function factsOf(
  e: HistoryEvent,
  activities: Map<string, string>,
  updates: Map<string, { command: string | null; actor: TimelineActor | null }>,
  timers: Map<string, number>,
): Facts {
  if (e.workflowExecutionStartedEventAttributes) return { ...NONE, kind: 'WORKFLOW_STARTED', detail: e.workflowExecutionStartedEventAttributes.continuedExecutionRunId || null };
  if (e.workflowExecutionUpdateAcceptedEventAttributes) {
    const request = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
    const command = request?.input?.name ?? null;
    const actor = actorOf(request?.input?.args?.payloads?.[0]);
    updates.set(request?.meta?.updateId ?? '', { command, actor });
    return { ...NONE, kind: 'COMMAND_ACCEPTED', command, actor };
  }
  if (e.workflowExecutionUpdateCompletedEventAttributes) {
    const done = e.workflowExecutionUpdateCompletedEventAttributes;
    const accepted = updates.get(done.meta?.updateId ?? '') ?? { command: null, actor: null };
    const failure = done.outcome?.failure;
    return { ...NONE, ...accepted, kind: failure ? 'COMMAND_REFUSED' : 'COMMAND_COMPLETED', detail: failure?.message ?? null };
  }
  if (e.activityTaskScheduledEventAttributes) {
    const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? null;
    activities.set(String(e.eventId), name ?? '');
    return { ...NONE, kind: 'ACTIVITY_SCHEDULED', activity: name };
  }
  if (e.activityTaskCompletedEventAttributes) return { ...NONE, kind: 'ACTIVITY_COMPLETED', activity: activities.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId)) || null };
  if (e.activityTaskFailedEventAttributes) {
    const a = e.activityTaskFailedEventAttributes;
    return { ...NONE, kind: 'ACTIVITY_FAILED', activity: activities.get(String(a.scheduledEventId)) || null, detail: a.failure?.message ?? null };
  }
  if (e.markerRecordedEventAttributes) {
    const m = e.markerRecordedEventAttributes;
    if (m.markerName !== 'core_local_activity') return { ...NONE, kind: 'ENGINE_STEP', detail: m.markerName ?? null };
    const failure = m.failure;
    return { ...NONE, kind: failure ? 'ACTIVITY_FAILED' : 'LOCAL_ACTIVITY', activity: localActivityType(m.details?.data?.payloads?.[0]), detail: failure?.message ?? null };
  }
  if (e.timerStartedEventAttributes) {
    const ms = durationMs(e.timerStartedEventAttributes.startToFireTimeout);
    timers.set(e.timerStartedEventAttributes.timerId ?? '', ms);
    return { ...NONE, kind: 'TIMER_STARTED', durationMs: ms };
  }
  if (e.timerFiredEventAttributes) return { ...NONE, kind: 'TIMER_FIRED', durationMs: timers.get(e.timerFiredEventAttributes.timerId ?? '') ?? null };
  if (e.timerCanceledEventAttributes) return { ...NONE, kind: 'TIMER_CANCELED', durationMs: timers.get(e.timerCanceledEventAttributes.timerId ?? '') ?? null };
  if (e.workflowExecutionSignaledEventAttributes) return { ...NONE, kind: 'SIGNAL', detail: e.workflowExecutionSignaledEventAttributes.signalName ?? null };
  if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) {
    const sent = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
    return { ...NONE, kind: 'SIGNAL_SENT', command: sent.signalName ?? null, detail: sent.workflowExecution?.workflowId ?? null };
  }
  if (e.externalWorkflowExecutionSignaledEventAttributes) return { ...NONE, kind: 'ENGINE_STEP', detail: 'signal delivered' };
  if (e.workflowExecutionContinuedAsNewEventAttributes) return { ...NONE, kind: 'CONTINUED_AS_NEW' };
  if (e.workflowExecutionCompletedEventAttributes) return { ...NONE, kind: 'WORKFLOW_COMPLETED' };
  if (e.workflowExecutionFailedEventAttributes) return { ...NONE, kind: 'WORKFLOW_FAILED', detail: e.workflowExecutionFailedEventAttributes.failure?.message ?? null };
  if (e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes || e.upsertWorkflowSearchAttributesEventAttributes) {
    return { ...NONE, kind: 'ENGINE_STEP' };
  }
  if (e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes) return { ...NONE, kind: 'ENGINE_STEP', detail: e.workflowTaskFailedEventAttributes?.failure?.message ?? 'workflow task timed out' };
  return NONE;
}

/** The Update's argument is the command without its type: `{ actor, ...payload }` (workflows/ticket.messages.ts). */
function actorOf(payload: Payload | undefined): TimelineActor | null {
  const args = decode(payload) as { actor?: { kind?: string; id?: string } } | null;
  const kind = args?.actor?.kind;
  if (kind !== 'STAFF' && kind !== 'CITIZEN' && kind !== 'SYSTEM') return null;
  return { kind, id: kind === 'STAFF' ? (args?.actor?.id ?? null) : null, name: null };
}

function localActivityType(payload: Payload | undefined): string | null {
  const marker = decode(payload) as { activity_type?: string } | null;
  return marker?.activity_type ?? null;
}

function decode(payload: Payload | undefined): unknown {
  if (!payload) return null;
  try {
    return defaultPayloadConverter.fromPayload(payload as never);
  } catch {
    return null;
  }
}

function durationMs(d: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(d?.seconds ?? 0) * 1000 + Math.floor((d?.nanos ?? 0) / 1e6);
}

/** The English line scripts have read since the first timeline; the console words the kind itself. */
function summaryOf(f: Facts): string {
  switch (f.kind) {
    case 'WORKFLOW_STARTED':
      return f.detail ? 'ticket workflow continued from the previous run' : 'ticket workflow started';
    case 'COMMAND_ACCEPTED':
      return `command ${f.command} accepted`;
    case 'COMMAND_COMPLETED':
      return `command ${f.command} completed`;
    case 'COMMAND_REFUSED':
      return `command ${f.command} refused: ${f.detail ?? ''}`;
    case 'ACTIVITY_SCHEDULED':
      return `activity ${f.activity} scheduled`;
    case 'ACTIVITY_COMPLETED':
      return `activity ${f.activity} completed`;
    case 'ACTIVITY_FAILED':
      return `activity ${f.activity} failed: ${f.detail ?? ''}`;
    case 'LOCAL_ACTIVITY':
      return `local activity ${f.activity} completed`;
    case 'TIMER_STARTED':
      return 'clock armed';
    case 'TIMER_FIRED':
      return 'clock fired';
    case 'TIMER_CANCELED':
      return 'clock re-armed';
    case 'SIGNAL':
      return `signal ${f.detail}`;
    case 'SIGNAL_SENT':
      return `signal ${f.command} sent to ${f.detail}`;
    case 'CONTINUED_AS_NEW':
      return 'continued as new';
    case 'WORKFLOW_COMPLETED':
      return 'ticket workflow completed';
    case 'WORKFLOW_FAILED':
      return `ticket workflow failed: ${f.detail ?? ''}`;
    case 'ENGINE_STEP':
      return f.detail ? `engine step (${f.detail})` : 'engine step';
    case 'OTHER':
      return '';
  }
}

/** Fills the staff actors' names (people by name, not id). */
export function withNames(lines: HistoryLine[], names: Map<string, string>): HistoryLine[] {
  return lines.map((line) => (line.actor?.id ? { ...line, actor: { ...line.actor, name: names.get(line.actor.id) ?? null } } : line));
}

export const actorIds = (lines: HistoryLine[]): string[] => lines.flatMap((line) => (line.actor?.id ? [line.actor.id] : []));
