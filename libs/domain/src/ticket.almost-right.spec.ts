import type { Command } from './ticket.commands';
import { DomainErrorCode } from './domain-error';
import { authorize, currentApprovers, isAssignee } from './ticket.policy';
import type { ApprovalStep, TicketState } from './ticket.types';
import {
  APPROVER_1,
  APPROVER_2,
  APPROVER_3,
  DEPT,
  EXPERT_ID,
  TIMINGS,
  approver,
  at,
  cmd,
  departmentHead,
  expert,
  manager,
  refusal,
  run,
  staff,
  ticketIn,
  decideWithFacts,
} from '../test/ticket.fixtures';

/**
 * Almost-right callers. Every equality that grants access — the approver of the level, the
 * approver a level was escalated to, the assigned expert, the ticket's department — is tried
 * with an id that is nearly the right one (a prefix, one character more, another case, a
 * trailing space), and with the right id at the wrong moment (another level, an earlier level
 * after the ticket moved on, an earlier round). Ids are compared whole and exactly.
 */

const NOW = at(7_000);

/** Ids that look like `id` but are not it. */
const lookAlikes = (id: string): string[] => [id.slice(0, -1), `${id}0`, `${id} `, ` ${id}`, id.toUpperCase(), `${id}/`, ''];

const expectRefused = (state: TicketState, command: Command, code: DomainErrorCode) => {
  const error = refusal(() => decideWithFacts(state, command, NOW));
  expect({ actor: command.actor, code: error.code }).toEqual({ actor: command.actor, code });
};
const expectAccepted = (state: TicketState, command: Command) => decideWithFacts(state, command, NOW);

const CHAIN_3: ApprovalStep[] = [
  { level: 1, approverId: APPROVER_1 },
  { level: 2, approverId: APPROVER_2 },
  { level: 3, approverId: APPROVER_3 },
];

/** IN_APPROVAL at level 1 of the three-level chain, submitted at 3 s (level SLA 10 s: escalation at 13 s). */
const inApproval3 = () => run(ticketIn('IN_PROGRESS').state, [[3_000, cmd.submitResolution(), { chain: CHAIN_3 }]]).state;
const escalationOfLevelStartedAt = (ms: number) => ms + TIMINGS.approvalLevelSlaMs;

