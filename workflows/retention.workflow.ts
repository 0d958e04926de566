import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RetentionActivities, RetentionRunResult } from '../activities/retention-activities.contract';

const retention = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

/**
 * KVKK retention job, started by the `teksin-kvkk-retention` Temporal schedule (visible and
 * durable: Temporal UI, `temporal schedule describe`): anonymises the personal data of expired
 * tickets as of the schedule's fire time. Its history holds counts only, never personal data.
 */
export async function retentionWorkflow(): Promise<RetentionRunResult> {
  return retention.anonymiseExpiredTickets({ now: new Date(workflowInfo().startTime).toISOString() });
}
