import type { Command, CommandType } from './ticket.commands';
import { ATTACHMENT_COMMANDS, EXTERNAL_COMMANDS } from './ticket.commands';
import { DomainErrorCode } from './domain-error';
import { ALLOWED_IN, DIRECTLY_ANSWERABLE_TYPES, authorize, currentApprovers, isAssignee } from './ticket.policy';
import type { Actor, Channel, TicketState, TicketStatus, TicketType } from './ticket.types';
import { TICKET_STATUSES, TICKET_TYPES } from './ticket.types';
import {
  APPROVER_1,
  APPROVER_2,
  CHAIN,
  DEPT,
  EXPERT_ID,
  MOMENTARY_STATUSES,
  OTHER_DEPT,
  OTHER_EXPERT_ID,
  RESTING_STATUSES,
  type Reached,
  type RestingStatus,
  admin,
  agent,
  approver,
  at,
  auditor,
  citizen,
  cmd,
  coordinator,
  departmentHead,
  eventOf,
  expert,
  manager,
  refusal,
  run,
  staff,
  system,
  ticketIn,
  decideWithFacts,
} from '../test/ticket.fixtures';

const COMMAND_TYPES = Object.keys(ALLOWED_IN) as CommandType[];
const INTERNAL_COMMANDS = COMMAND_TYPES.filter((t) => !([...EXTERNAL_COMMANDS, ...ATTACHMENT_COMMANDS] as readonly string[]).includes(t));

/**
 * The transition table written out by hand from the process in DESIGN.md, independently of
 * ALLOWED_IN, so that a change to ALLOWED_IN fails here instead of silently changing what the
 * table test expects.
 */
const WORKING: TicketStatus[] = ['TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED'];
const EXPECTED_ALLOWED: Record<CommandType, TicketStatus[]> = {
  open: ['RECEIVED'],
  tick: [...WORKING, 'RESOLVED'],
  assignDepartment: ['TRIAGE'],
  refer: ['TRIAGE'],
  reject: ['TRIAGE'],
  answerDirectly: ['TRIAGE'],
  reassignDepartment: ['IN_DEPARTMENT', 'IN_PROGRESS'],
  returnToCenter: ['IN_DEPARTMENT', 'IN_PROGRESS'],
  assignExpert: ['IN_DEPARTMENT', 'IN_PROGRESS'],
  requestCitizenInfo: ['TRIAGE', 'IN_PROGRESS'],
  citizenInfoProvided: ['WAITING_FOR_CITIZEN'],
  addNote: [...WORKING, 'RESOLVED'],
  submitResolution: ['IN_PROGRESS'],
  approve: ['IN_APPROVAL'],
  rejectResolution: ['IN_APPROVAL'],
  finalize: ['APPROVED'],
  reopen: ['RESOLVED'],
  withdraw: [...WORKING],
  duplicateMerged: [...WORKING, 'RESOLVED'],
  expertAssignmentPending: ['IN_DEPARTMENT'],
  attach: [...WORKING, 'RESOLVED'],
  mediaFailed: [...WORKING, 'RESOLVED'],
};

/** A command of `type` sent by the actor who is normally entitled to send it in `state`. */
function authorisedCommand(type: CommandType, state: TicketState): Command {
  switch (type) {
    case 'open':
      return cmd.open();
    case 'tick':
      return cmd.tick();
    case 'duplicateMerged':
      return cmd.duplicateMerged();
    case 'expertAssignmentPending':
      return cmd.expertAssignmentPending();
    case 'assignDepartment':
      return cmd.assignDepartment();
    case 'reassignDepartment':
      return cmd.reassignDepartment({ departmentId: OTHER_DEPT });
    case 'returnToCenter':
      return cmd.returnToCenter(manager(state.departmentId ?? DEPT));
    case 'refer':
      return cmd.refer();
    case 'reject':
      return cmd.reject({ reason: 'SPAM' });
    case 'answerDirectly':
      return cmd.answerDirectly();
    case 'finalize':
      return cmd.finalize();
    case 'assignExpert':
      return cmd.assignExpert({ expertId: OTHER_EXPERT_ID }, manager(state.departmentId ?? DEPT));
    case 'requestCitizenInfo':
      return cmd.requestCitizenInfo(state.status === 'TRIAGE' ? coordinator() : expert());
    case 'citizenInfoProvided':
      return cmd.citizenInfoProvided(citizen());
    case 'addNote':
      return cmd.addNote(expert());
    case 'submitResolution':
      return cmd.submitResolution();
    case 'approve':
      return cmd.approve(approver(currentApprovers(state)[0] ?? APPROVER_1));
    case 'rejectResolution':
      return cmd.rejectResolution(approver(currentApprovers(state)[0] ?? APPROVER_1));
    case 'reopen':
      return cmd.reopen(citizen());
    case 'withdraw':
      return cmd.withdraw(citizen());
    case 'attach':
      return attachCommand('CITIZEN', citizen());
    case 'mediaFailed':
      return { type: 'mediaFailed', actor: system(), messageSid: MEDIA_SID, index: 0, reason: 'FETCH_FAILED' };
  }
}

const SHA = 'ab'.repeat(32);
const MEDIA_SID = 'MM' + 'c'.repeat(32);
const attachCommand = (kind: string, actor: Actor, extra: Record<string, unknown> = {}): Command =>
  ({ type: 'attach', actor, kind, attachmentId: 'att-1', sha256: SHA, ...extra }) as Command;

