import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest, forbiddenProblem, notFound } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import type { OidcLinkDto } from './dto/oidc-link.dto';
import type { StaffIdentity } from './identity';
import type { OidcLinkView } from './identity-views.schema';
import { StaffRepository } from '../../../../libs/database/src/staff.repository';

const assertAdmin = (identity: StaffIdentity) => {
  if (!identity.roles.includes('ADMIN')) throw forbiddenProblem('accounts of the identity provider are linked by an ADMIN');
};

/**
 * Which account of the external identity provider signs in as which staff member: an ADMIN links
 * the provider's (iss, sub) to the staff row; each change is logged with who made it and the
 * request id. A token of the provider is then mapped by its iss and sub alone.
 */
@Injectable()
export class OidcLinksService {
  private readonly issuer: string | null;

  constructor(
    private readonly links: StaffRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.issuer = config.auth.oidc?.issuer ?? null;
  }

  async get(identity: StaffIdentity, staffId: string): Promise<OidcLinkView> {
    assertAdmin(identity);
    const link = await this.links.linkOf(staffId);
    if (link === undefined) throw notFound(`staff member ${staffId}`);
    return { staffId, link, events: await this.links.events(staffId) };
  }

  async link(identity: StaffIdentity, staffId: string, dto: OidcLinkDto): Promise<OidcLinkView> {
    assertAdmin(identity);
    if (this.issuer === null) throw badRequest('issuer', 'no external identity provider is configured (OIDC_ISSUER)');
    if (dto.issuer !== this.issuer) throw badRequest('issuer', `must be the configured identity provider, ${this.issuer}`);
    const result = await this.links.link(staffId, { issuer: dto.issuer, subject: dto.subject }, identity.id, currentRequestId() ?? null);
    if (!result.ok) {
      if (result.reason === 'NO_SUCH_STAFF') throw notFound(`staff member ${staffId}`);
      throw new ApiProblem(ApiErrorCode.OIDC_ACCOUNT_LINKED_ELSEWHERE, 'this account of the identity provider is linked to another staff member: unlink it there first');
    }
    return this.get(identity, staffId);
  }

  async unlink(identity: StaffIdentity, staffId: string): Promise<void> {
    assertAdmin(identity);
    if (!(await this.links.unlink(staffId, identity.id, currentRequestId() ?? null))) throw notFound(`staff member ${staffId}`);
  }
}
