import { Controller, Get, Header, Headers, Param } from '@nestjs/common';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CitizenTokens } from '../tickets/citizen-token';
import { TicketQueryService } from '../tickets/ticket-query.service';
import { TRACKING_PHOTOS, TrackingPhotoService, type TrackingPhotos } from './tracking-photos';

/** The photos of the citizen's tracking page as JSON (the page itself renders them): new signed URLs when the old ones expire. */
@ApiTags('citizen')
@Controller()
export class TrackingPhotosController {
  constructor(
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
    private readonly photos: TrackingPhotoService,
  ) {}

  @Get('t/:number/photos')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'The photos the citizen’s tracking page shows: the citizen’s own, and the expert’s AFTER photos once the resolution was approved (never the center’s or the BEFORE photos, never who added them), with URLs signed for a few minutes',
  })
  @ApiHeader({ name: 'X-Tracking-Token', required: true, description: 'The token of the SMS link (k=…)' })
  @ApiOkResponse({ schema: TRACKING_PHOTOS })
  @ApiNotFoundResponse({ description: 'Unknown ticket, or a missing, wrong or expired token' })
  async list(@Param('number') number: string, @Headers('x-tracking-token') token?: string): Promise<TrackingPhotos> {
    const ticket = await this.query.findRow(number);
    this.tokens.assert(ticket, token);
    return { number: ticket.number, items: await this.photos.of(ticket) };
  }
}
