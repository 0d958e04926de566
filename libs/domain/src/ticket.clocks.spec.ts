import {
  addMs,
  approvalEscalationAt,
  approvalReminderAt,
  legalMissedAt,
  legalWarningAt,
  msBetween,
  newSlaClock,
  nextDeadline,
  pauseSla,
  pendingSlaMarks,
  resumeSla,
  slaConsumed,
  slaMarkAt,
  stopSla,
} from './ticket.clocks';
import { DomainErrorCode } from './domain-error';
import type { Decision } from './ticket.machine';
import type { SlaClock, TicketState } from './ticket.types';
import {
  APPROVER_1,
  APPROVER_2,
  APPROVER_3,
  DEPT,
  T0,
  TIMINGS,
  approver,
  at,
  citizen,
  cmd,
  eventOf,
  eventTypes,
  eventsOf,
  expert,
  notificationsOf,
  received,
  refusal,
  run,
  ticketIn,
  decideWithFacts,
} from '../test/ticket.fixtures';

const { slaMs, approvalLevelSlaMs, legalDeadlineMs, legalWarningMs, reopenWindowMs } = TIMINGS;
const tick = (state: TicketState, ms: number) => decideWithFacts(state, cmd.tick(), at(ms));

describe('time helpers', () => {
  it('addMs and msBetween are inverse', () => {
    expect(addMs(T0, 1_500)).toBe('2025-03-03T08:00:01.500Z');
    expect(addMs(T0, -60_000)).toBe('2025-03-03T07:59:00.000Z');
    expect(msBetween(T0, addMs(T0, 12_345))).toBe(12_345);
    expect(msBetween(addMs(T0, 10), T0)).toBe(-10);
  });
});

describe('SLA clock helpers', () => {
  const running = newSlaClock(100_000, T0);

  it('newSlaClock starts running with nothing consumed', () => {
    expect(running).toEqual({ totalMs: 100_000, consumedMs: 0, runningSince: T0, announced: [], breached: false, stopped: false });
  });

  it('slaConsumed counts the running stretch, never negatively', () => {
    expect(slaConsumed(running, at(30_000))).toBe(30_000);
    expect(slaConsumed({ ...running, consumedMs: 5_000 }, at(30_000))).toBe(35_000);
    expect(slaConsumed(running, at(-1_000))).toBe(0);
    expect(slaConsumed({ ...running, runningSince: null, consumedMs: 7_000 }, at(30_000))).toBe(7_000);
  });

  it('pauseSla banks the consumed time and stops the running stretch; pausing again changes nothing', () => {
    const paused = pauseSla(running, at(20_000));
    expect(paused).toMatchObject({ consumedMs: 20_000, runningSince: null, stopped: false });
    expect(pauseSla(paused, at(90_000))).toBe(paused);
    expect(running.runningSince).toBe(T0); // the input is untouched
  });

  it('resumeSla restarts a paused clock but not a running or stopped one', () => {
    const paused = pauseSla(running, at(20_000));
    expect(resumeSla(paused, at(50_000))).toMatchObject({ consumedMs: 20_000, runningSince: at(50_000) });
    expect(resumeSla(running, at(50_000))).toBe(running);
    const stopped = stopSla(running, at(20_000));
    expect(resumeSla(stopped, at(50_000))).toBe(stopped);
  });

  it('stopSla banks the consumed time and marks the clock stopped', () => {
    expect(stopSla(running, at(42_000))).toMatchObject({ consumedMs: 42_000, runningSince: null, stopped: true });
  });

  it('slaMarkAt is when the clock reaches a percentage, or null while paused', () => {
    expect(slaMarkAt(running, 50)).toBe(at(50_000));
    expect(slaMarkAt(running, 100)).toBe(at(100_000));
    const resumed: SlaClock = { ...running, consumedMs: 30_000, runningSince: at(60_000) };
    expect(slaMarkAt(resumed, 50)).toBe(at(80_000));
    // A mark already behind the consumed time is due at once.
    expect(slaMarkAt(resumed, 25)).toBe(at(60_000));
    expect(slaMarkAt({ ...running, runningSince: null }, 50)).toBeNull();
  });
});

