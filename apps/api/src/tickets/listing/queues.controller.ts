import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUEUE_COUNTS } from './listing-views.schema';
import { CurrentIdentity, StaffOnly } from '../../identity/identity.decorators';
import type { StaffIdentity } from '../../identity/identity';
import { TicketListingService } from './ticket-listing.service';

@ApiTags('tickets')
@Controller('queues')
export class QueuesController {
  constructor(private readonly listing: TicketListingService) {}

  @Get()
  @StaffOnly()
  @ApiOperation({ summary: 'The caller’s work queues with how many tickets each holds now (scoped: a ticket the caller may not open is never counted)' })
  @ApiOkResponse({ schema: QUEUE_COUNTS })
  queues(@CurrentIdentity() identity: StaffIdentity) {
    return this.listing.queues(identity);
  }
}
