import type { NotificationResult, SendNotificationInput } from '../activities/ticket-activities.contract';
import { notifications } from './activity-options';

/**
 * The center re-sends a citizen's tracking link (POST /tickets/:number/resend-link): one SMS
 * through the outbox, under the key `ticket-<number>:LINK_RESENT:<resend id>`, with the same
 * activity, retries and outbox rules as every ticket SMS (never sent twice). Its own short
 * workflow, not the ticket's: the ticket's history (and so every recorded history) is unchanged.
 * Its input and history hold ids and the purpose only, never the phone or the token.
 */
export async function linkResendWorkflow(input: SendNotificationInput): Promise<NotificationResult> {
  return notifications.sendNotification(input);
}