describe('approval: only the exact approver of the current level, in the current round', () => {
  describe.each(['approve', 'rejectResolution'] as const)('%s', (type) => {
    const build = (actorId: string) => (type === 'approve' ? cmd.approve(approver(actorId)) : cmd.rejectResolution(approver(actorId)));

    it.each(lookAlikes(APPROVER_1))('refuses the look-alike id %j of the level-1 approver as FORBIDDEN', (id) => {
      expectRefused(ticketIn('IN_APPROVAL').state, build(id), DomainErrorCode.FORBIDDEN);
    });

    it.each(lookAlikes(APPROVER_2))('refuses the look-alike id %j of the approver escalated to', (id) => {
      const { state } = run(ticketIn('IN_APPROVAL').state, [[escalationOfLevelStartedAt(3_000), cmd.tick()]]);
      expect(state.approval).toMatchObject({ level: 1, escalatedTo: APPROVER_2 });
      expectRefused(state, build(id), DomainErrorCode.FORBIDDEN);
      expectAccepted(state, build(APPROVER_2));
    });

    it('refuses the approver of a higher level before its level, and the one above before any escalation', () => {
      const state = inApproval3();
      expectRefused(state, build(APPROVER_2), DomainErrorCode.INVALID_TRANSITION);
      expectRefused(state, build(APPROVER_3), DomainErrorCode.INVALID_TRANSITION);
      expectAccepted(state, build(APPROVER_1));
    });
  });

  it('an escalation of level 1 grants nothing at level 2: the level-1 approver and the level-3 approver wait', () => {
    const escalated = run(inApproval3(), [[escalationOfLevelStartedAt(3_000), cmd.tick()]]).state;
    expect(currentApprovers(escalated)).toEqual([APPROVER_1, APPROVER_2]);

    // The approver escalated to decides level 1 on behalf of its approver; the ticket moves to level 2.
    const atLevel2 = run(escalated, [[14_000, cmd.approve(approver(APPROVER_2))]]).state;
    expect(atLevel2.approval).toMatchObject({ level: 2, escalated: false, escalatedTo: null });
    expect(currentApprovers(atLevel2)).toEqual([APPROVER_2]);
    expectRefused(atLevel2, cmd.approve(approver(APPROVER_1)), DomainErrorCode.INVALID_TRANSITION);
    expectRefused(atLevel2, cmd.approve(approver(APPROVER_3)), DomainErrorCode.INVALID_TRANSITION);

    // Only level 2's own escalation lets the level-3 approver in.
    const level2Escalated = run(atLevel2, [[escalationOfLevelStartedAt(14_000), cmd.tick()]]).state;
    expect(currentApprovers(level2Escalated)).toEqual([APPROVER_2, APPROVER_3]);
    expect(decideWithFacts(level2Escalated, cmd.approve(approver(APPROVER_3)), at(25_000)).state.approval?.level).toBe(3);
  });

  it('the original approver deciding an escalated level also ends the escalation', () => {
    const escalated = run(inApproval3(), [[escalationOfLevelStartedAt(3_000), cmd.tick()]]).state;
    const atLevel2 = run(escalated, [[14_000, cmd.approve(approver(APPROVER_1))]]).state;
    expect(atLevel2.approval).toMatchObject({ level: 2, escalated: false, escalatedTo: null, reminderSent: false });
    expectRefused(atLevel2, cmd.approve(approver(APPROVER_3)), DomainErrorCode.INVALID_TRANSITION);
  });

  it('an escalation in round 1 grants nothing in round 2', () => {
    const { state } = run(ticketIn('IN_APPROVAL').state, [
      [escalationOfLevelStartedAt(3_000), cmd.tick()], // level 1 escalated to approver-2
      [14_000, cmd.rejectResolution(approver(APPROVER_2))], // approver-2 sends it back on approver-1's behalf
      [15_000, cmd.submitResolution()], // round 2, level 1 again
    ]);
    expect(state.approval).toMatchObject({ round: 2, level: 1, escalated: false, escalatedTo: null });
    expectRefused(state, cmd.approve(approver(APPROVER_2)), DomainErrorCode.INVALID_TRANSITION);
    expectAccepted(state, cmd.approve(approver(APPROVER_1)));
  });

  it('a chain step of round 1 is no key in round 2 when the new chain no longer holds that id', () => {
    const round2Chain: ApprovalStep[] = [
      { level: 1, approverId: APPROVER_3 },
      { level: 2, approverId: APPROVER_2 },
    ];
    const { state } = run(ticketIn('IN_APPROVAL').state, [
      [4_000, cmd.rejectResolution(approver(APPROVER_1))],
      [5_000, cmd.submitResolution(), { chain: round2Chain }],
    ]);
    expect(state.approval).toMatchObject({ round: 2, level: 1, chain: round2Chain });
    // approver-1 held level 1 in round 1, with the same level number: not in this round's chain.
    expectRefused(state, cmd.approve(approver(APPROVER_1)), DomainErrorCode.FORBIDDEN);
    expectRefused(state, cmd.rejectResolution(approver(APPROVER_1)), DomainErrorCode.FORBIDDEN);
    expectRefused(state, cmd.approve(approver(APPROVER_2)), DomainErrorCode.INVALID_TRANSITION);
    const approved = decideWithFacts(state, cmd.approve(approver(APPROVER_3)), NOW);
    expect(approved.state.approval).toMatchObject({ round: 2, level: 2 });
  });

  it('a finished approval grants nothing: after the top level approved, no approver may decide again', () => {
    const { state } = ticketIn('APPROVED');
    for (const id of [APPROVER_1, APPROVER_2]) {
      expectRefused(state, cmd.approve(approver(id)), DomainErrorCode.INVALID_TRANSITION);
    }
  });
});

