import { allowedCommands } from './ticket.actions';
import { EXTERNAL_COMMANDS } from './ticket.commands';
import { DomainErrorCode } from './domain-error';
import { ALLOWED_IN, authorize } from './ticket.policy';
import type { Actor } from './ticket.types';
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
  ticketIn,
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
