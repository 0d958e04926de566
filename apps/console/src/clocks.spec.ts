import { clocksOf } from './clocks';
import { dateTime, duration } from './format';

const T = Date.parse('2026-03-01T09:00:00.000Z');
const HOUR = 3_600_000;
const sla = (over: Partial<{ totalMs: number; consumedMs: number; runningSince: string | null; stopped: boolean }> = {}) => ({
  totalMs: 72 * HOUR,
  consumedMs: 0,
  runningSince: new Date(T - 2 * HOUR).toISOString(),
  announced: [],
  breached: false,
  stopped: false,
  ...over,
});
const base = { sla: null, slaBreached: false, legalDeadline: null, status: 'IN_PROGRESS' as const, approval: null };

describe('clocksOf: the ticket page countdowns', () => {
  it('a running SLA counts the running stretch on top of the time used before', () => {
    const [clock] = clocksOf({ ...base, sla: sla({ consumedMs: 10 * HOUR }) }, T);
    expect(clock).toEqual({ kind: 'sla', remainingMs: 60 * HOUR, state: 'running', late: false });
  });

  it('a paused SLA stands still; a stopped one too, however late it is read', () => {
    expect(clocksOf({ ...base, sla: sla({ consumedMs: 10 * HOUR, runningSince: null }) }, T + 100 * HOUR)[0]).toMatchObject({ remainingMs: 62 * HOUR, state: 'paused' });
    expect(clocksOf({ ...base, sla: sla({ consumedMs: 10 * HOUR, stopped: true }) }, T + 100 * HOUR)[0]).toMatchObject({ remainingMs: 62 * HOUR, state: 'stopped' });
  });

  it('an SLA past its total, or flagged breached, is late', () => {
    expect(clocksOf({ ...base, sla: sla({ consumedMs: 71 * HOUR }) }, T)[0]).toMatchObject({ remainingMs: -HOUR, late: true });
    expect(clocksOf({ ...base, slaBreached: true, sla: sla() }, T)[0]).toMatchObject({ late: true });
  });

  it('the legal deadline counts down to its date; the approval clock names the level deciding now', () => {
    const clocks = clocksOf(
      {
        ...base,
        status: 'IN_APPROVAL',
        legalDeadline: { dueAt: new Date(T + 24 * HOUR).toISOString(), warned: false, missed: false, stopped: false },
        approval: { round: 1, chain: [{ level: 1, approverId: 'mgr.fen.hasan' }, { level: 2, approverId: 'head.fen.fatma' }], level: 2, levelStartedAt: new Date(T).toISOString(), reminderSent: false, escalatedTo: null, escalated: false },
      },
      T,
    );
    expect(clocks).toEqual([
      { kind: 'legal', remainingMs: 24 * HOUR, dueAt: new Date(T + 24 * HOUR).toISOString(), stopped: false, late: false },
      { kind: 'approval', level: 2, levels: 2, approverId: 'head.fen.fatma', since: new Date(T).toISOString(), late: false },
    ]);
  });
});

describe('format: Turkish by default, Europe/Istanbul always', () => {
  it('shows a UTC instant in Istanbul time (UTC+3), in the language’s format', () => {
    expect(dateTime('2026-03-01T21:30:00.000Z', 'tr')).toBe('2 Mar 2026 00:30');
    expect(dateTime('2026-03-01T21:30:00.000Z', 'en')).toBe('2 Mar 2026, 00:30');
    expect(dateTime(null, 'tr')).toBe('—');
  });

  it('writes a countdown in days and hours, or hours and minutes', () => {
    expect(duration(2 * 86_400_000 + 23 * HOUR + 59 * 60_000, 'tr')).toBe('2 gün 23 sa.');
    expect(duration(-(HOUR + 5 * 60_000), 'en')).toMatch(/^1 hr 5 mins?$/);
  });
});