describe('pendingSlaMarks', () => {
  let triage: TicketState;
  beforeEach(() => {
    triage = ticketIn('TRIAGE').state;
  });

  it('lists the thresholds in order, then the breach at 100', () => {
    expect(pendingSlaMarks(triage)).toEqual([50, 75, 90, 100]);
  });

  it('sorts the thresholds and ignores any at or above 100', () => {
    const state = { ...triage, timings: { ...triage.timings, slaThresholds: [90, 100, 50, 120] } };
    expect(pendingSlaMarks(state)).toEqual([50, 90, 100]);
  });

  it('leaves out announced thresholds and, once breached, the breach', () => {
    expect(pendingSlaMarks({ ...triage, sla: { ...triage.sla, announced: [50, 75] } })).toEqual([90, 100]);
    expect(pendingSlaMarks({ ...triage, sla: { ...triage.sla, announced: [50, 75, 90], breached: true } })).toEqual([]);
  });

  it('is empty once the clock is stopped', () => {
    expect(pendingSlaMarks(ticketIn('RESOLVED').state)).toEqual([]);
  });
});

describe('nextDeadline', () => {
  it('is null before the ticket is opened and once it is closed', () => {
    expect(nextDeadline(received())).toBeNull();
    expect(nextDeadline(ticketIn('CLOSED').state)).toBeNull();
  });

  it('is the 50% SLA mark first for a fresh ticket', () => {
    expect(nextDeadline(ticketIn('TRIAGE').state)).toBe(at(slaMs * 0.5));
    expect(nextDeadline(ticketIn('IN_PROGRESS').state)).toBe(at(slaMs * 0.5));
  });

  it('is the approval reminder while a level waits (half the level SLA)', () => {
    // The resolution was submitted at 3 s.
    const { state } = ticketIn('IN_APPROVAL');
    expect(approvalReminderAt(state)).toBe(at(3_000 + approvalLevelSlaMs / 2));
    expect(approvalEscalationAt(state)).toBe(at(3_000 + approvalLevelSlaMs));
    expect(nextDeadline(state)).toBe(at(3_000 + approvalLevelSlaMs / 2));
  });

  it('has no approval clocks outside IN_APPROVAL', () => {
    const approved = ticketIn('APPROVED').state;
    expect(approved.approval).not.toBeNull();
    expect(approvalReminderAt(approved)).toBeNull();
    expect(approvalEscalationAt(approved)).toBeNull();
  });

  it('is the end of the reopen window once resolved (SLA and legal clocks are stopped)', () => {
    const { state } = ticketIn('RESOLVED');
    expect(legalWarningAt(state)).toBeNull();
    expect(legalMissedAt(state)).toBeNull();
    expect(nextDeadline(state)).toBe(at(6_000 + reopenWindowMs));
  });

  it('is the legal warning once every SLA mark has passed, then the legal deadline, then nothing', () => {
    const afterBreach = tick(ticketIn('TRIAGE').state, slaMs).state;
    expect(afterBreach.sla.breached).toBe(true);
    expect(nextDeadline(afterBreach)).toBe(at(legalDeadlineMs - legalWarningMs));
    const warned = tick(afterBreach, legalDeadlineMs - legalWarningMs).state;
    expect(nextDeadline(warned)).toBe(at(legalDeadlineMs));
    const missed = tick(warned, legalDeadlineMs).state;
    expect(nextDeadline(missed)).toBeNull();
  });
});

