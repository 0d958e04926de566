import type { Request } from 'express';
import type { Actor, StaffRole } from '../../../../libs/domain/src';

/** The authenticated caller: a staff member (roles, department) as the rules see them. */
export interface StaffIdentity {
  kind: 'STAFF';
  id: string;
  roles: StaffRole[];
  departmentId: string | null;
}

/**
 * Where identities come from. The development resolver trusts a header naming a seeded staff
 * member; the staff & roles work swaps this provider for real authentication and nothing
 * else changes.
 */
export abstract class IdentityResolver {
  abstract resolve(req: Request): Promise<StaffIdentity | null>;
}

export const toActor = (identity: StaffIdentity): Actor => ({
  kind: 'STAFF',
  id: identity.id,
  roles: identity.roles,
  departmentId: identity.departmentId,
});
