import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CREATED_TICKET, TICKET_HISTORY, TICKET_LIST_PAGE, TICKET_VIEW } from '../common/openapi-views';
import { CurrentIdentity, OptionalStaff, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard';
import { IntakeService } from './intake.service';
import { TicketHistoryService } from './ticket-history.service';
import { TicketQueryService } from './ticket-query.service';
import { ListTicketsQueryDto } from './listing/list-tickets.dto';
import { TicketListingService } from './listing/ticket-listing.service';

/** Intake from anyone: the caller is resolved first, so staff and platform users skip the anonymous limits. */
const IntakeCaller = () =>
  applyDecorators(
    OptionalStaff(),
    UseGuards(IntakeRateLimitGuard),
    ApiTooManyRequestsResponse({ description: 'Anonymous intake over its limit per IP or per phone (INTAKE_RATE_LIMIT); see Retry-After' }),
  );

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly query: TicketQueryService,
    private readonly historyService: TicketHistoryService,
    private readonly listing: TicketListingService,
  ) {}

  @Post()
  @HttpCode(201)
  @IntakeCaller()
  @ApiOperation({ summary: 'Record a citizen request (any channel); texts the citizen a tracking link. Anonymous requests are rate limited per IP and per phone' })
  @ApiCreatedResponse({ description: 'The ticket’s number and tracking link', schema: CREATED_TICKET })
  create(@Body() dto: CreateTicketDto, @CurrentIdentity() identity: StaffIdentity | null) {
    return this.intake.create(dto, identity);
  }

  @Get()
  @StaffOnly()
  @ApiOperation({ summary: 'A work queue or a filtered list of the tickets the caller may open, newest first, keyset-paged ({ items, nextCursor })' })
  @ApiOkResponse({ schema: TICKET_LIST_PAGE })
  list(@Query() query: ListTicketsQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.listing.list(identity, query);
  }

  @Get(':number')
  @OptionalStaff()
  @ApiHeader({ name: 'x-tracking-token', required: false, description: 'The citizen’s token from the tracking link' })
  @ApiOperation({ summary: 'A ticket with its status and timeline (staff of its department, the center and auditors: the staff view, masked by role; platform users: their own and their neighbourhood’s; the citizen with its tracking token: their ticket; anyone else: 404, as for an unknown ticket)' })
  @ApiOkResponse({ schema: TICKET_VIEW })
  get(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity | null, @Headers('x-tracking-token') token?: string) {
    return this.query.read(number, identity, token);
  }

  @Get(':number/live')
  @StaffOnly()
  @ApiOperation({ summary: 'The live state straight from the ticket’s workflow (a Query), when the projection may lag' })
  live(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.historyService.live(number, identity);
  }

  @Get(':number/history')
  @StaffOnly()
  @ApiOperation({ summary: 'Alias of GET /audit/tickets/:number/history: the Temporal event history (replayable JSON) and a readable timeline, for AUDITOR, COORDINATOR and ADMIN' })
  @ApiOkResponse({ schema: TICKET_HISTORY })
  history(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.historyService.history(number, identity);
  }
}
