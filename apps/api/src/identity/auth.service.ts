import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { unauthorized } from '../common/problem';
import { accessScope } from './access-scope';
import type { SignedInUser, TokenPair } from './identity-views.schema';
import { bearerTokenOf } from './bearer-identity.resolver';
import { OidcVerifier } from './oidc-verifier';
import { PasswordHasher } from './password-hasher';
import { SessionsRepository } from '../../../../libs/database/src/sessions.repository';
import { StaffRepository, type StaffAccount } from '../../../../libs/database/src/staff.repository';
import { ACCESS_TOKEN_ISSUER, TokenService } from './token.service';

/** One message for every refused sign-in, so the answer never tells whether the account exists. */
const BAD_CREDENTIALS = 'the username or the password is wrong';

/** Sign-in, refresh (rotation with reuse detection) and sign-out. */
@Injectable()
export class AuthService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsRepository,
    private readonly accounts: StaffRepository,
    private readonly oidc: OidcVerifier,
  ) {}

  async login(username: string, password: string): Promise<TokenPair> {
    const account = await this.accounts.forSignIn(username);
    // Verified (against a decoy) even without an account or a hash: the same work, the same answer.
    const ok = await this.hasher.verify(account?.passwordHash ?? null, password);
    if (!account || !ok) throw unauthorized(BAD_CREDENTIALS);
    const refreshToken = this.tokens.newRefreshToken();
    const session = await this.sessions.open(account.id, this.tokens.hashRefreshToken(refreshToken));
    return this.pair(account, session.sessionId, refreshToken, session.refreshExpiresAt, session.sessionEndsAt);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const next = this.tokens.newRefreshToken();
    const result = await this.sessions.rotate(this.tokens.hashRefreshToken(refreshToken), this.tokens.hashRefreshToken(next));
    if (!result.ok) {
      throw unauthorized(
        result.reason === 'REUSED'
          ? 'the refresh token was already used: the session is ended, sign in again'
          : result.reason === 'EXPIRED'
            ? 'the refresh token has expired: sign in again'
            : result.reason === 'SESSION_TOO_OLD'
              ? 'the session has reached its maximum lifetime (SESSION_MAX_LIFETIME): sign in again'
              : 'the refresh token is not valid: sign in again',
      );
    }
    const account = await this.accounts.active(result.staffId);
    if (!account) {
      await this.sessions.revoke(result.sessionId, 'SIGNED_OUT');
      throw unauthorized('the account is no longer active');
    }
    return this.pair(account, result.sessionId, next, result.refreshExpiresAt, result.sessionEndsAt);
  }

  /**
   * Ends the session of the refresh token given and the session of the access token
   * (`Authorization: Bearer`), even an expired one: a console whose access token expired while it
   * sat idle must still be able to end its session. A Teksin access token counts if its signature,
   * issuer and audience check out, expired or not; an external issuer's token must be valid, and
   * has no Teksin session: there is nothing to end here. Ending an ended session is harmless.
   */
  async logout(authorization: string | undefined, refreshToken: string | undefined): Promise<void> {
    const ended = new Set<string>();
    if (refreshToken) {
      const sessionId = await this.sessions.sessionOfRefreshToken(this.tokens.hashRefreshToken(refreshToken));
      if (sessionId) ended.add(sessionId);
    }
    const bearer = authorization === undefined ? null : await this.sessionOfBearer(authorization);
    if (bearer?.sessionId) ended.add(bearer.sessionId);
    if (!bearer && ended.size === 0) throw unauthorized('sign out needs the access token (Authorization: Bearer) or a refresh token');
    for (const sessionId of ended) await this.sessions.revoke(sessionId, 'SIGNED_OUT');
  }

  /** The session an access token names (null for an external issuer's token); a token that does not check out is a 401. */
  private async sessionOfBearer(authorization: string): Promise<{ sessionId: string | null }> {
    const token = bearerTokenOf(authorization);
    if (!token) throw unauthorized('the Authorization header must be "Bearer <access token>"');
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw unauthorized('the access token is not valid');
    }
    if (issuer === ACCESS_TOKEN_ISSUER) return { sessionId: (await this.tokens.verifyAccessToken(token, { allowExpired: true })).sessionId };
    if (this.oidc.issuer !== null && issuer === this.oidc.issuer) {
      await this.oidc.verify(token);
      return { sessionId: null };
    }
    throw unauthorized('the access token is not valid');
  }

  private async pair(account: StaffAccount, sessionId: string, refreshToken: string, refreshExpiresAt: Date, sessionEndsAt: Date): Promise<TokenPair> {
    const access = await this.tokens.issueAccessToken(account.id, sessionId, new Date(), sessionEndsAt);
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken,
      refreshExpiresIn: Math.max(0, Math.round((refreshExpiresAt.getTime() - Date.now()) / 1000)),
      user: signedInUser(account),
    };
  }
}

export const signedInUser = (account: StaffAccount): SignedInUser => ({
  id: account.id,
  name: account.name,
  roles: account.roles,
  departmentId: account.departmentId,
  branchId: account.branchId,
  approvalLevel: account.approvalLevel,
  scope: accessScope(account),
});
