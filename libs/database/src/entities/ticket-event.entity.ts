import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * Append-only audit trail of every state change (database triggers refuse UPDATE, DELETE and
 * TRUNCATE), hash-chained per ticket. Unique by (ticket, seq): the workflow's replays and activity retries write the
 * same seq again, which the insert ignores.
 */
@Entity('ticket_events')
@Unique('ticket_events_ticket_seq_key', ['ticketId', 'seq'])
export class TicketEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text', name: 'actor_kind' })
  actorKind: 'STAFF' | 'CITIZEN' | 'SYSTEM';

  @Column({ type: 'text', name: 'actor_id', nullable: true })
  actorId: string | null;

  /** Status after the event. */
  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'recorded_at', default: () => 'now()' })
  recordedAt: Date;

  /** The hash of the previous row of the same ticket (null for its first row); set by the database. */
  @Column({ type: 'bytea', name: 'prev_hash', nullable: true, insert: false, update: false })
  prevHash: Buffer | null;

  /** sha256(prev_hash ‖ this row's content), set by a BEFORE INSERT trigger (migration 1765300000000). */
  @Column({ type: 'bytea', insert: false, update: false })
  hash: Buffer;
}
