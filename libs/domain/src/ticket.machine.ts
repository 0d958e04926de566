import type { AnyFacts, Command, CommandOf, CommandType, DepartmentFacts, FactsOf } from './ticket.commands';
import { needsFacts } from './ticket.commands';
import { invalidCommand } from './domain-error';
import {
  addMs,
  approvalEscalationAt,
  approvalReminderAt,
  legalMissedAt,
  legalWarningAt,
  newSlaClock,
  pauseSla,
  pendingSlaMarks,
  resumeSla,
  slaConsumed,
  slaMarkAt,
  stopSla,
} from './ticket.clocks';
import { authorize, managerDeputisedFor } from './ticket.policy';
import type {
  Actor,
  ApprovalRound,
  JsonRecord,
  NotificationPurpose,
  Outcome,
  Recipient,
  TicketEvent,
  TicketEventType,
  TicketOpening,
  TicketState,
  TicketStatus,
} from './ticket.types';
import { SYSTEM_ACTOR } from './ticket.types';

/** What the workflow must do after a decision. Pure data; the workflow interprets it. */
export type Effect =
  | { kind: 'record'; event: TicketEvent }
  | { kind: 'notify'; purpose: NotificationPurpose; seq: number; recipient: Recipient; params: JsonRecord }
  | { kind: 'pickExpert'; departmentId: string }
  | { kind: 'signalMerge'; survivorNumber: string; fromNumber: string };

export interface Decision {
  state: TicketState;
  effects: Effect[];
}

/** The state a ticket starts in, before the workflow's `open`. */
export function openingState(opening: TicketOpening): TicketState {
  const { receivedAt, timings } = opening;
  return {
    ticketId: opening.ticketId,
    number: opening.number,
    channel: opening.channel,
    type: opening.type,
    segment: opening.segment,
    category: opening.category,
    status: 'RECEIVED',
    outcome: null,
    seq: 0,
    round: 1,
    reopenCount: 0,
    departmentId: null,
    assigneeId: null,
    assignmentMode: null,
    approval: null,
    approvalRounds: 0,
    resolutionRef: null,
    waitingReturnTo: null,
    referredTo: null,
    duplicateOf: null,
    sla: newSlaClock(timings.slaMs, receivedAt),
    legal: { dueAt: addMs(receivedAt, timings.legalDeadlineMs), warned: false, missed: false, stopped: false },
    reopenUntil: null,
    receivedAt,
    resolvedAt: null,
    closedAt: null,
    timings,
  };
}

/** Accumulates one decision: a working copy of the state, its events and its effects. */
class Transition {
  readonly effects: Effect[] = [];
  constructor(
    public state: TicketState,
    readonly now: string,
    readonly actor: Actor,
  ) {}

  set(patch: Partial<TicketState>): void {
    this.state = { ...this.state, ...patch };
  }

  record(type: TicketEventType, data: JsonRecord = {}, actor: Actor = this.actor): number {
    const seq = this.state.seq + 1;
    this.state = { ...this.state, seq };
    this.effects.push({ kind: 'record', event: { seq, type, at: this.now, actor, status: this.state.status, data } });
    return seq;
  }

  /** Notify about the most recently recorded event; its seq makes the outbox key unique. */
  notify(purpose: NotificationPurpose, recipient: Recipient, params: JsonRecord = {}): void {
    this.effects.push({ kind: 'notify', purpose, seq: this.state.seq, recipient, params });
  }

  resolve(): void {
    const { now, state } = this;
    this.set({
      status: 'RESOLVED',
      resolvedAt: now,
      reopenUntil: addMs(now, state.timings.reopenWindowMs),
      sla: stopSla(state.sla, now),
      legal: { ...state.legal, stopped: true },
      waitingReturnTo: null,
    });
  }

  close(outcome: Outcome, data: JsonRecord = {}): void {
    const { now, state } = this;
    this.set({
      status: 'CLOSED',
      outcome,
      closedAt: now,
      sla: stopSla(state.sla, now),
      legal: { ...state.legal, stopped: true },
      approval: null,
      reopenUntil: null,
    });
    this.record('CLOSED', { outcome, ...data });
  }