describe('tick: SLA thresholds and breach', () => {
  let inDepartment: TicketState;
  beforeEach(() => {
    inDepartment = ticketIn('IN_DEPARTMENT').state;
  });

  it('records nothing and changes nothing when nothing is due', () => {
    const decision = tick(inDepartment, slaMs * 0.5 - 1);
    expect(decision.effects).toEqual([]);
    expect(decision.state).toEqual(inDepartment);
  });

  it('records each threshold once, as the system, at 50, 75 and 90 percent', () => {
    let state = inDepartment;
    for (const percent of [50, 75, 90]) {
      const due = (slaMs * percent) / 100;
      expect(nextDeadline(state)).toBe(at(due));
      const decision = tick(state, due);
      expect(eventsOf(decision.effects)).toEqual([
        expect.objectContaining({ type: 'SLA_THRESHOLD_REACHED', actor: { kind: 'SYSTEM' }, data: { percent } }),
      ]);
      expect(notificationsOf(decision.effects)).toEqual([]);
      expect(decision.state.sla.announced).toContain(percent);
      state = decision.state;
      // Ticking again at the same moment announces nothing twice.
      expect(tick(state, due).effects).toEqual([]);
    }
    expect(state.sla.announced).toEqual([50, 75, 90]);
    expect(state.sla.breached).toBe(false);
  });

  it('marks the breach at 100% and tells the department head', () => {
    const announced = run(inDepartment, [
      [50_000, cmd.tick()],
      [75_000, cmd.tick()],
      [90_000, cmd.tick()],
    ]).state;
    expect(nextDeadline(announced)).toBe(at(slaMs));
    const decision = tick(announced, slaMs);
    const events = eventsOf(decision.effects);
    expect(events).toEqual([expect.objectContaining({ type: 'SLA_BREACHED', actor: { kind: 'SYSTEM' }, data: { slaMs } })]);
    expect(decision.state.sla.breached).toBe(true);
    expect(notificationsOf(decision.effects)).toEqual([
      { kind: 'notify', purpose: 'SLA_BREACHED', seq: events[0].seq, recipient: { kind: 'DEPARTMENT_HEAD', departmentId: DEPT }, params: {} },
    ]);
    expect(tick(decision.state, slaMs + 1_000).effects).toEqual([]);
  });

  it('notifies nobody about a breach while no department is set', () => {
    const decision = tick(ticketIn('TRIAGE').state, slaMs);
    expect(decision.state.sla.breached).toBe(true);
    expect(eventOf(decision.effects, 'SLA_BREACHED')).toBeDefined();
    expect(notificationsOf(decision.effects)).toEqual([]);
  });

  it('fires every overdue mark in order in one late tick', () => {
    const decision = tick(inDepartment, slaMs + 5_000);
    expect(eventsOf(decision.effects).map((e) => [e.type, e.data])).toEqual([
      ['SLA_THRESHOLD_REACHED', { percent: 50 }],
      ['SLA_THRESHOLD_REACHED', { percent: 75 }],
      ['SLA_THRESHOLD_REACHED', { percent: 90 }],
      ['SLA_BREACHED', { slaMs }],
    ]);
    expect(decision.state.status).toBe('IN_DEPARTMENT');
  });

  it('keeps running through approval (the SLA stops only at resolution)', () => {
    const decision = tick(ticketIn('APPROVED').state, slaMs * 0.5);
    expect(eventTypes(decision.effects)).toEqual(['SLA_THRESHOLD_REACHED']);
  });
});

describe('tick: the SLA pauses while waiting for the citizen', () => {
  // The expert (assigned at 2 s) asks at 10 s, the citizen answers at 100 s.
  let asked: TicketState;
  beforeEach(() => {
    asked = run(ticketIn('IN_PROGRESS').state, [[10_000, cmd.requestCitizenInfo(expert())]]).state;
  });

  it('ignores SLA marks while waiting: the next deadline is the legal warning', () => {
    expect(asked.status).toBe('WAITING_FOR_CITIZEN');
    expect(nextDeadline(asked)).toBe(at(legalDeadlineMs - legalWarningMs));
  });

  it('fires no SLA mark however long the citizen takes', () => {
    const decision = tick(asked, 10_000 + slaMs * 2);
    expect(eventTypes(decision.effects)).not.toContain('SLA_THRESHOLD_REACHED');
    expect(eventTypes(decision.effects)).not.toContain('SLA_BREACHED');
  });

  it('does not consume the waiting time: after the answer the 50% mark moves later', () => {
    const answered = decideWithFacts(asked, cmd.citizenInfoProvided(citizen()), at(100_000)).state;
    expect(answered.status).toBe('IN_PROGRESS');
    expect(answered.sla.consumedMs).toBe(10_000);
    const fiftyPercent = 100_000 + (slaMs * 0.5 - 10_000);
    expect(nextDeadline(answered)).toBe(at(fiftyPercent));
    expect(tick(answered, fiftyPercent - 1).effects).toEqual([]);
    expect(eventOf(tick(answered, fiftyPercent).effects, 'SLA_THRESHOLD_REACHED')?.data).toEqual({ percent: 50 });
  });

  it('keeps the legal clock running while waiting', () => {
    const decision = tick(asked, legalDeadlineMs - legalWarningMs);
    expect(eventTypes(decision.effects)).toEqual(['LEGAL_DEADLINE_WARNING']);
  });
});

