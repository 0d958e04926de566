import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The citizen's satisfaction with a resolved ticket: once per ticket (1–5, optional comment). */
@Entity('ticket_ratings')
export class TicketRatingEntity {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  @Column({ type: 'int' })
  rating: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'timestamptz', name: 'rated_at', default: () => 'now()' })
  ratedAt: Date;
}