/** Where an accepted command leaves a ticket that was driven into `from` by the fixture routes. */
const EXPECTED_NEXT: Record<CommandType, (from: TicketStatus, state: TicketState) => TicketStatus> = {
  open: () => 'TRIAGE',
  tick: (from) => from, // nothing is due a moment after the route ends
  assignDepartment: () => 'IN_DEPARTMENT',
  reassignDepartment: () => 'IN_DEPARTMENT',
  returnToCenter: () => 'TRIAGE',
  refer: () => 'CLOSED',
  reject: () => 'CLOSED',
  answerDirectly: () => 'RESOLVED',
  assignExpert: () => 'IN_PROGRESS',
  requestCitizenInfo: () => 'WAITING_FOR_CITIZEN',
  citizenInfoProvided: (_from, state) => state.waitingReturnTo ?? 'TRIAGE',
  addNote: (from) => from,
  submitResolution: () => 'IN_APPROVAL',
  approve: () => 'IN_APPROVAL', // level 1 of a two-level chain: the ticket moves on to level 2
  rejectResolution: () => 'IN_PROGRESS',
  finalize: () => 'RESOLVED',
  reopen: () => 'TRIAGE',
  withdraw: () => 'CLOSED',
  duplicateMerged: (from) => from,
  expertAssignmentPending: (from) => from,
  attach: (from) => from,
  mediaFailed: (from) => from,
};

describe('command and status vocabulary', () => {
  it('ALLOWED_IN is exactly the table of the process', () => {
    const normalise = (table: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(table).map(([type, statuses]) => [type, [...statuses].sort()]));
    expect(normalise(ALLOWED_IN)).toEqual(normalise(EXPECTED_ALLOWED));
  });

  it('lists every command type in ALLOWED_IN, with only known statuses', () => {
    for (const type of COMMAND_TYPES) {
      expect(ALLOWED_IN[type].length).toBeGreaterThan(0);
      for (const status of ALLOWED_IN[type]) expect(TICKET_STATUSES).toContain(status);
    }
  });

  it('has every external command in ALLOWED_IN and exactly four internal ones', () => {
    for (const type of EXTERNAL_COMMANDS) expect(COMMAND_TYPES).toContain(type);
    expect(INTERNAL_COMMANDS.sort()).toEqual(['duplicateMerged', 'expertAssignmentPending', 'open', 'tick']);
  });

  it('accepts no command at all in CLOSED, REFERRED or REJECTED', () => {
    for (const type of COMMAND_TYPES) {
      expect(ALLOWED_IN[type]).not.toContain('CLOSED');
      expect(ALLOWED_IN[type]).not.toContain('REFERRED');
      expect(ALLOWED_IN[type]).not.toContain('REJECTED');
    }
  });

  it('splits the statuses into resting ones and the two momentary ones', () => {
    expect([...RESTING_STATUSES, ...MOMENTARY_STATUSES].sort()).toEqual([...TICKET_STATUSES].sort());
  });

  it.each(RESTING_STATUSES)('the fixture route really rests in %s', (status) => {
    expect(ticketIn(status).state.status).toBe(status);
  });

  it('REFERRED and REJECTED are never resting states: refer and reject close in the same decision', () => {
    const triage = ticketIn('TRIAGE');
    for (const command of [cmd.refer(), cmd.reject({ reason: 'SPAM' }), cmd.reject({ reason: 'ABUSIVE' })]) {
      const decision = decideWithFacts(triage.state, command, at(10));
      expect(decision.state.status).toBe('CLOSED');
    }
  });
});

/*
 * The transition table: every command type against every resting status. The ticket is an
 * INFORMATION ticket so that answerDirectly (which also depends on the type) is accepted in
 * TRIAGE; every other rule is type-independent. REFERRED and REJECTED are skipped as starting
 * states because no ticket ever rests in them (see the vocabulary tests above).
 */
describe('transition table: every command in every resting status', () => {
  describe.each(COMMAND_TYPES)('%s', (type) => {
    const allowed = EXPECTED_ALLOWED[type];

    it.each(RESTING_STATUSES.map((status) => [status, allowed.includes(status)] as const))(
      'in %s (allowed: %s)',
      (status: RestingStatus, isAllowed: boolean) => {
        const { state, lastMs } = ticketIn(status, { type: 'INFORMATION' });
        const command = authorisedCommand(type, state);
        const now = at(lastMs + 100);

        if (isAllowed) {
          expect(() => authorize(state, command, now)).not.toThrow();
          const decision = decideWithFacts(state, command, now);
          expect(decision.state.status).toBe(EXPECTED_NEXT[type](status, state));
        } else {
          const viaAuthorize = refusal(() => authorize(state, command, now));
          expect(viaAuthorize.code).toBe(DomainErrorCode.INVALID_TRANSITION);
          expect(viaAuthorize.details).toEqual({ status, command: type });
          expect(refusal(() => decideWithFacts(state, command, now)).code).toBe(DomainErrorCode.INVALID_TRANSITION);
        }
      },
    );
  });

  it('checks the status before the actor: a wrong actor in a wrong status gets INVALID_TRANSITION', () => {
    const { state } = ticketIn('TRIAGE');
    expect(refusal(() => decideWithFacts(state, cmd.finalize({}, citizen()), at(10))).code).toBe(
      DomainErrorCode.INVALID_TRANSITION,
    );
    expect(refusal(() => decideWithFacts(state, cmd.approve(citizen()), at(10))).code).toBe(DomainErrorCode.INVALID_TRANSITION);
  });

  describe('every closing path leaves a ticket that refuses every command', () => {
    const closings: [string, () => TicketState][] = [
      ['refer', () => decideWithFacts(ticketIn('TRIAGE').state, cmd.refer(), at(100)).state],
      ['reject SPAM', () => decideWithFacts(ticketIn('TRIAGE').state, cmd.reject({ reason: 'SPAM' }), at(100)).state],
      [
        'reject DUPLICATE',
        () => decideWithFacts(ticketIn('TRIAGE').state, cmd.reject({ reason: 'DUPLICATE', duplicateOf: 'T-2025-000007' }), at(100)).state,
      ],
      ['withdraw', () => ticketIn('CLOSED').state],
      [
        'end of the reopen window',
        () => {
          const resolvedRoute = ticketIn('RESOLVED');
          return decideWithFacts(resolvedRoute.state, cmd.tick(), resolvedRoute.state.reopenUntil!).state;
        },
      ],
    ];

    it.each(closings)('closed by %s', (_name, close) => {
      const closed = close();
      expect(closed.status).toBe('CLOSED');
      for (const type of COMMAND_TYPES) {
        const command = authorisedCommand(type, closed);
        expect(refusal(() => decideWithFacts(closed, command, at(2_000_000))).code).toBe(DomainErrorCode.INVALID_TRANSITION);
      }
    });
  });
});

