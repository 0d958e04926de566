import type { Request } from 'express';
import type { AccountKey } from '../../../../libs/database/src/staff.repository';
import type { Actor, Position, Reader, StaffRole } from '../../../../libs/domain/src';

/** How the caller proved who they are. */
export type Authentication =
  /** A Teksin access token from POST /auth/login or /auth/refresh, bound to a revocable session. */
  | { method: 'PASSWORD'; sessionId: string; tokenId: string; expiresAt: string }
  /** A token of the external OIDC issuer (OIDC_ISSUER), mapped to the staff row an ADMIN linked to its (iss, sub). */
  | { method: 'OIDC'; sessionId: null; tokenId: string | null; expiresAt: string };

/**
 * The authenticated caller: a staff member or platform user (roles, department) as the rules
 * see them, with the absent colleagues they stand in for today (deputies in force) and, for a
 * muhtar, their neighbourhood.
 */
export interface StaffIdentity {
  kind: 'STAFF';
  id: string;
  roles: StaffRole[];
  departmentId: string | null;
  standsInFor?: Position[];
  neighbourhood?: { district: string; neighbourhood: string } | null;
  /** Set by the bearer resolver; identities built elsewhere (unit tests) may leave it out. */
  authentication?: Authentication;
}

/**
 * Where identities come from: `BearerIdentityResolver` reads `Authorization: Bearer <token>`.
 * Routes only see the StaffIdentity, through @StaffOnly() / @OptionalStaff() / @CurrentIdentity().
 */
export abstract class IdentityResolver {
  /** null = no credentials (anonymous); an invalid credential throws a 401. */
  abstract resolve(req: Request): Promise<StaffIdentity | null>;

  /** The bearer token checked without the database; null without one, a 401 for one that does not check out. */
  abstract verify(req: Request): Promise<VerifiedToken | null>;

  /** The 401 for a verified token whose account is not (or no longer) live. */
  abstract notLive(req: Request, token: VerifiedToken): Error;
}

/** A bearer token whose signature and claims check out, before the account it names is read. */
export interface VerifiedToken {
  key: AccountKey;
  authentication: Authentication;
}

/** The actor of a command: built by the API from the verified identity, never from the request body. */
export const toActor = (identity: StaffIdentity): Actor => ({
  kind: 'STAFF',
  id: identity.id,
  roles: identity.roles,
  departmentId: identity.departmentId,
  ...(identity.standsInFor?.length ? { standsInFor: identity.standsInFor } : {}),
});

/** The identity as the read-access rules see it. */
export const toReader = (identity: StaffIdentity): Reader => ({
  id: identity.id,
  roles: identity.roles,
  departmentId: identity.departmentId,
  standsInFor: identity.standsInFor ?? [],
  neighbourhood: identity.neighbourhood ?? null,
});
