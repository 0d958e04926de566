import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** The baseline: a workflow that accepts the same number of updates as a ticket, and does nothing else. */
export const bareCommand = defineUpdate<number, [string]>('bareCommand');

export async function bareWorkflow(expectedUpdates: number): Promise<number> {
  let received = 0;
  setHandler(bareCommand, () => ++received);
  await condition(() => received >= expectedUpdates);
  return received;
}
