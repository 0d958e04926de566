import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A platform user (muhtar, esnaf, meclis üyesi) following a ticket they did not submit. */
@Entity('ticket_followers')
export class TicketFollowerEntity {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  @PrimaryColumn({ type: 'text', name: 'user_id' })
  userId: string;

  /** Who added them (the coordination center, or the user themself). */
  @Column({ type: 'text', name: 'added_by' })
  addedBy: string;

  @Column({ type: 'timestamptz', name: 'added_at', default: () => 'now()' })
  addedAt: Date;

  /** The ticket's received time, copied by a trigger (PlatformLists migration): the key a platform user's list walks. */
  @Column({ type: 'timestamptz', name: 'received_at', insert: false, update: false })
  receivedAt: Date;
}
