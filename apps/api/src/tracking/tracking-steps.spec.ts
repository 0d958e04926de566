import { expectedBy, trackingSteps } from './tracking-steps';

const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('trackingSteps', () => {
  const received = { type: 'RECEIVED', at: at(0), status: 'TRIAGE' };

  it('a fresh ticket is at the center', () => {
    expect(trackingSteps('TRIAGE', null, [received]).map((s) => [s.step, s.state, s.at])).toEqual([
      ['RECEIVED', 'done', at(0)],
      ['AT_CENTER', 'current', at(0)],
      ['AT_DEPARTMENT', 'todo', null],
      ['BEING_SOLVED', 'todo', null],
      ['APPROVED', 'todo', null],
      ['RESOLVED', 'todo', null],
    ]);
  });

  it('a resolved ticket has every step done, each with its date', () => {
    const events = [
      received,
      { type: 'DEPARTMENT_ASSIGNED', at: at(1), status: 'IN_DEPARTMENT' },
      { type: 'EXPERT_ASSIGNED', at: at(2), status: 'IN_PROGRESS' },
      { type: 'RESOLUTION_SUBMITTED', at: at(3), status: 'IN_APPROVAL' },
      { type: 'RESOLUTION_APPROVED', at: at(4), status: 'APPROVED' },
      { type: 'FINALIZED', at: at(5), status: 'RESOLVED' },
    ];
    const steps = trackingSteps('RESOLVED', null, events);
    expect(steps.every((s) => s.state === 'done')).toBe(true);
    expect(steps.map((s) => s.at)).toEqual([at(0), at(0), at(1), at(2), at(4), at(5)]);
  });

  it('a reopened ticket starts again at the center; its receipt keeps the first date', () => {
    const events = [
      received,
      { type: 'DEPARTMENT_ASSIGNED', at: at(1), status: 'IN_DEPARTMENT' },
      { type: 'FINALIZED', at: at(5), status: 'RESOLVED' },
      { type: 'REOPENED', at: at(9), status: 'TRIAGE' },
    ];
    expect(trackingSteps('TRIAGE', null, events).map((s) => [s.state, s.at])).toEqual([
      ['done', at(0)],
      ['current', at(9)],
      ['todo', null],
      ['todo', null],
      ['todo', null],
      ['todo', null],
    ]);
  });

  it('a ticket waiting for the citizen is still being solved', () => {
    const events = [received, { type: 'EXPERT_ASSIGNED', at: at(2), status: 'IN_PROGRESS' }, { type: 'CITIZEN_INFO_REQUESTED', at: at(3), status: 'WAITING_FOR_CITIZEN' }];
    expect(trackingSteps('WAITING_FOR_CITIZEN', null, events)[3]).toEqual({ step: 'BEING_SOLVED', state: 'current', at: at(2) });
  });

  it('a referred ticket: received, at the center, referred (where it went), not the department steps it never takes', () => {
    const referred = { type: 'REFERRED', at: at(1), status: 'REFERRED' };
    for (const [status, outcome] of [['REFERRED', 'REFERRED'], ['CLOSED', 'REFERRED']] as const) {
      expect(trackingSteps(status, outcome, [received, referred])).toEqual([
        { step: 'RECEIVED', state: 'done', at: at(0) },
        { step: 'AT_CENTER', state: 'done', at: at(0) },
        { step: 'REFERRED', state: 'done', at: at(1) },
      ]);
    }
  });
});

describe('expectedBy', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  it('adds what is left of a running clock to now', () => {
    expect(expectedBy({ totalMs: 3_600_000, consumedMs: 0, runningSince: '2026-03-01T11:30:00.000Z', announced: [], breached: false, stopped: false }, now)).toBe('2026-03-01T12:30:00.000Z');
  });
  it('a paused clock: what is left, from now', () => {
    expect(expectedBy({ totalMs: 3_600_000, consumedMs: 600_000, runningSince: null, announced: [], breached: false, stopped: false }, now)).toBe('2026-03-01T12:50:00.000Z');
  });
  it('no date once stopped, breached or past due', () => {
    const clock = { totalMs: 3_600_000, consumedMs: 0, runningSince: null, announced: [], breached: false, stopped: false };
    expect(expectedBy({ ...clock, stopped: true }, now)).toBeNull();
    expect(expectedBy({ ...clock, breached: true }, now)).toBeNull();
    expect(expectedBy({ ...clock, consumedMs: 4_000_000 }, now)).toBeNull();
    expect(expectedBy(null, now)).toBeNull();
  });
});
