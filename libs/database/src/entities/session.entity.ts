import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SessionRevokedReason = 'SIGNED_OUT' | 'REFRESH_TOKEN_REUSED' | 'PASSWORD_CHANGED';

/** One sign-in. Access tokens carry its id (`sid`); revoking it refuses them before they expire. */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', name: 'staff_id' })
  staffId: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'last_refreshed_at', nullable: true })
  lastRefreshedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', name: 'revoked_reason', nullable: true })
  revokedReason: SessionRevokedReason | null;
}
