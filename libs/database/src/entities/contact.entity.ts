import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What came of a contact: a ticket, or one of the outcomes of a call that made none. */
export const CONTACT_OUTCOMES = ['TICKET_CREATED', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE', 'HUNG_UP', 'DUPLICATE_OF_OPEN_TICKET'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** One contact the coordination center took (a call, a walk-in…): the contact log. */
@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** The agent or coordinator who took it. */
  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;

  @Column({ type: 'text' })
  channel: string;

  /** E.164; null when the caller's number is unknown (hung up before giving it, withheld). */
  @Column({ type: 'text', name: 'caller_phone', nullable: true })
  callerPhone: string | null;

  @Column({ type: 'text' })
  outcome: ContactOutcome;

  /** The ticket it made (TICKET_CREATED) or the open ticket it duplicates (DUPLICATE_OF_OPEN_TICKET). */
  @Column({ type: 'text', name: 'ticket_number', nullable: true })
  ticketNumber: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
