import { STAFF_ROLES } from '../../../../libs/domain/src';
import { arr, described, dt, e, int, nint, nstr, nullable, obj, str, type ViewOf } from '../common/view-schema';

const scope = obj(
  { kind: e(['ALL', 'DEPARTMENT', 'NEIGHBOURHOOD', 'OWN_REQUESTS', 'NONE']), departmentId: str, branchId: nstr, district: str, neighbourhood: str },
  ['departmentId', 'branchId', 'district', 'neighbourhood'],
);

/** Who signed in (auth.service.ts `signedInUser`). */
export const SIGNED_IN_USER = obj({ id: str, name: str, roles: arr(e(STAFF_ROLES)), departmentId: nstr, branchId: nstr, approvalLevel: nint, scope });

/** The answer of POST /auth/login and /auth/refresh. */
export const TOKENS = obj({ accessToken: str, tokenType: e(['Bearer']), expiresIn: int, refreshToken: str, refreshExpiresIn: int, user: SIGNED_IN_USER });
export type SignedInUser = ViewOf<typeof SIGNED_IN_USER>;
/** The answer to a sign-in or a refresh (auth.service.ts). */
export type TokenPair = ViewOf<typeof TOKENS>;

const deputyship = { id: str, from: dt, to: dt, reason: str, createdBy: str };

/** GET /me (me.service.ts): the caller's identity, roles, place in the organisation, scope and deputies in force. */
export const ME = obj({
  id: str,
  name: str,
  roles: arr(e(STAFF_ROLES)),
  departmentId: nstr,
  departmentName: nstr,
  branchId: nstr,
  branchName: nstr,
  approvalLevel: nint,
  neighbourhood: described(nullable(obj({ district: str, neighbourhood: str })), 'A muhtar’s neighbourhood; null for everyone else'),
  scope,
  deputies: obj({
    standingInFor: described(arr(obj({ ...deputyship, principalId: str, principalName: str })), 'Principals the caller stands in for now'),
    standingInForMe: described(arr(obj({ ...deputyship, deputyId: str, deputyName: str })), 'Who stands in for the caller now'),
  }),
  authentication: described(
    nullable(obj({ method: e(['PASSWORD', 'OIDC']), sessionId: nstr, tokenId: nstr, expiresAt: dt })),
    'PASSWORD: a Teksin access token bound to a revocable session; OIDC: a token of the external issuer (no Teksin session)',
  ),
});
export type MeView = ViewOf<typeof ME>;

const oidcLink = obj({ issuer: str, subject: str });

/** GET and PUT /admin/staff/:id/oidc-link (OidcLinkView, oidc-links.service.ts). */
export const OIDC_LINK_VIEW = obj({
  staffId: str,
  link: nullable(oidcLink),
  events: described(arr(obj({ action: e(['LINKED', 'UNLINKED']), issuer: str, subject: str, by: str, requestId: nstr, at: dt })), 'Every link and unlink, oldest first'),
});
export type OidcLinkView = ViewOf<typeof OIDC_LINK_VIEW>;
