import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OidcLinkDto } from './dto/oidc-link.dto';
import { OIDC_LINK_VIEW } from './identity-views.schema';
import type { StaffIdentity } from './identity';
import { CurrentIdentity, StaffOnly } from './identity.decorators';
import { OidcLinksService } from './oidc-links.service';

/** Which account of the external identity provider (its iss + sub) signs in as which staff member: for an ADMIN. */
@ApiTags('admin')
@Controller('admin/staff/:id/oidc-link')
@StaffOnly()
@ApiForbiddenResponse({ description: 'The caller is not an ADMIN' })
@ApiNotFoundResponse({ description: 'No staff member with this id' })
export class OidcLinksController {
  constructor(private readonly links: OidcLinksService) {}

  @Get()
  @ApiOperation({ summary: 'The staff member’s linked identity-provider account, and every link and unlink (who, when)' })
  @ApiOkResponse({ schema: OIDC_LINK_VIEW })
  get(@Param('id') id: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.links.get(identity, id);
  }

  @Put()
  @ApiOperation({ summary: 'Link the identity provider’s account (issuer + subject, the tokens’ iss and sub) to the staff member, replacing any link; logged' })
  @ApiOkResponse({ schema: OIDC_LINK_VIEW })
  @ApiConflictResponse({ description: 'OIDC_ACCOUNT_LINKED_ELSEWHERE: that account is linked to another staff member' })
  link(@Param('id') id: string, @Body() dto: OidcLinkDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.links.link(identity, id, dto);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlink: the identity provider’s tokens no longer sign in as this staff member; logged' })
  @ApiNoContentResponse({ description: 'Unlinked (or there was no link)' })
  unlink(@Param('id') id: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.links.unlink(identity, id);
  }
}