  done(): Decision {
    return { state: this.state, effects: this.effects };
  }
}

type Handler<K extends CommandType> = (t: Transition, command: CommandOf<K>, facts: FactsOf<K>) => void;

const handlers: { [K in Command['type']]: Handler<K> } = {
  open(t) {
    t.set({ status: 'TRIAGE' });
    t.record('RECEIVED', { channel: t.state.channel, type: t.state.type, category: t.state.category });
    t.notify('RECEIVED', { kind: 'CITIZEN' });
  },

  tick(t) {
    fireDueClocks(t);
  },

  assignDepartment(t, c, facts) {
    t.set({ status: 'IN_DEPARTMENT', departmentId: c.departmentId, assigneeId: null, assignmentMode: facts.assignmentMode });
    t.record('DEPARTMENT_ASSIGNED', {
      departmentId: c.departmentId,
      ...recategorise(t, c.category, facts),
      assignmentMode: facts.assignmentMode,
      ...optionalNote(c.noteRef),
    });
    if (facts.assignmentMode === 'LEAST_LOADED') t.effects.push({ kind: 'pickExpert', departmentId: c.departmentId });
  },

  reassignDepartment(t, c, facts) {
    const { departmentId: previousDepartmentId, assigneeId: previousExpertId } = t.state;
    // A resolution an approver sent back stays with the department that wrote it (its text stays in the history).
    t.set({ status: 'IN_DEPARTMENT', departmentId: c.departmentId, assigneeId: null, assignmentMode: facts.assignmentMode, resolutionRef: null });
    t.record('DEPARTMENT_REASSIGNED', {
      departmentId: c.departmentId,
      previousDepartmentId,
      previousExpertId,
      ...recategorise(t, c.category, facts),
      assignmentMode: facts.assignmentMode,
      ...optionalNote(c.noteRef),
    });
    if (facts.assignmentMode === 'LEAST_LOADED') t.effects.push({ kind: 'pickExpert', departmentId: c.departmentId });
  },

  returnToCenter(t, c) {
    const { departmentId, assigneeId: previousExpertId } = t.state;
    const deputy = managerOnBehalf(t); // judged in the department it is leaving
    // Back to triage; the SLA keeps running: the citizen has been waiting all along.
    t.set({ status: 'TRIAGE', departmentId: null, assigneeId: null, assignmentMode: null, resolutionRef: null });
    t.record('RETURNED_TO_CENTER', { reasonRef: c.reasonRef, departmentId, previousExpertId, ...deputy });
  },

  refer(t, c) {
    t.set({ status: 'REFERRED', referredTo: c.institutionId });
    t.record('REFERRED', { institutionId: c.institutionId, ...(c.noteRef ? { noteRef: c.noteRef } : {}) });
    t.notify('REFERRED', { kind: 'CITIZEN' }, { institutionId: c.institutionId });
    t.close('REFERRED');
  },

  reject(t, c) {
    t.set({ status: 'REJECTED', duplicateOf: c.duplicateOf ?? null });
    t.record('REJECTED', {
      reason: c.reason,
      ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}),
      ...(c.noteRef ? { noteRef: c.noteRef } : {}),
    });
    if (c.reason === 'DUPLICATE' && c.duplicateOf) {
      t.record('MERGED_INTO', { survivor: c.duplicateOf });
      t.notify('MERGED', { kind: 'CITIZEN' }, { survivor: c.duplicateOf });
      t.effects.push({ kind: 'signalMerge', survivorNumber: c.duplicateOf, fromNumber: t.state.number });
      t.close('MERGED');
    } else {
      t.close('REJECTED');
    }
  },

  answerDirectly(t, c) {
    t.resolve();
    t.record('ANSWERED_DIRECTLY', { answerRef: c.answerRef, ...answerVisibility(c.visibility) });
    t.notify('RESOLVED', { kind: 'CITIZEN' });
  },

  assignExpert(t, c) {
    const previousExpertId = t.state.assigneeId;
    t.set({ status: 'IN_PROGRESS', assigneeId: c.expertId });
    t.record('EXPERT_ASSIGNED', {
      expertId: c.expertId,
      previousExpertId,
      automatic: c.actor.kind === 'SYSTEM',
      ...managerOnBehalf(t),
    });
  },

  expertAssignmentPending(t) {
    t.record('EXPERT_ASSIGNMENT_PENDING', { departmentId: t.state.departmentId });
  },

  requestCitizenInfo(t, c) {
    t.set({ waitingReturnTo: t.state.status, status: 'WAITING_FOR_CITIZEN', sla: pauseSla(t.state.sla, t.now) });
    t.record('CITIZEN_INFO_REQUESTED', { questionRef: c.questionRef });
    t.notify('INFO_REQUESTED', { kind: 'CITIZEN' });
    t.record('SLA_PAUSED', { consumedMs: t.state.sla.consumedMs }, SYSTEM_ACTOR);
  },

  citizenInfoProvided(t, c) {
    const returnTo: TicketStatus = t.state.waitingReturnTo ?? 'TRIAGE';
    t.set({ status: returnTo, waitingReturnTo: null, sla: resumeSla(t.state.sla, t.now) });
    t.record('CITIZEN_INFO_PROVIDED', { answerRef: c.answerRef, ...onBehalf(c) });
    t.record('SLA_RESUMED', { consumedMs: t.state.sla.consumedMs }, SYSTEM_ACTOR);
  },

  addNote(t, c) {
    t.record('NOTE_ADDED', { textRef: c.textRef, visibility: c.visibility });
  },

  submitResolution(t, c, { chain }) {
    if (chain.length === 0) {
      throw invalidCommand('the department has no approval chain configured for this expert', { field: 'chain' });
    }
    const round = t.state.approvalRounds + 1;
    t.set({
      status: 'IN_APPROVAL',
      resolutionRef: c.textRef,
      approvalRounds: round,
      approval: { round, chain, level: 1, levelStartedAt: t.now, reminderSent: false, escalatedTo: null, escalated: false, approvedBy: [] },
    });
    t.record('RESOLUTION_SUBMITTED', {
      textRef: c.textRef,
      round,
      chain: chain.map((s) => ({ level: s.level, approverId: s.approverId })),
    });
  },

  approve(t, c) {
    const step = t.state.approval!.chain[t.state.approval!.level - 1];
    // Who actually approved this level (separation of duties, see requireSeparateApprover).
    t.set({ approval: withApproval(t.state.approval!, step.approverId, c.actor) });
    const approval = t.state.approval!;
    const isLast = approval.level === approval.chain.length;
    if (isLast) t.set({ status: 'APPROVED' });
    t.record('APPROVED_AT_LEVEL', {
      level: step.level,
      round: approval.round,
      // A deputy, or the approver the level was escalated to, decides for the level's approver.
      onBehalfOf: c.actor.kind === 'STAFF' && c.actor.id === step.approverId ? null : step.approverId,
      ...optionalNote(c.noteRef),
    });
    if (isLast) {
      t.record('RESOLUTION_APPROVED', { round: approval.round });
    } else {
      t.set({
        approval: { ...approval, level: approval.level + 1, levelStartedAt: t.now, reminderSent: false, escalated: false, escalatedTo: null },
      });
    }
  },

  rejectResolution(t, c) {
    const approval = t.state.approval!;
    t.set({ status: 'IN_PROGRESS', approval: null });
    t.record('RESOLUTION_REJECTED', {
      level: approval.chain[approval.level - 1].level,
      round: approval.round,
      reasonRef: c.reasonRef,
    });
  },

  finalize(t, c) {
    t.resolve();
    t.record('FINALIZED', { summaryRef: c.summaryRef, ...answerVisibility(c.visibility) });
    t.notify('RESOLVED', { kind: 'CITIZEN' });
  },

  reopen(t, c) {
    const { now, state } = t;
    t.set({
      status: 'TRIAGE',
      round: state.round + 1,
      reopenCount: state.reopenCount + 1,
      departmentId: null,
      assigneeId: null,
      assignmentMode: null,
      approval: null,
      resolutionRef: null,
      reopenUntil: null,
      resolvedAt: null,
      sla: newSlaClock(state.timings.slaMs, now),
      legal: { dueAt: addMs(now, state.timings.legalDeadlineMs), warned: false, missed: false, stopped: false },
    });
    t.record('REOPENED', { reasonRef: c.reasonRef, round: t.state.round, ...onBehalf(c) });
    t.notify('REOPENED', { kind: 'CITIZEN' });
  },

  withdraw(t, c) {
    t.record('WITHDRAWN', onBehalf(c));
    t.close('WITHDRAWN');
    t.notify('CLOSED', { kind: 'CITIZEN' }, { outcome: 'WITHDRAWN' });
  },

  duplicateMerged(t, c) {
    t.record('DUPLICATE_MERGED', { from: c.fromNumber });
  },

  // The reference only: the bytes stay in the attachment store, the hash makes the audit chain cover them.
  attach(t, c) {
    t.record('ATTACHED', { attachmentId: c.attachmentId, sha256: c.sha256, kind: c.kind });
  },

  // Never lost silently: the message and the item staff can look for, and why it is missing.
  mediaFailed(t, c) {
    t.record('MEDIA_FETCH_FAILED', { messageSid: c.messageSid, index: c.index, reason: c.reason });
  },
};

