import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Vekalet: `deputyId` stands in for `principalId` from `validFrom` (inclusive) to `validTo` (exclusive). */
@Entity('deputies')
export class DeputyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', name: 'principal_id' })
  principalId: string;

  @Column({ type: 'text', name: 'deputy_id' })
  deputyId: string;

  @Column({ type: 'timestamptz', name: 'valid_from' })
  validFrom: Date;

  @Column({ type: 'timestamptz', name: 'valid_to' })
  validTo: Date;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', name: 'created_by' })
  createdBy: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  /** Revoked by an ADMIN (ended early, or cancelled before it began): in force nowhere from then on. */
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', name: 'revoked_by', nullable: true })
  revokedBy: string | null;
}
