import type { StaffRole } from '../../../../libs/domain/src';

/**
 * The part of the city or of the organisation an account is bound to, as GET /me reports it.
 * Which tickets each scope may see and change is enforced by the scoping work, not here.
 *
 * - ALL: the coordination center (agents, coordinators), auditors and administrators.
 * - DEPARTMENT: department staff; `branchId` when the account belongs to one branch.
 * - NEIGHBOURHOOD: a muhtar's one neighbourhood.
 * - OWN_REQUESTS: tradespeople and council members: the requests they filed.
 * - NONE: an account with no role that grants any.
 */
export type AccessScope =
  | { kind: 'ALL' }
  | { kind: 'DEPARTMENT'; departmentId: string; branchId: string | null }
  | { kind: 'NEIGHBOURHOOD'; district: string; neighbourhood: string }
  | { kind: 'OWN_REQUESTS' }
  | { kind: 'NONE' };

const ORGANISATION_WIDE: StaffRole[] = ['AGENT', 'COORDINATOR', 'AUDITOR', 'ADMIN'];
const DEPARTMENT_ROLES: StaffRole[] = ['EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD'];
const OWN_REQUEST_ROLES: StaffRole[] = ['TRADESPERSON', 'COUNCIL_MEMBER'];

interface ScopedAccount {
  roles: readonly StaffRole[];
  departmentId: string | null;
  branchId: string | null;
  district: string | null;
  neighbourhood: string | null;
}

/** The widest scope any of the account's roles grants. A department head sees the whole department. */
export function accessScope(account: ScopedAccount): AccessScope {
  const has = (roles: StaffRole[]) => account.roles.some((r) => roles.includes(r));
  if (has(ORGANISATION_WIDE)) return { kind: 'ALL' };
  if (has(DEPARTMENT_ROLES) && account.departmentId) {
    return { kind: 'DEPARTMENT', departmentId: account.departmentId, branchId: account.roles.includes('DEPARTMENT_HEAD') ? null : account.branchId };
  }
  if (account.roles.includes('MUHTAR') && account.district && account.neighbourhood) {
    return { kind: 'NEIGHBOURHOOD', district: account.district, neighbourhood: account.neighbourhood };
  }
  if (has(OWN_REQUEST_ROLES)) return { kind: 'OWN_REQUESTS' };
  return { kind: 'NONE' };
}
