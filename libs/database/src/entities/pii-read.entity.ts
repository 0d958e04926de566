import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One read of a citizen's personal data by a signed-in user (KVKK): who, when, which ticket
 * (or, for the contact log, which contact), which fields, through which route. Written by the
 * API whenever a view carries them. Append-only (migration 1765730000000-pii-reads-append-only).
 */
@Entity('pii_reads')
export class PiiReadEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** Null for a read of the contact log (then `contactId` names the contact). */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null;

  /** A read of a contact-log entry (GET /contacts). */
  @Column({ type: 'uuid', name: 'contact_id', nullable: true })
  contactId?: string | null;

  @Column({ type: 'text', name: 'reader_id' })
  readerId: string;

  /** e.g. name, phone, description, address */
  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ type: 'text' })
  route: string;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