describe('who may send each command (FORBIDDEN)', () => {
  /**
   * Every fixture route ends by 6 s after T0 and the first clock (the approval reminder of a
   * level started at 3 s) is due at 8 s, so 7 s is a moment when nothing else is going on.
   */
  const NOW = at(7_000);
  const expectForbidden = (state: TicketState, command: Command) => {
    const error = refusal(() => decideWithFacts(state, command, NOW));
    expect(error.code).toBe(DomainErrorCode.FORBIDDEN);
    return error;
  };
  const expectAccepted = (state: TicketState, command: Command) =>
    expect(() => decideWithFacts(state, command, NOW)).not.toThrow();

  describe('internal commands', () => {
    const humans: [string, Actor][] = [
      ['a coordinator', coordinator()],
      ['an admin', admin()],
      ['a citizen', citizen()],
    ];

    it.each(humans)('open is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('RECEIVED').state, cmd.open(actor));
    });
    it.each(humans)('tick is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE').state, cmd.tick(actor));
    });
    it.each(humans)('duplicateMerged is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE').state, cmd.duplicateMerged({}, actor));
    });
    it.each([...humans, ['the department manager', manager()] as [string, Actor]])(
      'expertAssignmentPending is refused for %s',
      (_name, actor) => {
        expectForbidden(ticketIn('IN_DEPARTMENT').state, cmd.expertAssignmentPending(actor));
      },
    );
  });

  describe('coordination-center commands in TRIAGE', () => {
    const nonCoordinators: [string, Actor][] = [
      ['an agent', agent()],
      ['an expert', expert()],
      ['a manager', manager()],
      ['an admin', admin()],
      ['a citizen', citizen()],
      ['the system', system()],
    ];

    it.each(nonCoordinators)('assignDepartment is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE').state, cmd.assignDepartment({}, actor));
    });
    it.each(nonCoordinators)('refer is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE').state, cmd.refer({}, actor));
    });
    it.each(nonCoordinators)('reject is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE').state, cmd.reject({}, actor));
    });
    it.each(nonCoordinators)('answerDirectly is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE', { type: 'INFORMATION' }).state, cmd.answerDirectly({}, actor));
    });

    it('accepts any staff member who holds the COORDINATOR role among others', () => {
      expectAccepted(ticketIn('TRIAGE').state, cmd.assignDepartment({}, staff('multi-1', ['AGENT', 'COORDINATOR'])));
    });
  });

  describe('assignExpert', () => {
    it.each<[string, Actor]>([
      ['a manager of another department', manager(OTHER_DEPT)],
      ['a department head of another department', departmentHead(OTHER_DEPT)],
      ['an expert of the department', expert()],
      ['an approver of the department', approver(APPROVER_1)],
      ['a coordinator', coordinator()],
      ['a citizen', citizen()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({}, actor));
    });

    it('is refused for a manager without a department', () => {
      expectForbidden(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({}, staff('m-0', ['MANAGER'], null)));
    });

    it.each<[string, Actor]>([
      ['the manager of the department', manager(DEPT)],
      ['the department head', departmentHead(DEPT)],
      ['the system (least-loaded pick)', system()],
    ])('is accepted from %s', (_name, actor) => {
      expectAccepted(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({}, actor));
    });

    it('lets the manager reassign while IN_PROGRESS', () => {
      expectAccepted(ticketIn('IN_PROGRESS').state, cmd.assignExpert({ expertId: OTHER_EXPERT_ID }, manager()));
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.assignExpert({ expertId: OTHER_EXPERT_ID }, manager(OTHER_DEPT)));
    });
  });

  describe('requestCitizenInfo', () => {
    it.each<[string, Actor]>([
      ['an expert', expert()],
      ['an agent', agent()],
      ['a citizen', citizen()],
    ])('in TRIAGE is refused for %s (only the coordination center asks there)', (_name, actor) => {
      expectForbidden(ticketIn('TRIAGE').state, cmd.requestCitizenInfo(actor));
    });

    it('in TRIAGE is accepted from a coordinator', () => {
      expectAccepted(ticketIn('TRIAGE').state, cmd.requestCitizenInfo(coordinator()));
    });

    it.each<[string, Actor]>([
      ['another expert of the department', expert(OTHER_EXPERT_ID)],
      ['a coordinator', coordinator()],
      ['the department manager', manager()],
      ['a citizen', citizen()],
      ['the system', system()],
    ])('in IN_PROGRESS is refused for %s (only the assignee asks there)', (_name, actor) => {
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.requestCitizenInfo(actor));
    });

    it('in IN_PROGRESS is accepted from the assigned expert', () => {
      expectAccepted(ticketIn('IN_PROGRESS').state, cmd.requestCitizenInfo(expert(EXPERT_ID)));
    });
  });

  describe('citizenInfoProvided', () => {
    it.each<[string, Actor]>([
      ['another expert', expert(OTHER_EXPERT_ID)],
      ['the department manager', manager()],
      ['an approver', approver(APPROVER_1)],
      ['the system', system()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('WAITING_FOR_CITIZEN').state, cmd.citizenInfoProvided(actor));
    });

    it.each<[string, Actor]>([
      ['the citizen', citizen()],
      ['the assigned expert', expert(EXPERT_ID)],
      ['an agent', agent()],
      ['a coordinator', coordinator()],
    ])('is accepted from %s', (_name, actor) => {
      expectAccepted(ticketIn('WAITING_FOR_CITIZEN').state, cmd.citizenInfoProvided(actor));
    });
  });

  describe('addNote', () => {
    it.each<[string, Actor]>([
      ['a citizen', citizen()],
      ['the system', system()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.addNote(actor));
    });

    it.each<[string, Actor]>([
      ['the assigned expert', expert()],
      ['a coordinator', coordinator()],
      ['an auditor', auditor()],
    ])('is accepted from %s', (_name, actor) => {
      expectAccepted(ticketIn('IN_PROGRESS').state, cmd.addNote(actor));
    });

    it.each<[string, Actor]>([
      ['a muhtar', staff('muhtar-1', ['MUHTAR'])],
      ['a council member', staff('council-1', ['COUNCIL_MEMBER'])],
    ])('is refused for %s (platform users are requesters, not staff)', (_name, actor) => {
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.addNote(actor));
    });

    it.each<[string, Actor]>([
      ['the assigned expert', expert()],
      ['a coordinator', coordinator()],
      ['an agent', agent()],
    ])('a citizen-visible note is accepted from %s', (_name, actor) => {
      expectAccepted(ticketIn('IN_PROGRESS').state, cmd.addNote(actor, { visibility: 'CITIZEN' }));
    });

    it.each<[string, Actor]>([
      ['the department manager', manager()],
      ['another expert of the department', expert(OTHER_EXPERT_ID)],
      ['an auditor', auditor()],
    ])('a citizen-visible note is refused for %s (only the center and the assigned expert write to the citizen)', (_name, actor) => {
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.addNote(actor, { visibility: 'CITIZEN' }));
    });
  });

  describe('deputies (vekalet): standing in for an absent approver or manager', () => {
    const standingIn = (id: string, principal: Actor) =>
      ({ ...staff(id, ['APPROVER'], DEPT), standsInFor: [principal as Extract<Actor, { kind: 'STAFF' }>] }) as Actor;

    it('a deputy for the level-1 approver decides level 1, and the event names the approver it was done for', () => {
      const deputy = standingIn('deputy-1', approver(APPROVER_1));
      const decision = decideWithFacts(ticketIn('IN_APPROVAL').state, cmd.approve(deputy), NOW);
      expect(eventOf(decision.effects, 'APPROVED_AT_LEVEL')).toMatchObject({ actor: deputy, data: { level: 1, onBehalfOf: APPROVER_1 } });
    });

    it('a deputy for the level-2 approver is told "not now" at level 1 (409) and decides at level 2', () => {
      const deputy = standingIn('deputy-2', approver(APPROVER_2));
      expect(refusal(() => decideWithFacts(ticketIn('IN_APPROVAL').state, cmd.approve(deputy), NOW)).code).toBe(DomainErrorCode.INVALID_TRANSITION);
      const { state } = run(ticketIn('IN_APPROVAL').state, [[3_500, cmd.approve(approver(APPROVER_1))]]);
      expectAccepted(state, cmd.approve(deputy));
    });

    it('without a stand-in in force (outside the dates the API sends none) the same person is refused', () => {
      expectForbidden(ticketIn('IN_APPROVAL').state, cmd.approve(staff('deputy-1', ['APPROVER'], DEPT)));
      expectForbidden(ticketIn('IN_APPROVAL').state, cmd.approve({ ...staff('deputy-1', ['APPROVER'], DEPT), standsInFor: [] } as Actor));
    });

    it('a deputy for a manager assigns the expert on the manager’s behalf', () => {
      const deputy = standingIn('deputy-mgr', manager());
      const decision = decideWithFacts(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({}, deputy), NOW);
      expect(eventOf(decision.effects, 'EXPERT_ASSIGNED')?.data).toMatchObject({ onBehalfOf: `manager-${DEPT}` });
    });

    it('a deputy for a manager of another department may not assign here', () => {
      expectForbidden(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({}, standingIn('deputy-mgr', manager(OTHER_DEPT))));
    });

    it('a manager in their own right records no onBehalfOf', () => {
      const decision = decideWithFacts(ticketIn('IN_DEPARTMENT').state, cmd.assignExpert({}, manager()), NOW);
      expect(eventOf(decision.effects, 'EXPERT_ASSIGNED')?.data).not.toHaveProperty('onBehalfOf');
    });

    it('a deputy for a manager returns the ticket to the center on the manager’s behalf', () => {
      const decision = decideWithFacts(ticketIn('IN_PROGRESS').state, cmd.returnToCenter(standingIn('deputy-mgr', manager())), NOW);
      expect(eventOf(decision.effects, 'RETURNED_TO_CENTER')?.data).toMatchObject({ onBehalfOf: `manager-${DEPT}` });
    });
  });

  describe('security review item 10 — separation of duties: no one approves their own work or two levels of a round', () => {
    type Staff = Extract<Actor, { kind: 'STAFF' }>;
    const standingIn = (who: Actor, ...principals: Actor[]) => ({ ...(who as Staff), standsInFor: principals as Staff[] }) as Actor;
    const theExpert = (...principals: Actor[]) => standingIn(expert(), ...principals);
    const { state: level1, lastMs } = ticketIn('IN_APPROVAL');
    const soon = lastMs + 500;
    /** The round after approver-1 approved level 1 in person. */
    const level2 = run(level1, [[soon, cmd.approve(approver(APPROVER_1))]]).state;
    const codeOf = (state: TicketState, command: Command, when = soon + 500) => refusal(() => decideWithFacts(state, command, at(when))).code;

    it.each<[string, TicketState, Actor]>([
      ['the resolving expert standing in for the level-1 approver, at level 1', level1, theExpert(approver(APPROVER_1))],
      ['the resolving expert standing in for the level-2 approver, at level 2', level2, theExpert(approver(APPROVER_2))],
      ['the resolving expert standing in for both approvers, at level 1', level1, theExpert(approver(APPROVER_1), approver(APPROVER_2))],
      ['the level-1 approver, also deputy for the level-2 approver, at level 2', level2, standingIn(approver(APPROVER_1), approver(APPROVER_2))],
    ])('refuses %s (SEPARATION_OF_DUTIES, 403), before anything is recorded', (_name, state, actor) => {
      expect(() => authorize(state, cmd.approve(actor), at(soon + 500))).toThrow(expect.objectContaining({ code: DomainErrorCode.SEPARATION_OF_DUTIES }));
      expect(codeOf(state, cmd.approve(actor))).toBe(DomainErrorCode.SEPARATION_OF_DUTIES);
    });

    it.each<[string, Actor, Actor]>([
      ['one deputy for both levels', standingIn(approver('deputy-x'), approver(APPROVER_1), approver(APPROVER_2)), standingIn(approver('deputy-x'), approver(APPROVER_1), approver(APPROVER_2))],
      ['the level-2 approver as deputy at level 1, then in their own right', standingIn(approver(APPROVER_2), approver(APPROVER_1)), approver(APPROVER_2)],
      ['a deputy for level 1, then for level 2 (two stand-ins, one person)', standingIn(approver('deputy-y'), approver(APPROVER_1)), standingIn(approver('deputy-y'), approver(APPROVER_2))],
    ])('refuses %s at the second level, naming the level already approved', (_name, first, second) => {
      const { state } = run(level1, [[soon, cmd.approve(first)]]);
      expect(state.approval).toMatchObject({ level: 2, approvedBy: [{ level: 1, staffId: (first as Staff).id, byEscalation: false }] });
      const error = refusal(() => decideWithFacts(state, cmd.approve(second), at(soon + 500)));
      expect(error).toMatchObject({ code: DomainErrorCode.SEPARATION_OF_DUTIES, details: { level: 2, approvedLevel: 1 } });
    });

    it('refuses the resolving expert who is in the chain themself (an expert who is also an approver)', () => {
      const inChain = run(ticketIn('IN_PROGRESS').state, [[soon, cmd.submitResolution(), { chain: [{ level: 1, approverId: EXPERT_ID }] }]]).state;
      expect(codeOf(inChain, cmd.approve(staff(EXPERT_ID, ['EXPERT', 'APPROVER'], DEPT)))).toBe(DomainErrorCode.SEPARATION_OF_DUTIES);
    });

    it.each<[string, TicketState, Actor]>([
      ['a deputy for the level-1 approver who is not the expert', level1, standingIn(approver('deputy-z'), approver(APPROVER_1))],
      ['the level-2 approver after another person approved level 1', level2, approver(APPROVER_2)],
      ['a deputy for the level-2 approver after another person approved level 1', level2, standingIn(expert(OTHER_EXPERT_ID), approver(APPROVER_2))],
    ])('accepts %s', (_name, state, actor) => {
      expect(() => decideWithFacts(state, cmd.approve(actor), at(soon + 500))).not.toThrow();
    });

    it('still lets the resolving expert standing in for the approver reject: the work goes back to them, nothing is approved', () => {
      expect(() => decideWithFacts(level1, cmd.rejectResolution(theExpert(approver(APPROVER_1))), at(soon + 500))).not.toThrow();
    });

    it('the approver a late level was escalated to decides it and then their own level: the escalation hands it up by design', () => {
      const escalatedAt = 3_000 + 10_000; // the level started at 3 s; its SLA is 10 s
      const { state } = run(level1, [
        [escalatedAt, cmd.tick()],
        [escalatedAt + 500, cmd.approve(approver(APPROVER_2))],
      ]);
      expect(state.approval?.approvedBy).toEqual([{ level: 1, staffId: APPROVER_2, byEscalation: true }]);
      expect(decideWithFacts(state, cmd.approve(approver(APPROVER_2)), at(escalatedAt + 1_000)).state.status).toBe('APPROVED');
    });

    it('a new round starts with no approvals: whoever approved a level of the rejected round may approve again', () => {
      const both = standingIn(approver(APPROVER_2), approver(APPROVER_1));
      const { state: round2 } = run(level1, [
        [soon, cmd.approve(both)],
        [soon + 100, cmd.rejectResolution(approver(APPROVER_2))],
        [soon + 200, cmd.submitResolution()],
      ]);
      expect(round2.approval).toMatchObject({ round: 2, level: 1, approvedBy: [] });
      expect(() => decideWithFacts(round2, cmd.approve(both), at(soon + 300))).not.toThrow();
    });

    it('a round carried over from code before approvedBy existed is judged as if no level were approved yet', () => {
      const { approvedBy: _dropped, ...old } = level2.approval!;
      expect(() => decideWithFacts({ ...level2, approval: old }, cmd.approve(approver(APPROVER_2)), at(soon + 500))).not.toThrow();
      expect(codeOf({ ...level2, approval: old }, cmd.approve(theExpert(approver(APPROVER_2))))).toBe(DomainErrorCode.SEPARATION_OF_DUTIES);
    });
  });

  describe('submitResolution', () => {
    it.each<[string, Actor]>([
      ['an expert who is not the assignee', expert(OTHER_EXPERT_ID)],
      ['the department manager', manager()],
      ['a coordinator', coordinator()],
      ['an approver of the chain', approver(APPROVER_1)],
      ['a citizen', citizen()],
      ['the system', system()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.submitResolution({}, actor));
    });
  });

  describe.each(['approve', 'rejectResolution'] as const)('%s', (type) => {
    const build = (actor: Actor) => (type === 'approve' ? cmd.approve(actor) : cmd.rejectResolution(actor));

    const expectNotNow = (state: TicketState, command: Command) => {
      const error = refusal(() => decideWithFacts(state, command, NOW));
      expect(error.code).toBe(DomainErrorCode.INVALID_TRANSITION);
      return error;
    };

    it('refuses the level-2 approver at level 1 as "not now" (409), naming the level', () => {
      const error = expectNotNow(ticketIn('IN_APPROVAL').state, build(approver(APPROVER_2)));
      expect(error.details).toEqual({ level: 1 });
    });

    it('refuses the level-1 approver once the ticket reached level 2 as "not now" (409): the ticket moved on', () => {
      const { state } = run(ticketIn('IN_APPROVAL').state, [[3_500, cmd.approve(approver(APPROVER_1))]]);
      expect(state.approval?.level).toBe(2);
      const error = expectNotNow(state, build(approver(APPROVER_1)));
      expect(error.details).toEqual({ level: 2 });
      expectAccepted(state, build(approver(APPROVER_2)));
    });

    it('refuses an approver of another chain (same department, same role) as FORBIDDEN, naming the level', () => {
      const error = expectForbidden(ticketIn('IN_APPROVAL').state, build(approver('approver-of-another-branch')));
      expect(error.details).toEqual({ level: 1 });
    });

    it.each<[string, Actor]>([
      ['the assigned expert', expert()],
      ['a coordinator', coordinator()],
      ['the department head', departmentHead()],
      ['a citizen', citizen()],
      ['the system', system()],
    ])('refuses %s', (_name, actor) => {
      expectForbidden(ticketIn('IN_APPROVAL').state, build(actor));
    });

    it('accepts the level-1 approver at level 1', () => {
      expectAccepted(ticketIn('IN_APPROVAL').state, build(approver(APPROVER_1)));
    });
  });

  describe('finalize', () => {
    it.each<[string, Actor]>([
      ['the top approver', approver(APPROVER_2)],
      ['the expert', expert()],
      ['an agent', agent()],
      ['a citizen', citizen()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('APPROVED').state, cmd.finalize({}, actor));
    });
  });

  describe.each([
    ['reopen', 'RESOLVED', (actor: Actor, via?: Channel) => cmd.reopen(actor, via ? { via } : {})],
    ['withdraw', 'IN_PROGRESS', (actor: Actor, via?: Channel) => cmd.withdraw(actor, via ? { via } : {})],
    ['citizenInfoProvided', 'WAITING_FOR_CITIZEN', (actor: Actor, via?: Channel) => cmd.citizenInfoProvided(actor, via ? { via } : {})],
  ] as const)('%s (the citizen, or the center for a caller)', (_type, status, build) => {
    it.each<[string, Actor]>([
      ['a manager', manager()],
      ['an auditor', auditor()],
      ['an admin', admin()],
      ['the system', system()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn(status).state, build(actor));
    });

    it.each<[string, Actor]>([
      ['the citizen', citizen()],
      ['an agent on the citizen’s behalf', agent()],
      ['a coordinator on the citizen’s behalf', coordinator()],
    ])('is accepted from %s', (_name, actor) => {
      expectAccepted(ticketIn(status).state, build(actor, actor.kind === 'STAFF' ? 'CALL_CENTER' : undefined));
    });

    it('refuses a channel from the citizen themself (only staff acting for them name it)', () => {
      const error = refusal(() => decideWithFacts(ticketIn(status).state, build(citizen(), 'WHATSAPP'), NOW));
      expect(error.code).toBe(DomainErrorCode.INVALID_COMMAND);
      expect(error.details).toEqual({ field: 'channel' });
    });
  });

  describe('returnToCenter', () => {
    it.each<[string, Actor]>([
      ['the manager of the department', manager()],
      ['the head of the department', departmentHead()],
      ['the assigned expert', expert()],
    ])('is accepted from %s', (_name, actor) => {
      expectAccepted(ticketIn('IN_PROGRESS').state, cmd.returnToCenter(actor));
    });

    it.each<[string, Actor]>([
      ['a manager of another department', manager(OTHER_DEPT)],
      ['another expert of the department', expert(OTHER_EXPERT_ID)],
      ['a coordinator', coordinator()],
      ['a citizen', citizen()],
    ])('is refused for %s', (_name, actor) => {
      expectForbidden(ticketIn('IN_PROGRESS').state, cmd.returnToCenter(actor));
    });
  });

  describe('reassignDepartment', () => {
    it.each<[string, Actor]>([
      ['the manager of the department', manager()],
      ['an agent', agent()],
    ])('is refused for %s (the coordination center moves tickets between departments)', (_name, actor) => {
      expectForbidden(ticketIn('IN_DEPARTMENT').state, cmd.reassignDepartment({}, actor));
    });

    it('refuses the department the ticket is already in (INVALID_COMMAND naming departmentId)', () => {
      const error = refusal(() => authorize(ticketIn('IN_DEPARTMENT').state, cmd.reassignDepartment({ departmentId: DEPT }), NOW));
      expect(error.code).toBe(DomainErrorCode.INVALID_COMMAND);
      expect(error.details).toEqual({ field: 'departmentId' });
    });
  });
});

