import type { StaffTicket } from './api/client';

/** One countdown of the ticket page, computed at `now` (ms since epoch). */
export type Clock =
  | { kind: 'sla'; remainingMs: number; state: 'running' | 'paused' | 'stopped'; late: boolean }
  | { kind: 'legal'; remainingMs: number; dueAt: string; stopped: boolean; late: boolean }
  | { kind: 'approval'; level: number; levels: number; approverId: string; since: string; late: boolean };

/**
 * The ticket's clocks as countdowns: the SLA (time used so far plus the running stretch; a paused
 * clock stands still), the legal answer deadline, and the approval level deciding now.
 */
export function clocksOf(view: Pick<StaffTicket, 'sla' | 'slaBreached' | 'legalDeadline' | 'status' | 'approval'>, now: number): Clock[] {
  const clocks: Clock[] = [];
  if (view.sla) {
    const { totalMs, consumedMs, runningSince, stopped } = view.sla;
    const used = consumedMs + (runningSince && !stopped ? Math.max(0, now - Date.parse(runningSince)) : 0);
    const remainingMs = totalMs - used;
    clocks.push({ kind: 'sla', remainingMs, state: stopped ? 'stopped' : runningSince ? 'running' : 'paused', late: remainingMs < 0 || view.slaBreached });
  }
  if (view.legalDeadline) {
    const remainingMs = Date.parse(view.legalDeadline.dueAt) - now;
    const stopped = view.legalDeadline.stopped;
    clocks.push({ kind: 'legal', remainingMs, dueAt: view.legalDeadline.dueAt, stopped, late: !stopped && (remainingMs < 0 || view.legalDeadline.missed) });
  }
  if (view.status === 'IN_APPROVAL' && view.approval) {
    const { level, chain, levelStartedAt, escalated } = view.approval;
    clocks.push({ kind: 'approval', level, levels: chain.length, approverId: chain[level - 1]?.approverId ?? '', since: levelStartedAt, late: escalated });
  }
  return clocks;
}
