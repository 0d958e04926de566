import { Injectable } from '@nestjs/common';
import { unauthorized } from '../common/problem';
import { accessScope, type AccessScope } from './access-scope';
import type { StaffIdentity } from './identity';
import { PasswordHasher } from './password-hasher';
import { SessionRepository } from './session.repository';
import { StaffAccountsRepository, type StaffAccount } from './staff-accounts.repository';
import { TokenService } from './token.service';

/** The answer to a sign-in or a refresh. */
export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds the refresh token is valid (it works once). */
  refreshExpiresIn: number;
  user: SignedInUser;
}

export interface SignedInUser {
  id: string;
  name: string;
  roles: StaffAccount['roles'];
  departmentId: string | null;
  branchId: string | null;
  approvalLevel: number | null;
  scope: AccessScope;
}

/** One message for every refused sign-in, so the answer never tells whether the account exists. */
const BAD_CREDENTIALS = 'the username or the password is wrong';

/** Sign-in, refresh (rotation with reuse detection) and sign-out. */
@Injectable()
export class AuthService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly sessions: SessionRepository,
    private readonly accounts: StaffAccountsRepository,
  ) {}

  async login(username: string, password: string): Promise<TokenPair> {
    const account = await this.accounts.forSignIn(username);
    // Verified (against a decoy) even without an account or a hash: the same work, the same answer.
    const ok = await this.hasher.verify(account?.passwordHash ?? null, password);
    if (!account || !ok) throw unauthorized(BAD_CREDENTIALS);
    const session = await this.sessions.open(account.id);
    return this.pair(account, session.sessionId, session.refreshToken, session.refreshExpiresAt);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.sessions.rotate(refreshToken);
    if (!result.ok) {
      throw unauthorized(
        result.reason === 'REUSED'
          ? 'the refresh token was already used: the session is ended, sign in again'
          : result.reason === 'EXPIRED'
            ? 'the refresh token has expired: sign in again'
            : 'the refresh token is not valid: sign in again',
      );
    }
    const account = await this.accounts.active(result.staffId);
    if (!account) {
      await this.sessions.revoke(result.sessionId, 'SIGNED_OUT');
      throw unauthorized('the account is no longer active');
    }
    return this.pair(account, result.sessionId, result.refreshToken, result.refreshExpiresAt);
  }

  /**
   * Ends the caller's session (from the access token) or the session of the given refresh
   * token. An external issuer's token has no Teksin session: there is nothing to end here.
   */
  async logout(identity: StaffIdentity | null, refreshToken: string | undefined): Promise<void> {
    const sessionId = identity?.authentication?.sessionId ?? (refreshToken ? await this.sessions.sessionOfRefreshToken(refreshToken) : null);
    if (!identity && !sessionId) throw unauthorized('sign out needs the access token (Authorization: Bearer) or a refresh token');
    if (sessionId) await this.sessions.revoke(sessionId, 'SIGNED_OUT');
  }

  private async pair(account: StaffAccount, sessionId: string, refreshToken: string, refreshExpiresAt: Date): Promise<TokenPair> {
    const access = await this.tokens.issueAccessToken(account.id, sessionId);
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