describe('answerDirectly and the ticket type', () => {
  it.each(TICKET_TYPES.map((type) => [type, (DIRECTLY_ANSWERABLE_TYPES as readonly string[]).includes(type)] as const))(
    'ticket type %s (answerable: %s)',
    (type: TicketType, answerable: boolean) => {
      const { state } = ticketIn('TRIAGE', { type });
      const command = cmd.answerDirectly();
      if (answerable) {
        expect(decideWithFacts(state, command, at(100)).state.status).toBe('RESOLVED');
      } else {
        expect(refusal(() => decideWithFacts(state, command, at(100))).code).toBe(DomainErrorCode.INVALID_TRANSITION);
      }
    },
  );

  it('lists exactly INFORMATION, THANKS and SUGGESTION as answerable', () => {
    expect([...DIRECTLY_ANSWERABLE_TYPES].sort()).toEqual(['INFORMATION', 'SUGGESTION', 'THANKS']);
  });
});

describe('reopen window', () => {
  let resolved: Reached;
  beforeEach(() => {
    resolved = ticketIn('RESOLVED');
  });
  let until: string;
  beforeEach(() => {
    until = resolved.state.reopenUntil!;
  });

  it('accepts a reopen one millisecond before reopenUntil', () => {
    const before = new Date(Date.parse(until) - 1).toISOString();
    expect(() => authorize(resolved.state, cmd.reopen(), before)).not.toThrow();
  });

  it('refuses a reopen exactly at reopenUntil with REOPEN_WINDOW_CLOSED', () => {
    const error = refusal(() => decideWithFacts(resolved.state, cmd.reopen(), until));
    expect(error.code).toBe(DomainErrorCode.REOPEN_WINDOW_CLOSED);
    expect(error.details).toEqual({ reopenUntil: until });
  });

  it('refuses a reopen after reopenUntil with REOPEN_WINDOW_CLOSED', () => {
    const later = new Date(Date.parse(until) + 60_000).toISOString();
    expect(refusal(() => decideWithFacts(resolved.state, cmd.reopen(), later)).code).toBe(DomainErrorCode.REOPEN_WINDOW_CLOSED);
  });

  it('refuses an expert with FORBIDDEN even after the window (the actor is checked first)', () => {
    const later = new Date(Date.parse(until) + 60_000).toISOString();
    expect(refusal(() => decideWithFacts(resolved.state, cmd.reopen(expert()), later)).code).toBe(
      DomainErrorCode.FORBIDDEN,
    );
  });
});

