import type { NotificationActivities } from './notification.activities';
import type { OrganisationActivities } from './organisation.activities';
import type { TicketActivities } from './ticket-activities.contract';
import type { TicketProjectionActivities } from './ticket-projection.activities';

/**
 * The activity functions the worker registers, bound to their DI-built owners. Explicit so
 * the contract (TicketActivities) and the registration cannot drift apart.
 */
export function createActivities(deps: {
  projection: TicketProjectionActivities;
  notifications: NotificationActivities;
  organisation: OrganisationActivities;
}): TicketActivities {
  return {
    recordTicketEvents: (input) => deps.projection.recordTicketEvents(input),
    sendNotification: (input) => deps.notifications.sendNotification(input),
    computeApprovalChain: (input) => deps.organisation.computeApprovalChain(input),
    getDepartmentRouting: (input) => deps.organisation.getDepartmentRouting(input),
    pickLeastLoadedExpert: (input) => deps.organisation.pickLeastLoadedExpert(input),
  };
}
