import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { AppConfig } from '../../../libs/config/src';

export const RETENTION_SCHEDULE_ID = 'teksin-kvkk-retention';

/**
 * Creates the KVKK retention schedule, or brings an existing one up to the configuration
 * (interval, task queue): every RETENTION_JOB_INTERVAL it starts `retentionWorkflow`; runs
 * never overlap, and a run missed while Temporal was down is caught up within a day.
 */
export async function ensureRetentionSchedule(config: AppConfig): Promise<'created' | 'updated' | 'off'> {
  if (config.retention.jobIntervalMs === 0) return 'off';
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const options: ScheduleOptions = {
      scheduleId: RETENTION_SCHEDULE_ID,
      spec: { intervals: [{ every: config.retention.jobIntervalMs }] },
      action: { type: 'startWorkflow', workflowType: 'retentionWorkflow', workflowId: RETENTION_SCHEDULE_ID, taskQueue: config.temporal.taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: 'KVKK (Law 6698): anonymise the personal data of tickets closed longer ago than RETENTION_TICKET_PII' },
    };
    const handle = client.schedule.getHandle(RETENTION_SCHEDULE_ID);
    try {
      await handle.describe();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      await client.schedule.create(options);
      return 'created';
    }
    await handle.update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
    return 'updated';
  } finally {
    await connection.close();
  }
}