describe('currentApprovers and isAssignee', () => {
  it('has no approvers outside an approval round', () => {
    expect(currentApprovers(ticketIn('IN_PROGRESS').state)).toEqual([]);
  });

  it('returns the approver of the current level', () => {
    const { state } = ticketIn('IN_APPROVAL');
    expect(currentApprovers(state)).toEqual([CHAIN[0].approverId]);
  });

  it('adds the approver escalated to', () => {
    const { state } = ticketIn('IN_APPROVAL');
    const escalated: TicketState = { ...state, approval: { ...state.approval!, escalatedTo: APPROVER_2, escalated: true } };
    expect(currentApprovers(escalated)).toEqual([APPROVER_1, APPROVER_2]);
  });

  it('recognises only the staff member whose id is the assignee', () => {
    const { state } = ticketIn('IN_PROGRESS');
    expect(isAssignee(state, expert(EXPERT_ID))).toBe(true);
    expect(isAssignee(state, expert(OTHER_EXPERT_ID))).toBe(false);
    expect(isAssignee(state, citizen())).toBe(false);
    expect(isAssignee(state, system())).toBe(false);
    expect(isAssignee(ticketIn('IN_DEPARTMENT').state, expert(EXPERT_ID))).toBe(false);
  });

  it('records the expert assignment event from the real machine', () => {
    expect(eventOf(ticketIn('IN_PROGRESS').effects, 'EXPERT_ASSIGNED')?.data.expertId).toBe(EXPERT_ID);
  });
});

