import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ClosureAnswer = 'FIXED' | 'NOT_FIXED';

/** "Is it really fixed?": asked once per resolution round (the ticket's reopen count), answered once. */
@Entity('closure_checks')
export class ClosureCheckEntity {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  @PrimaryColumn({ type: 'int' })
  round: number;

  @Column({ type: 'timestamptz', name: 'sent_at', default: () => 'now()' })
  sentAt: Date;

  @Column({ type: 'text', nullable: true })
  answer: ClosureAnswer | null;

  @Column({ type: 'timestamptz', name: 'answered_at', nullable: true })
  answeredAt: Date | null;
}
