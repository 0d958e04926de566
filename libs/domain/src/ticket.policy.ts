import type { Command, CommandType } from './ticket.commands';
import { forbidden, invalidTransition, DomainError, DomainErrorCode } from './domain-error';
import type { Actor, StaffRole, TicketState, TicketStatus } from './ticket.types';

/**
 * Who may do what, and in which state. `authorize` is pure and cheap: the Workflow Update
 * validators call it (so a refused command leaves no history event) and `decide` calls it
 * again before changing anything.
 */

/** Every status in which a ticket is open (triaged, not yet closed). */
const OPEN: readonly TicketStatus[] = ['TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED', 'RESOLVED'];

/** Statuses a command is accepted in. Internal commands are listed too, for completeness. */
export const ALLOWED_IN: Record<CommandType, readonly TicketStatus[]> = {
  open: ['RECEIVED'],
  tick: OPEN,
  assignDepartment: ['TRIAGE'],
  refer: ['TRIAGE'],
  reject: ['TRIAGE'],
  answerDirectly: ['TRIAGE'],
  assignExpert: ['IN_DEPARTMENT', 'IN_PROGRESS'],
  requestCitizenInfo: ['TRIAGE', 'IN_PROGRESS'],
  citizenInfoProvided: ['WAITING_FOR_CITIZEN'],
  addNote: OPEN,
  submitResolution: ['IN_PROGRESS'],
  approve: ['IN_APPROVAL'],
  rejectResolution: ['IN_APPROVAL'],
  finalize: ['APPROVED'],
  reopen: ['RESOLVED'],
  // Before resolution only: once resolved, the citizen reopens or lets it close.
  withdraw: OPEN.filter((status) => status !== 'RESOLVED'),
  duplicateMerged: OPEN,
  expertAssignmentPending: ['IN_DEPARTMENT'],
};

/** Ticket types the coordination center may answer on the spot. */
export const DIRECTLY_ANSWERABLE_TYPES = ['INFORMATION', 'THANKS', 'SUGGESTION'] as const;

const isStaff = (actor: Actor): actor is Extract<Actor, { kind: 'STAFF' }> => actor.kind === 'STAFF';
const hasRole = (actor: Actor, ...roles: StaffRole[]) =>
  isStaff(actor) && actor.roles.some((role) => roles.includes(role));

function requireRole(actor: Actor, roles: StaffRole[], what: string): void {
  if (!hasRole(actor, ...roles)) throw forbidden(`${what} needs one of the roles ${roles.join(', ')}`);
}

function requireSystem(actor: Actor, what: string): void {
  if (actor.kind !== 'SYSTEM') throw forbidden(`${what} is internal to the workflow`);
}

/** Ids allowed to decide the current approval level (its approver, or the one escalated to). */
export function currentApprovers(state: TicketState): string[] {
  const approval = state.approval;
  if (!approval) return [];
  const step = approval.chain[approval.level - 1];
  return [step.approverId, ...(approval.escalatedTo ? [approval.escalatedTo] : [])];
}

export function isAssignee(state: TicketState, actor: Actor): boolean {
  return isStaff(actor) && state.assigneeId !== null && actor.id === state.assigneeId;
}

export function authorize(state: TicketState, command: Command, now: string): void {
  const { actor } = command;

  if (!ALLOWED_IN[command.type].includes(state.status)) {
    throw invalidTransition(`${command.type} is not possible while the ticket is ${state.status}`, {
      status: state.status,
      command: command.type,
    });
  }

  switch (command.type) {
    case 'open':
    case 'tick':
    case 'duplicateMerged':
    case 'expertAssignmentPending':
      return requireSystem(actor, command.type);

    case 'assignDepartment':
    case 'refer':
    case 'reject':
    case 'finalize':
      return requireRole(actor, ['COORDINATOR'], command.type);

    case 'answerDirectly':
      requireRole(actor, ['COORDINATOR'], command.type);
      if (!(DIRECTLY_ANSWERABLE_TYPES as readonly string[]).includes(state.type)) {
        throw invalidTransition(`a ${state.type} ticket needs a department; only information-type tickets are answered directly`);
      }
      return;

    case 'assignExpert':
      if (actor.kind === 'SYSTEM') return;
      if (!(isStaff(actor) && hasRole(actor, 'MANAGER', 'DEPARTMENT_HEAD') && actor.departmentId === state.departmentId)) {
        throw forbidden('only a manager of the ticket’s department may assign its expert');
      }
      return;

    case 'requestCitizenInfo':
      if (state.status === 'TRIAGE') return requireRole(actor, ['COORDINATOR'], command.type);
      if (!isAssignee(state, actor)) throw forbidden('only the assigned expert may ask the citizen for information');
      return;

    case 'citizenInfoProvided':
      if (actor.kind === 'CITIZEN') return;
      if (isAssignee(state, actor) || hasRole(actor, 'AGENT', 'COORDINATOR')) return;
      throw forbidden('the citizen, the assigned expert or the coordination center records the citizen’s answer');

    case 'addNote':
      if (!isStaff(actor)) throw forbidden('notes are written by staff');
      return;

    case 'submitResolution':
      if (!isAssignee(state, actor)) throw forbidden('only the assigned expert may submit the resolution');
      return;

    case 'approve':
    case 'rejectResolution': {
      const approvers = currentApprovers(state);
      if (!isStaff(actor) || !approvers.includes(actor.id)) {
        throw forbidden(`only the approver of level ${state.approval?.level} may decide now`, {
          level: state.approval?.level ?? null,
        });
      }
      return;
    }

    case 'reopen':
      if (actor.kind !== 'CITIZEN') throw forbidden('only the citizen may reopen the ticket');
      if (state.reopenUntil !== null && Date.parse(now) >= Date.parse(state.reopenUntil)) {
        throw new DomainError(DomainErrorCode.REOPEN_WINDOW_CLOSED, 'the reopen window has passed', {
          reopenUntil: state.reopenUntil,
        });
      }
      return;

    case 'withdraw':
      if (actor.kind !== 'CITIZEN') throw forbidden('only the citizen may withdraw the ticket');
      return;
  }
}
