import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { PII_READS, type PiiRead } from './audit-views.schema';
import { PiiReadsService } from './pii-reads.service';

/** KVKK: every read of a citizen's personal data by a signed-in user, per ticket, for auditors. */
@ApiTags('audit')
@Controller('audit')
export class PiiReadsController {
  constructor(private readonly service: PiiReadsService) {}

  @Get('pii-reads')
  @StaffOnly()
  @ApiQuery({ name: 'ticket', required: true, example: '2026-000123' })
  @ApiOperation({ summary: 'Who read the citizen’s personal data of a ticket, when, which fields, through which route (AUDITOR, ADMIN)' })
  @ApiOkResponse({ description: 'Oldest first', schema: PII_READS })
  list(@Query('ticket') number: string | undefined, @CurrentIdentity() identity: StaffIdentity): Promise<PiiRead[]> {
    return this.service.list(number, identity);
  }
}
