import { STAFF_ROLES } from '../../../../libs/domain/src';
import { arr, e, int, nint, nstr, obj, str } from '../common/view-schema';

const scope = obj(
  { kind: e(['ALL', 'DEPARTMENT', 'NEIGHBOURHOOD', 'OWN_REQUESTS', 'NONE']), departmentId: str, branchId: nstr, district: str, neighbourhood: str },
  ['departmentId', 'branchId', 'district', 'neighbourhood'],
);

/** SignedInUser (auth.service.ts). */
export const SIGNED_IN_USER = obj({ id: str, name: str, roles: arr(e(STAFF_ROLES)), departmentId: nstr, branchId: nstr, approvalLevel: nint, scope });

/** The answer of POST /auth/login and /auth/refresh. */
export const TOKENS = obj({ accessToken: str, tokenType: e(['Bearer']), expiresIn: int, refreshToken: str, refreshExpiresIn: int, user: SIGNED_IN_USER });
