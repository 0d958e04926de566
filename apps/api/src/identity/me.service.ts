import { Injectable } from '@nestjs/common';
import { unauthorized } from '../common/problem';
import { accessScope } from './access-scope';
import type { MeView } from './identity-views.schema';
import type { StaffIdentity } from './identity';
import { StaffRepository } from '../../../../libs/database/src/staff.repository';

/** GET /me: the caller's identity, roles, place in the organisation, scope and deputies in force. */
@Injectable()
export class MeService {
  constructor(private readonly accounts: StaffRepository) {}

  async me(identity: StaffIdentity, now = new Date()): Promise<MeView> {
    const [profile, deputies] = await Promise.all([this.accounts.profile(identity.id), this.accounts.deputiesInForce(identity.id, now)]);
    if (!profile) throw unauthorized('the account is no longer active');
    return {
      id: profile.id,
      name: profile.name,
      roles: profile.roles,
      departmentId: profile.departmentId,
      departmentName: profile.departmentName,
      branchId: profile.branchId,
      branchName: profile.branchName,
      approvalLevel: profile.approvalLevel,
      neighbourhood: profile.district && profile.neighbourhood ? { district: profile.district, neighbourhood: profile.neighbourhood } : null,
      scope: accessScope(profile),
      deputies: {
        standingInFor: deputies.filter((d) => d.deputyId === profile.id).map(({ deputyId: _d, deputyName: _n, ...rest }) => rest),
        standingInForMe: deputies.filter((d) => d.principalId === profile.id).map(({ principalId: _p, principalName: _n, ...rest }) => rest),
      },
      authentication: identity.authentication ?? null,
    };
  }
}
