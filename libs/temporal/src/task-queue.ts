/** The one task queue ticket workflows and their activities run on (overridable for tests). */
export const DEFAULT_TASK_QUEUE = 'teksin-tickets';

/** Workflow ID of a ticket: stable, human-readable, unique per ticket number. */
export const ticketWorkflowId = (ticketNumber: string) => `ticket-${ticketNumber}`;

/** Workflow ID of the fetch of an inbound message's media (workflows/inbound-media.workflow.ts): one per Twilio MessageSid. */
export const inboundMediaWorkflowId = (messageSid: string) => `inbound-media-${messageSid}`;
