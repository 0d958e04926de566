/**
 * Shared fixtures for the domain unit tests: actors, an opening with short timings, command
 * builders, the facts the workflow would look up, and helpers that drive a ticket through the
 * real machine. Free of Jest globals: it only builds data and calls `decide`.
 */
import type { AnyFacts, Command, CommandOf, CommandPayloads, CommandType, DepartmentFacts } from '../src/ticket.commands';
import { DomainError } from '../src/domain-error';
import { addMs } from '../src/ticket.clocks';
import { decide, openingState, type Decision, type Effect } from '../src/ticket.machine';
import type {
  Actor,
  ApprovalStep,
  NotificationPurpose,
  StaffRole,
  TicketEvent,
  TicketEventType,
  TicketOpening,
  TicketState,
  TicketStatus,
  TicketTimings,
} from '../src/ticket.types';
import { SYSTEM_ACTOR } from '../src/ticket.types';

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

/** The moment every fixture ticket is received. */
export const T0 = '2025-03-03T08:00:00.000Z';

/** ISO time `ms` milliseconds after T0. */
export const at = (ms: number): string => addMs(T0, ms);

/** Milliseconds from T0 to an ISO time. */
export const offsetOf = (iso: string): number => Date.parse(iso) - Date.parse(T0);

/** Accepts either an offset from T0 (ms) or an ISO time. */
export type When = number | string;
export const toIso = (when: When): string => (typeof when === 'number' ? at(when) : when);

export const TIMINGS: TicketTimings = {
  slaMs: 100_000,
  slaThresholds: [50, 75, 90],
  approvalLevelSlaMs: 10_000,
  legalDeadlineMs: 1_000_000,
  legalWarningMs: 100_000,
  reopenWindowMs: 50_000,
};

// ---------------------------------------------------------------------------------------------
// Actors
// ---------------------------------------------------------------------------------------------

export const DEPT = 'dept-roads';
export const OTHER_DEPT = 'dept-parks';

export const EXPERT_ID = 'expert-1';
export const OTHER_EXPERT_ID = 'expert-2';
export const APPROVER_1 = 'approver-1';
export const APPROVER_2 = 'approver-2';
export const APPROVER_3 = 'approver-3';

export const staff = (id: string, roles: StaffRole[], departmentId: string | null = null): Actor => ({
  kind: 'STAFF',
  id,
  roles,
  departmentId,
});

export const coordinator = (id = 'coordinator-1'): Actor => staff(id, ['COORDINATOR']);
export const agent = (id = 'agent-1'): Actor => staff(id, ['AGENT']);
export const auditor = (id = 'auditor-1'): Actor => staff(id, ['AUDITOR']);
export const admin = (id = 'admin-1'): Actor => staff(id, ['ADMIN']);
export const expert = (id = EXPERT_ID, departmentId = DEPT): Actor => staff(id, ['EXPERT'], departmentId);
export const manager = (departmentId = DEPT, id = `manager-${departmentId}`): Actor =>
  staff(id, ['MANAGER'], departmentId);
export const departmentHead = (departmentId = DEPT, id = `head-${departmentId}`): Actor =>
  staff(id, ['DEPARTMENT_HEAD'], departmentId);
export const approver = (id: string, departmentId = DEPT): Actor => staff(id, ['APPROVER'], departmentId);
export const citizen = (): Actor => ({ kind: 'CITIZEN' });
export const system = (): Actor => SYSTEM_ACTOR;

/** A two-level approval chain: approver-1 then approver-2. */
export const CHAIN: ApprovalStep[] = [
  { level: 1, approverId: APPROVER_1 },
  { level: 2, approverId: APPROVER_2 },
];

// ---------------------------------------------------------------------------------------------
// Opening
// ---------------------------------------------------------------------------------------------

