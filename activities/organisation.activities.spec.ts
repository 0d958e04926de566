import { ApplicationFailure } from '@temporalio/common';
import type { OrganisationRepository } from '../libs/database/src/organisation.repository';
import type { StaffEntity } from '../libs/database/src/entities';
import { OrganisationActivities } from './organisation.activities';

const staff = (id: string, approvalLevel: number | null, branchId: string | null): StaffEntity =>
  ({ id, name: id, phone: null, roles: ['APPROVER'], departmentId: 'd', branchId, approvalLevel, active: true }) as StaffEntity;

/** The organisation activities' own logic, with the repository mocked. */
describe('OrganisationActivities', () => {
  const people: Record<string, StaffEntity> = { expert: staff('expert', null, 'b1'), senior: staff('senior', 1, 'b2') };
  const approvers = [staff('mgr.b1', 1, 'b1'), staff('mgr.b2', 1, 'b2'), staff('deputy', 2, null), staff('head', 3, null)];
  const organisation = {
    findStaff: jest.fn(async (id: string) => people[id] ?? null),
    approvers: jest.fn(async (_departmentId: string, exceptId: string) => approvers.filter((a) => a.id !== exceptId)),
    findDepartment: jest.fn(async (id: string) => (id === 'd' ? { id, assignmentMode: 'LEAST_LOADED' } : null)),
    findCategory: jest.fn(async (code: string) => (code === 'ROAD_REPAIR' ? { code, slaSeconds: 3600 } : null)),
    leastLoadedExpert: jest.fn(async () => 'expert'),
  };
  const activities = new OrganisationActivities(organisation as unknown as OrganisationRepository);

  it('climbs from the expert’s own branch manager to the head', async () => {
    await expect(activities.computeApprovalChain({ departmentId: 'd', expertId: 'expert' })).resolves.toEqual([
      { level: 1, approverId: 'mgr.b1' },
      { level: 2, approverId: 'deputy' },
      { level: 3, approverId: 'head' },
    ]);
  });

  it('starts above an expert who is an approver', async () => {
    await expect(activities.computeApprovalChain({ departmentId: 'd', expertId: 'senior' })).resolves.toEqual([
      { level: 2, approverId: 'deputy' },
      { level: 3, approverId: 'head' },
    ]);
  });

  it('routing: the department’s assignment mode and the category’s SLA; an unknown one is a non-retryable NOT_FOUND', async () => {
    await expect(activities.getDepartmentRouting({ departmentId: 'd', category: 'ROAD_REPAIR' })).resolves.toEqual({ assignmentMode: 'LEAST_LOADED', categorySlaMs: 3_600_000 });
    for (const input of [{ departmentId: 'x', category: 'ROAD_REPAIR' }, { departmentId: 'd', category: 'NOPE' }]) {
      const error = await activities.getDepartmentRouting(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({ type: 'NOT_FOUND', nonRetryable: true });
    }
  });
});
