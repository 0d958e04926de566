import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import type { ApprovalStep } from '../libs/domain/src';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import type { DepartmentRouting } from './ticket-activities.contract';

/** Look-ups in the organisation the workflow needs to decide: routing, chains, load. */
@Injectable()
export class OrganisationActivities {
  constructor(private readonly organisation: OrganisationRepository) {}

  async getDepartmentRouting({ departmentId, category }: { departmentId: string; category: string }): Promise<DepartmentRouting> {
    const [department, categoryRow] = await Promise.all([this.organisation.findDepartment(departmentId), this.organisation.findCategory(category)]);
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
    const [expert, approvers] = await Promise.all([this.organisation.findStaff(expertId), this.organisation.approvers(departmentId, expertId)]);
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
  pickLeastLoadedExpert({ departmentId }: { departmentId: string }): Promise<string | null> {
    return this.organisation.leastLoadedExpert(departmentId);
  }
}
