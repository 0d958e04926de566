import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import type { ApprovalStep } from '../libs/domain/src';
import type { DepartmentRouting } from './ticket-activities.contract';
import type { DepartmentEntity } from '../libs/database/src/entities';

/** Look-ups in the organisation the workflow needs to decide: routing, chains, load. */
@Injectable()
export class OrganisationActivities {
  constructor(private readonly dataSource: DataSource) {}

  async getDepartmentRouting({ departmentId, category }: { departmentId: string; category: string }): Promise<DepartmentRouting> {
    // One round trip for both look-ups; a missing row is a null column.
    const [row]: { assignmentMode: DepartmentEntity['assignmentMode'] | null; slaSeconds: number | null }[] = await this.dataSource.query(
      `SELECT (SELECT assignment_mode FROM departments WHERE id = $1) AS "assignmentMode",
              (SELECT sla_seconds FROM categories WHERE code = $2) AS "slaSeconds"`,
      [departmentId, category],
    );
    if (row.assignmentMode === null) throw ApplicationFailure.nonRetryable(`department ${departmentId} does not exist`, 'NOT_FOUND');
    if (row.slaSeconds === null) throw ApplicationFailure.nonRetryable(`category ${category} does not exist`, 'NOT_FOUND');
    return { assignmentMode: row.assignmentMode, categorySlaMs: row.slaSeconds * 1000 };
  }

  /**
   * The approvers above an expert, lowest level first: for each approval level that exists in
   * the department, the holder in the expert's own branch if there is one, otherwise the
   * department-wide holder. Departments differ in length (one level up to several).
   */
  async computeApprovalChain({ departmentId, expertId }: { departmentId: string; expertId: string }): Promise<ApprovalStep[]> {
    // One round trip: the department's active approvers, each row carrying the expert's own
    // level and branch (null when the expert is unknown or no approver).
    const approvers: { id: string; level: number; branchId: string | null; expertLevel: number | null; expertBranchId: string | null }[] =
      await this.dataSource.query(
        `SELECT s.id, s.approval_level AS level, s.branch_id AS "branchId",
                e.approval_level AS "expertLevel", e.branch_id AS "expertBranchId"
           FROM staff s LEFT JOIN staff e ON e.id = $2
          WHERE s.department_id = $1 AND s.active AND s.approval_level IS NOT NULL AND s.id <> $2
          ORDER BY s.approval_level, s.id`,
        [departmentId, expertId],
      );
    // Only levels above the expert's own (an expert who is also an approver is not judged by
    // a subordinate), and per level the holder in the expert's branch or a department-wide
    // one: a branch without its own manager skips that level rather than borrowing another
    // branch's manager.
    const ownLevel = approvers[0]?.expertLevel ?? 0;
    const ownBranch = approvers[0]?.expertBranchId ?? null;
    const levels = [...new Set(approvers.map((a) => a.level))].filter((level) => level > ownLevel);
    return levels.flatMap((level) => {
      const atLevel = approvers.filter((a) => a.level === level);
      const pick = atLevel.find((a) => ownBranch && a.branchId === ownBranch) ?? atLevel.find((a) => a.branchId === null);
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
