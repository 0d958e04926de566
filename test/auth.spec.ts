import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/app.factory';
import { createDataSource } from '../libs/database/src';
import { DEMO_PASSWORD } from '../libs/database/src/seed';
import { startTestStack, type TestStack } from './support/test-stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** A problem body without the parts that differ per request. */
const problem = (body: Record<string, unknown>) => {
  const { requestId: _r, instance: _i, ...rest } = body;
  return rest;
};
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** A stand-in identity provider: its signing keys as a JWKS on 127.0.0.1, and tokens signed with them. */
async function startIdentityProvider() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = 'https://sso.mersin.test/realms/belediye';
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/belediye/certs`;
  return {
    issuer,
    jwksUrl,
    audience: 'teksin',
    requests: () => requests,
    /** A token as the IdP would issue it; `overrides` change claims or the key. */
    async token(claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expiresIn?: string; key?: Parameters<SignJWT['sign']>[0]; alg?: string; kid?: string } = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? 'idp-key-1' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? 'teksin')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .setJti(randomUUID())
        .sign(options.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Sign-in and identity through HTTP against the real API and PostgreSQL: passwords (argon2id),
 * Teksin's access tokens (short-lived, bound to a revocable session), refresh rotation with
 * reuse detection, sign-out, the login rate limits, GET /me, and tokens of an external OIDC
 * issuer. No worker: nothing here runs a ticket.
 */
describe('sign-in and identity', () => {
  let stack: TestStack;
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
  beforeAll(async () => {
    idp = await startIdentityProvider();
    stack = await startTestStack({
      worker: false,
      // NODE_ENV=test: the stand-in provider publishes its keys over http on 127.0.0.1.
      env: { OIDC_ISSUER: idp.issuer, OIDC_JWKS_URL: idp.jwksUrl, OIDC_AUDIENCE: idp.audience, NODE_ENV: 'test' },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await idp?.close();
  });

  const login = (username: unknown, password: unknown) => stack.http.post('/auth/login').send({ username, password });
  const me = (token: string) => stack.http.get('/me').set(bearer(token));

  describe('POST /auth/login', () => {
    it('answers the contract: an access token, its lifetime, a refresh token and the user', async () => {
      const res = await login('coord.ayse', DEMO_PASSWORD).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.stringMatching(/^[\w-]{43}$/),
        refreshExpiresIn: 12 * 3600,
        user: { id: 'coord.ayse', name: 'Ayşe Demir', roles: ['COORDINATOR', 'AGENT'], departmentId: null, branchId: null, approvalLevel: null, scope: { kind: 'ALL' } },
      });
      const claims = claimsOf(res.body.accessToken);
      expect(claims).toMatchObject({ iss: 'teksin', aud: 'teksin-api', sub: 'coord.ayse', sid: expect.any(String), jti: expect.any(String) });
      expect(claims.exp - claims.iat).toBe(900);
      // The refresh token is stored hashed, never as given.
      const [row] = await stack.db.query('SELECT token_hash FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE s.id = $1', [claims.sid]);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(res.body.refreshToken);
    });

    it('passwords are argon2id hashes in the database', async () => {
      const [row] = await stack.db.query(`SELECT password_hash FROM staff WHERE id = 'coord.ayse'`);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    });

    it('a wrong password, an unknown user, an account without a password and an inactive account get the same 401', async () => {
      await stack.db.query(
        `INSERT INTO staff (id, name, roles, active, password_hash) VALUES
           ('test.nopassword', 'Şifresiz', '{AGENT}', true, NULL),
           ('test.inactive', 'Ayrılan', '{AGENT}', false, (SELECT password_hash FROM staff WHERE id = 'coord.ayse'))
         ON CONFLICT (id) DO NOTHING`,
      );
      const answers = [
        await login('coord.ayse', 'wrong-password').expect(401),
        await login('nobody.here', DEMO_PASSWORD).expect(401),
        await login('test.nopassword', DEMO_PASSWORD).expect(401),
        await login('test.nopassword', '').expect(400), // empty password: a bad request, not a sign-in attempt
        await login('test.inactive', DEMO_PASSWORD).expect(401),
        await login('COORD.AYSE', DEMO_PASSWORD).expect(401), // usernames are exact
      ].filter((res) => res.status === 401);
      const first = problem(answers[0].body);
      expect(first).toEqual({ type: 'https://teksin.dev/problems/unauthenticated', title: 'unauthorized', status: 401, code: 'UNAUTHENTICATED', detail: 'the username or the password is wrong' });
      for (const res of answers) {
        expect(problem(res.body)).toEqual(first);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM sessions WHERE staff_id IN ('test.nopassword', 'test.inactive')`);
      expect(n).toBe(0);
    });

    it('refuses malformed bodies with a 400 naming the field', async () => {
      const res = await stack.http.post('/auth/login').send({ username: 'coord.ayse\u0000', password: 1 }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'username']);
      await stack.http.post('/auth/login').send({ username: 'coord.ayse', password: DEMO_PASSWORD, admin: true }).expect(400);
    });
  });

  it('an operator sets a password with npm run staff:password (from standard input); the account’s sessions end', async () => {
    await stack.db.query(`INSERT INTO staff (id, name, roles) VALUES ('test.newcomer', 'Yeni Gelen', '{AGENT}') ON CONFLICT (id) DO NOTHING`);
    await login('test.newcomer', 'a long enough password').expect(401);
    const cli = (args: string[], input: string) => {
      const run = promisify(execFile)(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../libs/database/src/set-password.cli.ts'), ...args], {
        cwd: path.join(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: stack.config.databaseUrl, NODE_ENV: 'test' },
      });
      run.child.stdin!.end(input);
      return run;
    };
    expect((await cli(['test.newcomer'], 'a long enough password\n')).stdout).toContain('password of test.newcomer set');
    const { body } = await login('test.newcomer', 'a long enough password').expect(200);
    await expect(cli(['test.newcomer'], 'short\n')).rejects.toThrow(/at least 12 characters/);
    await expect(cli(['nobody.here'], 'a long enough password\n')).rejects.toThrow(/no staff member nobody.here/);
    await cli(['test.newcomer', '--clear'], '');
    await me(body.accessToken).expect(401);
    await login('test.newcomer', 'a long enough password').expect(401);
  }, 60_000);

  describe('GET /me', () => {
    it('401 without a token, with a challenge', async () => {
      const res = await stack.http.get('/me').expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('a coordinator: the whole organisation', async () => {
      const res = await me(await signIn('coord.ayse')).expect(200);
      expect(res.body).toEqual({
        id: 'coord.ayse',
        name: 'Ayşe Demir',
        roles: ['COORDINATOR', 'AGENT'],
        departmentId: null,
        departmentName: null,
        branchId: null,
        branchName: null,
        approvalLevel: null,
        neighbourhood: null,
        scope: { kind: 'ALL' },
        deputies: { standingInFor: [], standingInForMe: [] },
        authentication: { method: 'PASSWORD', sessionId: expect.any(String), tokenId: expect.any(String), expiresAt: expect.any(String) },
      });
    });

    it('a branch manager: department, branch, approval level', async () => {
      const res = await me(await signIn('mgr.fen.hasan')).expect(200);
      expect(res.body).toMatchObject({
        roles: ['MANAGER', 'APPROVER'],
        departmentId: 'fen-isleri',
        departmentName: 'Fen İşleri Dairesi Başkanlığı',
        branchId: 'fen-yol-bakim',
        branchName: 'Yol Bakım ve Onarım Şube Müdürlüğü',
        approvalLevel: 1,
        scope: { kind: 'DEPARTMENT', departmentId: 'fen-isleri', branchId: 'fen-yol-bakim' },
      });
    });

    it('a muhtar: one neighbourhood; a tradesperson and a council member: their own requests; the administrator: everything', async () => {
      expect((await me(await signIn('muhtar.mentes')).expect(200)).body).toMatchObject({
        roles: ['MUHTAR'],
        neighbourhood: { district: 'Yenişehir', neighbourhood: 'Menteş' },
        scope: { kind: 'NEIGHBOURHOOD', district: 'Yenişehir', neighbourhood: 'Menteş' },
      });
      expect((await me(await signIn('esnaf.kemal')).expect(200)).body).toMatchObject({ roles: ['TRADESPERSON'], scope: { kind: 'OWN_REQUESTS' } });
      expect((await me(await signIn('meclis.hakan')).expect(200)).body).toMatchObject({ roles: ['COUNCIL_MEMBER'], scope: { kind: 'OWN_REQUESTS' } });
      expect((await me(await signIn('admin.can')).expect(200)).body).toMatchObject({ roles: ['ADMIN'], scope: { kind: 'ALL' } });
    });

    it('deputies in force: the deputy sees whom she stands in for, the principal who stands in for her', async () => {
      const deputy = (await me(await signIn('deputy.meski.oya')).expect(200)).body;
      expect(deputy.deputies.standingInForMe).toEqual([]);
      expect(deputy.deputies.standingInFor).toEqual([
        { id: expect.any(String), principalId: 'head.meski.leyla', principalName: 'Leyla Çetin', from: expect.any(String), to: expect.any(String), reason: expect.any(String), createdBy: 'admin.can' },
      ]);
      const { from, to } = deputy.deputies.standingInFor[0];
      expect(Date.parse(from)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(to)).toBeGreaterThan(Date.now());

      const principal = (await me(await signIn('head.meski.leyla')).expect(200)).body;
      expect(principal.deputies.standingInFor).toEqual([]);
      expect(principal.deputies.standingInForMe).toEqual([expect.objectContaining({ deputyId: 'deputy.meski.oya', deputyName: 'Oya Kılıç', from, to })]);
    });

    it('a deputy period that has ended, or not begun, is not in force', async () => {
      const ids = [randomUUID(), randomUUID()];
      await stack.db.query(
        `INSERT INTO deputies (id, principal_id, deputy_id, valid_from, valid_to, reason, created_by) VALUES
           ($1, 'mgr.fen.hasan', 'mgr.fen.seda', now() - interval '10 days', now() - interval '3 days', 'geçmiş', 'admin.can'),
           ($2, 'mgr.fen.hasan', 'mgr.fen.seda', now() + interval '3 days', now() + interval '10 days', 'gelecek', 'admin.can')`,
        ids,
      );
      try {
        expect((await me(await signIn('mgr.fen.seda')).expect(200)).body.deputies).toEqual({ standingInFor: [], standingInForMe: [] });
      } finally {
        // The future one would overlap deputyships other suites appoint for mgr.fen.hasan (test/deputies.spec.ts).
        await stack.db.query(`DELETE FROM deputies WHERE id = ANY($1)`, [ids]);
      }
    });
  });

  describe('access tokens', () => {
    it('a tampered token is refused: changed claims, changed signature, another key, alg none', async () => {
      const token = await signIn('expert.fen.ali');
      await me(token).expect(200);
      const [header, payload, signature] = token.split('.');
      const asAdmin = Buffer.from(JSON.stringify({ ...claimsOf(token), sub: 'admin.can' })).toString('base64url');
      const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
      const otherKey = await new SignJWT({ sid: claimsOf(token).sid })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('teksin')
        .setAudience('teksin-api')
        .setSubject('admin.can')
        .setJti(randomUUID())
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('x'.repeat(48)));
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${asAdmin}.`;
      for (const bad of [`${header}.${asAdmin}.${signature}`, `${header}.${payload}.${flipped}`, otherKey, none, 'not-a-jwt', `${header}.${payload}`]) {
        const res = await stack.http.get('/me').set('Authorization', `Bearer ${bad}`).expect(401);
        expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      }
      for (const header of [`Basic ${Buffer.from('coord.ayse:teksin-demo').toString('base64')}`, token, `Bearer  ${token} extra`, '']) {
        await stack.http.get('/me').set('Authorization', header).expect(401);
      }
    });

    it('a signed-out session’s access token is refused before it expires, and so is its refresh token', async () => {
      const { body } = await login('expert.fen.zeynep', DEMO_PASSWORD).expect(200);
      await me(body.accessToken).expect(200);
      await stack.http.post('/auth/logout').set(bearer(body.accessToken)).send({}).expect(204);
      const refused = await me(body.accessToken).expect(401);
      expect(refused.body.detail).toMatch(/session has ended/);
      await stack.http.post('/auth/refresh').send({ refreshToken: body.refreshToken }).expect(401);
      const [session] = await stack.db.query('SELECT revoked_reason FROM sessions WHERE id = $1', [claimsOf(body.accessToken).sid]);
      expect(session.revoked_reason).toBe('SIGNED_OUT');
      // Signing out again is harmless; another session of the same person is untouched.
      const other = await login('expert.fen.zeynep', DEMO_PASSWORD).expect(200);
      await stack.http.post('/auth/logout').send({ refreshToken: body.refreshToken }).expect(204);
      await me(other.body.accessToken).expect(200);
    });

    it('sign-out with only the refresh token (the access token expired) ends the session', async () => {
      const { body } = await login('agent.elif', DEMO_PASSWORD).expect(200);
      await stack.http.post('/auth/logout').send({ refreshToken: body.refreshToken }).expect(204);
      await me(body.accessToken).expect(401);
      await stack.http.post('/auth/logout').send({}).expect(401);
      await stack.http.post('/auth/logout').send({ refreshToken: 'unknown' }).expect(401);
    });

    it('a deactivated account’s tokens stop working at once', async () => {
      await stack.db.query(`INSERT INTO staff (id, name, roles, password_hash) SELECT 'test.leaving', 'Ayrılacak', '{AGENT}', password_hash FROM staff WHERE id = 'coord.ayse' ON CONFLICT (id) DO NOTHING`);
      const { body } = await login('test.leaving', DEMO_PASSWORD).expect(200);
      await me(body.accessToken).expect(200);
      await stack.db.query(`UPDATE staff SET active = false WHERE id = 'test.leaving'`);
      await me(body.accessToken).expect(401);
      await stack.http.post('/auth/refresh').send({ refreshToken: body.refreshToken }).expect(401);
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates: a new pair for the same session, and the old refresh token stops working', async () => {
      const first = (await login('mgr.fen.seda', DEMO_PASSWORD).expect(200)).body;
      const second = (await stack.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
      expect(second).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: 'mgr.fen.seda' } });
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(claimsOf(second.accessToken).sid).toBe(claimsOf(first.accessToken).sid);
      expect(claimsOf(second.accessToken).jti).not.toBe(claimsOf(first.accessToken).jti);
      await me(second.accessToken).expect(200);
      const third = (await stack.http.post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200)).body;
      await me(third.accessToken).expect(200);
    });

    it('reuse of a rotated refresh token ends the whole session (every token of the family)', async () => {
      const first = (await login('head.fen.fatma', DEMO_PASSWORD).expect(200)).body;
      const second = (await stack.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
      // Someone replays the first refresh token (stolen, or a client bug).
      const reused = await stack.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
      expect(reused.body.detail).toMatch(/already used/);
      // The legitimate holder's newer tokens are dead too.
      await stack.http.post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
      await me(second.accessToken).expect(401);
      await me(first.accessToken).expect(401);
      const [session] = await stack.db.query('SELECT revoked_reason FROM sessions WHERE id = $1', [claimsOf(first.accessToken).sid]);
      expect(session.revoked_reason).toBe('REFRESH_TOKEN_REUSED');
    });

    it('two refreshes racing with the same token: one wins, then the session is ended as a reuse', async () => {
      const first = (await login('head.park.murat', DEMO_PASSWORD).expect(200)).body;
      const answers = await Promise.all([1, 2].map(() => stack.http.post('/auth/refresh').send({ refreshToken: first.refreshToken })));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = answers.find((r) => r.status === 200)!.body;
      await me(winner.accessToken).expect(401);
    });

    it('an unknown refresh token is a 401; a malformed body a 400', async () => {
      await stack.http.post('/auth/refresh').send({ refreshToken: 'made-up' }).expect(401);
      await stack.http.post('/auth/refresh').send({}).expect(400);
    });
  });

  describe('tokens of the external OIDC issuer', () => {
    /** The provider's subject (`sub`) of each staff member an ADMIN linked here, fresh per run. */
    const subjects: Record<string, string> = {};
    const linkPath = (staffId: string) => `/admin/staff/${staffId}/oidc-link`;
    beforeAll(async () => {
      const admin = await stack.bearer('admin.can');
      for (const staffId of ['head.meski.leyla', 'coord.ayse', 'coord.mehmet']) {
        subjects[staffId] = randomUUID();
        await stack.http.put(linkPath(staffId)).set('Authorization', admin).send({ issuer: idp.issuer, subject: subjects[staffId] }).expect(200);
      }
    });

    it('a token from the configured issuer is accepted and mapped to the staff row linked to its (iss, sub)', async () => {
      const token = await idp.token({ sub: subjects['head.meski.leyla'], name: 'Leyla Çetin (SSO)' });
      const res = await me(token).expect(200);
      expect(res.body).toMatchObject({
        id: 'head.meski.leyla',
        roles: ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'],
        departmentId: 'meski-su',
        approvalLevel: 3,
        authentication: { method: 'OIDC', sessionId: null, tokenId: expect.any(String) },
      });
      expect(res.body.deputies.standingInForMe).toEqual([expect.objectContaining({ deputyId: 'deputy.meski.oya' })]);
      // The keys were fetched from the JWKS URL and are cached.
      const fetched = idp.requests();
      expect(fetched).toBeGreaterThanOrEqual(1);
      await me(await idp.token({ sub: subjects['coord.ayse'] })).expect(200);
      expect(idp.requests()).toBe(fetched);
    });

    it('refused with 401: wrong issuer, wrong audience, unlinked or missing subject, expired, another key, a symmetric key', async () => {
      const other = await generateKeyPair('ES256');
      const sub = subjects['coord.ayse'];
      const refused = {
        wrongIssuer: await idp.token({ sub }, { issuer: 'https://evil.example/realms/belediye' }),
        wrongAudience: await idp.token({ sub }, { audience: 'another-app' }),
        unlinkedSubject: await idp.token({ sub: randomUUID() }),
        noSubject: await idp.token({ preferred_username: 'coord.ayse' }),
        expired: await idp.token({ sub }, { expiresIn: '-1m' }),
        anotherKey: await idp.token({ sub }, { key: other.privateKey }),
        unknownKeyId: await idp.token({ sub }, { key: other.privateKey, kid: 'not-published' }),
        symmetric: await idp.token({ sub }, { key: new TextEncoder().encode('x'.repeat(48)), alg: 'HS256' }),
      };
      for (const [what, token] of Object.entries(refused)) {
        const res = await me(token);
        expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 401, code: what === 'unlinkedSubject' ? 'OIDC_ACCOUNT_NOT_LINKED' : 'UNAUTHENTICATED' });
      }
    });

    it('sign-out with an external token ends nothing here (the identity provider owns that session)', async () => {
      const token = await idp.token({ sub: subjects['coord.mehmet'] });
      await stack.http.post('/auth/logout').set(bearer(token)).send({}).expect(204);
      await me(token).expect(200);
    });

    describe('security review item 3 — the account is (iss, sub) as an ADMIN linked it, never a username claim', () => {
      it('item 3: a token whose preferred_username names the admin signs in as nobody (401 OIDC_ACCOUNT_NOT_LINKED), or as the account linked to its sub', async () => {
        // Many providers let users edit preferred_username: set it to the admin's staff id.
        const forged = await me(await idp.token({ sub: randomUUID(), preferred_username: 'admin.can', upn: 'admin.can' })).expect(401);
        expect(problem(forged.body)).toMatchObject({ status: 401, code: 'OIDC_ACCOUNT_NOT_LINKED' });
        expect(forged.body.detail).toMatch(/not linked/);
        expect(forged.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
        // A linked user who renames herself to admin.can is still herself.
        const renamed = await me(await idp.token({ sub: subjects['coord.ayse'], preferred_username: 'admin.can' })).expect(200);
        expect(renamed.body.id).toBe('coord.ayse');
        expect(renamed.body.roles).not.toContain('ADMIN');
      });

      it('item 3: an ADMIN links and unlinks (logged with who and the request id); others, other issuers and a second holder are refused', async () => {
        const admin = await stack.bearer('admin.can');
        const subject = randomUUID();
        const path = linkPath('expert.fen.zeynep');
        // Only an ADMIN: a coordinator (and no one signed in) may not.
        await stack.http.put(path).set('Authorization', await stack.bearer('coord.ayse')).send({ issuer: idp.issuer, subject }).expect(403);
        await stack.http.put(path).send({ issuer: idp.issuer, subject }).expect(401);
        const wrongIssuer = await stack.http.put(path).set('Authorization', admin).send({ issuer: 'https://evil.example/realms/belediye', subject }).expect(400);
        expect(wrongIssuer.body.errors).toEqual([{ field: 'issuer', messages: [expect.stringContaining(idp.issuer)] }]);
        const noSubject = await stack.http.put(path).set('Authorization', admin).send({ issuer: idp.issuer }).expect(400);
        expect(noSubject.body.errors.map((e: { field: string }) => e.field)).toEqual(['subject']);
        await stack.http.put(linkPath('nobody.here')).set('Authorization', admin).send({ issuer: idp.issuer, subject }).expect(404);

        const linked = await stack.http.put(path).set('Authorization', admin).set('X-Request-Id', `link-${subject}`).send({ issuer: idp.issuer, subject }).expect(200);
        expect(linked.body).toMatchObject({
          staffId: 'expert.fen.zeynep',
          link: { issuer: idp.issuer, subject },
          events: expect.arrayContaining([{ action: 'LINKED', issuer: idp.issuer, subject, by: 'admin.can', requestId: `link-${subject}`, at: expect.any(String) }]),
        });
        const token = await idp.token({ sub: subject, preferred_username: 'admin.can' });
        expect((await me(token).expect(200)).body.id).toBe('expert.fen.zeynep');
        // Linking again is harmless; the same account for another staff member is a conflict.
        await stack.http.put(path).set('Authorization', admin).send({ issuer: idp.issuer, subject }).expect(200);
        const taken = await stack.http.put(linkPath('expert.fen.ali')).set('Authorization', admin).send({ issuer: idp.issuer, subject }).expect(409);
        expect(taken.body.code).toBe('OIDC_ACCOUNT_LINKED_ELSEWHERE');

        await stack.http.delete(path).set('Authorization', admin).expect(204);
        expect((await me(token).expect(401)).body.code).toBe('OIDC_ACCOUNT_NOT_LINKED');
        const log = (await stack.http.get(path).set('Authorization', admin).expect(200)).body;
        expect(log.link).toBeNull();
        expect(log.events.slice(-2).map((e: { action: string; subject: string; by: string }) => [e.action, e.subject, e.by])).toEqual([
          ['LINKED', subject, 'admin.can'],
          ['UNLINKED', subject, 'admin.can'],
        ]);
        // The log is append-only for the application role.
        await expect(stack.db.query(`UPDATE staff_oidc_link_events SET by_staff_id = 'someone' WHERE subject = $1`, [subject])).rejects.toThrow(/permission denied/);
        await expect(stack.db.query(`DELETE FROM staff_oidc_link_events WHERE subject = $1`, [subject])).rejects.toThrow(/permission denied/);
      });
    });
  });

  /** One fresh sign-in (a new session) as a demo account; the access token. */
  async function signIn(staffId: string): Promise<string> {
    return (await login(staffId, DEMO_PASSWORD).expect(200)).body.accessToken;
  }
});

describe('token lifetimes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false, env: { ACCESS_TOKEN_TTL: '3s', REFRESH_TOKEN_TTL: '8s' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an expired access token is refused; the refresh token gets a new one until it expires too', async () => {
    const started = Date.now();
    const { body } = await stack.http.post('/auth/login').send({ username: 'coord.ayse', password: DEMO_PASSWORD }).expect(200);
    expect(body).toMatchObject({ expiresIn: 3, refreshExpiresIn: 8 });
    await sleep(3_500);
    const expired = await stack.http.get('/me').set(bearer(body.accessToken)).expect(401);
    expect(expired.body.detail).toMatch(/expired/);
    expect(expired.headers['www-authenticate']).toBe('Bearer error="invalid_token"');

    const renewed = (await stack.http.post('/auth/refresh').send({ refreshToken: body.refreshToken }).expect(200)).body;
    expect(claimsOf(renewed.accessToken).exp).toBeGreaterThan(Date.now() / 1000);

    // The newest refresh token was issued ~3.5 s in and lives 8 s: wait until it is past.
    await sleep(Math.max(0, started + 3_500 + 8_500 - Date.now()));
    const late = await stack.http.post('/auth/refresh').send({ refreshToken: renewed.refreshToken }).expect(401);
    expect(late.body.detail).toMatch(/expired/);
  }, 30_000);
});

describe('security review item 11 — sessions end: an absolute lifetime, and sign-out with an expired access token', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Refresh tokens would live an hour, but the session itself only 5 s after sign-in; a statement
    // of the API at most 1 s.
    stack = await startTestStack({ worker: false, env: { ACCESS_TOKEN_TTL: '2s', REFRESH_TOKEN_TTL: '1h', SESSION_MAX_LIFETIME: '5s', DATABASE_STATEMENT_TIMEOUT: '1s' } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  const login = (username: string) => stack.http.post('/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);

  it('item 11: refresh is refused 401 once the session reaches SESSION_MAX_LIFETIME, however often it was refreshed; no token outlives it', async () => {
    const started = Date.now();
    const { body } = await login('coord.ayse');
    expect(body.refreshExpiresIn).toBeLessThanOrEqual(5);
    let refreshToken = body.refreshToken;
    // Refreshed well within every refresh token's lifetime, the session still ends on time.
    while (Date.now() - started < 3_000) {
      const renewed = (await stack.http.post('/auth/refresh').send({ refreshToken }).expect(200)).body;
      expect(renewed.refreshExpiresIn).toBeLessThanOrEqual(Math.ceil((started + 5_000 - Date.now()) / 1000) + 1);
      expect(claimsOf(renewed.accessToken).exp * 1000).toBeLessThanOrEqual(started + 5_000 + 1_000);
      refreshToken = renewed.refreshToken;
      await sleep(1_000);
    }
    await sleep(Math.max(0, started + 5_500 - Date.now()));
    const refused = await stack.http.post('/auth/refresh').send({ refreshToken }).expect(401);
    expect(problem(refused.body)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(refused.body.detail).toMatch(/sign in again/);
    // Signing in again starts a new session.
    await stack.http.post('/auth/refresh').send({ refreshToken: (await login('coord.ayse')).body.refreshToken }).expect(200);
  }, 30_000);

  it('item 11: sign-out with an expired access token ends the session (with or without the refresh token), as the console signs out', async () => {
    const withBoth = (await login('agent.elif')).body;
    const alone = (await login('agent.elif')).body;
    await sleep(2_500); // both access tokens have expired
    await stack.http.get('/me').set(bearer(withBoth.accessToken)).expect(401);
    // What the console sends: the (expired) access token and the refresh token.
    await stack.http.post('/auth/logout').set(bearer(withBoth.accessToken)).send({ refreshToken: withBoth.refreshToken }).expect(204);
    // An older client: only the expired access token.
    await stack.http.post('/auth/logout').set(bearer(alone.accessToken)).send({}).expect(204);
    for (const session of [withBoth, alone]) {
      await stack.http.post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
      const [row] = await stack.db.query('SELECT revoked_reason FROM sessions WHERE id = $1', [claimsOf(session.accessToken).sid]);
      expect(row.revoked_reason).toBe('SIGNED_OUT');
    }
    // An expired token still has to be Teksin's: a forged one ends nothing.
    const [header, payload] = alone.accessToken.split('.');
    await stack.http.post('/auth/logout').set(bearer(`${header}.${payload}.${'A'.repeat(43)}`)).send({}).expect(401);
  }, 30_000);

  it('item 11: a statement held past DATABASE_STATEMENT_TIMEOUT is cancelled and answered 503 DATABASE_TIMEOUT with Retry-After, never a 500', async () => {
    const { body } = await login('agent.elif');
    // Another connection (the owner's) holds the refresh token's row; the refresh waits for its lock.
    const owner = await createDataSource(process.env.TEKSIN_TEST_OWNER_DATABASE_URL!, false, 1).initialize();
    const holder = owner.createQueryRunner();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT id FROM refresh_tokens WHERE session_id = $1 FOR UPDATE`, [claimsOf(body.accessToken).sid]);
      const started = Date.now();
      const res = await stack.http.post('/auth/refresh').send({ refreshToken: body.refreshToken });
      expect({ status: res.status, code: res.body.code, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, code: 'DATABASE_TIMEOUT', retryAfter: '5' });
      expect(res.body.detail).toMatch(/DATABASE_STATEMENT_TIMEOUT/);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await holder.rollbackTransaction().catch(() => undefined);
      await holder.release();
      await owner.destroy();
    }
    // Nothing was changed: once the lock is gone the same refresh token works.
    await stack.http.post('/auth/refresh').send({ refreshToken: body.refreshToken }).expect(200);
  }, 30_000);
});

