import { ApiProblem } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import { intakeIdempotency } from './intake-idempotency';

const staff = { kind: 'STAFF', id: 'agent.elif', roles: ['AGENT'], departmentId: null } as unknown as StaffIdentity;

describe('intakeIdempotency (the Idempotency-Key header of POST /tickets)', () => {
  it('is absent without the header', () => expect(intakeIdempotency(undefined, null, '10.0.0.1')).toBeUndefined());

  it('scopes the key to the signed-in account, or to the client IP when anonymous', () => {
    expect(intakeIdempotency(' abc-1 ', staff, '10.0.0.1')).toEqual({ callerKey: 'STAFF:agent.elif', key: 'abc-1' });
    expect(intakeIdempotency('abc-1', null, '10.0.0.1')).toEqual({ callerKey: 'ANON:10.0.0.1', key: 'abc-1' });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'anahtar-ğ'],
    ['a control character', 'a\u0007b'],
  ])('refuses a key that is %s with a 400 naming the header', (_, key) => {
    const error = (() => {
      try {
        intakeIdempotency(key, null, '10.0.0.1');
      } catch (e) {
        return e;
      }
    })() as ApiProblem;
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.status).toBe(400);
    expect(error.extra.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('accepts 255 printable characters', () => expect(intakeIdempotency('k'.repeat(255), null, undefined)?.key).toHaveLength(255));
});
