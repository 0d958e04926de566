import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { arr } from '../common/view-schema';
import { DEPUTY_VIEW } from './deputies-views.schema';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { DeputiesService } from './deputies.service';
import { CreateDeputyDto } from './dto/create-deputy.dto';

/** Deputies (vekalet): who stands in for an absent colleague, for a bounded time. For an ADMIN. */
@ApiTags('admin')
@Controller('admin/deputies')
@StaffOnly()
@ApiForbiddenResponse({ description: 'The caller is not an ADMIN' })
export class DeputiesController {
  constructor(private readonly deputies: DeputiesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Appoint a deputy: same department as the principal, from now or later, at most 90 days; audited (admin_audit)' })
  @ApiCreatedResponse({ schema: DEPUTY_VIEW })
  @ApiNotFoundResponse({ description: 'No active staff member with that principalId or deputyId' })
  @ApiConflictResponse({ description: 'DEPUTY_OF_SELF, DEPUTY_OTHER_DEPARTMENT, or DEPUTY_OVERLAP (the principal has a deputy then, or the deputy is away themself)' })
  create(@Body() dto: CreateDeputyDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.deputies.create(identity, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every deputyship, newest first, with its state (SCHEDULED, IN_FORCE, ENDED, REVOKED)' })
  @ApiOkResponse({ schema: arr(DEPUTY_VIEW) })
  list(@CurrentIdentity() identity: StaffIdentity) {
    return this.deputies.list(identity);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a deputyship: it ends now, or never begins (the row stays, with who revoked it); audited' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such deputyship' })
  revoke(@Param('id') id: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.deputies.revoke(identity, id);
  }
}
