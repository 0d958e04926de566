import type { Command } from './ticket.commands';
import { DomainErrorCode } from './domain-error';
import { nextDeadline } from './ticket.clocks';
import { decide, shownApprovalLevel } from './ticket.machine';
import { authorize } from './ticket.policy';
import type { TicketState } from './ticket.types';
import {
  APPROVER_1,
  APPROVER_2,
  DEPARTMENT_FACTS,
  approver,
  at,
  citizen,
  cmd,
  coordinator,
  eventOf,
  expert,
  manager,
  notificationsOf,
  refusal,
  run,
  staff,
  system,
  ticketIn,
  decideWithFacts,
} from '../test/ticket.fixtures';

/**
 * Edges the other domain specs left open, each found by mutation testing (docs/testing.md): a
 * rule that could be changed without any test noticing. Every test here pins behaviour someone
 * relies on — the refusal text a caller reads, a boundary, a guard.
 */

const NOW = at(7_000);

describe('every refusal says why: the detail a caller reads (problem+json `detail`)', () => {
  const why = (state: TicketState, command: Command, now = NOW) => {
    const error = refusal(() => decideWithFacts(state, command, now));
    return { code: error.code, message: error.message };
  };

  it('a command in the wrong state names the command and the state', () => {
    expect(why(ticketIn('IN_PROGRESS').state, cmd.approve())).toEqual({
      code: DomainErrorCode.INVALID_TRANSITION,
      message: 'approve is not possible while the ticket is IN_PROGRESS',
    });
  });

  it('a missing role names the command and the roles that may send it', () => {
    expect(why(ticketIn('TRIAGE').state, cmd.assignDepartment({}, expert()))).toEqual({
      code: DomainErrorCode.FORBIDDEN,
      message: 'assignDepartment needs one of the roles COORDINATOR',
    });
  });

  it('an internal command from outside says it is internal', () => {
    expect(why(ticketIn('TRIAGE').state, cmd.tick(coordinator())).message).toBe('tick is internal to the workflow');
  });

  it.each([
    ['reopen', 'RESOLVED', (actor = manager()) => cmd.reopen(actor), 'reopening'],
    ['withdraw', 'IN_PROGRESS', (actor = manager()) => cmd.withdraw(actor), 'withdrawing'],
    ['citizenInfoProvided', 'WAITING_FOR_CITIZEN', (actor = manager()) => cmd.citizenInfoProvided(actor), 'the citizen’s answer'],
  ] as const)('%s by staff outside the center names what only the citizen or the center may do', (_type, status, build, what) => {
    expect(why(ticketIn(status).state, build())).toEqual({
      code: DomainErrorCode.FORBIDDEN,
      message: `${what}: the citizen, or the coordination center on the citizen’s behalf`,
    });
  });

  it('a channel named by the citizen themself is refused with the reason', () => {
    expect(why(ticketIn('RESOLVED').state, cmd.reopen(citizen(), { via: 'WHATSAPP' })).message).toBe(
      'only staff acting for the citizen name the channel',
    );
  });

  it('approval refusals name the level that must decide now', () => {
    const { state } = ticketIn('IN_APPROVAL');
    expect(why(state, cmd.approve(approver(APPROVER_2)))).toEqual({ code: DomainErrorCode.INVALID_TRANSITION, message: 'level 1 must decide now' });
    expect(why(state, cmd.approve(approver('approver-9')))).toEqual({
      code: DomainErrorCode.FORBIDDEN,
      message: 'only the approver of level 1 may decide now',
    });
  });

  it.each<[string, () => { state: TicketState; command: Command }, string]>([
    ['reassign to the same department', () => ({ state: ticketIn('IN_DEPARTMENT').state, command: cmd.reassignDepartment({ departmentId: 'dept-roads' }) }), 'the ticket is already in that department'],
    ['return by an outsider', () => ({ state: ticketIn('IN_PROGRESS').state, command: cmd.returnToCenter(coordinator()) }), 'only a manager of the ticket’s department or its expert may return it to the center'],
    ['a duplicate without survivor', () => ({ state: ticketIn('TRIAGE').state, command: cmd.reject({ reason: 'DUPLICATE' }) }), 'a duplicate must name the surviving ticket'],
    ['a duplicate of itself', () => ({ state: ticketIn('TRIAGE').state, command: cmd.reject({ reason: 'DUPLICATE', duplicateOf: 'T-2025-000001' }) }), 'a ticket cannot duplicate itself'],
    ['a direct answer to a complaint', () => ({ state: ticketIn('TRIAGE', { type: 'COMPLAINT' }).state, command: cmd.answerDirectly() }), 'a COMPLAINT ticket needs a department; only information-type tickets are answered directly'],
    ['an expert assigned by an outsider', () => ({ state: ticketIn('IN_DEPARTMENT').state, command: cmd.assignExpert({}, coordinator()) }), 'only a manager of the ticket’s department may assign its expert'],
    ['an expert of another department', () => ({ state: ticketIn('IN_DEPARTMENT').state, command: cmd.assignExpert({ expertDepartmentId: 'dept-parks' }) }), 'the expert does not work in the ticket’s department'],
    ['a question by another expert', () => ({ state: ticketIn('IN_PROGRESS').state, command: cmd.requestCitizenInfo(expert('expert-2')) }), 'only the assigned expert may ask the citizen for information'],
    ['a note by the citizen', () => ({ state: ticketIn('IN_PROGRESS').state, command: cmd.addNote(citizen()) }), 'notes are written by staff'],
    ['a resolution by another expert', () => ({ state: ticketIn('IN_PROGRESS').state, command: cmd.submitResolution({}, expert('expert-2')) }), 'only the assigned expert may submit the resolution'],
  ])('%s', (_what, make, message) => {
    const { state, command } = make();
    expect(why(state, command).message).toBe(message);
  });

  it('a reopen after the window says the window has passed, and when it ended', () => {
    const { state } = ticketIn('RESOLVED');
    const error = refusal(() => decideWithFacts(state, cmd.reopen(), state.reopenUntil!));
    expect(error).toMatchObject({ code: DomainErrorCode.REOPEN_WINDOW_CLOSED, message: 'the reopen window has passed', details: { reopenUntil: state.reopenUntil } });
  });

  it('an empty approval chain says the department has none for this expert', () => {
    const error = refusal(() => decide(ticketIn('IN_PROGRESS').state, cmd.submitResolution(), NOW, { chain: [] }));
    expect(error.message).toBe('the department has no approval chain configured for this expert');
  });

  it('a duplicate of itself names the field', () => {
    const { state } = ticketIn('TRIAGE');
    const error = refusal(() => decideWithFacts(state, cmd.reject({ reason: 'DUPLICATE', duplicateOf: state.number }), NOW));
    expect(error.details).toEqual({ field: 'duplicateOf' });
  });
});

