import type { Command, CommandType } from './ticket.commands';
import { forbidden, invalidCommand, invalidTransition, separationOfDuties, DomainError, DomainErrorCode } from './domain-error';
import { isPlatformUser } from './ticket.access';
import type { Actor, Position, StaffRole, TicketState, TicketStatus } from './ticket.types';
import { ATTACHMENT_KINDS } from './ticket.types';

/**
 * Who may do what, and in which state. `authorize` is pure and cheap: the Workflow Update
 * validators call it (so a refused command leaves no history event) and `decide` calls it
 * again before changing anything. It decides every refusal that needs nothing but the state
 * and the command; only refusals that depend on looked-up facts (an empty approval chain) are
 * left to `decide`.
 *
 * 403 (FORBIDDEN) is for a caller who could not send the command in any state of this
 * ticket; a caller who could, but not now (the ticket moved on), gets 409 (INVALID_TRANSITION).
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
  reassignDepartment: ['IN_DEPARTMENT', 'IN_PROGRESS'],
  returnToCenter: ['IN_DEPARTMENT', 'IN_PROGRESS'],
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
  // Any open ticket; the kind narrows it (authorizeAttachment). Never once closed.
  attach: OPEN,
  mediaFailed: OPEN,
};

/** While the department works on a ticket: the expert's before and after photos are added then (not while an approver judges them). */
export const DEPARTMENT_WORK: readonly TicketStatus[] = ['IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN'];

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Ticket types the coordination center may answer on the spot. */
export const DIRECTLY_ANSWERABLE_TYPES = ['INFORMATION', 'THANKS', 'SUGGESTION'] as const;

const isStaff = (actor: Actor): actor is Extract<Actor, { kind: 'STAFF' }> => actor.kind === 'STAFF';

/** The positions a staff member acts in: their own, then those they stand in for as deputy. */
const positionsOf = (actor: Actor): Position[] => (isStaff(actor) ? [actor, ...(actor.standsInFor ?? [])] : []);
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

/**
 * The expert whose resolution the current round judges. Who may hold the ticket cannot change
 * while it is in approval (assignment and reassignment are refused in IN_APPROVAL; the round is
 * dropped when the ticket leaves it), so it is the assignee who submitted the resolution.
 */
export const resolvingExpert = (state: TicketState): string | null => (state.approval ? state.assigneeId : null);

/**
 * Separation of duties (four eyes) for an approval the actor's positions allow. Refused: the
 * resolving expert at any level, in person or as anyone's deputy; and a person who already
 * approved another level of this round — who acted counts, not for whom. A level decided by
 * the approver it was escalated to, in person, does not count against them at their own level:
 * escalation hands the late level up by design (without that an escalated round could never
 * end), and the organisation, not a deputy appointment, put them in both places.
 */
function requireSeparateApprover(state: TicketState, actor: Actor): void {
  const conflict = separationConflict(state, actor);
  if (conflict) throw separationOfDuties(conflict.message, conflict.details);
}

/** Why separation of duties refuses the actor's approval of the current level, or null when it does not. */
function separationConflict(state: TicketState, actor: Actor): { message: string; details: Record<string, unknown> } | null {
  if (!isStaff(actor) || !state.approval) return null;
  const level = state.approval.chain[state.approval.level - 1].level;
  if (actor.id === resolvingExpert(state)) {
    return { message: 'the expert who resolved the ticket may not approve their own resolution', details: { level } };
  }
  const earlier = (state.approval.approvedBy ?? []).find((a) => a.staffId === actor.id && !a.byEscalation);
  if (earlier) {
    return { message: `level ${earlier.level} of this round was approved by the same person; another must approve level ${level}`, details: { level, approvedLevel: earlier.level } };
  }
  return null;
}

/** Separation of duties lets the actor approve the current level (they still must be its approver). */
export const approvesSeparately = (state: TicketState, actor: Actor): boolean => separationConflict(state, actor) === null;

/** The actor decides the current approval level, in person or as deputy of its approver (or of the one it was escalated to). */
export const decidesCurrentLevel = (state: TicketState, actor: Actor): boolean => {
  const ids = positionsOf(actor).map((p) => p.id);
  return currentApprovers(state).some((id) => ids.includes(id));
};

/** A staff actor holding one of the roles (in their own right: roles are not deputised). */
export const actsInRole = (actor: Actor, ...roles: StaffRole[]): boolean => hasRole(actor, ...roles);

