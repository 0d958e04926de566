import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CREATED_TICKET, LINK_RESENT, TICKET_HISTORY, TICKET_LIVE, TICKET_VIEW } from './ticket-views.schema';
import { TICKET_LIST_PAGE } from './listing/listing-views.schema';
import { CurrentIdentity, OptionalStaff, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { IDEMPOTENCY_KEY_RETENTION_HOURS, intakeIdempotency } from './intake-idempotency';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard';
import { IntakeService } from './intake.service';
import { TicketHistoryService } from './ticket-history.service';
import { TicketQueryService } from './ticket-query.service';
import { ListTicketsQueryDto } from './listing/list-tickets.dto';
import { TicketListingService } from './listing/ticket-listing.service';
import { TrackingLinkResendService } from './tracking-link-resend.service';

/** Intake from anyone: the caller is resolved first, so the limits fit it (anonymous, platform user, staff). */
const IntakeCaller = () =>
  applyDecorators(
    OptionalStaff(),
    UseGuards(IntakeRateLimitGuard),
    ApiTooManyRequestsResponse({ description: 'Anonymous intake over its limit per address or per phone (INTAKE_RATE_LIMIT), a platform user’s over PLATFORM_INTAKE_RATE_LIMIT; see Retry-After' }),
  );

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly query: TicketQueryService,
    private readonly historyService: TicketHistoryService,
    private readonly listing: TicketListingService,
    private readonly linkResends: TrackingLinkResendService,
  ) {}

  @Post()
  @HttpCode(201)
  @IntakeCaller()
  @ApiOperation({
    summary:
      'Record a citizen request (any channel); texts the citizen a tracking link. Only an anonymous caller (the citizen on the web form) gets the link (trackingUrl) in the answer; ' +
      'a signed-in caller gets none: the link reaches the citizen by SMS only (POST /tickets/:number/resend-link sends it again). Anonymous requests are rate limited per address and per phone, platform users per account',
  })
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      `Optional, 1-255 printable ASCII characters (a UUID): the same intake sent again with the same key (a retry, a double tap) ` +
      `creates no second ticket and gets the first answer (201, same body). Scoped to the caller (the signed-in account, or the ` +
      `client IP when anonymous) and kept ${IDEMPOTENCY_KEY_RETENTION_HOURS} h. The same key with another body: 422 IDEMPOTENCY_KEY_REUSED.`,
  })
  @ApiCreatedResponse({ description: 'The ticket’s number and tracking link (a replay of an Idempotency-Key: the first answer)', schema: CREATED_TICKET })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used by this caller for an intake with another body' })
  @ApiResponse({ status: 503, description: 'DATABASE_UNAVAILABLE: nothing was recorded; retry (with the same Idempotency-Key) after Retry-After seconds' })
  create(
    @Body() dto: CreateTicketDto,
    @CurrentIdentity() identity: StaffIdentity | null,
    @Ip() ip: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.intake.create(dto, identity, {}, intakeIdempotency(idempotencyKey, identity, ip));
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
  @ApiOperation({ summary: 'A ticket with its status and timeline (staff of its department, the center and auditors: the staff view, masked by role; platform users: the citizen view of their own submissions, the public view of their neighbourhood’s and followed ones; the citizen with its tracking token: their ticket; anyone else: 404, as for an unknown ticket)' })
  @ApiOkResponse({ schema: TICKET_VIEW })
  get(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity | null, @Headers('x-tracking-token') token?: string) {
    return this.query.read(number, identity, token);
  }

  @Post(':number/resend-link')
  @HttpCode(202)
  @StaffOnly()
  @ApiOperation({
    summary:
      'Agent or coordinator: text the citizen their tracking link again, to the number on file (never in the answer). Recorded with who asked; ' +
      'within LINK_RESEND_WINDOW (2 min) of the last re-send the answer names that one (ALREADY_REQUESTED) and nothing more is texted. ' +
      '409 CITIZEN_NOT_TEXTABLE (not a Turkish mobile), 409 TRACKING_LINK_UNAVAILABLE (closed too long ago, anonymised)',
  })
  @ApiResponse({ status: 202, description: 'The SMS is on its way (through the outbox), or was asked for within the window', schema: LINK_RESENT })
  resendLink(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.linkResends.resend(number, identity);
  }

  @Get(':number/live')
  @StaffOnly()
  @ApiOperation({
    summary: 'The live state straight from the ticket’s workflow (a Query), when the projection may lag; platform users get the view GET /tickets/:number gives them',
  })
  @ApiOkResponse({ schema: TICKET_LIVE })
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