describe('attach: who adds which kind of file, and when', () => {
  const NOW = at(7_000);
  const code = (state: TicketState, command: Command) => {
    try {
      authorize(state, command, NOW);
      return 'OK';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('records the reference (id, hash, kind) and nothing else, without changing the status', () => {
    const { state } = ticketIn('IN_PROGRESS');
    const decision = decideWithFacts(state, attachCommand('AFTER', expert()), NOW);
    expect(decision.state.status).toBe('IN_PROGRESS');
    expect(decision.effects).toEqual([
      { kind: 'record', event: expect.objectContaining({ type: 'ATTACHED', data: { attachmentId: 'att-1', sha256: SHA, kind: 'AFTER' } }) },
    ]);
  });

  it('the citizen adds their own while the ticket is open; staff never as the citizen', () => {
    for (const status of ['TRIAGE', 'IN_PROGRESS', 'IN_APPROVAL', 'RESOLVED'] as const) {
      expect(code(ticketIn(status).state, attachCommand('CITIZEN', citizen()))).toBe('OK');
    }
    expect(code(ticketIn('TRIAGE').state, attachCommand('CITIZEN', agent()))).toBe(DomainErrorCode.FORBIDDEN);
    expect(code(ticketIn('TRIAGE').state, attachCommand('INTAKE', citizen()))).toBe(DomainErrorCode.FORBIDDEN);
    expect(code(ticketIn('IN_PROGRESS').state, attachCommand('AFTER', citizen()))).toBe(DomainErrorCode.FORBIDDEN);
  });

  it('the coordination center adds intake files; nobody else', () => {
    expect(code(ticketIn('TRIAGE').state, attachCommand('INTAKE', agent()))).toBe('OK');
    expect(code(ticketIn('IN_PROGRESS').state, attachCommand('INTAKE', coordinator()))).toBe('OK');
    expect(code(ticketIn('IN_PROGRESS').state, attachCommand('INTAKE', expert()))).toBe(DomainErrorCode.FORBIDDEN);
    expect(code(ticketIn('TRIAGE').state, attachCommand('INTAKE', staff('muhtar-1', ['MUHTAR'])))).toBe(DomainErrorCode.FORBIDDEN);
    expect(code(ticketIn('TRIAGE').state, attachCommand('INTAKE', auditor()))).toBe(DomainErrorCode.FORBIDDEN);
  });

  it('the assigned expert or a manager of the department adds before/after photos while the department works on it', () => {
    for (const kind of ['BEFORE', 'AFTER']) {
      expect(code(ticketIn('IN_PROGRESS').state, attachCommand(kind, expert()))).toBe('OK');
      expect(code(ticketIn('IN_PROGRESS').state, attachCommand(kind, manager()))).toBe('OK');
      expect(code(ticketIn('IN_PROGRESS').state, attachCommand(kind, expert(OTHER_EXPERT_ID)))).toBe(DomainErrorCode.FORBIDDEN);
      expect(code(ticketIn('IN_PROGRESS').state, attachCommand(kind, manager(OTHER_DEPT)))).toBe(DomainErrorCode.FORBIDDEN);
      expect(code(ticketIn('IN_PROGRESS').state, attachCommand(kind, coordinator()))).toBe(DomainErrorCode.FORBIDDEN);
      // In approval the approvers judge what was submitted: the expert's photos wait for a rejection.
      expect(code(ticketIn('IN_APPROVAL').state, attachCommand(kind, expert()))).toBe(DomainErrorCode.INVALID_TRANSITION);
    }
  });

  it('nobody attaches to a closed ticket', () => {
    const closed = ticketIn('CLOSED').state;
    for (const [kind, actor] of [['CITIZEN', citizen()], ['INTAKE', agent()], ['AFTER', expert()], ['BEFORE', admin()]] as const) {
      expect(code(closed, attachCommand(kind, actor))).toBe(DomainErrorCode.INVALID_TRANSITION);
    }
  });

  it('refuses an unknown kind, a malformed hash and a missing id, naming the field', () => {
    const { state } = ticketIn('IN_PROGRESS');
    expect(refusal(() => authorize(state, attachCommand('SELFIE', expert()), NOW)).details).toEqual({ field: 'kind' });
    expect(refusal(() => authorize(state, attachCommand('AFTER', expert(), { sha256: 'XYZ' }), NOW)).details).toEqual({ field: 'sha256' });
    expect(refusal(() => authorize(state, attachCommand('AFTER', expert(), { attachmentId: '' }), NOW)).details).toEqual({ field: 'attachmentId' });
  });
});

describe('mediaFailed: a citizen’s media item the worker could not add', () => {
  const NOW = at(7_000);
  const failed = (actor: Actor, extra: Record<string, unknown> = {}): Command =>
    ({ type: 'mediaFailed', actor, messageSid: MEDIA_SID, index: 1, reason: 'FETCH_FAILED', ...extra }) as Command;

  it('records the message, the item and the reason code, without changing the status', () => {
    const { state } = ticketIn('IN_PROGRESS');
    const decision = decideWithFacts(state, failed(system()), NOW);
    expect(decision.state.status).toBe('IN_PROGRESS');
    expect(decision.effects).toEqual([
      { kind: 'record', event: expect.objectContaining({ type: 'MEDIA_FETCH_FAILED', data: { messageSid: MEDIA_SID, index: 1, reason: 'FETCH_FAILED' } }) },
    ]);
  });

  it('only the system records it, with a well-formed reference and a code for a reason', () => {
    const { state } = ticketIn('TRIAGE');
    expect(refusal(() => authorize(state, failed(citizen()), NOW)).code).toBe(DomainErrorCode.FORBIDDEN);
    expect(refusal(() => authorize(state, failed(agent()), NOW)).code).toBe(DomainErrorCode.FORBIDDEN);
    expect(refusal(() => authorize(state, failed(system(), { messageSid: 'x' }), NOW)).details).toEqual({ field: 'messageSid' });
    expect(refusal(() => authorize(state, failed(system(), { index: -1 }), NOW)).details).toEqual({ field: 'index' });
    expect(refusal(() => authorize(state, failed(system(), { reason: 'the file was a virus, said Ayşe' }), NOW)).details).toEqual({ field: 'reason' });
    expect(refusal(() => authorize(ticketIn('CLOSED').state, failed(system()), NOW)).code).toBe(DomainErrorCode.INVALID_TRANSITION);
  });
});