/** The reopen window is still open at `now` (none set: open). */
export const reopenWindowOpen = (state: TicketState, now: string): boolean => state.reopenUntil === null || Date.parse(now) < Date.parse(state.reopenUntil);

export function isAssignee(state: TicketState, actor: Actor): boolean {
  return isStaff(actor) && state.assigneeId !== null && actor.id === state.assigneeId;
}

const managerOf = (state: TicketState, position: Position): boolean =>
  state.departmentId !== null &&
  position.departmentId === state.departmentId &&
  position.roles.some((role) => role === 'MANAGER' || role === 'DEPARTMENT_HEAD');

/** A manager or department head of the ticket's current department, in person or as deputy. */
export const managesDepartment = (state: TicketState, actor: Actor): boolean => positionsOf(actor).some((p) => managerOf(state, p));

/**
 * Whom a staff member acted for: null when in their own right, else the absent colleague whose
 * position allowed the command (the timeline says "on behalf of").
 */
export function deputisedFor(state: TicketState, actor: Actor, allowed: (position: Position) => boolean): string | null {
  if (!isStaff(actor) || allowed(actor)) return null;
  return (actor.standsInFor ?? []).find(allowed)?.id ?? null;
}

/** For a manager's command: the absent manager a deputy acted for, or null. */
export const managerDeputisedFor = (state: TicketState, actor: Actor): string | null =>
  deputisedFor(state, actor, (p) => managerOf(state, p));

/**
 * A citizen's own command: the citizen (tracking link), or the coordination center acting for
 * a caller (AGENT, COORDINATOR; `extra` may allow more). Only staff name the channel (`via`).
 */
