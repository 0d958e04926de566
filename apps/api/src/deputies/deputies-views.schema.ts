import { dt, e, ndt, nstr, obj, str, type ViewOf } from '../common/view-schema';

export const DEPUTY_STATES = ['SCHEDULED', 'IN_FORCE', 'ENDED', 'REVOKED'] as const;

/** A deputyship as the ADMIN sees it. */
export const DEPUTY_VIEW = obj({
  id: str,
  principalId: str,
  principalName: str,
  deputyId: str,
  deputyName: str,
  departmentId: nstr,
  from: dt,
  to: dt,
  reason: str,
  state: e(DEPUTY_STATES),
  createdBy: str,
  createdAt: dt,
  revokedAt: ndt,
  revokedBy: nstr,
});
export type DeputyView = ViewOf<typeof DEPUTY_VIEW>;
export type DeputyState = DeputyView['state'];
