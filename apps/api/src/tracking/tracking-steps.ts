import type { Outcome, SlaClock, TicketStatus } from '../../../../libs/domain/src';

/** The six steps a citizen sees, in order. */
export const TRACKING_STEPS = ['RECEIVED', 'AT_CENTER', 'AT_DEPARTMENT', 'BEING_SOLVED', 'APPROVED', 'RESOLVED'] as const;
/** A referred ticket's path: received, at the center, then sent to the institution responsible. */
export const REFERRED_STEPS = ['RECEIVED', 'AT_CENTER', 'REFERRED'] as const;
export type TrackingStep = (typeof TRACKING_STEPS)[number] | (typeof REFERRED_STEPS)[number];

export interface StepState {
  step: TrackingStep;
  state: 'done' | 'current' | 'todo';
  /** When the ticket reached this step (in the current round, after a reopening); null when it has not. */
  at: string | null;
}

/** An event of the ticket as the steps need it: what, when, and the status it left the ticket in. */
export interface StepEvent {
  type: string;
  at: string;
  status: string;
}

/** The step a status stands at; null for a ticket that left the process (referred, rejected, merged, withdrawn). */
export function currentStep(status: TicketStatus, outcome: Outcome | null): number | null {
  switch (status) {
    case 'RECEIVED':
      return 0;
    case 'TRIAGE':
      return 1;
    case 'IN_DEPARTMENT':
      return 2;
    case 'IN_PROGRESS':
    case 'WAITING_FOR_CITIZEN':
    case 'IN_APPROVAL':
      return 3;
    case 'APPROVED':
      return 4;
    case 'RESOLVED':
      return 5;
    case 'CLOSED':
      return outcome === 'RESOLVED' ? 5 : null;
    default:
      return null;
  }
}

/** Events that put the ticket on each step (the last one of the round counts). */
const REACHED_BY: Record<TrackingStep, readonly string[]> = {
  RECEIVED: ['RECEIVED'],
  AT_CENTER: ['RECEIVED', 'REOPENED', 'RETURNED_TO_CENTER'],
  AT_DEPARTMENT: ['DEPARTMENT_ASSIGNED', 'DEPARTMENT_REASSIGNED'],
  BEING_SOLVED: ['EXPERT_ASSIGNED'],
  APPROVED: ['RESOLUTION_APPROVED'],
  RESOLVED: ['FINALIZED', 'ANSWERED_DIRECTLY'],
  REFERRED: ['REFERRED'],
};

/**
 * The step indicator: each step done, current or to come, with the date it was reached in the
 * current round (a reopened ticket starts again at the center; its first receipt keeps its date).
 * Only dates leave this function, never who did what.
 */
export function trackingSteps(status: TicketStatus, outcome: Outcome | null, events: StepEvent[]): StepState[] {
  // Referred: the steps say where it went, not the department steps it will never take.
  if (status === 'REFERRED' || outcome === 'REFERRED') {
    return REFERRED_STEPS.map((step) => {
      const reached = events.filter((e) => REACHED_BY[step].includes(e.type)).at(-1);
      return { step, state: 'done', at: reached?.at ?? null };
    });
  }
  const current = currentStep(status, outcome);
  const lastReopen = events.map((e) => e.type).lastIndexOf('REOPENED');
  const round = lastReopen < 0 ? events : events.slice(lastReopen);
  const finished = status === 'CLOSED' || status === 'RESOLVED';
  return TRACKING_STEPS.map((step, index) => {
    const source = step === 'RECEIVED' ? events : round;
    const reached = source.filter((e) => REACHED_BY[step].includes(e.type)).at(-1);
    const state = current === null ? (reached ? 'done' : 'todo') : index < current || (index === current && finished) ? 'done' : index === current ? 'current' : 'todo';
    return { step, state, at: state === 'todo' ? null : (reached?.at ?? null) };
  });
}

/**
 * When the ticket is expected to be solved, from its category SLA: what is left of the clock
 * from now (or from when it paused, it resumes when the citizen answers). Null once solved,
 * stopped, or past due (then the page promises no date).
 */
export function expectedBy(sla: SlaClock | null | undefined, now = new Date()): string | null {
  if (!sla || sla.stopped || sla.breached) return null;
  const running = sla.runningSince ? now.getTime() - new Date(sla.runningSince).getTime() : 0;
  const left = sla.totalMs - sla.consumedMs - running;
  return left > 0 ? new Date(now.getTime() + left).toISOString() : null;
}