function requireCitizenOrCenter(command: Extract<Command, { type: 'reopen' | 'withdraw' | 'citizenInfoProvided' }>, what: string, extra = false): void {
  const { actor } = command;
  if (actor.kind === 'CITIZEN') {
    if (command.via !== undefined) throw invalidCommand('only staff acting for the citizen name the channel', { field: 'channel' });
    return;
  }
  if (extra || hasRole(actor, 'AGENT', 'COORDINATOR')) return;
  throw forbidden(`${what}: the citizen, or the coordination center on the citizen’s behalf`);
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
    case 'finalize':
      return requireRole(actor, ['COORDINATOR'], command.type);

    case 'reassignDepartment':
      requireRole(actor, ['COORDINATOR'], command.type);
      if (command.departmentId === state.departmentId) {
        throw invalidCommand('the ticket is already in that department', { field: 'departmentId' });
      }
      return;

    case 'returnToCenter':
      if (!(managesDepartment(state, actor) || isAssignee(state, actor))) {
        throw forbidden('only a manager of the ticket’s department or its expert may return it to the center');
      }
      return;

    case 'reject':
      requireRole(actor, ['COORDINATOR'], command.type);
      if (command.reason === 'DUPLICATE' && !command.duplicateOf) {
        throw invalidCommand('a duplicate must name the surviving ticket', { field: 'duplicateOf' });
      }
      if (command.duplicateOf !== undefined && command.duplicateOf === state.number) {
        throw invalidCommand('a ticket cannot duplicate itself', { field: 'duplicateOf' });
      }
      return;

    case 'answerDirectly':
      requireRole(actor, ['COORDINATOR'], command.type);
      if (!(DIRECTLY_ANSWERABLE_TYPES as readonly string[]).includes(state.type)) {
        throw invalidTransition(`a ${state.type} ticket needs a department; only information-type tickets are answered directly`);
      }
      return;

    case 'assignExpert':
      if (actor.kind !== 'SYSTEM' && !managesDepartment(state, actor)) {
        throw forbidden('only a manager of the ticket’s department may assign its expert');
      }
      if (command.expertDepartmentId !== state.departmentId) {
        throw invalidCommand('the expert does not work in the ticket’s department', { field: 'expertId' });
      }
      return;

    case 'requestCitizenInfo':
      if (state.status === 'TRIAGE') return requireRole(actor, ['COORDINATOR'], command.type);
      if (!isAssignee(state, actor)) throw forbidden('only the assigned expert may ask the citizen for information');
      return;

    case 'citizenInfoProvided':
      return requireCitizenOrCenter(command, 'the citizen’s answer', isAssignee(state, actor));

    case 'addNote':
      if (!isStaff(actor) || isPlatformUser(actor)) throw forbidden('notes are written by staff');
      // What the citizen reads comes from the coordination center or the expert solving it.
      if (command.visibility === 'CITIZEN' && !(hasRole(actor, 'AGENT', 'COORDINATOR') || isAssignee(state, actor))) {
        throw forbidden('only the coordination center or the assigned expert may write to the citizen');
      }
      return;

    case 'submitResolution':
      if (!isAssignee(state, actor)) throw forbidden('only the assigned expert may submit the resolution');
      return;

    case 'approve':
    case 'rejectResolution': {
      const ids = positionsOf(actor).map((p) => p.id);
      if (decidesCurrentLevel(state, actor)) {
        // Rejecting sends the work back to the expert: no second pair of eyes is skipped.
        if (command.type === 'approve') requireSeparateApprover(state, actor);
        return;
      }
      const level = state.approval?.level ?? null;
      // An approver of another level of this chain could decide, just not now: the ticket moved on.
      if (state.approval?.chain.some((step) => ids.includes(step.approverId))) {
        throw invalidTransition(`level ${level} must decide now`, { level });
      }
      throw forbidden(`only the approver of level ${level} may decide now`, { level });
    }

    case 'reopen':
      requireCitizenOrCenter(command, 'reopening');
      if (!reopenWindowOpen(state, now)) {
        throw new DomainError(DomainErrorCode.REOPEN_WINDOW_CLOSED, 'the reopen window has passed', {
          reopenUntil: state.reopenUntil,
        });
      }
      return;

    case 'withdraw':
      return requireCitizenOrCenter(command, 'withdrawing');

    case 'attach':
      return authorizeAttachment(state, command);

    case 'mediaFailed':
      return authorizeMediaFailed(command);
  }
}

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const REASON_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Only the system (the worker's media workflow) records a media item it could not add; the reference is checked, the reason is a code. */
function authorizeMediaFailed(command: Extract<Command, { type: 'mediaFailed' }>): void {
  if (command.actor.kind !== 'SYSTEM') throw forbidden('a failed media fetch is recorded by the system');
  if (typeof command.messageSid !== 'string' || !MESSAGE_SID.test(command.messageSid)) throw invalidCommand('messageSid must be a Twilio message id', { field: 'messageSid' });
  if (!Number.isInteger(command.index) || command.index < 0 || command.index > 99) throw invalidCommand('index must be the media item’s position', { field: 'index' });
  if (typeof command.reason !== 'string' || !REASON_CODE.test(command.reason)) throw invalidCommand('reason must be a code', { field: 'reason' });
}

/**
 * Who adds which kind of file: the citizen their own (CITIZEN) while the ticket is open; the
 * coordination center (AGENT, COORDINATOR) what it took in (INTAKE); the assigned expert, or a
 * manager of the ticket's department, the before and after photos while the department works on
 * it (not in approval: the approvers judge what was submitted). Nobody once it is closed.
 */
function authorizeAttachment(state: TicketState, command: Extract<Command, { type: 'attach' }>): void {
  const { actor, kind } = command;
  if (!(ATTACHMENT_KINDS as readonly string[]).includes(kind)) throw invalidCommand(`unknown attachment kind ${String(kind)}`, { field: 'kind' });
  switch (kind) {
    case 'CITIZEN':
      if (actor.kind !== 'CITIZEN') throw forbidden('the citizen’s own attachments are sent by the citizen');
      break;
    case 'INTAKE':
      if (isStaff(actor) && isPlatformUser(actor)) throw forbidden('intake attachments are added by the coordination center');
      requireRole(actor, ['AGENT', 'COORDINATOR'], 'an intake attachment');
      break;
    case 'BEFORE':
    case 'AFTER':
      if (!(isAssignee(state, actor) || managesDepartment(state, actor))) {
        throw forbidden('only the assigned expert or a manager of the ticket’s department adds before and after photos');
      }
      if (!DEPARTMENT_WORK.includes(state.status)) {
        throw invalidTransition(`${kind} photos are added while the department works on the ticket, not while it is ${state.status}`, { status: state.status, command: 'attach' });
      }
      break;
  }
  if (typeof command.sha256 !== 'string' || !SHA256_HEX.test(command.sha256)) throw invalidCommand('sha256 must be 64 lowercase hex digits', { field: 'sha256' });
  if (typeof command.attachmentId !== 'string' || command.attachmentId.length === 0 || command.attachmentId.length > 100) {
    throw invalidCommand('attachmentId must name the stored attachment', { field: 'attachmentId' });
  }
}
