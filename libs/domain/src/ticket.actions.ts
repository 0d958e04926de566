import type { Command, ExternalCommandType } from './ticket.commands';
import { EXTERNAL_COMMANDS } from './ticket.commands';
import { DomainError, DomainErrorCode } from './domain-error';
import { takesCalls, isPlatformUser } from './ticket.access';
import {
  actsInRole,
  ALLOWED_IN,
  approvesSeparately,
  authorize,
  decidesCurrentLevel,
  DIRECTLY_ANSWERABLE_TYPES,
  isAssignee,
  managesDepartment,
  reopenWindowOpen,
} from './ticket.policy';
import type { Actor, AttachmentKind, TicketState } from './ticket.types';
import { ATTACHMENT_KINDS } from './ticket.types';

/**
 * The commands an actor may send now, in one pass: the facts about the actor and the ticket are
 * worked out once and each command possible in the ticket's status reads them. It answers as
 * `allowedCommands` (which puts every command to `authorize`) does for every command, role and
 * status; ticket.actions.spec.ts holds the two side by side so they cannot drift. This is what
 * the API lists as a ticket's `actions`.
 */
export function allowedActions(state: TicketState, actor: Actor, now: string): ExternalCommandType[] {
  const coordinator = actsInRole(actor, 'COORDINATOR');
  const assignee = isAssignee(state, actor);
  const manages = managesDepartment(state, actor);
  // The citizen's own commands: the citizen, or the call center speaking for them.
  const forCitizen = actor.kind === 'CITIZEN' || (actor.kind === 'STAFF' && takesCalls(actor));
  const decides = decidesCurrentLevel(state, actor);
  const may: Record<ExternalCommandType, boolean> = {
    assignDepartment: coordinator,
    reassignDepartment: coordinator,
    refer: coordinator,
    reject: coordinator,
    finalize: coordinator,
    answerDirectly: coordinator && (DIRECTLY_ANSWERABLE_TYPES as readonly string[]).includes(state.type),
    returnToCenter: manages || assignee,
    assignExpert: actor.kind === 'SYSTEM' || manages,
    requestCitizenInfo: state.status === 'TRIAGE' ? coordinator : assignee,
    citizenInfoProvided: forCitizen || assignee,
    addNote: actor.kind === 'STAFF' && !isPlatformUser(actor),
    submitResolution: assignee,
    approve: decides && approvesSeparately(state, actor),
    rejectResolution: decides,
    reopen: forCitizen && reopenWindowOpen(state, now),
    withdraw: forCitizen,
  };
  return EXTERNAL_COMMANDS.filter((type) => may[type] && ALLOWED_IN[type].includes(state.status));
}

/**
 * The commands an actor may send now, command by command: each external command possible in the ticket's status is
 * put to `authorize` — the very check the Workflow Update validators run — with placeholder
 * arguments. A refusal for the state or the caller (INVALID_TRANSITION, FORBIDDEN,
 * REOPEN_WINDOW_CLOSED) leaves it out; a refusal of the placeholder arguments (INVALID_COMMAND:
 * "already in that department", "a duplicate must name the surviving ticket") keeps it in, since
 * real arguments can satisfy it. The reference `allowedActions` is held against.
 */
export function allowedCommands(state: TicketState, actor: Actor, now: string): ExternalCommandType[] {
  // authorize's first check, read straight from its table: most commands are not possible in the
  // ticket's status, and they are left out here without building and throwing a refusal each.
  return EXTERNAL_COMMANDS.filter((type) => {
    if (!ALLOWED_IN[type].includes(state.status)) return false;
    try {
      authorize(state, probe(type, state, actor), now);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.INVALID_COMMAND) return true;
      if (error instanceof DomainError) return false;
      throw error;
    }
  });
}

/** A command of `type` with arguments that pass every argument check they can pass. */
function probe(type: ExternalCommandType, state: TicketState, actor: Actor): Command {
  const via = actor.kind === 'STAFF' ? { via: 'CALL_CENTER' as const } : {};
  switch (type) {
    case 'assignDepartment':
    case 'reassignDepartment':
      return { type, actor, departmentId: `${state.departmentId ?? ''}~other` };
    case 'returnToCenter':
      return { type, actor, reasonRef: 'probe' };
    case 'refer':
      return { type, actor, institutionId: 'probe' };
    case 'reject':
      return { type, actor, reason: 'SPAM' };
    case 'answerDirectly':
      return { type, actor, answerRef: 'probe' };
    case 'assignExpert':
      return { type, actor, expertId: 'probe', expertDepartmentId: state.departmentId ?? '' };
    case 'requestCitizenInfo':
      return { type, actor, questionRef: 'probe' };
    case 'citizenInfoProvided':
      return { type, actor, answerRef: 'probe', ...via };
    case 'addNote':
      return { type, actor, textRef: 'probe', visibility: 'INTERNAL' };
    case 'submitResolution':
      return { type, actor, textRef: 'probe' };
    case 'approve':
      return { type, actor };
    case 'rejectResolution':
      return { type, actor, reasonRef: 'probe' };
    case 'finalize':
      return { type, actor, summaryRef: 'probe' };
    case 'reopen':
      return { type, actor, reasonRef: 'probe', ...via };
    case 'withdraw':
      return { type, actor, ...via };
  }
}

/**
 * The kinds of file the actor may attach now (POST /tickets/:number/attachments): each kind put to
 * `authorize`, the check the `attach` Update's validator runs, with a well-formed reference.
 */
export function allowedAttachmentKinds(state: TicketState, actor: Actor, now: string): AttachmentKind[] {
  return ATTACHMENT_KINDS.filter((kind) => {
    try {
      authorize(state, { type: 'attach', actor, kind, attachmentId: 'probe', sha256: '0'.repeat(64) }, now);
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  });
}
