import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StaffRole } from '../../../domain/src';

/**
 * A staff member. `approvalLevel` places them in their department's approval hierarchy
 * (1 = first approver above the expert); branch-level approvers carry `branchId`.
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
}
