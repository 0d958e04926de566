import type { Actor, ApprovalStep, AssignmentMode, NoteVisibility, RejectReason } from './ticket.types';

/**
 * Every command a ticket understands. Free text is never carried: `*Ref` fields are ids of
 * rows the API stored in `ticket_texts`, so the workflow history holds no personal data.
 */
export interface CommandPayloads {
  /** Internal: the workflow opened; records RECEIVED and moves to triage. */
  open: Record<never, never>;
  /** Internal: time passed; fire whatever clocks are due. */
  tick: Record<never, never>;
  assignDepartment: {
    departmentId: string;
    category?: string;
    noteRef?: string;
    /** Filled by the workflow from the organisation before deciding. */
    assignmentMode?: AssignmentMode;
  };
  refer: { institutionId: string; noteRef?: string };
  reject: { reason: RejectReason; duplicateOf?: string; noteRef?: string };
  answerDirectly: { answerRef: string };
  assignExpert: { expertId: string; expertDepartmentId: string };
  requestCitizenInfo: { questionRef: string };
  citizenInfoProvided: { answerRef: string };
  addNote: { textRef: string; visibility: NoteVisibility };
  submitResolution: {
    textRef: string;
    /** Filled by the workflow from the org hierarchy, then fixed for the round. */
    chain?: ApprovalStep[];
  };
  approve: { noteRef?: string };
  rejectResolution: { reasonRef: string };
  finalize: { summaryRef: string };
  reopen: { reasonRef: string };
  withdraw: Record<never, never>;
  /** Internal (signal): another ticket was merged into this one. */
  duplicateMerged: { fromNumber: string };
  /** Internal: automatic assignment found nobody; the manager must pick. */
  expertAssignmentPending: Record<never, never>;
}

export type CommandType = keyof CommandPayloads;

export type Command = {
  [K in CommandType]: { type: K; actor: Actor } & CommandPayloads[K];
}[CommandType];

export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

/** Commands staff and citizens send from outside (each is a Workflow Update of the same name). */
export const EXTERNAL_COMMANDS = [
  'assignDepartment',
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
