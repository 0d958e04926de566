import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Free text of a command (note, resolution, question, reopen reason…). Stored by the API
 * before the command goes to the workflow, which carries only this row's id: the workflow
 * history stays free of personal data.
 */
@Entity('ticket_texts')
export class TicketTextEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', name: 'author_kind' })
  authorKind: 'STAFF' | 'CITIZEN';

  @Column({ type: 'text', name: 'author_id', nullable: true })
  authorId: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
