import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One read of a citizen's personal data by a signed-in user (KVKK): who, when, which ticket,
 * which fields, through which route. Written by the API whenever a view carries them.
 */
@Entity('pii_reads')
export class PiiReadEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

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
