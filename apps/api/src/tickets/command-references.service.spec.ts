import type { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import type { StaffEntity } from '../../../../libs/database/src/entities';
import { ApiProblem } from '../common/problem';
import { CommandReferences } from './command-references.service';
import type { TicketQueryService } from './ticket-query.service';

/** The reference checks with the organisation mocked: no database, no server. */
describe('CommandReferences', () => {
  const organisation = {
    findDepartment: jest.fn(async (id: string) => (id === 'fen-isleri' ? { id } : null)),
    findActiveCategory: jest.fn(async (code: string) => (code === 'ROAD_REPAIR' ? { code } : null)),
    findReferralInstitution: jest.fn(async (id: string) => (id === 'cimer' ? { id } : null)),
    findActiveWithRole: jest.fn(async (id: string) => (id === 'expert.fen.ali' ? ({ id, departmentId: 'fen-isleri' } as StaffEntity) : null)),
  };
  const query = { exists: jest.fn(async (number: string) => number === '2026-000001') };
  const references = new CommandReferences(organisation as unknown as OrganisationRepository, query as unknown as TicketQueryService);

  const refusal = async (promise: Promise<unknown>): Promise<ApiProblem> => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    return error as ApiProblem;
  };

  it('passes known references, and tells the command the expert’s department', async () => {
    await expect(references.check({ departmentId: 'department', category: 'category' }, { departmentId: 'fen-isleri', category: 'ROAD_REPAIR' })).resolves.toEqual({});
    await expect(references.check({ expertId: 'expert' }, { expertId: 'expert.fen.ali' })).resolves.toEqual({ expertDepartmentId: 'fen-isleri' });
    expect(organisation.findActiveWithRole).toHaveBeenCalledWith('expert.fen.ali', 'EXPERT');
  });

  it('skips an optional reference that is absent', async () => {
    await expect(references.check({ departmentId: 'department', category: 'category' }, { departmentId: 'fen-isleri' })).resolves.toEqual({});
  });

  it('is a 400 VALIDATION_FAILED naming every unknown field', async () => {
    const problem = await refusal(references.check({ departmentId: 'department', category: 'category' }, { departmentId: 'nope', category: 'NOPE' }));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.extra.errors?.map((e) => e.field)).toEqual(['departmentId', 'category']);
  });

  it.each([
    ['institutionId', 'institution', 'toroslar'],
    ['expertId', 'expert', 'mgr.fen.hasan'],
    ['duplicateOf', 'ticket', '1999-000000'],
  ] as const)('an unknown %s is refused', async (field, kind, value) => {
    const problem = await refusal(references.check({ [field]: kind }, { [field]: value }));
    expect(problem.extra.errors).toEqual([{ field, messages: [expect.stringContaining(value)] }]);
  });
});
