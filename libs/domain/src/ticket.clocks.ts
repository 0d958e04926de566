import type { SlaClock, TicketState } from './ticket.types';

/**
 * The ticket's clocks are state, not timers: deadlines are computed from the state, and the
 * workflow sleeps (a durable timer) until the earliest one. Pausing the SLA therefore needs no
 * timer cancellation, and a replay recomputes exactly the same deadlines.
 */

export const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
export const msBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

export function newSlaClock(totalMs: number, now: string): SlaClock {
  return { totalMs, consumedMs: 0, runningSince: now, announced: [], breached: false, stopped: false };
}

/** SLA time used so far, counting the running stretch. */
export function slaConsumed(sla: SlaClock, now: string): number {
  return sla.consumedMs + (sla.runningSince ? Math.max(0, msBetween(sla.runningSince, now)) : 0);
}

export function pauseSla(sla: SlaClock, now: string): SlaClock {
  if (!sla.runningSince) return sla;
  return { ...sla, consumedMs: slaConsumed(sla, now), runningSince: null };
}

export function resumeSla(sla: SlaClock, now: string): SlaClock {
  if (sla.runningSince || sla.stopped) return sla;
  return { ...sla, runningSince: now };
}

export function stopSla(sla: SlaClock, now: string): SlaClock {
  return { ...pauseSla(sla, now), stopped: true };
}

/** Pending SLA marks (percent of the total), in order; 100 is the breach. */
export function pendingSlaMarks(state: TicketState): number[] {
  const { sla, timings } = state;
  if (sla.stopped) return [];
  const marks = [...timings.slaThresholds.filter((p) => p < 100), 100].sort((a, b) => a - b);
  return marks.filter((p) => (p === 100 ? !sla.breached : !sla.announced.includes(p)));
}

/** When the SLA clock reaches `percent`, or null while it is paused. */
export function slaMarkAt(sla: SlaClock, percent: number): string | null {
  if (!sla.runningSince) return null;
  const target = (sla.totalMs * percent) / 100;
  return addMs(sla.runningSince, Math.max(0, target - sla.consumedMs));
}

export function approvalReminderAt(state: TicketState): string | null {
  const a = state.approval;
  if (!a || a.reminderSent || state.status !== 'IN_APPROVAL') return null;
  return addMs(a.levelStartedAt, state.timings.approvalLevelSlaMs / 2);
}

export function approvalEscalationAt(state: TicketState): string | null {
  const a = state.approval;
  if (!a || a.escalated || state.status !== 'IN_APPROVAL') return null;
  return addMs(a.levelStartedAt, state.timings.approvalLevelSlaMs);
}

export function legalWarningAt(state: TicketState): string | null {
  const { legal, timings } = state;
  if (legal.stopped || legal.warned || legal.missed) return null;
  return addMs(legal.dueAt, -timings.legalWarningMs);
}

export function legalMissedAt(state: TicketState): string | null {
  return state.legal.stopped || state.legal.missed ? null : state.legal.dueAt;
}

/** The earliest moment anything time-driven happens to this ticket, or null if nothing will. */
export function nextDeadline(state: TicketState): string | null {
  if (state.status === 'CLOSED' || state.status === 'RECEIVED') return null;
  const candidates: (string | null)[] = [
    approvalReminderAt(state),
    approvalEscalationAt(state),
    legalWarningAt(state),
    legalMissedAt(state),
    state.status === 'RESOLVED' ? state.reopenUntil : null,
  ];
  const firstMark = pendingSlaMarks(state)[0];
  if (firstMark !== undefined) candidates.push(slaMarkAt(state.sla, firstMark));
  const times = candidates.filter((t): t is string => t !== null).map((t) => Date.parse(t));
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}
