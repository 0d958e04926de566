import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A media item of an inbound message, kept by reference (Twilio's URL), never fetched. */
export interface InboundMedia {
  url: string;
  contentType: string | null;
}

/** What became of an inbound message. PROCESSING: claimed, not yet done (a crash leaves it so; a retry does not redo it). */
export type InboundOutcome = 'PROCESSING' | 'CREATED_TICKET' | 'ADDED_TO_TICKET' | 'ANSWERED_QUESTION';

/**
 * One row per WhatsApp or SMS message a citizen sent (Twilio's MessageSid is the key, so a
 * webhook Twilio retries is processed once). Personal data: the phone and the text.
 */
@Entity('inbound_messages')
export class InboundMessageEntity {
  @PrimaryColumn({ type: 'text', name: 'message_sid' })
  messageSid: string;

  @Column({ type: 'text' })
  channel: 'SMS' | 'WHATSAPP';

  @Column({ type: 'text', name: 'from_phone' })
  fromPhone: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  media: InboundMedia[];

  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null;

  @Column({ type: 'text' })
  outcome: InboundOutcome;

  @Column({ type: 'timestamptz', name: 'received_at', default: () => 'now()' })
  receivedAt: Date;
}