describe('facts are never defaulted', () => {
  it('assignDepartment without the department facts is a bug in the caller, not a guess', () => {
    expect(() => decide(ticketIn('TRIAGE').state, cmd.assignDepartment(), NOW)).toThrow('assignDepartment needs the facts the workflow looks up; none were given');
  });
});

describe('a rejection that is not a DUPLICATE never merges, even when it names a ticket', () => {
  it.each(['SPAM', 'ABUSIVE'] as const)('%s naming another ticket closes as REJECTED, signals and texts nobody', (reason) => {
    const decision = decideWithFacts(ticketIn('TRIAGE').state, cmd.reject({ reason, duplicateOf: 'T-2025-000042' }), NOW);
    expect(decision.state).toMatchObject({ status: 'CLOSED', outcome: 'REJECTED', duplicateOf: 'T-2025-000042' });
    expect(eventOf(decision.effects, 'MERGED_INTO')).toBeUndefined();
    expect(decision.effects.some((e) => e.kind === 'signalMerge')).toBe(false);
    expect(notificationsOf(decision.effects)).toEqual([]);
  });
});

describe('recategorising keeps the SLA marks already passed under the new total', () => {
  // 55 s of the 100 s SLA used in triage: the 50 % mark was announced.
  const announced50 = () => {
    const { state } = run(ticketIn('TRIAGE').state, [[55_000, cmd.tick()]]);
    expect(state.sla.announced).toEqual([50]);
    return state;
  };
  const recategorise = (state: TicketState, slaMs: number) =>
    decide(state, cmd.assignDepartment({ category: 'street-light' }), at(60_000), { ...DEPARTMENT_FACTS, categorySlaMs: slaMs }).state;

  it('a mark exactly reached under the new total stays announced (60 s used, 50 % of 120 s)', () => {
    const state = recategorise(announced50(), 120_000);
    expect(state.sla).toMatchObject({ totalMs: 120_000, announced: [50] });
    // Next is 75 % of 120 s = 90 s.
    expect(nextDeadline(state)).toBe(at(90_000));
  });

  it('a mark already passed under a shorter total stays announced (60 s used, 50 % of 80 s)', () => {
    expect(recategorise(announced50(), 80_000).sla.announced).toEqual([50]);
  });

  it('a mark not yet reached under the new total comes again (60 s used, 50 % of 121 s)', () => {
    expect(recategorise(announced50(), 121_000).sla.announced).toEqual([]);
  });
});

describe('shownApprovalLevel: the level staff and the projection show', () => {
  it('is the deciding level while in approval', () => {
    const { state } = ticketIn('IN_APPROVAL');
    expect(shownApprovalLevel(state)).toBe(1);
    expect(shownApprovalLevel(decideWithFacts(state, cmd.approve(approver(APPROVER_1)), NOW).state)).toBe(2);
  });

  it.each(['TRIAGE', 'IN_PROGRESS', 'APPROVED', 'RESOLVED', 'CLOSED'] as const)('is none in %s (APPROVED keeps its chain, but nobody decides)', (status) => {
    const { state } = ticketIn(status);
    expect(shownApprovalLevel(state)).toBeNull();
  });

  it('is none for a state in approval without a round (defensive)', () => {
    expect(shownApprovalLevel({ ...ticketIn('IN_APPROVAL').state, approval: null })).toBeNull();
  });
});

describe('nextDeadline before the ticket opened', () => {
  it('is none while RECEIVED: the clocks are not watched before open, though they count from receipt', () => {
    const { state } = ticketIn('RECEIVED');
    expect(state.sla.runningSince).not.toBeNull();
    expect(nextDeadline(state)).toBeNull();
    expect(nextDeadline(run(state, [[0, cmd.open()]]).state)).not.toBeNull();
  });
});

describe('a ticket without a department is managed by nobody (defence in depth)', () => {
  it('a manager without a department may not act on a ticket whose department is missing', () => {
    const orphan: TicketState = { ...ticketIn('IN_DEPARTMENT').state, departmentId: null };
    const nowhere = staff('manager-nowhere', ['MANAGER', 'DEPARTMENT_HEAD'], null);
    expect(refusal(() => authorize(orphan, cmd.returnToCenter(nowhere), NOW)).code).toBe(DomainErrorCode.FORBIDDEN);
    expect(refusal(() => authorize(orphan, cmd.assignExpert({ expertDepartmentId: null as never }, nowhere), NOW)).code).toBe(DomainErrorCode.FORBIDDEN);
    // The system's own pick is not a manager's and is not refused for that.
    expect(() => authorize(orphan, cmd.assignExpert({ expertDepartmentId: null as never }, system()), NOW)).not.toThrow();
  });
});
