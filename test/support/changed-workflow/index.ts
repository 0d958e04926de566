/**
 * NEGATIVE CONTROL for the replay suite: the ticket workflow with one deliberate,
 * unpatched change (it waits a second before doing anything). Replaying any recorded ticket
 * history against it must fail with a determinism violation; if it did not, the replay
 * suite would be proving nothing.
 */
import { sleep } from '@temporalio/workflow';
import { ticketWorkflow as currentTicketWorkflow } from '../../../workflows/ticket.workflow';

export async function ticketWorkflow(...args: Parameters<typeof currentTicketWorkflow>): ReturnType<typeof currentTicketWorkflow> {
  await sleep('1 second');
  return currentTicketWorkflow(...args);
}
