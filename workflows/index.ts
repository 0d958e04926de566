// Entry point of the workflow bundle: every workflow type the worker registers.
export { ticketWorkflow } from './ticket.workflow';
export { retentionWorkflow } from './retention.workflow';
export { linkResendWorkflow } from './link-resend.workflow';
export { inboundMediaWorkflow } from './inbound-media.workflow';
