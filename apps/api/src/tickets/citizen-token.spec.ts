import { ApiProblem } from '../common/problem';
import { assertCitizenToken, citizenTokenMatches } from './citizen-token';

describe('the citizen token check', () => {
  const ticket = { trackingToken: 'abcDEF123_-xyz' };

  it('accepts the exact token only', () => {
    expect(citizenTokenMatches(ticket, 'abcDEF123_-xyz')).toBe(true);
    for (const wrong of ['abcDEF123_-xy', 'abcDEF123_-xyzz', 'ABCDEF123_-xyz', '', ' abcDEF123_-xyz', undefined]) {
      expect(citizenTokenMatches(ticket, wrong)).toBe(false);
    }
    expect(citizenTokenMatches(ticket, ['abcDEF123_-xyz'] as unknown as string)).toBe(false);
  });

  it('is a 401 UNAUTHENTICATED without the right token', () => {
    expect(() => assertCitizenToken(ticket, undefined)).toThrow(ApiProblem);
    expect(() => assertCitizenToken(ticket, 'nope')).toThrow(expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }));
    expect(() => assertCitizenToken(ticket, 'abcDEF123_-xyz')).not.toThrow();
  });
});