describe('an identity provider whose keys cannot be fetched', () => {
  let stack: TestStack;
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
  beforeAll(async () => {
    idp = await startIdentityProvider();
    await idp.close(); // nothing answers at its JWKS URL any more
    stack = await startTestStack({ worker: false, env: { OIDC_ISSUER: idp.issuer, OIDC_JWKS_URL: idp.jwksUrl, OIDC_AUDIENCE: idp.audience, NODE_ENV: 'test' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is a 503 (the token may be fine), not a 401; Teksin’s own sign-in still works', async () => {
    const res = await stack.http.get('/me').set(bearer(await idp.token({ sub: randomUUID() }))).expect(503);
    expect(res.body).toMatchObject({ status: 503, code: 'IDENTITY_PROVIDER_UNAVAILABLE' });
    const { body } = await stack.http.post('/auth/login').send({ username: 'coord.ayse', password: DEMO_PASSWORD }).expect(200);
    await stack.http.get('/me').set(bearer(body.accessToken)).expect(200);
  });
});

describe('login rate limits', () => {
  let stack: TestStack;
  let second: NestExpressApplication;
  beforeAll(async () => {
    // 4 failed attempts per source and 2 per username from one source, per 3-second window.
    // supertest comes from 127.0.0.1: trusting it lets X-Forwarded-For be "another address"
    // (the counts live in the one test database, where other suites signed in from 127.0.0.1).
    stack = await startTestStack({ worker: false, env: { LOGIN_RATE_LIMIT: '4,2', LOGIN_RATE_WINDOW: '3s', LOGIN_LOCKOUT_MAX: '1m', TRUST_PROXY: 'loopback' } });
    second = await createApiApp(stack.config);
    await second.init();
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  const attemptFrom = (from: string, username: string, password = 'wrong', http = stack.http) =>
    http.post('/auth/login').set('X-Forwarded-For', from).send({ username, password });

  it('per username from one address, then per address: 429 problem+json with Retry-After; allowed again once it has passed', async () => {
    const attempt = (username: string, password = 'wrong') => attemptFrom('198.51.100.10', username, password);
    await attempt('coord.ayse').expect(401); // address 1, coord.ayse there 1
    await attempt('coord.ayse').expect(401); // address 2, coord.ayse there 2
    // Over the username's limit at this address (the address is not): even the right password is not tried.
    const byUsername = await attempt('coord.ayse', DEMO_PASSWORD).expect(429); // address 3
    expect(byUsername.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(byUsername.body).toMatchObject({ status: 429, code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
    const retryAfter = Number(byUsername.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(byUsername.body.retryAfter).toBe(retryAfter);
    // The username is counted however it is written.
    await attempt(' COORD.Ayse ').expect(429); // address 4

    // Another account from the same address: now the address is over its limit.
    const byIp = await attempt('agent.elif', DEMO_PASSWORD).expect(429); // address 5
    expect(Number(byIp.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    await sleep(Number(byIp.headers['retry-after']) * 1000 + 500);
    await attempt('coord.ayse', DEMO_PASSWORD).expect(200);
    await attempt('agent.elif', DEMO_PASSWORD).expect(200);
  }, 30_000);

  it('item 9: failures from one address lock that username out there only, longer each time; the real user signs in from another address at once', async () => {
    const attacker = '203.0.113.66';
    await attemptFrom(attacker, 'coord.mehmet').expect(401);
    await attemptFrom(attacker, 'coord.mehmet').expect(401);
    const locked = await attemptFrom(attacker, 'coord.mehmet', DEMO_PASSWORD).expect(429);
    expect(locked.body).toMatchObject({ status: 429, code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
    const firstLockout = Number(locked.headers['retry-after']);
    expect(firstLockout).toBeLessThanOrEqual(3);

    // The real coord.mehmet, from her own address, right away; and again and again (successes are not counted).
    for (let i = 0; i < 6; i++) await attemptFrom('198.51.100.20', 'coord.mehmet', DEMO_PASSWORD).expect(200);
    // An IPv6 attacker is one source per /64: hopping addresses in it does not start a new count.
    await attemptFrom('2001:db8:66:1::1', 'coord.mehmet').expect(401);
    await attemptFrom('2001:db8:66:1::2', 'coord.mehmet').expect(401);
    await attemptFrom('2001:db8:66:1::3', 'coord.mehmet', DEMO_PASSWORD).expect(429);

    // Back off: once the lock-out is over, the next failures there lock her out twice as long.
    await sleep(firstLockout * 1000 + 500);
    await attemptFrom(attacker, 'coord.mehmet').expect(401);
    await attemptFrom(attacker, 'coord.mehmet').expect(401);
    const again = await attemptFrom(attacker, 'coord.mehmet', DEMO_PASSWORD).expect(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(3);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(6);
    await attemptFrom('198.51.100.20', 'coord.mehmet', DEMO_PASSWORD).expect(200);
  }, 30_000);

  it('item 5: two API processes share the sign-in counts: the lock-out comes at the same attempt', async () => {
    const http2 = request(second.getHttpServer());
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attemptFrom('203.0.113.67', 'agent.elif', i < 2 ? 'wrong' : DEMO_PASSWORD, i % 2 ? http2 : stack.http)).status);
    expect(statuses).toEqual([401, 401, 429]);
    // The address limit too: 4 failed attempts from one address, any usernames, over both processes.
    const spray = [];
    for (let i = 0; i < 5; i++) spray.push((await attemptFrom('203.0.113.68', `nobody.${i}`, 'wrong', i % 2 ? http2 : stack.http)).status);
    expect(spray).toEqual([401, 401, 401, 401, 429]);
  });

  it('only sign-in is limited: other routes of the same caller are not', async () => {
    for (let i = 0; i < 6; i++) await stack.http.get('/me').set('X-Forwarded-For', '198.51.100.10').expect(401);
  });
});