describe('tick: approval reminder and escalation', () => {
  // Submitted at 3 s; level 1 reminder at 8 s, escalation at 13 s.
  let inApproval: TicketState;
  beforeEach(() => {
    inApproval = ticketIn('IN_APPROVAL').state;
  });
  const reminderAt = 3_000 + approvalLevelSlaMs / 2;
  const escalationAt = 3_000 + approvalLevelSlaMs;
  let reminded: Decision;
  beforeEach(() => {
    reminded = tick(inApproval, reminderAt);
  });
  let escalated: Decision;
  beforeEach(() => {
    escalated = tick(reminded.state, escalationAt);
  });

  it('does nothing just before the reminder is due', () => {
    expect(tick(inApproval, reminderAt - 1).effects).toEqual([]);
  });

  it('reminds the level-1 approver at half the level SLA', () => {
    const events = eventsOf(reminded.effects);
    expect(events).toEqual([
      expect.objectContaining({ type: 'APPROVAL_REMINDER', actor: { kind: 'SYSTEM' }, data: { level: 1, approverId: APPROVER_1 } }),
    ]);
    expect(notificationsOf(reminded.effects)).toEqual([
      { kind: 'notify', purpose: 'APPROVAL_REMINDER', seq: events[0].seq, recipient: { kind: 'STAFF', staffId: APPROVER_1 }, params: {} },
    ]);
    expect(reminded.state.approval).toMatchObject({ reminderSent: true, escalated: false, escalatedTo: null });
    expect(nextDeadline(reminded.state)).toBe(at(escalationAt));
    expect(tick(reminded.state, reminderAt + 1).effects).toEqual([]);
  });

  it('escalates to the next level’s approver at the full level SLA', () => {
    const events = eventsOf(escalated.effects);
    expect(events).toEqual([
      expect.objectContaining({ type: 'APPROVAL_ESCALATED', actor: { kind: 'SYSTEM' }, data: { level: 1, escalatedTo: APPROVER_2 } }),
    ]);
    expect(notificationsOf(escalated.effects)).toEqual([
      { kind: 'notify', purpose: 'APPROVAL_ESCALATED', seq: events[0].seq, recipient: { kind: 'STAFF', staffId: APPROVER_2 }, params: {} },
    ]);
    expect(escalated.state.approval).toMatchObject({ level: 1, escalated: true, escalatedTo: APPROVER_2 });
    expect(escalated.state.status).toBe('IN_APPROVAL');
    // No approval clock is left for this level.
    expect(approvalReminderAt(escalated.state)).toBeNull();
    expect(approvalEscalationAt(escalated.state)).toBeNull();
  });

  it('lets the escalated-to approver decide the level on behalf of its approver', () => {
    const decision = decideWithFacts(escalated.state, cmd.approve(approver(APPROVER_2)), at(14_000));
    expect(eventOf(decision.effects, 'APPROVED_AT_LEVEL')?.data).toEqual({ level: 1, round: 1, onBehalfOf: APPROVER_1 });
    expect(decision.state.approval).toMatchObject({
      level: 2,
      levelStartedAt: at(14_000),
      reminderSent: false,
      escalated: false,
      escalatedTo: null,
    });
    expect(nextDeadline(decision.state)).toBe(at(14_000 + approvalLevelSlaMs / 2));
  });

  it('still lets the original approver decide after escalation', () => {
    expect(decideWithFacts(escalated.state, cmd.approve(approver(APPROVER_1)), at(14_000)).state.approval?.level).toBe(2);
  });

  it('fires the reminder and the escalation together in one late tick', () => {
    const decision = tick(inApproval, escalationAt + 500);
    expect(eventTypes(decision.effects)).toEqual(['APPROVAL_REMINDER', 'APPROVAL_ESCALATED']);
    expect(notificationsOf(decision.effects).map((n) => n.purpose)).toEqual(['APPROVAL_REMINDER', 'APPROVAL_ESCALATED']);
  });

  it('at the top level escalates to nobody and tells the department head', () => {
    const atTop = decideWithFacts(inApproval, cmd.approve(approver(APPROVER_1)), at(4_000)).state;
    const decision = tick(atTop, 4_000 + approvalLevelSlaMs);
    const escalation = eventOf(decision.effects, 'APPROVAL_ESCALATED')!;
    expect(escalation.data).toEqual({ level: 2, escalatedTo: null });
    expect(notificationsOf(decision.effects)).toContainEqual({
      kind: 'notify',
      purpose: 'APPROVAL_ESCALATED',
      seq: escalation.seq,
      recipient: { kind: 'DEPARTMENT_HEAD', departmentId: DEPT },
      params: {},
    });
    expect(decision.state.approval).toMatchObject({ escalated: true, escalatedTo: null });
    // The top approver can still decide.
    expect(decideWithFacts(decision.state, cmd.approve(approver(APPROVER_2)), at(20_000)).state.status).toBe('APPROVED');
  });

  it('escalates level 2 of a three-level chain to the level-3 approver', () => {
    const chain = [
      { level: 1, approverId: APPROVER_1 },
      { level: 2, approverId: APPROVER_2 },
      { level: 3, approverId: APPROVER_3 },
    ];
    const atLevel2 = run(ticketIn('IN_PROGRESS').state, [
      [2_500, cmd.submitResolution(), { chain }],
      [3_000, cmd.approve(approver(APPROVER_1))],
    ]).state;
    const decision = tick(atLevel2, 3_000 + approvalLevelSlaMs);
    expect(eventOf(decision.effects, 'APPROVAL_ESCALATED')?.data).toEqual({ level: 2, escalatedTo: APPROVER_3 });
    expect(decideWithFacts(decision.state, cmd.approve(approver(APPROVER_3)), at(14_000)).state.approval?.level).toBe(3);
  });

  it('stops the approval clocks when the resolution is rejected', () => {
    const back = decideWithFacts(inApproval, cmd.rejectResolution(approver(APPROVER_1), { reasonRef: 'r' }), at(4_000)).state;
    expect(tick(back, escalationAt + 1_000).effects).toEqual([]);
  });
});

