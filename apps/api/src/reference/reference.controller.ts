import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isPlatformUser } from '../../../../libs/domain/src';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { CATEGORIES, DEPARTMENTS, DISTRICTS, EXPERTS, INSTITUTIONS, MAP_SETTINGS } from './reference-views.schema';
import { mapSettings } from './map-settings';
import { forbiddenProblem } from '../common/problem';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { districtList } from './locations';
import { ReferenceService } from './reference.service';

/** The reference data commands refer to: categories, departments, referral institutions. */
@ApiTags('reference')
@Controller()
export class ReferenceController {
  constructor(
    private readonly reference: ReferenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('categories')
  @ApiOperation({ summary: 'Ticket categories (codes for POST /tickets) with their default department or referral institution, SLA and search keywords' })
  @ApiOkResponse({ schema: CATEGORIES })
  categories() {
    return this.reference.categories();
  }

  @Get('departments')
  @ApiOperation({ summary: 'Departments (for assign-department) with their institution and assignment mode' })
  @ApiOkResponse({ schema: DEPARTMENTS })
  departments() {
    return this.reference.departments();
  }

  @Get('institutions')
  @ApiOperation({ summary: 'Directory of institutions outside our jurisdiction (for refer)' })
  @ApiOkResponse({ schema: INSTITUTIONS })
  institutions() {
    return this.reference.institutions();
  }

  @Get('districts')
  @ApiOperation({ summary: 'Mersin’s 13 districts with their neighbourhoods (location.district / location.neighbourhood of POST /tickets)' })
  @ApiOkResponse({ schema: DISTRICTS })
  districts() {
    return districtList();
  }

  @Get('map')
  @ApiOperation({ summary: 'The console’s maps: the tile source (configuration), its attribution, and where a map without a pin opens' })
  @ApiOkResponse({ schema: MAP_SETTINGS })
  map() {
    return mapSettings(this.config.map);
  }

  @Get('departments/:departmentId/experts')
  @StaffOnly()
  @ApiOperation({ summary: 'Staff: a department’s active experts with their open tickets (for assign-expert)' })
  @ApiOkResponse({ schema: EXPERTS })
  experts(@Param('departmentId') departmentId: string, @CurrentIdentity() identity: StaffIdentity) {
    if (isPlatformUser(identity)) throw forbiddenProblem('the organisation’s staff list is for staff');
    return this.reference.experts(departmentId);
  }
}