/** The round with the current level's approval added: who acted, and whether as the approver the level was escalated to. */
function withApproval(approval: ApprovalRound, approverId: string, actor: Actor): ApprovalRound {
  if (actor.kind !== 'STAFF') return approval;
  const asApproverOrDeputy = actor.id === approverId || (actor.standsInFor ?? []).some((p) => p.id === approverId);
  const byEscalation = !asApproverOrDeputy && actor.id === approval.escalatedTo;
  const level = approval.chain[approval.level - 1].level;
  return { ...approval, approvedBy: [...(approval.approvedBy ?? []), { level, staffId: actor.id, byEscalation }] };
}

function optionalNote(noteRef: string | undefined): JsonRecord {
  return noteRef ? { noteRef } : {};
}

/** An answer's audience, recorded only when the command named one (a command of an older history did not). */
function answerVisibility(visibility: string | undefined): JsonRecord {
  return visibility ? { visibility } : {};
}

/** Event data of a manager's command done by a deputy: whom they stood in for. */
function managerOnBehalf(t: Transition): JsonRecord {
  const principal = managerDeputisedFor(t.state, t.actor);
  return principal ? { onBehalfOf: principal } : {};
}

/** Event data of a citizen's command sent by staff for the citizen (a caller on ALO 185). */
function onBehalf(c: { actor: Actor; via?: string }): JsonRecord {
  return c.actor.kind === 'STAFF' ? { onBehalfOfCitizen: true, via: c.via ?? null } : {};
}

