import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import type { ApprovalStep } from '../libs/domain/src';
import type { DepartmentRouting } from './ticket-activities.contract';
import { CategoryEntity, DepartmentEntity, StaffEntity } from '../libs/database/src/entities';

/** Look-ups in the organisation the workflow needs to decide: routing, chains, load. */
@Injectable()
export class OrganisationActivities {
  constructor(private readonly dataSource: DataSource) {}

  async getDepartmentRouting({ departmentId, category }: { departmentId: string; category: string }): Promise<DepartmentRouting> {
    const [department, categoryRow] = await Promise.all([
      this.dataSource.getRepository(DepartmentEntity).findOneBy({ id: departmentId }),
      this.dataSource.getRepository(CategoryEntity).findOneBy({ code: category }),
    ]);
    if (!department) throw ApplicationFailure.nonRetryable(`department ${departmentId} does not exist`, 'NOT_FOUND');
    if (!categoryRow) throw ApplicationFailure.nonRetryable(`category ${category} does not exist`, 'NOT_FOUND');
    return { assignmentMode: department.assignmentMode, categorySlaMs: categoryRow.slaSeconds * 1000 };
  }

  /**
   * The approvers above an expert, lowest level first: for each approval level that exists in
   * the department, the holder in the expert's own branch if there is one, otherwise the
   * department-wide holder. Departments differ in length (one level up to several).
   */
  async computeApprovalChain({ departmentId, expertId }: { departmentId: string; expertId: string }): Promise<ApprovalStep[]> {
    const staff = this.dataSource.getRepository(StaffEntity);
    const expert = await staff.findOneBy({ id: expertId });
    const approvers = await staff
      .createQueryBuilder('s')
      .where('s.department_id = :departmentId', { departmentId })
      .andWhere('s.active AND s.approval_level IS NOT NULL AND s.id <> :expertId', { expertId })
      .orderBy('s.approval_level', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    // Only levels above the expert's own (an expert who is also an approver is not judged by
    // a subordinate), and per level the holder in the expert's branch or a department-wide
    // one: a branch without its own manager skips that level rather than borrowing another
    // branch's manager.
    const ownLevel = expert?.approvalLevel ?? 0;
    const levels = [...new Set(approvers.map((a) => a.approvalLevel!))].filter((level) => level > ownLevel);
    return levels.flatMap((level) => {
      const atLevel = approvers.filter((a) => a.approvalLevel === level);
      const pick = atLevel.find((a) => expert?.branchId && a.branchId === expert.branchId) ?? atLevel.find((a) => a.branchId === null);
      return pick ? [{ level, approverId: pick.id }] : [];
    });
  }

  /** Open tickets per active expert of the department; ties go to the lowest id (stable). */
  async pickLeastLoadedExpert({ departmentId }: { departmentId: string }): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT s.id
         FROM staff s
         LEFT JOIN tickets t ON t.assignee_id = s.id AND t.status NOT IN ('RESOLVED','CLOSED')
        WHERE s.department_id = $1 AND s.active AND 'EXPERT' = ANY (s.roles)
        GROUP BY s.id
        ORDER BY count(t.id) ASC, s.id ASC
        LIMIT 1`,
      [departmentId],
    );
    return rows[0]?.id ?? null;
  }
}
