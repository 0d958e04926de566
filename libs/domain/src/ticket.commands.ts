import type { Actor, AnswerVisibility, AttachmentKind, ApprovalStep, AssignmentMode, Channel, NoteVisibility, RejectReason } from './ticket.types';

/**
 * Every command a ticket understands. Free text is never carried: `*Ref` fields are ids of
 * rows the API stored in `ticket_texts`, so the workflow history holds no personal data.
 */
export interface CommandPayloads {
  /** Internal: the workflow opened; records RECEIVED and moves to triage. */
  open: Record<never, never>;
  /** Internal: time passed; fire whatever clocks are due. */
  tick: Record<never, never>;
  assignDepartment: { departmentId: string; category?: string; noteRef?: string };
  /** The coordination center moves a ticket that is in a department to another one. */
  reassignDepartment: { departmentId: string; category?: string; noteRef?: string };
  /** The department sends a misrouted ticket back to the coordination center. */
  returnToCenter: { reasonRef: string };
  refer: { institutionId: string; noteRef?: string };
  reject: { reason: RejectReason; duplicateOf?: string; noteRef?: string };
  /** `visibility` absent (older histories) is CITIZEN: written to the citizen alone. */
  answerDirectly: { answerRef: string; visibility?: AnswerVisibility };
  assignExpert: { expertId: string; expertDepartmentId: string };
  requestCitizenInfo: { questionRef: string };
  citizenInfoProvided: { answerRef: string } & OnBehalf;
  addNote: { textRef: string; visibility: NoteVisibility };
  submitResolution: { textRef: string };
  approve: { noteRef?: string };
  rejectResolution: { reasonRef: string };
  finalize: { summaryRef: string; visibility?: AnswerVisibility };
  reopen: { reasonRef: string } & OnBehalf;
  withdraw: OnBehalf;
  /**
   * A file the API has stored (re-encoded, hashed) is recorded on the ticket: its id and the
   * SHA-256 of the bytes served, never the bytes. Sent by the attachment routes, not the command table.
   */
  attach: { attachmentId: string; sha256: string; kind: AttachmentKind };
  /**
   * A citizen's WhatsApp/MMS media item could not be added (fetched with retries, then given up,
   * or refused as a file): recorded on the ticket so it is never lost silently. `reason` is a code
   * (`FETCH_FAILED`, an attachment refusal code…), never free text. Sent by the worker's media workflow.
   */
  mediaFailed: { messageSid: string; index: number; reason: string };
  /** Internal (signal): another ticket was merged into this one. */
  duplicateMerged: { fromNumber: string };
  /** Internal: automatic assignment found nobody; the manager must pick. */
  expertAssignmentPending: Record<never, never>;
}

/**
 * A citizen's own command sent by the coordination center for them (a caller on ALO 185):
 * `via` is the channel the citizen used; absent when the citizen acts through the tracking link.
 */
export interface OnBehalf {
  via?: Channel;
}

export type CommandType = keyof CommandPayloads;

export type Command = {
  [K in CommandType]: { type: K; actor: Actor } & CommandPayloads[K];
}[CommandType];

export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

/** Commands staff and citizens send from outside (each is a Workflow Update of the same name). */
export const EXTERNAL_COMMANDS = [
  'assignDepartment',
  'reassignDepartment',
  'returnToCenter',
  'refer',
  'reject',
  'answerDirectly',
  'assignExpert',
  'requestCitizenInfo',
  'citizenInfoProvided',
  'addNote',
  'submitResolution',
  'approve',
  'rejectResolution',
  'finalize',
  'reopen',
  'withdraw',
] as const satisfies readonly CommandType[];
export type ExternalCommandType = (typeof EXTERNAL_COMMANDS)[number];

/**
 * Commands from outside that are not in the command table (`POST /tickets/:number/<route>` with a
 * JSON body) nor in a ticket's `actions`: a file's upload records itself with `attach`, a citizen's
 * media item that could not be fetched with `mediaFailed`. Each is a
 * Workflow Update of the same name too.
 */
export const ATTACHMENT_COMMANDS = ['attach', 'mediaFailed'] as const satisfies readonly CommandType[];
export type AttachmentCommandType = (typeof ATTACHMENT_COMMANDS)[number];

/** Every command a Workflow Update carries. */
export const UPDATE_COMMANDS = [...EXTERNAL_COMMANDS, ...ATTACHMENT_COMMANDS] as const;
export type UpdateCommandType = (typeof UPDATE_COMMANDS)[number];

/** What the workflow assigns a department with: looked up in the organisation, never sent by a caller. */
export interface DepartmentFacts {
  assignmentMode: AssignmentMode;
  /** The SLA of the category the ticket will have (the new one when it is re-categorised). */
  categorySlaMs: number;
}

/**
 * Facts the workflow looks up before the rules decide, kept apart from what the caller sent:
 * the rules never default a missing fact (a command that needs one and lacks it is a bug).
 */
export interface CommandFacts {
  assignDepartment: DepartmentFacts;
  reassignDepartment: DepartmentFacts;
  /** The approval chain above the expert, from the org hierarchy, fixed for the round. */
  submitResolution: { chain: ApprovalStep[] };
}
export type FactfulCommandType = keyof CommandFacts;
export type FactsOf<K extends CommandType> = K extends FactfulCommandType ? CommandFacts[K] : undefined;
export type AnyFacts = CommandFacts[FactfulCommandType];

export const needsFacts = (type: CommandType): type is FactfulCommandType =>
  type === 'assignDepartment' || type === 'reassignDepartment' || type === 'submitResolution';