export function opening(overrides: Partial<TicketOpening> = {}): TicketOpening {
  return {
    ticketId: '00000000-0000-4000-8000-000000000001',
    number: 'T-2025-000001',
    channel: 'CALL_CENTER',
    type: 'REQUEST',
    segment: 'CITIZEN',
    category: 'pothole',
    receivedAt: T0,
    timings: { ...TIMINGS, slaThresholds: [...TIMINGS.slaThresholds] },
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Commands (each with the actor that is normally allowed to send it)
// ---------------------------------------------------------------------------------------------

type Payload<K extends CommandType> = CommandPayloads[K];

function build<K extends CommandType>(type: K, actor: Actor, payload: Payload<K>): CommandOf<K> {
  return { type, actor, ...payload } as unknown as CommandOf<K>;
}

export const cmd = {
  open: (actor: Actor = system()) => build('open', actor, {}),
  tick: (actor: Actor = system()) => build('tick', actor, {}),
  assignDepartment: (payload: Partial<Payload<'assignDepartment'>> = {}, actor: Actor = coordinator()) =>
    build('assignDepartment', actor, { departmentId: DEPT, ...payload }),
  reassignDepartment: (payload: Partial<Payload<'reassignDepartment'>> = {}, actor: Actor = coordinator()) =>
    build('reassignDepartment', actor, { departmentId: OTHER_DEPT, ...payload }),
  returnToCenter: (actor: Actor = manager(), payload: Partial<Payload<'returnToCenter'>> = {}) =>
    build('returnToCenter', actor, { reasonRef: 'text-return-reason', ...payload }),
  refer: (payload: Partial<Payload<'refer'>> = {}, actor: Actor = coordinator()) =>
    build('refer', actor, { institutionId: 'inst-water-authority', ...payload }),
  reject: (payload: Partial<Payload<'reject'>> = {}, actor: Actor = coordinator()) =>
    build('reject', actor, { reason: 'SPAM', ...payload }),
  answerDirectly: (payload: Partial<Payload<'answerDirectly'>> = {}, actor: Actor = coordinator()) =>
    build('answerDirectly', actor, { answerRef: 'text-answer', ...payload }),
  assignExpert: (payload: Partial<Payload<'assignExpert'>> = {}, actor: Actor = manager()) =>
    build('assignExpert', actor, { expertId: EXPERT_ID, expertDepartmentId: DEPT, ...payload }),
  requestCitizenInfo: (actor: Actor = expert(), payload: Partial<Payload<'requestCitizenInfo'>> = {}) =>
    build('requestCitizenInfo', actor, { questionRef: 'text-question', ...payload }),
  citizenInfoProvided: (actor: Actor = citizen(), payload: Partial<Payload<'citizenInfoProvided'>> = {}) =>
    build('citizenInfoProvided', actor, { answerRef: 'text-citizen-answer', ...payload }),
  addNote: (actor: Actor = expert(), payload: Partial<Payload<'addNote'>> = {}) =>
    build('addNote', actor, { textRef: 'text-note', visibility: 'INTERNAL', ...payload }),
  submitResolution: (payload: Partial<Payload<'submitResolution'>> = {}, actor: Actor = expert()) =>
    build('submitResolution', actor, { textRef: 'text-resolution', ...payload }),
  approve: (actor: Actor = approver(APPROVER_1), payload: Partial<Payload<'approve'>> = {}) =>
    build('approve', actor, { ...payload }),
  rejectResolution: (actor: Actor = approver(APPROVER_1), payload: Partial<Payload<'rejectResolution'>> = {}) =>
    build('rejectResolution', actor, { reasonRef: 'text-rejection', ...payload }),
  finalize: (payload: Partial<Payload<'finalize'>> = {}, actor: Actor = coordinator()) =>
    build('finalize', actor, { summaryRef: 'text-summary', ...payload }),
  reopen: (actor: Actor = citizen(), payload: Partial<Payload<'reopen'>> = {}) =>
    build('reopen', actor, { reasonRef: 'text-reopen-reason', ...payload }),
  withdraw: (actor: Actor = citizen(), payload: Partial<Payload<'withdraw'>> = {}) => build('withdraw', actor, { ...payload }),
  duplicateMerged: (payload: Partial<Payload<'duplicateMerged'>> = {}, actor: Actor = system()) =>
    build('duplicateMerged', actor, { fromNumber: 'T-2025-000099', ...payload }),
  expertAssignmentPending: (actor: Actor = system()) => build('expertAssignmentPending', actor, {}),
};

// ---------------------------------------------------------------------------------------------
// Facts (what the workflow would look up in the organisation)
// ---------------------------------------------------------------------------------------------

/** A manually assigning department; the category keeps the fixture SLA. */
export const DEPARTMENT_FACTS: DepartmentFacts = { assignmentMode: 'MANUAL', categorySlaMs: TIMINGS.slaMs };
export const RESOLUTION_FACTS = { chain: CHAIN };

/** The facts a command needs, as the demo organisation would give them (undefined when none). */
export function usualFacts(command: Command): AnyFacts | undefined {
  switch (command.type) {
    case 'assignDepartment':
    case 'reassignDepartment':
      return DEPARTMENT_FACTS;
    case 'submitResolution':
      return RESOLUTION_FACTS;
    default:
      return undefined;
  }
}

/** `decide` with the usual facts, for tests whose subject is not the facts. */
export const decideWithFacts = (state: TicketState, command: Command, now: string): Decision =>
  decide(state, command, now, usualFacts(command));

// ---------------------------------------------------------------------------------------------
// Driving the machine
// ---------------------------------------------------------------------------------------------

/** A command at a moment, with the facts it is decided with (the usual ones when omitted). */
export type Step = readonly [When, Command] | readonly [When, Command, AnyFacts];

export interface Run {
  state: TicketState;
  /** Every effect of every step, in order. */
  effects: Effect[];
  decisions: Decision[];
}

/** Applies the steps one after another with `decide`; a refusal propagates. */
export function run(state: TicketState, steps: readonly Step[]): Run {
  const effects: Effect[] = [];
  const decisions: Decision[] = [];
  let current = state;
  for (const [when, command, facts] of steps) {
    const decision = decide(current, command, toIso(when), facts ?? usualFacts(command));
    decisions.push(decision);
    effects.push(...decision.effects);
    current = decision.state;
  }
  return { state: current, effects, decisions };
}

/** A freshly received ticket (status RECEIVED, before `open`). */
export const received = (overrides: Partial<TicketOpening> = {}): TicketState => openingState(opening(overrides));

/**
 * The statuses a ticket can rest in. REFERRED and REJECTED are momentary: `refer` and `reject`
 * close the ticket in the same decision, so no state is ever left in them.
 */
export const RESTING_STATUSES = [
  'RECEIVED',
  'TRIAGE',
  'IN_DEPARTMENT',
  'IN_PROGRESS',
  'WAITING_FOR_CITIZEN',
  'IN_APPROVAL',
  'APPROVED',
  'RESOLVED',
  'CLOSED',
] as const satisfies readonly TicketStatus[];
export type RestingStatus = (typeof RESTING_STATUSES)[number];
export const MOMENTARY_STATUSES = ['REFERRED', 'REJECTED'] as const satisfies readonly TicketStatus[];

/**
 * The main road through the process, one step per second. Each resting status is reached after
 * a prefix of it; CLOSED is reached by the citizen withdrawing from triage.
 */
const MAIN_ROAD: readonly Step[] = [
  [0, cmd.open()],
  [1_000, cmd.assignDepartment()],
  [2_000, cmd.assignExpert()],
  [3_000, cmd.submitResolution()],
  [4_000, cmd.approve(approver(APPROVER_1))],
  [5_000, cmd.approve(approver(APPROVER_2))],
  [6_000, cmd.finalize()],
];

export const ROUTES: Record<RestingStatus, readonly Step[]> = {
  RECEIVED: [],
  TRIAGE: MAIN_ROAD.slice(0, 1),
  IN_DEPARTMENT: MAIN_ROAD.slice(0, 2),
  IN_PROGRESS: MAIN_ROAD.slice(0, 3),
  WAITING_FOR_CITIZEN: [...MAIN_ROAD.slice(0, 3), [3_000, cmd.requestCitizenInfo()]],
  IN_APPROVAL: MAIN_ROAD.slice(0, 4),
  APPROVED: MAIN_ROAD.slice(0, 6),
  RESOLVED: MAIN_ROAD.slice(0, 7),
  CLOSED: [...MAIN_ROAD.slice(0, 1), [1_000, cmd.withdraw()]],
};

export interface Reached extends Run {
  /** Offset (ms from T0) of the last step; issue the next command a little later. */
  lastMs: number;
}

/** Drives a fresh ticket through the real machine until it rests in `status`. */
export function ticketIn(status: RestingStatus, overrides: Partial<TicketOpening> = {}): Reached {
  const steps = ROUTES[status];
  const result = run(received(overrides), steps);
  if (result.state.status !== status) {
    throw new Error(`fixture route for ${status} ended in ${result.state.status}`);
  }
  const last = steps[steps.length - 1];
  return { ...result, lastMs: last ? offsetOf(toIso(last[0])) : 0 };
}

// ---------------------------------------------------------------------------------------------
// Reading effects
// ---------------------------------------------------------------------------------------------

export type NotifyEffect = Extract<Effect, { kind: 'notify' }>;

export const eventsOf = (effects: readonly Effect[]): TicketEvent[] =>
  effects.flatMap((e) => (e.kind === 'record' ? [e.event] : []));
export const eventTypes = (effects: readonly Effect[]): TicketEventType[] => eventsOf(effects).map((e) => e.type);
export const notificationsOf = (effects: readonly Effect[]): NotifyEffect[] =>
  effects.flatMap((e) => (e.kind === 'notify' ? [e] : []));
export const purposesOf = (effects: readonly Effect[]): NotificationPurpose[] =>
  notificationsOf(effects).map((n) => n.purpose);
export const eventOf = (effects: readonly Effect[], type: TicketEventType): TicketEvent | undefined =>
  eventsOf(effects).find((e) => e.type === type);

/** Runs `fn` and returns the DomainError it throws; fails if it returns or throws something else. */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the command to be refused with a DomainError, but it was accepted');
}

/** Recursively freezes a value, so any mutation in strict-mode code throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