describe('tick: legal deadline', () => {
  const warnAt = legalDeadlineMs - legalWarningMs;
  // Past the SLA so that only the legal clock is left.
  let breachedTriage: TicketState;
  beforeEach(() => {
    breachedTriage = tick(ticketIn('TRIAGE').state, slaMs).state;
  });
  let breachedInDepartment: TicketState;
  beforeEach(() => {
    breachedInDepartment = tick(ticketIn('IN_DEPARTMENT').state, slaMs).state;
  });

  it('warns legalWarningMs before the due time, notifying the department head when there is one', () => {
    expect(legalWarningAt(breachedInDepartment)).toBe(at(warnAt));
    expect(tick(breachedInDepartment, warnAt - 1).effects).toEqual([]);
    const decision = tick(breachedInDepartment, warnAt);
    const events = eventsOf(decision.effects);
    expect(events).toEqual([
      expect.objectContaining({ type: 'LEGAL_DEADLINE_WARNING', actor: { kind: 'SYSTEM' }, data: { dueAt: at(legalDeadlineMs) } }),
    ]);
    expect(notificationsOf(decision.effects)).toEqual([
      {
        kind: 'notify',
        purpose: 'LEGAL_DEADLINE_WARNING',
        seq: events[0].seq,
        recipient: { kind: 'DEPARTMENT_HEAD', departmentId: DEPT },
        params: {},
      },
    ]);
    expect(decision.state.legal).toMatchObject({ warned: true, missed: false });
  });

  it('warns without a notification while no department is set', () => {
    const decision = tick(breachedTriage, warnAt);
    expect(eventTypes(decision.effects)).toEqual(['LEGAL_DEADLINE_WARNING']);
    expect(notificationsOf(decision.effects)).toEqual([]);
  });

  it('records LEGAL_DEADLINE_MISSED at the due time, once', () => {
    const warned = tick(breachedInDepartment, warnAt).state;
    expect(legalMissedAt(warned)).toBe(at(legalDeadlineMs));
    const decision = tick(warned, legalDeadlineMs);
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({ type: 'LEGAL_DEADLINE_MISSED', data: { dueAt: at(legalDeadlineMs) } }),
    ]);
    expect(decision.state.legal).toMatchObject({ warned: true, missed: true });
    expect(decision.state.status).toBe('IN_DEPARTMENT');
    expect(tick(decision.state, legalDeadlineMs + 1_000).effects).toEqual([]);
  });

  it('fires the warning and the miss together in one late tick', () => {
    const decision = tick(breachedInDepartment, legalDeadlineMs + 1);
    expect(eventTypes(decision.effects)).toEqual(['LEGAL_DEADLINE_WARNING', 'LEGAL_DEADLINE_MISSED']);
    expect(decision.state.legal).toMatchObject({ warned: true, missed: true });
  });
});

