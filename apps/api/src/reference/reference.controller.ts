import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { districtList } from './locations';
import { ReferenceService } from './reference.service';

/** The reference data commands refer to: categories, departments, referral institutions. */
@ApiTags('reference')
@Controller()
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('categories')
  @ApiOperation({ summary: 'Ticket categories (codes for POST /tickets) with their default department and SLA' })
  categories() {
    return this.reference.categories();
  }

  @Get('departments')
  @ApiOperation({ summary: 'Departments (for assign-department) with their institution and assignment mode' })
  departments() {
    return this.reference.departments();
  }

  @Get('institutions')
  @ApiOperation({ summary: 'Directory of institutions outside our jurisdiction (for refer)' })
  institutions() {
    return this.reference.institutions();
  }

  @Get('districts')
  @ApiOperation({ summary: 'Mersin’s 13 districts with their neighbourhoods (location.district / location.neighbourhood of POST /tickets)' })
  districts() {
    return districtList();
  }
}
