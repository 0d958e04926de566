/**
 * The vocabulary of a ticket. Plain string unions and plain JSON records only: this file is
 * imported by the workflow bundle, so it must stay free of Node built-ins and class instances.
 */

export const CHANNELS = ['CALL_CENTER', 'WHATSAPP', 'SOCIAL_MEDIA', 'WEB', 'CONTACT_POINT', 'SMS'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TICKET_TYPES = ['REQUEST', 'COMPLAINT', 'SUGGESTION', 'INFORMATION', 'REPORT', 'THANKS'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const SEGMENTS = ['CITIZEN', 'MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const TICKET_STATUSES = [
  'RECEIVED',
  'TRIAGE',
  'IN_DEPARTMENT',
  'IN_PROGRESS',
  'WAITING_FOR_CITIZEN',
  'IN_APPROVAL',
  'APPROVED',
  'RESOLVED',
  'REFERRED',
  'REJECTED',
  'CLOSED',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** How a closed ticket ended; CLOSED is the status, the outcome says why. */
export const OUTCOMES = ['RESOLVED', 'REFERRED', 'REJECTED', 'MERGED', 'WITHDRAWN'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REJECT_REASONS = ['SPAM', 'ABUSIVE', 'DUPLICATE'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const NOTE_VISIBILITIES = ['INTERNAL', 'CITIZEN'] as const;
export type NoteVisibility = (typeof NOTE_VISIBILITIES)[number];

/**
 * Who a staff answer to the citizen (a finalize summary, a direct answer) is written for: the
 * citizen alone (the default), or anyone — a PUBLIC answer is what Open311 publishes as the
 * request's status notes.
 */
export const ANSWER_VISIBILITIES = ['CITIZEN', 'PUBLIC'] as const;
export type AnswerVisibility = (typeof ANSWER_VISIBILITIES)[number];

/**
 * Roles of every account that signs in: the municipality's staff, and the platform users
 * (MUHTAR, scoped to one neighbourhood; TRADESPERSON; COUNCIL_MEMBER) who file requests for others.
 */
export const STAFF_ROLES = ['AGENT', 'COORDINATOR', 'EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD', 'AUDITOR', 'ADMIN', 'MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles of the platform users (muhtar, esnaf, meclis üyesi): requesters, not staff of the center. */
export const PLATFORM_ROLES = ['MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER'] as const satisfies readonly StaffRole[];
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/**
 * Who added an attachment and in what role (libs/attachments' AttachmentKind, which the API
 * holds equal to this): the citizen's own, the center's at intake, the expert's before and after.
 */
export const ATTACHMENT_KINDS = ['CITIZEN', 'INTAKE', 'BEFORE', 'AFTER'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ASSIGNMENT_MODES = ['MANUAL', 'LEAST_LOADED'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** A position someone holds: enough for the rules to judge it. */
export interface Position {
  id: string;
  roles: StaffRole[];
  departmentId: string | null;
}

/**
 * Who issues a command. Staff carry only ids and roles: no names, no phones. `standsInFor` lists
 * the absent colleagues whose approvals and department management this person may do today
 * (vekalet, in force at the moment of the command); the API builds it from the deputies table.
 */
export type Actor =
  | ({ kind: 'STAFF'; standsInFor?: Position[] } & Position)
  | { kind: 'CITIZEN' }
  | { kind: 'SYSTEM' };

export const SYSTEM_ACTOR: Actor = { kind: 'SYSTEM' };

/** What every notification is for; the outbox key is `ticket-<number>:<purpose>:<seq>`. */
export const NOTIFICATION_PURPOSES = [
  'RECEIVED',
  'REFERRED',
  'MERGED',
  'INFO_REQUESTED',
  'RESOLVED',
  'REOPENED',
  'CLOSED',
  'SLA_BREACHED',
  'APPROVAL_REMINDER',
  'APPROVAL_ESCALATED',
  'LEGAL_DEADLINE_WARNING',
  // Sent by the worker's closure-check sweeper, never by the workflow (no recorded history changes).
  'CLOSURE_CHECK',
  // The tracking link again, when the center re-sends it (POST /tickets/:number/resend-link), never by the ticket's workflow.
  'LINK_RESENT',
] as const;
export type NotificationPurpose = (typeof NOTIFICATION_PURPOSES)[number];

export type Recipient =
  | { kind: 'CITIZEN' }
  | { kind: 'STAFF'; staffId: string }
  | { kind: 'DEPARTMENT_HEAD'; departmentId: string };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = { [key: string]: JsonValue };

export const EVENT_TYPES = [
  'RECEIVED',
  'DEPARTMENT_ASSIGNED',
  'DEPARTMENT_REASSIGNED',
  'RETURNED_TO_CENTER',
  'REFERRED',
  'REJECTED',
  'MERGED_INTO',
  'DUPLICATE_MERGED',
  'ANSWERED_DIRECTLY',
  'EXPERT_ASSIGNED',
  'EXPERT_ASSIGNMENT_PENDING',
  'CITIZEN_INFO_REQUESTED',
  'CITIZEN_INFO_PROVIDED',
  'NOTE_ADDED',
  'RESOLUTION_SUBMITTED',
  'APPROVED_AT_LEVEL',
  'RESOLUTION_APPROVED',
  'RESOLUTION_REJECTED',
  'APPROVAL_REMINDER',
  'APPROVAL_ESCALATED',
  'FINALIZED',
  'REOPENED',
  'WITHDRAWN',
  'SLA_PAUSED',
  'SLA_RESUMED',
  'SLA_THRESHOLD_REACHED',
  'SLA_BREACHED',
  'LEGAL_DEADLINE_WARNING',
  'LEGAL_DEADLINE_MISSED',
  // A file was added: its id, SHA-256 and kind (never its bytes), so the audit chain covers it.
  'ATTACHED',
  // A citizen's WhatsApp/MMS media item could not be fetched or was refused: its message, index and a reason code.
  'MEDIA_FETCH_FAILED',
  'CLOSED',
] as const;
export type TicketEventType = (typeof EVENT_TYPES)[number];

/**
 * One entry of the ticket's audit trail. `seq` is dense and deterministic, so projection and
 * audit writes are idempotent by (ticket, seq) and a replay produces the very same rows.
 * Free text never appears here: `data` carries references (`textRef`) to rows the API stored.
 */
export interface TicketEvent {
  seq: number;
  type: TicketEventType;
  at: string;
  actor: Actor;
  status: TicketStatus;
  data: JsonRecord;
}

export interface ApprovalStep {
  level: number;
  approverId: string;
}

/** Who actually decided a level of an approval round (the person, whether in their own right, as deputy or escalated to). */
export interface LevelApproval {
  level: number;
  staffId: string;
  /** Decided by the approver the level was escalated to, in person (not as anyone's deputy). */
  byEscalation: boolean;
}

export interface ApprovalRound {
  round: number;
  chain: ApprovalStep[];
  /** 1-based index into chain of the level that must decide now. */
  level: number;
  levelStartedAt: string;
  reminderSent: boolean;
  /** Set when the level's SLA ran out: the next approver up may decide this level too. */
  escalatedTo: string | null;
  escalated: boolean;
  /**
   * The levels of this round approved so far and who approved each (separation of duties).
   * Optional: a round carried over by continue-as-new from code before it has none, and is
   * judged as if no level had been approved yet.
   */
  approvedBy?: LevelApproval[];
}

export interface SlaClock {
  totalMs: number;
  consumedMs: number;
  /** ISO time the clock last started running; null while paused or stopped. */
  runningSince: string | null;
  /** Reminder thresholds (percent) already announced in this round. */
  announced: number[];
  breached: boolean;
  stopped: boolean;
}

export interface LegalClock {
  dueAt: string;
  warned: boolean;
  missed: boolean;
  stopped: boolean;
}

/** Durations the workflow needs; they come from the category and config so tests can use seconds. */
export interface TicketTimings {
  slaMs: number;
  slaThresholds: number[];
  approvalLevelSlaMs: number;
  legalDeadlineMs: number;
  legalWarningMs: number;
  reopenWindowMs: number;
}

export interface TicketState {
  ticketId: string;
  number: string;
  channel: Channel;
  type: TicketType;
  segment: Segment;
  category: string;
  status: TicketStatus;
  outcome: Outcome | null;
  seq: number;
  round: number;
  reopenCount: number;
  departmentId: string | null;
  assigneeId: string | null;
  assignmentMode: AssignmentMode | null;
  approval: ApprovalRound | null;
  approvalRounds: number;
  resolutionRef: string | null;
  /** The status to return to once the citizen answered. */
  waitingReturnTo: TicketStatus | null;
  referredTo: string | null;
  duplicateOf: string | null;
  sla: SlaClock;
  legal: LegalClock;
  reopenUntil: string | null;
  receivedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  timings: TicketTimings;
}

/** Non-personal facts a ticket starts with (the workflow input). */
export interface TicketOpening {
  ticketId: string;
  number: string;
  channel: Channel;
  type: TicketType;
  segment: Segment;
  category: string;
  receivedAt: string;
  timings: TicketTimings;
}
