import { DomainErrorCode } from './domain-error';
import { decide, decideJudged, openingState, type Decision, type Effect } from './ticket.machine';
import { nextDeadline } from './ticket.clocks';
import type { TicketEvent, TicketState } from './ticket.types';
import { SYSTEM_ACTOR } from './ticket.types';
import {
  APPROVER_1,
  APPROVER_2,
  CHAIN,
  DEPT,
  EXPERT_ID,
  OTHER_DEPT,
  OTHER_EXPERT_ID,
  T0,
  TIMINGS,
  type Run,
  type Step,
  approver,
  at,
  citizen,
  cmd,
  coordinator,
  deepFreeze,
  eventOf,
  eventTypes,
  eventsOf,
  expert,
  manager,
  agent,
  notificationsOf,
  opening,
  purposesOf,
  received,
  refusal,
  run,
  system,
  ticketIn,
  decideWithFacts,
  DEPARTMENT_FACTS,
} from '../test/ticket.fixtures';

/** Every notify effect must carry the seq of the record effect that came right before it. */
function expectNotificationsFollowTheirEvent(effects: readonly Effect[]): void {
  let lastSeq: number | null = null;
  for (const effect of effects) {
    if (effect.kind === 'record') lastSeq = effect.event.seq;
    if (effect.kind === 'notify') {
      expect(lastSeq).not.toBeNull();
      expect(effect.seq).toBe(lastSeq);
    }
  }
}

describe('openingState', () => {
  let state: TicketState;
  beforeEach(() => {
    state = openingState(opening());
  });

  it('starts RECEIVED in round 1 with no events yet', () => {
    expect(state.status).toBe('RECEIVED');
    expect(state.seq).toBe(0);
    expect(state.round).toBe(1);
    expect(state.reopenCount).toBe(0);
    expect(state.outcome).toBeNull();
    expect(state.departmentId).toBeNull();
    expect(state.assigneeId).toBeNull();
    expect(state.approval).toBeNull();
  });

  it('starts the SLA running from the moment of receipt', () => {
    expect(state.sla).toEqual({
      totalMs: TIMINGS.slaMs,
      consumedMs: 0,
      runningSince: T0,
      announced: [],
      breached: false,
      stopped: false,
    });
  });

  it('sets the legal deadline legalDeadlineMs after receipt', () => {
    expect(state.legal).toEqual({ dueAt: at(TIMINGS.legalDeadlineMs), warned: false, missed: false, stopped: false });
  });
});

describe('open', () => {
  let decision: Decision;
  beforeEach(() => {
    decision = decideWithFacts(received(), cmd.open(), T0);
  });

  it('moves the ticket to TRIAGE', () => {
    expect(decision.state.status).toBe('TRIAGE');
    expect(decision.state.seq).toBe(1);
  });

  it('records RECEIVED as event 1 with the non-personal facts', () => {
    expect(eventsOf(decision.effects)).toEqual([
      {
        seq: 1,
        type: 'RECEIVED',
        at: T0,
        actor: SYSTEM_ACTOR,
        status: 'TRIAGE',
        data: { channel: 'CALL_CENTER', type: 'REQUEST', category: 'pothole' },
      },
    ]);
  });

  it('tells the citizen the ticket was received, keyed by that event', () => {
    expect(notificationsOf(decision.effects)).toEqual([
      { kind: 'notify', purpose: 'RECEIVED', seq: 1, recipient: { kind: 'CITIZEN' }, params: {} },
    ]);
    expect(decision.effects).toHaveLength(2);
  });
});

