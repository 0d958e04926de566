import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

/**
 * The baseline: a workflow that accepts the same number of updates as a ticket and then waits
 * out the same reopen window before completing (a durable timer, as the ticket does), and
 * does nothing else: no activities, no database, no SMS.
 */
export const bareCommand = defineUpdate<number, [string]>('bareCommand');

export async function bareWorkflow(expectedUpdates: number, closeAfterMs: number): Promise<number> {
  let received = 0;
  setHandler(bareCommand, () => ++received);
  await condition(() => received >= expectedUpdates);
  await sleep(closeAfterMs);
  return received;
}
