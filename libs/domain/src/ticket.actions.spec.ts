import { allowedActions, allowedAttachmentKinds, allowedCommands } from './ticket.actions';
import { EXTERNAL_COMMANDS } from './ticket.commands';
import { DomainErrorCode } from './domain-error';
import { ALLOWED_IN, authorize } from './ticket.policy';
import { STAFF_ROLES, type Actor, type TicketState } from './ticket.types';
import {
  APPROVER_1,
  APPROVER_2,
  OTHER_DEPT,
  RESTING_STATUSES,
  agent,
  approver,
  at,
  auditor,
  citizen,
  coordinator,
  departmentHead,
  expert,
  manager,
  run,
  staff,
  system,
  ticketIn,
  DEPT,
  EXPERT_ID,
} from '../test/ticket.fixtures';

describe('allowedCommands: what the caller may send now, by the rules themselves', () => {
  it('triage: the coordinator assigns, refers, rejects, asks, notes, withdraws for the caller; an agent notes and withdraws; an auditor (staff) only notes', () => {
    const { state, lastMs } = ticketIn('TRIAGE', { type: 'COMPLAINT' });
    const now = at(lastMs + 1);
    expect(allowedCommands(state, coordinator(), now)).toEqual(['assignDepartment', 'refer', 'reject', 'requestCitizenInfo', 'addNote', 'withdraw']);
    expect(allowedCommands(state, agent(), now)).toEqual(['addNote', 'withdraw']);
    expect(allowedCommands(state, auditor(), now)).toEqual(['addNote']);
  });

  it('an information ticket in triage may be answered directly', () => {
    const { state, lastMs } = ticketIn('TRIAGE', { type: 'INFORMATION' });
    expect(allowedCommands(state, coordinator(), at(lastMs + 1))).toContain('answerDirectly');
  });

  it('in progress: the assigned expert resolves; the manager assigns or returns; a manager of another department nothing', () => {
    const { state, lastMs } = ticketIn('IN_PROGRESS');
    const now = at(lastMs + 1);
    expect(allowedCommands(state, expert(), now)).toEqual(['returnToCenter', 'requestCitizenInfo', 'addNote', 'submitResolution']);
    expect(allowedCommands(state, manager(), now)).toEqual(['returnToCenter', 'assignExpert', 'addNote']);
    expect(allowedCommands(state, manager(OTHER_DEPT), now)).toEqual(['addNote']);
    expect(allowedCommands(state, coordinator(), now)).toEqual(['reassignDepartment', 'addNote', 'withdraw']);
  });

  it('in approval: only the approver of the current level decides', () => {
    const { state, lastMs } = ticketIn('IN_APPROVAL');
    const now = at(lastMs + 1);
    expect(allowedCommands(state, approver(APPROVER_1), now)).toEqual(['addNote', 'approve', 'rejectResolution']);
    expect(allowedCommands(state, approver(APPROVER_2), now)).toEqual(['addNote']);
  });

  it('security review item 10: approve is not offered to whom separation of duties refuses it (the expert as deputy, one person at a second level)', () => {
    const { state, lastMs } = ticketIn('IN_APPROVAL');
    const now = at(lastMs + 1);
    const standingIn = (who: Actor, principal: Actor) => ({ ...who, standsInFor: [principal] }) as Actor;
    expect(allowedCommands(state, standingIn(expert(), approver(APPROVER_1)), now)).toEqual(['addNote', 'rejectResolution']);
    const both = standingIn(approver(APPROVER_1), approver(APPROVER_2));
    const level2 = run(state, [[lastMs + 1, { type: 'approve', actor: both }]]).state;
    expect(allowedCommands(level2, both, at(lastMs + 2))).toEqual(['addNote', 'rejectResolution']);
    expect(allowedCommands(level2, approver(APPROVER_2), at(lastMs + 2))).toEqual(['addNote', 'approve', 'rejectResolution']);
  });

  it('resolved: the center reopens for the caller within the window, not after it', () => {
    const { state, lastMs } = ticketIn('RESOLVED');
    expect(allowedCommands(state, agent(), at(lastMs + 1))).toEqual(['addNote', 'reopen']);
    expect(allowedCommands(state, agent(), state.reopenUntil!)).toEqual(['addNote']);
  });

  it('what it leaves out by the status table alone, authorize refuses as INVALID_TRANSITION for any caller and arguments', () => {
    const actors = [coordinator(), agent(), auditor(), expert(), manager(), manager(OTHER_DEPT), departmentHead(), approver(APPROVER_1), approver(APPROVER_2), citizen()];
    for (const status of RESTING_STATUSES) {
      const { state, lastMs } = ticketIn(status);
      const now = at(lastMs + 1);
      const leftOut = EXTERNAL_COMMANDS.filter((type) => !ALLOWED_IN[type].includes(state.status));
      for (const actor of actors) {
        expect(allowedCommands(state, actor, now).filter((type) => leftOut.includes(type))).toEqual([]);
        for (const type of leftOut) {
          // No arguments at all: the status is judged before anything else.
          expect(() => authorize(state, { type, actor } as never, now)).toThrow(expect.objectContaining({ code: DomainErrorCode.INVALID_TRANSITION }));
        }
      }
    }
  });
});