describe('event sequence numbers', () => {
  /** A long life: info request, a rejected round, approval, resolution, reopen, second life, withdraw. */
  const steps: Step[] = [
    [0, cmd.open()],
    [1_000, cmd.addNote(coordinator(), { visibility: 'CITIZEN' })],
    [2_000, cmd.assignDepartment()],
    [3_000, cmd.assignExpert()],
    [4_000, cmd.requestCitizenInfo(expert())],
    [5_000, cmd.citizenInfoProvided(citizen())],
    [6_000, cmd.submitResolution()],
    [7_000, cmd.approve(approver(APPROVER_1))],
    [8_000, cmd.rejectResolution(approver(APPROVER_2))],
    [9_000, cmd.submitResolution()],
    [10_000, cmd.approve(approver(APPROVER_1))],
    [11_000, cmd.approve(approver(APPROVER_2))],
    [12_000, cmd.finalize()],
    [13_000, cmd.reopen()],
    [14_000, cmd.requestCitizenInfo(coordinator())],
    [15_000, cmd.citizenInfoProvided(coordinator())],
    [16_000, cmd.duplicateMerged()],
    [17_000, cmd.withdraw()],
  ];
  let life: Run;
  beforeEach(() => {
    life = run(received(), steps);
  });
  let events: TicketEvent[];
  beforeEach(() => {
    events = eventsOf(life.effects);
  });

  it('are dense 1..n over the whole life and end at state.seq', () => {
    expect(events.map((e) => e.seq)).toEqual(events.map((_e, i) => i + 1));
    expect(life.state.seq).toBe(events.length);
  });

  it('continue from the state seq in each single decision', () => {
    let before = 0;
    for (const decision of life.decisions) {
      const seqs = eventsOf(decision.effects).map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_s, i) => before + i + 1));
      before = decision.state.seq;
    }
  });

  it('give every notification the seq of the event it follows', () => {
    expect(notificationsOf(life.effects).length).toBeGreaterThanOrEqual(6);
    expectNotificationsFollowTheirEvent(life.effects);
  });

  it('make notification keys unique', () => {
    const keys = notificationsOf(life.effects).map((n) => `${n.purpose}:${n.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('stamp each event with the decision time', () => {
    life.decisions.forEach((decision, i) => {
      for (const event of eventsOf(decision.effects)) expect(event.at).toBe(at(steps[i][0] as number));
    });
  });

  it('tell the whole story in order', () => {
    expect(eventTypes(life.effects)).toEqual([
      'RECEIVED',
      'NOTE_ADDED',
      'DEPARTMENT_ASSIGNED',
      'EXPERT_ASSIGNED',
      'CITIZEN_INFO_REQUESTED',
      'SLA_PAUSED',
      'CITIZEN_INFO_PROVIDED',
      'SLA_RESUMED',
      'RESOLUTION_SUBMITTED',
      'APPROVED_AT_LEVEL',
      'RESOLUTION_REJECTED',
      'RESOLUTION_SUBMITTED',
      'APPROVED_AT_LEVEL',
      'APPROVED_AT_LEVEL',
      'RESOLUTION_APPROVED',
      'FINALIZED',
      'REOPENED',
      'CITIZEN_INFO_REQUESTED',
      'SLA_PAUSED',
      'CITIZEN_INFO_PROVIDED',
      'SLA_RESUMED',
      'DUPLICATE_MERGED',
      'WITHDRAWN',
      'CLOSED',
    ]);
    expect(purposesOf(life.effects)).toEqual([
      'RECEIVED',
      'INFO_REQUESTED',
      'RESOLVED',
      'REOPENED',
      'INFO_REQUESTED',
      'CLOSED',
    ]);
  });
});

describe('decideJudged: the rules for a command already judged on this state', () => {
  it('decides as decide does when the command would be allowed', () => {
    const triage = ticketIn('TRIAGE').state;
    const command = cmd.assignDepartment();
    expect(decideJudged(triage, command, at(100), DEPARTMENT_FACTS)).toEqual(decide(triage, command, at(100), DEPARTMENT_FACTS));
  });

  it('does not judge again: an actor decide refuses is not refused here (the caller vouches for the judgement)', () => {
    const triage = ticketIn('TRIAGE').state;
    const byAnExpert = { ...cmd.assignDepartment(), actor: expert() };
    expect(refusal(() => decide(triage, byAnExpert, at(100), DEPARTMENT_FACTS)).code).toBe(DomainErrorCode.FORBIDDEN);
    expect(decideJudged(triage, byAnExpert, at(100), DEPARTMENT_FACTS).state.status).toBe('IN_DEPARTMENT');
  });

  it('still refuses to guess the facts a command needs', () => {
    expect(() => decideJudged(ticketIn('TRIAGE').state, cmd.assignDepartment(), at(100))).toThrow('needs the facts');
  });
});

describe('assignDepartment', () => {
  let triage: TicketState;
  beforeEach(() => {
    triage = ticketIn('TRIAGE').state;
  });

  it('moves to IN_DEPARTMENT, manual by default, keeping the category', () => {
    const decision = decideWithFacts(triage, cmd.assignDepartment(), at(100));
    expect(decision.state).toMatchObject({
      status: 'IN_DEPARTMENT',
      departmentId: DEPT,
      category: 'pothole',
      assignmentMode: 'MANUAL',
      assigneeId: null,
    });
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({
        type: 'DEPARTMENT_ASSIGNED',
        status: 'IN_DEPARTMENT',
        data: { departmentId: DEPT, category: 'pothole', previousCategory: 'pothole', assignmentMode: 'MANUAL' },
      }),
    ]);
    expect(decision.effects.some((e) => e.kind === 'pickExpert')).toBe(false);
    expect(notificationsOf(decision.effects)).toEqual([]);
  });

  it('recategorises and keeps the note reference', () => {
    const decision = decideWithFacts(triage, cmd.assignDepartment({ category: 'street-light', noteRef: 'text-n1' }), at(100));
    expect(decision.state.category).toBe('street-light');
    expect(eventOf(decision.effects, 'DEPARTMENT_ASSIGNED')?.data).toEqual({
      departmentId: DEPT,
      category: 'street-light',
      previousCategory: 'pothole',
      slaMs: TIMINGS.slaMs,
      previousSlaMs: TIMINGS.slaMs,
      assignmentMode: 'MANUAL',
      noteRef: 'text-n1',
    });
  });

  it('recomputes the SLA from the new category: time used still counts, marks not yet passed come again', () => {
    // 60 % of the 100 s SLA used in triage: the 50 % mark was announced.
    const { state } = run(triage, [[60_000, cmd.tick()]]);
    expect(state.sla.announced).toEqual([50]);
    const decision = decide(state, cmd.assignDepartment({ category: 'street-light' }), at(60_000), { ...DEPARTMENT_FACTS, categorySlaMs: 200_000 });
    expect(decision.state.sla).toMatchObject({ totalMs: 200_000, consumedMs: 0, announced: [] });
    expect(decision.state.timings.slaMs).toBe(200_000); // a reopen starts the new category's SLA
    expect(eventOf(decision.effects, 'DEPARTMENT_ASSIGNED')?.data).toMatchObject({ category: 'street-light', previousCategory: 'pothole', slaMs: 200_000, previousSlaMs: TIMINGS.slaMs });
    // 60 s of 200 s used: the next mark is 50 % at 100 s.
    expect(nextDeadline(decision.state)).toBe(at(100_000));
  });

  it('leaves the SLA alone when the category does not change', () => {
    const decision = decide(triage, cmd.assignDepartment({ category: 'pothole' }), at(100), { ...DEPARTMENT_FACTS, categorySlaMs: 1 });
    expect(decision.state.sla.totalMs).toBe(TIMINGS.slaMs);
    expect(eventOf(decision.effects, 'DEPARTMENT_ASSIGNED')?.data).toEqual({ departmentId: DEPT, category: 'pothole', previousCategory: 'pothole', assignmentMode: 'MANUAL' });
  });

  it('asks the workflow to pick the least-loaded expert when the department assigns automatically', () => {
    const decision = decide(triage, cmd.assignDepartment(), at(100), { ...DEPARTMENT_FACTS, assignmentMode: 'LEAST_LOADED' });
    expect(decision.state.assignmentMode).toBe('LEAST_LOADED');
    expect(decision.effects).toContainEqual({ kind: 'pickExpert', departmentId: DEPT });
    // The event comes first, then the request to pick.
    expect(decision.effects.map((e) => e.kind)).toEqual(['record', 'pickExpert']);
  });
});

describe('returnToCenter', () => {
  let inProgress: TicketState;
  beforeEach(() => {
    inProgress = ticketIn('IN_PROGRESS').state;
  });
  let decision: Decision;
  beforeEach(() => {
    decision = decideWithFacts(inProgress, cmd.returnToCenter(expert(), { reasonRef: 'text-misrouted' }), at(2_500));
  });

  it('sends the ticket back to triage without department or expert', () => {
    expect(decision.state).toMatchObject({ status: 'TRIAGE', departmentId: null, assigneeId: null, assignmentMode: null });
  });

  it('keeps the SLA running: the citizen has been waiting all along', () => {
    expect(decision.state.sla).toEqual(inProgress.sla);
  });

  it('records who had it and why, and texts nobody', () => {
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({ type: 'RETURNED_TO_CENTER', status: 'TRIAGE', data: { reasonRef: 'text-misrouted', departmentId: DEPT, previousExpertId: EXPERT_ID } }),
    ]);
    expect(notificationsOf(decision.effects)).toEqual([]);
  });
});

describe('reassignDepartment', () => {
  let inProgress: TicketState;
  beforeEach(() => {
    inProgress = ticketIn('IN_PROGRESS').state;
  });

  it('moves the ticket to the other department without an expert, naming both', () => {
    const decision = decideWithFacts(inProgress, cmd.reassignDepartment({ departmentId: OTHER_DEPT, noteRef: 'text-why' }), at(2_500));
    expect(decision.state).toMatchObject({ status: 'IN_DEPARTMENT', departmentId: OTHER_DEPT, assigneeId: null, assignmentMode: 'MANUAL' });
    expect(eventOf(decision.effects, 'DEPARTMENT_REASSIGNED')?.data).toEqual({
      departmentId: OTHER_DEPT,
      previousDepartmentId: DEPT,
      previousExpertId: EXPERT_ID,
      category: 'pothole',
      previousCategory: 'pothole',
      assignmentMode: 'MANUAL',
      noteRef: 'text-why',
    });
    expect(decision.effects.some((e) => e.kind === 'pickExpert')).toBe(false);
  });

  it('asks for the least-loaded expert of the new department when it assigns automatically', () => {
    const decision = decide(inProgress, cmd.reassignDepartment(), at(2_500), { ...DEPARTMENT_FACTS, assignmentMode: 'LEAST_LOADED' });
    expect(decision.effects).toContainEqual({ kind: 'pickExpert', departmentId: OTHER_DEPT });
  });

  it('never defaults the department facts', () => {
    expect(() => decide(inProgress, cmd.reassignDepartment(), at(2_500))).toThrow(/needs the facts/);
  });
});

describe('a citizen’s command sent by the center for a caller', () => {
  it.each([
    ['reopen', 'RESOLVED', cmd.reopen(agent(), { via: 'CALL_CENTER' }), 'REOPENED'],
    ['withdraw', 'IN_PROGRESS', cmd.withdraw(coordinator(), { via: 'CONTACT_POINT' }), 'WITHDRAWN'],
    ['citizenInfoProvided', 'WAITING_FOR_CITIZEN', cmd.citizenInfoProvided(agent(), { via: 'CALL_CENTER' }), 'CITIZEN_INFO_PROVIDED'],
  ] as const)('%s records that staff acted for the citizen, with the channel', (_name, status, command, type) => {
    const decision = decideWithFacts(ticketIn(status).state, command, at(20_000));
    const event = eventOf(decision.effects, type)!;
    expect(event.actor).toEqual(command.actor);
    expect(event.data).toMatchObject({ onBehalfOfCitizen: true, via: command.via });
  });

  it('records nothing extra when the citizen acts through the tracking link', () => {
    const decision = decideWithFacts(ticketIn('IN_PROGRESS').state, cmd.withdraw(citizen()), at(20_000));
    expect(eventOf(decision.effects, 'WITHDRAWN')?.data).toEqual({});
  });
});

describe('refer', () => {
  let decision: Decision;
  beforeEach(() => {
    decision = decideWithFacts(ticketIn('TRIAGE').state, cmd.refer({ institutionId: 'inst-gas', noteRef: 'text-r' }), at(100));
  });
  let events: TicketEvent[];
  beforeEach(() => {
    events = eventsOf(decision.effects);
  });

  it('passes through REFERRED and closes with outcome REFERRED', () => {
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ['REFERRED', 'REFERRED'],
      ['CLOSED', 'CLOSED'],
    ]);
    expect(events[0].data).toEqual({ institutionId: 'inst-gas', noteRef: 'text-r' });
    expect(events[1].data).toEqual({ outcome: 'REFERRED' });
    expect(decision.state).toMatchObject({ status: 'CLOSED', outcome: 'REFERRED', referredTo: 'inst-gas', closedAt: at(100) });
  });

  it('tells the citizen which institution is responsible, keyed by the REFERRED event', () => {
    expect(notificationsOf(decision.effects)).toEqual([
      { kind: 'notify', purpose: 'REFERRED', seq: events[0].seq, recipient: { kind: 'CITIZEN' }, params: { institutionId: 'inst-gas' } },
    ]);
  });

  it('stops the SLA and the legal clock', () => {
    expect(decision.state.sla.stopped).toBe(true);
    expect(decision.state.sla.runningSince).toBeNull();
    expect(decision.state.sla.consumedMs).toBe(100);
    expect(decision.state.legal.stopped).toBe(true);
  });
});

describe('reject', () => {
  let triage: TicketState;
  beforeEach(() => {
    triage = ticketIn('TRIAGE').state;
  });

  it('refuses a DUPLICATE without the surviving ticket (INVALID_COMMAND)', () => {
    const error = refusal(() => decideWithFacts(triage, cmd.reject({ reason: 'DUPLICATE' }), at(100)));
    expect(error.code).toBe(DomainErrorCode.INVALID_COMMAND);
    expect(error.details).toEqual({ field: 'duplicateOf' });
  });

  it('refuses a DUPLICATE of itself (INVALID_COMMAND)', () => {
    const error = refusal(() => decideWithFacts(triage, cmd.reject({ reason: 'DUPLICATE', duplicateOf: triage.number }), at(100)));
    expect(error.code).toBe(DomainErrorCode.INVALID_COMMAND);
  });

  describe('as a DUPLICATE', () => {
    let decision: Decision;
    beforeEach(() => {
      decision = decideWithFacts(triage, cmd.reject({ reason: 'DUPLICATE', duplicateOf: 'T-2025-000042' }), at(100));
    });
    let events: TicketEvent[];
    beforeEach(() => {
      events = eventsOf(decision.effects);
    });

    it('records REJECTED, MERGED_INTO and CLOSED with outcome MERGED', () => {
      expect(events.map((e) => e.type)).toEqual(['REJECTED', 'MERGED_INTO', 'CLOSED']);
      expect(events[0]).toMatchObject({ status: 'REJECTED', data: { reason: 'DUPLICATE', duplicateOf: 'T-2025-000042' } });
      expect(events[1].data).toEqual({ survivor: 'T-2025-000042' });
      expect(events[2].data).toEqual({ outcome: 'MERGED' });
      expect(decision.state).toMatchObject({ status: 'CLOSED', outcome: 'MERGED', duplicateOf: 'T-2025-000042' });
    });

    it('signals the surviving ticket', () => {
      expect(decision.effects).toContainEqual({
        kind: 'signalMerge',
        survivorNumber: 'T-2025-000042',
        fromNumber: triage.number,
      });
    });

    it('tells the citizen about the merge, keyed by MERGED_INTO', () => {
      expect(notificationsOf(decision.effects)).toEqual([
        { kind: 'notify', purpose: 'MERGED', seq: events[1].seq, recipient: { kind: 'CITIZEN' }, params: { survivor: 'T-2025-000042' } },
      ]);
    });
  });

  it.each(['SPAM', 'ABUSIVE'] as const)('as %s closes with outcome REJECTED and tells the citizen nothing', (reason) => {
    const decision = decideWithFacts(triage, cmd.reject({ reason, noteRef: 'text-why' }), at(100));
    expect(eventsOf(decision.effects).map((e) => [e.type, e.data])).toEqual([
      ['REJECTED', { reason, noteRef: 'text-why' }],
      ['CLOSED', { outcome: 'REJECTED' }],
    ]);
    expect(decision.state).toMatchObject({ status: 'CLOSED', outcome: 'REJECTED', duplicateOf: null });
    expect(notificationsOf(decision.effects)).toEqual([]);
    expect(decision.effects.some((e) => e.kind === 'signalMerge')).toBe(false);
  });
});

describe('answerDirectly', () => {
  let decision: Decision;
  beforeEach(() => {
    decision = decideWithFacts(ticketIn('TRIAGE', { type: 'INFORMATION' }).state, cmd.answerDirectly({ answerRef: 'text-a' }), at(2_000));
  });

  it('resolves the ticket and opens the reopen window', () => {
    expect(decision.state).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: at(2_000),
      reopenUntil: at(2_000 + TIMINGS.reopenWindowMs),
      outcome: null,
    });
    expect(decision.state.sla).toMatchObject({ stopped: true, consumedMs: 2_000, runningSince: null });
    expect(decision.state.legal.stopped).toBe(true);
  });

  it('records ANSWERED_DIRECTLY and tells the citizen it is resolved', () => {
    const events = eventsOf(decision.effects);
    expect(events).toEqual([expect.objectContaining({ type: 'ANSWERED_DIRECTLY', status: 'RESOLVED', data: { answerRef: 'text-a' } })]);
    expect(notificationsOf(decision.effects)).toEqual([
      { kind: 'notify', purpose: 'RESOLVED', seq: events[0].seq, recipient: { kind: 'CITIZEN' }, params: {} },
    ]);
  });
});

describe('assignExpert', () => {
  let inDepartment: TicketState;
  beforeEach(() => {
    inDepartment = ticketIn('IN_DEPARTMENT').state;
  });

  it('refuses an expert of another department (INVALID_COMMAND)', () => {
    const error = refusal(() =>
      decideWithFacts(inDepartment, cmd.assignExpert({ expertId: 'expert-parks', expertDepartmentId: OTHER_DEPT }), at(1_500)),
    );
    expect(error.code).toBe(DomainErrorCode.INVALID_COMMAND);
    expect(error.details).toEqual({ field: 'expertId' });
  });

  it('moves to IN_PROGRESS with the expert as assignee', () => {
    const decision = decideWithFacts(inDepartment, cmd.assignExpert(), at(1_500));
    expect(decision.state).toMatchObject({ status: 'IN_PROGRESS', assigneeId: EXPERT_ID });
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({
        type: 'EXPERT_ASSIGNED',
        actor: manager(),
        status: 'IN_PROGRESS',
        data: { expertId: EXPERT_ID, previousExpertId: null, automatic: false },
      }),
    ]);
  });

  it('marks a system assignment as automatic', () => {
    const decision = decideWithFacts(inDepartment, cmd.assignExpert({}, system()), at(1_500));
    expect(eventOf(decision.effects, 'EXPERT_ASSIGNED')?.data.automatic).toBe(true);
  });

  it('records the previous expert on a reassignment', () => {
    const decision = decideWithFacts(ticketIn('IN_PROGRESS').state, cmd.assignExpert({ expertId: OTHER_EXPERT_ID }), at(2_500));
    expect(decision.state.assigneeId).toBe(OTHER_EXPERT_ID);
    expect(eventOf(decision.effects, 'EXPERT_ASSIGNED')?.data).toEqual({
      expertId: OTHER_EXPERT_ID,
      previousExpertId: EXPERT_ID,
      automatic: false,
    });
  });
});

describe('expertAssignmentPending', () => {
  it('records that the manager must pick, staying IN_DEPARTMENT', () => {
    const decision = decideWithFacts(ticketIn('IN_DEPARTMENT').state, cmd.expertAssignmentPending(), at(1_500));
    expect(decision.state.status).toBe('IN_DEPARTMENT');
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({ type: 'EXPERT_ASSIGNMENT_PENDING', actor: SYSTEM_ACTOR, data: { departmentId: DEPT } }),
    ]);
  });
});

describe('requestCitizenInfo and citizenInfoProvided', () => {
  let inProgress: TicketState;
  beforeEach(() => {
    inProgress = ticketIn('IN_PROGRESS').state;
  });
  let asked: Decision;
  beforeEach(() => {
    asked = decideWithFacts(inProgress, cmd.requestCitizenInfo(expert(), { questionRef: 'text-q' }), at(10_000));
  });

  it('waits for the citizen, remembering where to return', () => {
    expect(asked.state).toMatchObject({ status: 'WAITING_FOR_CITIZEN', waitingReturnTo: 'IN_PROGRESS' });
  });

  it('records the question, notifies the citizen, then pauses the SLA as the system', () => {
    const events = eventsOf(asked.effects);
    expect(events.map((e) => [e.type, e.actor.kind])).toEqual([
      ['CITIZEN_INFO_REQUESTED', 'STAFF'],
      ['SLA_PAUSED', 'SYSTEM'],
    ]);
    expect(events[0].data).toEqual({ questionRef: 'text-q' });
    expect(events[1].data).toEqual({ consumedMs: 10_000 });
    expect(notificationsOf(asked.effects)).toEqual([
      { kind: 'notify', purpose: 'INFO_REQUESTED', seq: events[0].seq, recipient: { kind: 'CITIZEN' }, params: {} },
    ]);
    expect(asked.state.sla).toMatchObject({ consumedMs: 10_000, runningSince: null });
  });

  it('returns to the previous status and resumes the SLA when the citizen answers', () => {
    const answered = decideWithFacts(asked.state, cmd.citizenInfoProvided(citizen(), { answerRef: 'text-ans' }), at(30_000));
    expect(answered.state).toMatchObject({ status: 'IN_PROGRESS', waitingReturnTo: null, assigneeId: EXPERT_ID });
    expect(answered.state.sla).toMatchObject({ consumedMs: 10_000, runningSince: at(30_000) });
    expect(eventsOf(answered.effects).map((e) => [e.type, e.actor.kind, e.data])).toEqual([
      ['CITIZEN_INFO_PROVIDED', 'CITIZEN', { answerRef: 'text-ans' }],
      ['SLA_RESUMED', 'SYSTEM', { consumedMs: 10_000 }],
    ]);
    expect(notificationsOf(answered.effects)).toEqual([]);
  });

  it('returns to TRIAGE when the coordination center asked', () => {
    const { state } = run(ticketIn('TRIAGE').state, [
      [1_000, cmd.requestCitizenInfo(coordinator())],
      [2_000, cmd.citizenInfoProvided(citizen())],
    ]);
    expect(state.status).toBe('TRIAGE');
    expect(state.waitingReturnTo).toBeNull();
  });
});

describe('addNote', () => {
  it.each(['INTERNAL', 'CITIZEN'] as const)('records a %s note without changing the status', (visibility) => {
    const before = ticketIn('IN_APPROVAL').state;
    const decision = decideWithFacts(before, cmd.addNote(expert(), { textRef: 'text-n', visibility }), at(3_500));
    expect(decision.state).toEqual({ ...before, seq: before.seq + 1 });
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({ type: 'NOTE_ADDED', status: 'IN_APPROVAL', data: { textRef: 'text-n', visibility } }),
    ]);
    expect(notificationsOf(decision.effects)).toEqual([]);
  });
});

describe('submitResolution', () => {
  let inProgress: TicketState;
  beforeEach(() => {
    inProgress = ticketIn('IN_PROGRESS').state;
  });

  it('refuses an empty approval chain (INVALID_COMMAND)', () => {
    const error = refusal(() => decide(inProgress, cmd.submitResolution(), at(2_500), { chain: [] }));
    expect(error.code).toBe(DomainErrorCode.INVALID_COMMAND);
    expect(error.details).toEqual({ field: 'chain' });
  });

  it('never defaults a missing approval chain: deciding without the looked-up facts is a bug', () => {
    expect(() => decide(inProgress, cmd.submitResolution(), at(2_500))).toThrow(/needs the facts/);
  });

  it('starts round 1 at level 1 of the chain it was given', () => {
    const decision = decideWithFacts(inProgress, cmd.submitResolution({ textRef: 'text-res' }), at(2_500));
    expect(decision.state).toMatchObject({ status: 'IN_APPROVAL', resolutionRef: 'text-res', approvalRounds: 1 });
    expect(decision.state.approval).toEqual({
      round: 1,
      chain: CHAIN,
      level: 1,
      levelStartedAt: at(2_500),
      reminderSent: false,
      escalatedTo: null,
      escalated: false,
      approvedBy: [],
    });
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({
        type: 'RESOLUTION_SUBMITTED',
        status: 'IN_APPROVAL',
        data: { textRef: 'text-res', round: 1, chain: [{ level: 1, approverId: APPROVER_1 }, { level: 2, approverId: APPROVER_2 }] },
      }),
    ]);
  });
});

describe('approve', () => {
  let inApproval: TicketState;
  beforeEach(() => {
    inApproval = ticketIn('IN_APPROVAL').state;
  });
  let level1: Decision;
  beforeEach(() => {
    level1 = decideWithFacts(inApproval, cmd.approve(approver(APPROVER_1), { noteRef: 'text-ok' }), at(4_000));
  });
  let level2: Decision;
  beforeEach(() => {
    level2 = decideWithFacts(level1.state, cmd.approve(approver(APPROVER_2)), at(5_000));
  });

  it('at level 1 of 2 moves the round on to level 2 with a fresh level clock', () => {
    expect(level1.state.status).toBe('IN_APPROVAL');
    expect(level1.state.approval).toMatchObject({ round: 1, level: 2, levelStartedAt: at(4_000), reminderSent: false, escalated: false, escalatedTo: null });
    expect(eventsOf(level1.effects)).toEqual([
      expect.objectContaining({
        type: 'APPROVED_AT_LEVEL',
        status: 'IN_APPROVAL',
        data: { level: 1, round: 1, onBehalfOf: null, noteRef: 'text-ok' },
      }),
    ]);
  });

  it('at the top level approves the resolution', () => {
    expect(level2.state.status).toBe('APPROVED');
    expect(eventsOf(level2.effects).map((e) => [e.type, e.status, e.data])).toEqual([
      ['APPROVED_AT_LEVEL', 'APPROVED', { level: 2, round: 1, onBehalfOf: null }],
      ['RESOLUTION_APPROVED', 'APPROVED', { round: 1 }],
    ]);
    expect(notificationsOf(level2.effects)).toEqual([]);
  });

  it('with a one-level chain approves at once', () => {
    const { state } = run(ticketIn('IN_PROGRESS').state, [
      [2_500, cmd.submitResolution(), { chain: [{ level: 1, approverId: APPROVER_1 }] }],
      [3_000, cmd.approve(approver(APPROVER_1))],
    ]);
    expect(state.status).toBe('APPROVED');
  });
});

describe('rejectResolution', () => {
  let atLevel2: TicketState;
  beforeEach(() => {
    atLevel2 = run(ticketIn('IN_APPROVAL').state, [[4_000, cmd.approve(approver(APPROVER_1))]]).state;
  });
  let rejected: Decision;
  beforeEach(() => {
    rejected = decideWithFacts(atLevel2, cmd.rejectResolution(approver(APPROVER_2), { reasonRef: 'text-no' }), at(5_000));
  });

  it('at level 2 sends the ticket back to the expert', () => {
    expect(rejected.state).toMatchObject({ status: 'IN_PROGRESS', approval: null, assigneeId: EXPERT_ID, approvalRounds: 1 });
    expect(eventsOf(rejected.effects)).toEqual([
      expect.objectContaining({
        type: 'RESOLUTION_REJECTED',
        status: 'IN_PROGRESS',
        data: { level: 2, round: 1, reasonRef: 'text-no' },
      }),
    ]);
  });

  it('lets the expert resubmit, which starts round 2 at level 1', () => {
    const resubmitted = decideWithFacts(rejected.state, cmd.submitResolution({ textRef: 'text-res-2' }), at(6_000));
    expect(resubmitted.state).toMatchObject({ status: 'IN_APPROVAL', approvalRounds: 2, resolutionRef: 'text-res-2' });
    expect(resubmitted.state.approval).toMatchObject({ round: 2, level: 1, levelStartedAt: at(6_000) });
    expect(eventOf(resubmitted.effects, 'RESOLUTION_SUBMITTED')?.data.round).toBe(2);

    // Level 1 must decide again: the level-2 approver cannot skip ahead (not now: 409).
    expect(refusal(() => decideWithFacts(resubmitted.state, cmd.approve(approver(APPROVER_2)), at(6_500))).code).toBe(
      DomainErrorCode.INVALID_TRANSITION,
    );
    const { state, effects } = run(resubmitted.state, [
      [6_500, cmd.approve(approver(APPROVER_1))],
      [7_000, cmd.approve(approver(APPROVER_2))],
    ]);
    expect(state.status).toBe('APPROVED');
    expect(eventOf(effects, 'RESOLUTION_APPROVED')?.data).toEqual({ round: 2 });
  });
});

describe('finalize', () => {
  let approved: TicketState;
  beforeEach(() => {
    approved = ticketIn('APPROVED').state;
  });
  let decision: Decision;
  beforeEach(() => {
    decision = decideWithFacts(approved, cmd.finalize({ summaryRef: 'text-sum' }), at(7_000));
  });

  it('resolves with a reopen window of reopenWindowMs', () => {
    expect(decision.state).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: at(7_000),
      reopenUntil: at(7_000 + TIMINGS.reopenWindowMs),
      outcome: null,
      closedAt: null,
    });
  });

  it('stops the SLA (keeping what was consumed) and the legal clock', () => {
    expect(decision.state.sla).toMatchObject({ stopped: true, runningSince: null, consumedMs: 7_000 });
    expect(decision.state.legal.stopped).toBe(true);
  });

  it('records FINALIZED and tells the citizen it is resolved', () => {
    const events = eventsOf(decision.effects);
    expect(events).toEqual([expect.objectContaining({ type: 'FINALIZED', status: 'RESOLVED', data: { summaryRef: 'text-sum' } })]);
    expect(notificationsOf(decision.effects)).toEqual([
      { kind: 'notify', purpose: 'RESOLVED', seq: events[0].seq, recipient: { kind: 'CITIZEN' }, params: {} },
    ]);
  });

  it('records the summary’s audience when the command names one (a public answer is what Open311 publishes)', () => {
    const published = decideWithFacts(approved, cmd.finalize({ summaryRef: 'text-sum', visibility: 'PUBLIC' }), at(7_000));
    expect(eventsOf(published.effects)[0].data).toEqual({ summaryRef: 'text-sum', visibility: 'PUBLIC' });
  });
});

describe('reopen', () => {
  let resolved: TicketState; // resolved at 6 s, window until 56 s
  beforeEach(() => {
    resolved = ticketIn('RESOLVED').state;
  });
  let reopened: Decision;
  beforeEach(() => {
    reopened = decideWithFacts(resolved, cmd.reopen(citizen(), { reasonRef: 'text-still-broken' }), at(30_000));
  });

  it('within the window goes back to TRIAGE in round 2', () => {
    expect(reopened.state).toMatchObject({
      status: 'TRIAGE',
      round: 2,
      reopenCount: 1,
      departmentId: null,
      assigneeId: null,
      assignmentMode: null,
      approval: null,
      resolutionRef: null,
      reopenUntil: null,
      resolvedAt: null,
      outcome: null,
    });
  });

  it('starts a fresh SLA and a fresh legal deadline', () => {
    expect(reopened.state.sla).toEqual({
      totalMs: TIMINGS.slaMs,
      consumedMs: 0,
      runningSince: at(30_000),
      announced: [],
      breached: false,
      stopped: false,
    });
    expect(reopened.state.legal).toEqual({
      dueAt: at(30_000 + TIMINGS.legalDeadlineMs),
      warned: false,
      missed: false,
      stopped: false,
    });
  });

  it('records REOPENED with the new round and notifies the citizen', () => {
    const events = eventsOf(reopened.effects);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'REOPENED',
        actor: citizen(),
        status: 'TRIAGE',
        data: { reasonRef: 'text-still-broken', round: 2 },
      }),
    ]);
    expect(notificationsOf(reopened.effects)).toEqual([
      { kind: 'notify', purpose: 'REOPENED', seq: events[0].seq, recipient: { kind: 'CITIZEN' }, params: {} },
    ]);
  });

  it('can happen again after a second resolution', () => {
    const { state } = run(reopened.state, [
      [31_000, cmd.assignDepartment()],
      [32_000, cmd.assignExpert()],
      [33_000, cmd.submitResolution()],
      [34_000, cmd.approve(approver(APPROVER_1))],
      [35_000, cmd.approve(approver(APPROVER_2))],
      [36_000, cmd.finalize()],
      [37_000, cmd.reopen()],
    ]);
    expect(state).toMatchObject({ status: 'TRIAGE', round: 3, reopenCount: 2, approvalRounds: 2 });
  });

  it('at or after reopenUntil is refused with REOPEN_WINDOW_CLOSED', () => {
    expect(refusal(() => decideWithFacts(resolved, cmd.reopen(), resolved.reopenUntil!)).code).toBe(DomainErrorCode.REOPEN_WINDOW_CLOSED);
    expect(refusal(() => decideWithFacts(resolved, cmd.reopen(), at(500_000))).code).toBe(DomainErrorCode.REOPEN_WINDOW_CLOSED);
  });
});

describe('withdraw', () => {
  it.each(['TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED'] as const)(
    'from %s closes with outcome WITHDRAWN and a CLOSED notification',
    (status) => {
      const decision = decideWithFacts(ticketIn(status).state, cmd.withdraw(), at(6_500));
      const events = eventsOf(decision.effects);
      expect(events.map((e) => [e.type, e.actor.kind, e.data])).toEqual([
        ['WITHDRAWN', 'CITIZEN', {}],
        ['CLOSED', 'CITIZEN', { outcome: 'WITHDRAWN' }],
      ]);
      expect(decision.state).toMatchObject({ status: 'CLOSED', outcome: 'WITHDRAWN', closedAt: at(6_500), approval: null, reopenUntil: null });
      expect(decision.state.sla.stopped).toBe(true);
      expect(decision.state.legal.stopped).toBe(true);
      expect(notificationsOf(decision.effects)).toEqual([
        { kind: 'notify', purpose: 'CLOSED', seq: events[1].seq, recipient: { kind: 'CITIZEN' }, params: { outcome: 'WITHDRAWN' } },
      ]);
    },
  );

  it('does not count the waiting time when withdrawn while waiting for the citizen', () => {
    // The info was requested at 3 s, so only 3 s of SLA were consumed.
    const decision = decideWithFacts(ticketIn('WAITING_FOR_CITIZEN').state, cmd.withdraw(), at(40_000));
    expect(decision.state.sla.consumedMs).toBe(3_000);
  });
});

describe('duplicateMerged', () => {
  it.each(['TRIAGE', 'IN_PROGRESS', 'RESOLVED'] as const)('in %s records the merge and keeps the status', (status) => {
    const before = ticketIn(status).state;
    const decision = decideWithFacts(before, cmd.duplicateMerged({ fromNumber: 'T-2025-000123' }), at(6_500));
    expect(decision.state).toEqual({ ...before, seq: before.seq + 1 });
    expect(eventsOf(decision.effects)).toEqual([
      expect.objectContaining({ type: 'DUPLICATE_MERGED', actor: SYSTEM_ACTOR, status, data: { from: 'T-2025-000123' } }),
    ]);
  });
});

describe('decide is pure', () => {
  /** Every step of a long life, each applied to a deep-frozen state with a deep-frozen command. */
  const steps: Step[] = [
    [0, cmd.open()],
    [1_000, cmd.assignDepartment({ category: 'sidewalk' }), { ...DEPARTMENT_FACTS, assignmentMode: 'LEAST_LOADED' }],
    [1_500, cmd.expertAssignmentPending()],
    [2_000, cmd.assignExpert()],
    [3_000, cmd.requestCitizenInfo(expert())],
    [20_000, cmd.citizenInfoProvided(citizen())],
    [21_000, cmd.addNote(expert())],
    [22_000, cmd.submitResolution()],
    [27_000, cmd.tick()], // approval reminder
    [32_000, cmd.tick()], // escalation to approver-2
    [33_000, cmd.approve(approver(APPROVER_2))],
    [34_000, cmd.rejectResolution(approver(APPROVER_2))],
    [35_000, cmd.submitResolution()],
    [36_000, cmd.approve(approver(APPROVER_1))],
    [37_000, cmd.approve(approver(APPROVER_2))],
    [70_000, cmd.tick()], // SLA 50% (3 s before the pause + 50 s after it)
    [71_000, cmd.finalize()],
    [80_000, cmd.reopen()],
    [81_000, cmd.duplicateMerged()],
    [82_000, cmd.reject({ reason: 'DUPLICATE', duplicateOf: 'T-2025-000777' })],
  ];

  it('never mutates the state or the command it is given', () => {
    let state: TicketState = received();
    for (const [when, command] of steps) {
      const frozenState = deepFreeze(structuredClone(state));
      const frozenCommand = deepFreeze(structuredClone(command));
      const copy = structuredClone(frozenState);
      const decision = decideWithFacts(frozenState, frozenCommand, at(when as number));
      expect(frozenState).toEqual(copy);
      expect(decision.state).not.toBe(frozenState);
      state = decision.state;
    }
    expect(state).toMatchObject({ status: 'CLOSED', outcome: 'MERGED' });
  });

  it('gives the same decision for the same input', () => {
    const first = run(received(), steps);
    const second = run(received(), steps);
    expect(second.effects).toEqual(first.effects);
    expect(second.state).toEqual(first.state);
  });

  it('leaves the state untouched when a command is refused', () => {
    const state = deepFreeze(structuredClone(ticketIn('TRIAGE').state));
    const copy = structuredClone(state);
    refusal(() => decideWithFacts(state, cmd.reject({ reason: 'DUPLICATE' }), at(100)));
    refusal(() => decideWithFacts(state, cmd.finalize(), at(100)));
    expect(state).toEqual(copy);
  });
});
