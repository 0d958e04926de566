import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED' | 'UNCERTAIN' | 'SKIPPED';

/**
 * One row per notification, claimed before the provider is called. The unique
 * `notification_key` (`ticket-<number>:<purpose>:<seq>`) makes a retried activity find the
 * row it already handled instead of texting the citizen twice.
 */
@Entity('sms_outbox')
export class SmsOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text', name: 'notification_key', unique: true })
  notificationKey: string;

  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text' })
  channel: 'SMS' | 'WHATSAPP';

  @Column({ type: 'text', name: 'recipient_phone', nullable: true })
  recipientPhone: string | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  status: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', name: 'provider_message_id', nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt: Date | null;

  /** Twilio's last delivery report (queued, sent, delivered, undelivered, failed, read); only ever moves forward. */
  @Column({ type: 'text', name: 'delivery_status', nullable: true })
  deliveryStatus: string | null;

  /** Twilio's ErrorCode of an undelivered or failed message (e.g. 30003, 21610). */
  @Column({ type: 'int', name: 'delivery_error_code', nullable: true })
  deliveryErrorCode: number | null;

  @Column({ type: 'timestamptz', name: 'delivery_updated_at', nullable: true })
  deliveryUpdatedAt: Date | null;

  /** How it went out: SMS, WHATSAPP_FREEFORM (within 24 h of the citizen's last message), WHATSAPP_TEMPLATE or SMS_FALLBACK. */
  @Column({ type: 'text', name: 'send_mode', nullable: true })
  sendMode: SendMode | null;
}

export type SendMode = 'SMS' | 'WHATSAPP_FREEFORM' | 'WHATSAPP_TEMPLATE' | 'SMS_FALLBACK';
