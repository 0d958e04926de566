import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, unauthorized } from '../common/problem';
import { IdentityResolver, type StaffIdentity, type VerifiedToken } from './identity';
import { OidcVerifier } from './oidc-verifier';
import { StaffRepository, type StaffAccount } from '../../../../libs/database/src/staff.repository';
import { ACCESS_TOKEN_ISSUER, TokenService } from './token.service';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** The JWT of an `Authorization: Bearer <token>` header value, or null when it is not one. */
export const bearerTokenOf = (header: string): string | null => BEARER.exec(header.trim())?.[1] ?? null;

/**
 * `Authorization: Bearer <token>`. The token's `iss` picks the verifier: Teksin's own access
 * tokens (signature, expiry, then the session must still be live and the account active: one
 * query), or the configured external OIDC issuer's (signature by its published keys, issuer,
 * audience, expiry, then the staff row an ADMIN linked to its (iss, sub) must be active). A command
 * route verifies the token alone (`verify`) and reads the account with the ticket, in one
 * statement (tickets.repository.ts). No header = anonymous (null);
 * anything else that does not check out is a 401, never a silent anonymous request.
 */
@Injectable()
export class BearerIdentityResolver extends IdentityResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly oidc: OidcVerifier,
    private readonly accounts: StaffRepository,
  ) {
    super();
  }

  async resolve(req: Request): Promise<StaffIdentity | null> {
    const token = await this.verify(req);
    if (!token) return null;
    const account = await this.accounts.byKey(token.key);
    if (!account) throw this.notLive(req, token);
    return identityOf(account, token);
  }

  /**
   * The token checked without the database (signature, issuer, audience, expiry): what it names
   * is read afterwards, by `resolve` or folded into a command's access read. No header = null;
   * a header that does not check out is a 401.
   */
  async verify(req: Request): Promise<VerifiedToken | null> {
    const header = req.header('authorization');
    if (header === undefined) return null;
    const token = bearerTokenOf(header);
    if (!token) throw refuse(req, 'the Authorization header must be "Bearer <access token>"');

    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw refuse(req, 'the access token is not valid');
    }

    if (issuer === ACCESS_TOKEN_ISSUER) {
      const claims = await this.tokens.verifyAccessToken(token).catch((error) => {
        throw challenge(req, error);
      });
      return {
        key: { staffId: claims.staffId, sessionId: claims.sessionId },
        authentication: { method: 'PASSWORD', sessionId: claims.sessionId, tokenId: claims.tokenId, expiresAt: claims.expiresAt.toISOString() },
      };
    }

    if (this.oidc.issuer !== null && issuer === this.oidc.issuer) {
      const claims = await this.oidc.verify(token).catch((error) => {
        throw challenge(req, error);
      });
      return {
        key: { issuer: claims.issuer, subject: claims.subject },
        authentication: { method: 'OIDC', sessionId: null, tokenId: claims.tokenId, expiresAt: claims.expiresAt.toISOString() },
      };
    }

    throw refuse(req, 'the access token is not valid');
  }

  /** The 401 for a verified token whose account is not (or no longer) live: signed out, deactivated, or an unlinked issuer account. */
  notLive(req: Request, token: VerifiedToken): ApiProblem {
    return 'sessionId' in token.key
      ? refuse(req, 'the session has ended (signed out, or the account is no longer active): sign in again')
      : challenge(req, new ApiProblem(ApiErrorCode.OIDC_ACCOUNT_NOT_LINKED, 'the identity provider’s account (iss, sub) is not linked to an active staff member here: an administrator links it (PUT /admin/staff/{id}/oidc-link)'));
  }
}

/** The identity of a live account, authenticated by the token. */
export const identityOf = (account: StaffAccount, token: VerifiedToken): StaffIdentity => identity(account, token.authentication);

const identity = (account: StaffAccount, authentication: StaffIdentity['authentication']): StaffIdentity => ({
  kind: 'STAFF',
  id: account.id,
  roles: account.roles,
  departmentId: account.departmentId,
  standsInFor: account.standsInFor,
  neighbourhood: account.district && account.neighbourhood ? { district: account.district, neighbourhood: account.neighbourhood } : null,
  authentication,
});

/** RFC 6750: a refused bearer token is answered with a challenge naming the error. */
function challenge<E>(req: Request, error: E): E {
  if ((error as { status?: number }).status === 401) req.res?.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
  return error;
}

const refuse = (req: Request, message: string) => challenge(req, unauthorized(message));
