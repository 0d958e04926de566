import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One action in the administration routes (e.g. a deputy created or revoked): who, when, what,
 * on which subject, under which request. Append-only for the application role; `details` holds
 * ids and dates, never free text (a deputyship's reason may say why someone is absent).
 */
@Entity('admin_audit')
export class AdminAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'text', name: 'actor_id' })
  actorId: string;

  /** e.g. DEPUTY_CREATED, DEPUTY_REVOKED */
  @Column({ type: 'text' })
  action: string;

  /** e.g. deputy */
  @Column({ type: 'text', name: 'subject_type' })
  subjectType: string;

  @Column({ type: 'text', name: 'subject_id' })
  subjectId: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: Record<string, unknown>;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId: string | null;
}
