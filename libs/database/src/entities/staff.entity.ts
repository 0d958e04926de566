import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StaffRole } from '../../../domain/src';

/**
 * An account that signs in: a staff member, or a platform user (muhtar, tradesperson, council
 * member). `approvalLevel` places staff in their department's approval hierarchy (1 = first
 * approver above the expert); branch-level approvers carry `branchId`. A muhtar's account holds
 * their one neighbourhood (`district` + `neighbourhood`, required by a check for MUHTAR).
 */
@Entity('staff')
export class StaffEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', array: true })
  roles: StaffRole[];

  @Column({ type: 'text', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', name: 'branch_id', nullable: true })
  branchId: string | null;

  @Column({ type: 'int', name: 'approval_level', nullable: true })
  approvalLevel: number | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'text', nullable: true })
  district: string | null;

  @Column({ type: 'text', nullable: true })
  neighbourhood: string | null;

  /** argon2id (PHC string); null = no password sign-in. Never selected unless asked for. */
  @Column({ type: 'text', name: 'password_hash', nullable: true, select: false })
  passwordHash: string | null;

  /** The external identity provider's account linked by an ADMIN: its `iss` and `sub` (both or neither). */
  @Column({ type: 'text', name: 'oidc_issuer', nullable: true })
  oidcIssuer: string | null;

  @Column({ type: 'text', name: 'oidc_subject', nullable: true })
  oidcSubject: string | null;
}