describe('allowedActions: every allowed command in one pass over the policy', () => {
  const standingIn = (who: Actor, ...principals: Actor[]) => ({ ...who, standsInFor: principals }) as Actor;
  /** Every role alone (in the ticket's department, in another, in none), the people of the chain, deputies, the citizen and the workflow itself. */
  const actors: Actor[] = [
    ...STAFF_ROLES.flatMap((role) => [staff(`${role}-in`, [role], DEPT), staff(`${role}-other`, [role], OTHER_DEPT), staff(`${role}-none`, [role])]),
    expert(),
    expert('expert-2'),
    approver(APPROVER_1),
    approver(APPROVER_2),
    staff('approver-3', ['APPROVER'], DEPT),
    staff('agent-coordinator', ['AGENT', 'COORDINATOR']),
    staff(EXPERT_ID, ['EXPERT', 'COORDINATOR'], DEPT),
    standingIn(expert(), approver(APPROVER_1)),
    standingIn(expert('expert-2'), expert()),
    standingIn(staff('deputy-manager', ['EXPERT'], DEPT), manager()),
    standingIn(approver(APPROVER_1), approver(APPROVER_2)),
    standingIn(coordinator(), approver(APPROVER_1)),
    standingIn(manager(OTHER_DEPT), manager()),
    departmentHead(),
    citizen(),
    system(),
  ];

  /** Every resting status, and the states that turn on a detail: an information ticket, a second approval level, a reopen window at its end, a question asked in triage. */
  function states(): { name: string; state: TicketState; now: string }[] {
    const found: { name: string; state: TicketState; now: string }[] = RESTING_STATUSES.map((status) => {
      const { state, lastMs } = ticketIn(status);
      return { name: status, state, now: at(lastMs + 1) };
    });
    const info = ticketIn('TRIAGE', { type: 'INFORMATION' });
    found.push({ name: 'TRIAGE (information)', state: info.state, now: at(info.lastMs + 1) });
    const approval = ticketIn('IN_APPROVAL');
    const level2 = run(approval.state, [[approval.lastMs + 1, { type: 'approve', actor: approver(APPROVER_1) }]]);
    found.push({ name: 'IN_APPROVAL (level 2)', state: level2.state, now: at(approval.lastMs + 2) });
    const resolved = ticketIn('RESOLVED');
    found.push({ name: 'RESOLVED (window passed)', state: resolved.state, now: resolved.state.reopenUntil! });
    const triage = ticketIn('TRIAGE');
    const asked = run(triage.state, [[triage.lastMs + 1, { type: 'requestCitizenInfo', actor: coordinator(), questionRef: 'q' }]]);
    found.push({ name: 'WAITING_FOR_CITIZEN (asked in triage)', state: asked.state, now: at(triage.lastMs + 2) });
    return found;
  }

  it('equals the per-command check (authorize, command by command) for every command, role and status', () => {
    let compared = 0;
    for (const { name, state, now } of states()) {
      for (const actor of actors) {
        const label = `${name}: ${actor.kind === 'STAFF' ? `${actor.id} ${actor.roles.join('+')}` : actor.kind}`;
        expect({ label, actions: allowedActions(state, actor, now) }).toEqual({ label, actions: allowedCommands(state, actor, now) });
        compared++;
      }
    }
    // Nothing skipped: every state against every actor.
    expect(compared).toBe(actors.length * (RESTING_STATUSES.length + 4));
  });

  it('the status table leaves a command out even for a caller the rules would let send it', () => {
    const { state, lastMs } = ticketIn('IN_PROGRESS');
    expect(allowedActions(state, coordinator(), at(lastMs + 1))).not.toContain('finalize');
    expect(allowedActions(state, coordinator(), at(lastMs + 1))).not.toContain('assignDepartment');
  });

  it('the approver of the current level approves and rejects; the expert standing in for them only rejects (four eyes)', () => {
    const { state, lastMs } = ticketIn('IN_APPROVAL');
    const now = at(lastMs + 1);
    expect(allowedActions(state, approver(APPROVER_1), now)).toEqual(['addNote', 'approve', 'rejectResolution']);
    expect(allowedActions(state, standingIn(expert(), approver(APPROVER_1)), now)).toEqual(['addNote', 'rejectResolution']);
    expect(allowedActions(state, approver(APPROVER_2), now)).toEqual(['addNote']);
  });

  it('the citizen withdraws and answers; the call center speaks for them; the reopen window closes reopening', () => {
    const waiting = ticketIn('WAITING_FOR_CITIZEN');
    expect(allowedActions(waiting.state, citizen(), at(waiting.lastMs + 1))).toEqual(['citizenInfoProvided', 'withdraw']);
    expect(allowedActions(waiting.state, agent(), at(waiting.lastMs + 1))).toEqual(['citizenInfoProvided', 'addNote', 'withdraw']);
    const resolved = ticketIn('RESOLVED');
    expect(allowedActions(resolved.state, citizen(), at(resolved.lastMs + 1))).toEqual(['reopen']);
    expect(allowedActions(resolved.state, citizen(), resolved.state.reopenUntil!)).toEqual([]);
  });

  it('a platform user writes no note; the workflow itself may assign the expert', () => {
    const { state, lastMs } = ticketIn('IN_DEPARTMENT');
    expect(allowedActions(state, staff('muhtar-1', ['MUHTAR']), at(lastMs + 1))).toEqual([]);
    expect(allowedActions(state, system(), at(lastMs + 1))).toEqual(['assignExpert']);
  });
});

describe('allowedAttachmentKinds: the kinds of file the reader may attach now', () => {
  it('follows authorize for each kind', () => {
    const progress = ticketIn('IN_PROGRESS');
    expect(allowedAttachmentKinds(progress.state, expert(), at(progress.lastMs + 1))).toEqual(['BEFORE', 'AFTER']);
    expect(allowedAttachmentKinds(progress.state, agent(), at(progress.lastMs + 1))).toEqual(['INTAKE']);
    expect(allowedAttachmentKinds(progress.state, citizen(), at(progress.lastMs + 1))).toEqual(['CITIZEN']);
    expect(allowedAttachmentKinds(progress.state, auditor(), at(progress.lastMs + 1))).toEqual([]);
    const closed = ticketIn('CLOSED');
    expect(allowedAttachmentKinds(closed.state, agent(), at(closed.lastMs + 1))).toEqual([]);
  });
});