describe('tick: end of the reopen window', () => {
  let resolved: TicketState; // resolved at 6 s
  beforeEach(() => {
    resolved = ticketIn('RESOLVED').state;
  });
  const windowEnd = 6_000 + reopenWindowMs;

  it('does nothing just before the window ends', () => {
    expect(tick(resolved, windowEnd - 1).effects).toEqual([]);
  });

  it('closes the ticket with outcome RESOLVED and tells the citizen', () => {
    const decision = tick(resolved, windowEnd);
    const events = eventsOf(decision.effects);
    expect(events).toEqual([
      expect.objectContaining({ type: 'CLOSED', actor: { kind: 'SYSTEM' }, status: 'CLOSED', data: { outcome: 'RESOLVED' } }),
    ]);
    expect(notificationsOf(decision.effects)).toEqual([
      { kind: 'notify', purpose: 'CLOSED', seq: events[0].seq, recipient: { kind: 'CITIZEN' }, params: { outcome: 'RESOLVED' } },
    ]);
    expect(decision.state).toMatchObject({
      status: 'CLOSED',
      outcome: 'RESOLVED',
      closedAt: at(windowEnd),
      reopenUntil: null,
      resolvedAt: at(6_000),
    });
  });

  it('leaves a closed ticket with no next deadline, refusing further ticks', () => {
    const closed = tick(resolved, windowEnd).state;
    expect(nextDeadline(closed)).toBeNull();
    expect(refusal(() => tick(closed, windowEnd + 1_000)).code).toBe(DomainErrorCode.INVALID_TRANSITION);
  });
});

describe('tick: a reopened ticket runs on fresh clocks', () => {
  it('announces the SLA marks again from the reopen time', () => {
    // Round 1 reached 50% before resolution; the reopen at 80 s starts a new SLA.
    const first = run(ticketIn('IN_PROGRESS').state, [
      [50_000, cmd.tick()],
      [51_000, cmd.submitResolution()],
      [52_000, cmd.approve(approver(APPROVER_1))],
      [53_000, cmd.approve(approver(APPROVER_2))],
      [54_000, cmd.finalize()],
      [80_000, cmd.reopen()],
    ]).state;
    expect(first.sla.announced).toEqual([]);
    expect(nextDeadline(first)).toBe(at(80_000 + slaMs * 0.5));
    expect(eventOf(tick(first, 80_000 + slaMs * 0.5).effects, 'SLA_THRESHOLD_REACHED')?.data).toEqual({ percent: 50 });
    expect(legalWarningAt(first)).toBe(at(80_000 + legalDeadlineMs - legalWarningMs));
  });
});
