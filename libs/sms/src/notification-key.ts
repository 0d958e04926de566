import type { NotificationPurpose } from '../../domain/src/ticket.types';

/** The outbox key: one notification per ticket, purpose and triggering event. */
export const notificationKey = (number: string, purpose: NotificationPurpose, seq: number) =>
  `ticket-${number}:${purpose}:${seq}`;
