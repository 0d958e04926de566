import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { unauthorized } from '../common/problem';
import { IdentityResolver, type StaffIdentity } from './identity';

export const STAFF_HEADER = 'x-staff-id';

/**
 * DEVELOPMENT identity: `X-Staff-Id: <staff id>` names a seeded, active staff member. An
 * unknown or inactive id is a 401, never a silent anonymous request.
 */
@Injectable()
export class DevHeaderIdentityResolver extends IdentityResolver {
  constructor(private readonly organisation: OrganisationRepository) {
    super();
  }

  async resolve(req: Request): Promise<StaffIdentity | null> {
    const id = req.header(STAFF_HEADER);
    if (!id) return null;
    const staff = await this.organisation.findActiveStaff(id);
    if (!staff) throw unauthorized(`${STAFF_HEADER} does not name an active staff member`);
    return { kind: 'STAFF', id: staff.id, roles: staff.roles, departmentId: staff.departmentId };
  }
}