/**
 * Gives the ticket its (possibly new) category. A new category brings its own SLA: the time
 * already used still counts, the total changes, and marks not yet passed under the new total
 * are announced again. Returns the event data naming both categories and both SLAs.
 */
function recategorise(t: Transition, category: string | undefined, facts: DepartmentFacts): JsonRecord {
  const previousCategory = t.state.category;
  const next = category ?? previousCategory;
  if (next === previousCategory) return { category: next, previousCategory };
  const { sla, timings } = t.state;
  const used = slaConsumed(sla, t.now);
  const previousSlaMs = sla.totalMs;
  t.set({
    category: next,
    timings: { ...timings, slaMs: facts.categorySlaMs },
    sla: { ...sla, totalMs: facts.categorySlaMs, announced: sla.announced.filter((p) => used >= (facts.categorySlaMs * p) / 100) },
  });
  return { category: next, previousCategory, slaMs: facts.categorySlaMs, previousSlaMs };
}

/** Fires every clock whose moment has come, as SYSTEM (grouped by clock; all carry the tick time). */
function fireDueClocks(t: Transition): void {
  const due = (at: string | null) => at !== null && Date.parse(at) <= Date.parse(t.now);
  const sys = SYSTEM_ACTOR;

  for (const percent of pendingSlaMarks(t.state)) {
    const at = slaMarkAt(t.state.sla, percent);
    if (!due(at)) break;
    if (percent === 100) {
      t.set({ sla: { ...t.state.sla, breached: true } });
      t.record('SLA_BREACHED', { slaMs: t.state.sla.totalMs }, sys);
      if (t.state.departmentId) t.notify('SLA_BREACHED', { kind: 'DEPARTMENT_HEAD', departmentId: t.state.departmentId });
    } else {
      t.set({ sla: { ...t.state.sla, announced: [...t.state.sla.announced, percent] } });
      t.record('SLA_THRESHOLD_REACHED', { percent }, sys);
    }
  }

  if (due(approvalReminderAt(t.state))) {
    const a = t.state.approval!;
    t.set({ approval: { ...a, reminderSent: true } });
    const approverId = a.chain[a.level - 1].approverId;
    t.record('APPROVAL_REMINDER', { level: a.chain[a.level - 1].level, approverId }, sys);
    t.notify('APPROVAL_REMINDER', { kind: 'STAFF', staffId: approverId });
  }

  if (due(approvalEscalationAt(t.state))) {
    const a = t.state.approval!;
    const next = a.chain[a.level] ?? null;
    t.set({ approval: { ...a, reminderSent: true, escalated: true, escalatedTo: next ? next.approverId : null } });
    t.record('APPROVAL_ESCALATED', { level: a.chain[a.level - 1].level, escalatedTo: next ? next.approverId : null }, sys);
    t.notify(
      'APPROVAL_ESCALATED',
      next ? { kind: 'STAFF', staffId: next.approverId } : { kind: 'DEPARTMENT_HEAD', departmentId: t.state.departmentId! },
    );
  }

  if (due(legalWarningAt(t.state))) {
    t.set({ legal: { ...t.state.legal, warned: true } });
    t.record('LEGAL_DEADLINE_WARNING', { dueAt: t.state.legal.dueAt }, sys);
    if (t.state.departmentId) {
      t.notify('LEGAL_DEADLINE_WARNING', { kind: 'DEPARTMENT_HEAD', departmentId: t.state.departmentId });
    }
  }

  if (due(legalMissedAt(t.state))) {
    t.set({ legal: { ...t.state.legal, missed: true, warned: true } });
    t.record('LEGAL_DEADLINE_MISSED', { dueAt: t.state.legal.dueAt }, sys);
  }

  if (t.state.status === 'RESOLVED' && due(t.state.reopenUntil)) {
    t.close('RESOLVED');
    t.notify('CLOSED', { kind: 'CITIZEN' }, { outcome: 'RESOLVED' });
  }
}

/**
 * The ticket rules: `(state, command) → { state, effects }`. Throws a DomainError when the
 * command is refused; never touches the clock, the network or any global.
 */
export function decide(state: TicketState, command: Command, now: string, facts?: AnyFacts): Decision {
  authorize(state, command, now);
  return decideJudged(state, command, now, facts);
}

/**
 * `decide` for a command already judged (`authorize`) against this very state: the workflow's
 * Update validator judges every command, and its handler runs the rules without judging the
 * same command on the same state again. A caller that cannot say so calls `decide`.
 */
export function decideJudged(state: TicketState, command: Command, now: string, facts?: AnyFacts): Decision {
  if (needsFacts(command.type) && facts === undefined) {
    // A bug in the caller, not a refusal: the rules never guess what the organisation says.
    throw new Error(`${command.type} needs the facts the workflow looks up; none were given`);
  }
  const transition = new Transition(state, now, command.actor);
  (handlers[command.type] as Handler<typeof command.type>)(transition, command as never, facts as never);
  return transition.done();
}

/** The approval level staff and operators see: the deciding level while in approval, else none. */
export const shownApprovalLevel = (state: TicketState): number | null =>
  state.status === 'IN_APPROVAL' && state.approval ? state.approval.level : null;
