import { SignJWT } from 'jose';
import { loadConfig } from '../../../../libs/config/src';
import { ApiProblem } from '../common/problem';
import { TokenService } from './token.service';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1/t', AUTH_TOKEN_SECRET: 'k'.repeat(40), TRACKING_TOKEN_SECRET: 't'.repeat(40), ...env });

describe('TokenService', () => {
  const tokens = new TokenService(config());

  it('issues an HS256 JWT naming the staff member and the session, valid ACCESS_TOKEN_TTL', async () => {
    const now = new Date('2026-01-10T09:00:00Z');
    const issued = await tokens.issueAccessToken('coord.ayse', 'c0ffee00-0000-4000-8000-000000000001', now);
    expect(issued.expiresIn).toBe(900);
    expect(issued.expiresAt.toISOString()).toBe('2026-01-10T09:15:00.000Z');
    const [header, payload] = issued.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ iss: 'teksin', aud: 'teksin-api', sub: 'coord.ayse', sid: 'c0ffee00-0000-4000-8000-000000000001', iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 900 });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('verifies its own tokens and refuses tampered, foreign-key, expired and other-issuer ones', async () => {
    const { token } = await tokens.issueAccessToken('coord.ayse', 'session-1');
    await expect(tokens.verifyAccessToken(token)).resolves.toMatchObject({ staffId: 'coord.ayse', sessionId: 'session-1' });

    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin.can' })).toString('base64url');
    await expect(tokens.verifyAccessToken(`${h}.${forged}.${s}`)).rejects.toThrow('the access token is not valid');

    const otherKey = new TokenService(config({ AUTH_TOKEN_SECRET: 'z'.repeat(40) }));
    await expect(otherKey.verifyAccessToken(token)).rejects.toBeInstanceOf(ApiProblem);

    const old = await tokens.issueAccessToken('coord.ayse', 'session-1', new Date(Date.now() - 3_600_000));
    await expect(tokens.verifyAccessToken(old.token)).rejects.toThrow('the access token has expired');

    const key = new TextEncoder().encode('k'.repeat(40));
    const noSession = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('teksin').setAudience('teksin-api').setSubject('x').setJti('j').setExpirationTime('5m').sign(key);
    await expect(tokens.verifyAccessToken(noSession)).rejects.toThrow('not valid');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    await expect(tokens.verifyAccessToken(none)).rejects.toThrow('not valid');
  });

  it('remembers a verified token: the next request skips the signature, never the expiry; a refused one is not remembered', async () => {
    const issuedAt = new Date(Date.now() - 14 * 60_000); // expires in about a minute (ACCESS_TOKEN_TTL 15 min)
    const { token, expiresAt } = await tokens.issueAccessToken('coord.ayse', 'session-2', issuedAt);
    await tokens.verifyAccessToken(token);
    const [h, p] = token.split('.');
    const signatureChecks = jest.spyOn(globalThis.crypto.subtle, 'verify');
    try {
      await expect(tokens.verifyAccessToken(token)).resolves.toMatchObject({ staffId: 'coord.ayse', sessionId: 'session-2' });
      expect(signatureChecks).not.toHaveBeenCalled();
      // A wrong signature on the same header and payload is checked, and refused, every time.
      await expect(tokens.verifyAccessToken(`${h}.${p}.AAAA`)).rejects.toThrow('not valid');
      await expect(tokens.verifyAccessToken(`${h}.${p}.AAAA`)).rejects.toThrow('not valid');
      expect(signatureChecks).toHaveBeenCalledTimes(2);
      // Once its time is up the remembered token is checked again, and refused as expired.
      jest.useFakeTimers({ now: expiresAt.getTime() + 1_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      await expect(tokens.verifyAccessToken(token)).rejects.toThrow('the access token has expired');
      // Sign-out still takes it (its signature checked), as before.
      await expect(tokens.verifyAccessToken(token, { allowExpired: true })).resolves.toMatchObject({ sessionId: 'session-2' });
    } finally {
      jest.useRealTimers();
      signatureChecks.mockRestore();
    }
  });

  it('makes opaque refresh tokens and stores only their SHA-256', () => {
    const a = tokens.newRefreshToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.newRefreshToken()).not.toBe(a);
    expect(tokens.hashRefreshToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.hashRefreshToken(a)).toBe(tokens.hashRefreshToken(a));
  });
});
