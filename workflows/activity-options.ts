import { proxyLocalActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { TicketActivities } from '../activities/ticket-activities.contract';

/**
 * The activities a ticket calls, with their timeouts and retries. All are short calls from the
 * worker's own process (a database statement, one provider request behind the outbox), so they
 * run as local activities: no server round trip, one marker event each. Retries past a minute
 * become durable timers.
 */

// Projection and organisation look-ups retry without limit: they are idempotent, and a
// database outage must stall a ticket until the database is back, never fail it.
const projectionOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const organisationOptions: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['NOT_FOUND'] },
};
// Notifications retry for about half an hour, then give up: the outbox row stays for an operator.
const notificationOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12 },
};

export const projection = proxyLocalActivities<Pick<TicketActivities, 'recordTicketEvents'>>(projectionOptions);
export const organisation = proxyLocalActivities<
  Pick<TicketActivities, 'computeApprovalChain' | 'getDepartmentRouting' | 'pickLeastLoadedExpert'>
>(organisationOptions);
export const notifications = proxyLocalActivities<Pick<TicketActivities, 'sendNotification'>>(notificationOptions);
