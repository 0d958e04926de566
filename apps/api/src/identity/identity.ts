import type { Request } from 'express';
import type { Actor, StaffRole } from '../../../../libs/domain/src';

/** How the caller proved who they are. */
export type Authentication =
  /** A Teksin access token from POST /auth/login or /auth/refresh, bound to a revocable session. */
  | { method: 'PASSWORD'; sessionId: string; tokenId: string; expiresAt: string }
  /** A token of the external OIDC issuer (OIDC_ISSUER), mapped to the staff row by OIDC_STAFF_CLAIM. */
  | { method: 'OIDC'; sessionId: null; tokenId: string | null; expiresAt: string };

/** The authenticated caller: a staff member or platform user (roles, department) as the rules see them. */
export interface StaffIdentity {
  kind: 'STAFF';
  id: string;
  roles: StaffRole[];
  departmentId: string | null;
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
}

export const toActor = (identity: StaffIdentity): Actor => ({
  kind: 'STAFF',
  id: identity.id,
  roles: identity.roles,
  departmentId: identity.departmentId,
});
