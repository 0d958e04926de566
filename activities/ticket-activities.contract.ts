import type { ApprovalStep, AssignmentMode, JsonRecord, NotificationPurpose, Recipient, TicketEvent, TicketState } from '../libs/domain/src';

/** What the ticket workflow may ask of the outside world. Implemented in this folder. */
export interface TicketActivities {
  /** Append events to the audit trail and move the projection; idempotent by (ticket, seq). */
  recordTicketEvents(input: RecordTicketEventsInput): Promise<void>;
  /** Send one notification through the outbox; never sends the same key twice. */
  sendNotification(input: SendNotificationInput): Promise<NotificationResult>;
  /** The approval chain for an expert's resolution, from the org hierarchy (fixed per round). */
  computeApprovalChain(input: { departmentId: string; expertId: string }): Promise<ApprovalStep[]>;
  /** How the department assigns experts, and the SLA of the category the ticket will have. */
  getDepartmentRouting(input: { departmentId: string; category: string }): Promise<DepartmentRouting>;
  /** The active expert of the department with the fewest open tickets, or null. */
  pickLeastLoadedExpert(input: { departmentId: string }): Promise<string | null>;
}

export interface DepartmentRouting {
  assignmentMode: AssignmentMode;
  categorySlaMs: number;
}

export interface RecordTicketEventsInput {
  ticketId: string;
  events: TicketEvent[];
  view: TicketState;
}

export interface SendNotificationInput {
  ticketId: string;
  number: string;
  purpose: NotificationPurpose;
  seq: number;
  recipient: Recipient;
  params: JsonRecord;
}

export interface NotificationResult {
  key: string;
  status: 'SENT' | 'SKIPPED' | 'FAILED' | 'UNCERTAIN' | 'ALREADY_HANDLED';
}
