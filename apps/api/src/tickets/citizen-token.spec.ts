import { trackingToken, trackingTokenHash } from '../../../../libs/sms/src/tracking-link';
import { ApiProblem } from '../common/problem';
import { citizenTokenState, CitizenTokens } from './citizen-token';

const DAY = 86_400_000;
const tracking = { tokenSecret: 'a-test-secret-of-at-least-32-characters', ttlAfterCloseMs: 90 * DAY };
const token = trackingToken(tracking.tokenSecret, '5b0c3f3e-0000-4000-8000-000000000001', 'nonce');
const ticket = { number: '2026-000001', trackingTokenHash: trackingTokenHash(tracking.tokenSecret, token), closedAt: null as Date | null };

describe('the citizen token check', () => {
  it('accepts the exact token only, compared as keyed hashes', () => {
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(citizenTokenState(ticket, token, tracking)).toBe('VALID');
    for (const wrong of [token.slice(0, -1), `${token}x`, token.toUpperCase(), '', ` ${token}`, undefined, [token], 'x'.repeat(10_000)]) {
      expect(citizenTokenState(ticket, wrong, tracking)).toBe('INVALID');
    }
  });

  it('refuses a token hashed with another secret, and a ticket without a hash', () => {
    expect(citizenTokenState(ticket, token, { ...tracking, tokenSecret: 'another-secret-of-at-least-32-characters' })).toBe('INVALID');
    expect(citizenTokenState({ ...ticket, trackingTokenHash: null }, token, tracking)).toBe('INVALID');
  });

  it('stops working the configured time after the ticket closed', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const closed = (daysAgo: number) => ({ ...ticket, closedAt: new Date(now.getTime() - daysAgo * DAY) });
    expect(citizenTokenState(closed(89), token, tracking, now)).toBe('VALID');
    expect(citizenTokenState(closed(91), token, tracking, now)).toBe('EXPIRED');
    expect(citizenTokenState(closed(91), 'wrong', tracking, now)).toBe('INVALID');
  });

  it('is the 404 of an unknown ticket without the right token', () => {
    const tokens = new CitizenTokens({ tracking } as never);
    expect(() => tokens.assert(ticket, undefined)).toThrow(ApiProblem);
    expect(() => tokens.assert(ticket, 'nope')).toThrow(expect.objectContaining({ status: 404, code: 'NOT_FOUND', message: 'ticket 2026-000001 was not found' }));
    expect(() => tokens.assert(ticket, token)).not.toThrow();
  });
});