describe('the assigned expert: exactly that id', () => {
  it.each(lookAlikes(EXPERT_ID))('does not take the look-alike id %j for the assignee', (id) => {
    const { state } = ticketIn('IN_PROGRESS');
    expect(isAssignee(state, expert(id))).toBe(false);
    expectRefused(state, cmd.submitResolution({}, expert(id)), DomainErrorCode.FORBIDDEN);
    expectRefused(state, cmd.requestCitizenInfo(expert(id)), DomainErrorCode.FORBIDDEN);
    expectRefused(state, cmd.returnToCenter(expert(id)), DomainErrorCode.FORBIDDEN);
  });

  it('the expert of an earlier assignment is no longer the assignee after a reassignment', () => {
    const { state } = run(ticketIn('IN_PROGRESS').state, [[3_000, cmd.assignExpert({ expertId: 'expert-9' })]]);
    expect(isAssignee(state, expert(EXPERT_ID))).toBe(false);
    expectRefused(state, cmd.submitResolution({}, expert(EXPERT_ID)), DomainErrorCode.FORBIDDEN);
    expectAccepted(state, cmd.submitResolution({}, expert('expert-9')));
  });

  it('nobody is the assignee of a ticket without one, not even a staff member whose id is empty', () => {
    const { state } = ticketIn('IN_DEPARTMENT');
    expect(state.assigneeId).toBeNull();
    expect(isAssignee(state, expert(''))).toBe(false);
    expect(isAssignee(state, staff('null', ['EXPERT'], DEPT))).toBe(false);
  });
});

describe('the ticket’s department: exactly that id', () => {
  const otherDepartments = lookAlikes(DEPT);

  it.each(otherDepartments)('a manager of the department %j may not assign the expert or return the ticket', (departmentId) => {
    const { state } = ticketIn('IN_PROGRESS');
    expectRefused(state, cmd.assignExpert({}, manager(departmentId, 'manager-x')), DomainErrorCode.FORBIDDEN);
    expectRefused(state, cmd.assignExpert({}, departmentHead(departmentId, 'head-x')), DomainErrorCode.FORBIDDEN);
    expectRefused(state, cmd.returnToCenter(manager(departmentId, 'manager-x')), DomainErrorCode.FORBIDDEN);
  });

  it.each(otherDepartments)('an expert of the department %j may not be assigned', (departmentId) => {
    expectRefused(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({ expertDepartmentId: departmentId }), DomainErrorCode.INVALID_COMMAND);
  });

  it.each(otherDepartments.filter((d) => d !== ''))('reassigning to the look-alike department %j is a real move, not "already there"', (departmentId) => {
    const { state } = ticketIn('IN_DEPARTMENT');
    expect(() => authorize(state, cmd.reassignDepartment({ departmentId }), NOW)).not.toThrow();
  });

  it('a manager whose department was the ticket’s before a reassignment no longer manages it', () => {
    const { state } = run(ticketIn('IN_PROGRESS').state, [[3_000, cmd.reassignDepartment({ departmentId: 'dept-water' })]]);
    expectRefused(state, cmd.assignExpert({ expertDepartmentId: 'dept-water' }, manager(DEPT)), DomainErrorCode.FORBIDDEN);
    expectAccepted(state, cmd.assignExpert({ expertId: 'expert-w', expertDepartmentId: 'dept-water' }, manager('dept-water')));
  });
});

describe('a duplicate names another ticket: exactly its own number is refused', () => {
  const own = 'T-2025-000001'; // the fixture ticket's number

  it('refuses its own number', () => {
    const { state } = ticketIn('TRIAGE');
    expect(state.number).toBe(own);
    expectRefused(state, cmd.reject({ reason: 'DUPLICATE', duplicateOf: own }), DomainErrorCode.INVALID_COMMAND);
  });

  it.each([own.slice(0, -1), `${own}0`, own.replace(/1$/, '2')])('accepts the other number %j', (other) => {
    expect(expectAccepted(ticketIn('TRIAGE').state, cmd.reject({ reason: 'DUPLICATE', duplicateOf: other })).state.duplicateOf).toBe(other);
  });
});
