import type { Request } from 'express';
import type { Actor, Position, Reader, StaffRole } from '../../../../libs/domain/src';

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
}

/**
 * Where identities come from. The development resolver trusts a header naming a seeded staff
 * member; the staff & roles work swaps this provider for real authentication and nothing
 * else changes.
 */
export abstract class IdentityResolver {
  abstract resolve(req: Request): Promise<StaffIdentity | null>;
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
