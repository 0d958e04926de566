import { ApiProblem } from '../common/problem';
import { checkReferences, referencesOf } from './command-references';

/** The reference checks on what the access read found: no database, no server. */
describe('command references', () => {
  const refusal = (fn: () => unknown): ApiProblem => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiProblem);
      return error as ApiProblem;
    }
    throw new Error('expected a refusal');
  };

  it('asks the access read for each reference the body names, and for no absent optional one', () => {
    expect(referencesOf({ departmentId: 'department', category: 'category' }, { departmentId: 'fen-isleri' })).toEqual({ departmentId: { kind: 'department', value: 'fen-isleri' } });
    expect(referencesOf({ expertId: 'expert' }, { expertId: 'expert.fen.ali', note: 'x' })).toEqual({ expertId: { kind: 'expert', value: 'expert.fen.ali' } });
  });

  it('passes known references, and tells the command the expert’s department', () => {
    expect(checkReferences({ departmentId: 'department', category: 'category' }, { departmentId: 'fen-isleri', category: 'ROAD_REPAIR' }, { departmentId: { id: 'fen-isleri' }, category: { code: 'ROAD_REPAIR' } })).toEqual({});
    expect(checkReferences({ expertId: 'expert' }, { expertId: 'expert.fen.ali' }, { expertId: { departmentId: 'fen-isleri' } })).toEqual({ expertDepartmentId: 'fen-isleri' });
  });

  it('skips an optional reference that is absent', () => {
    expect(checkReferences({ departmentId: 'department', category: 'category' }, { departmentId: 'fen-isleri' }, { departmentId: { id: 'fen-isleri' } })).toEqual({});
  });

  it('is a 400 VALIDATION_FAILED naming every unknown field', () => {
    const problem = refusal(() => checkReferences({ departmentId: 'department', category: 'category' }, { departmentId: 'nope', category: 'NOPE' }, { departmentId: null, category: null }));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.extra.errors?.map((e) => e.field)).toEqual(['departmentId', 'category']);
  });

  it.each([
    ['institutionId', 'institution', 'toroslar'],
    ['expertId', 'expert', 'mgr.fen.hasan'],
    ['duplicateOf', 'ticket', '1999-000000'],
  ] as const)('an unknown %s is refused', (field, kind, value) => {
    const problem = refusal(() => checkReferences({ [field]: kind }, { [field]: value }, { [field]: null }));
    expect(problem.extra.errors).toEqual([{ field, messages: [expect.stringContaining(value)] }]);
  });
});
