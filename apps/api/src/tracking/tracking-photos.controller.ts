import { Controller, Get, Header, Headers, HttpCode, Param, Post, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AttachmentUploadInterceptor, FILE_FIELD } from '../attachments/attachment-upload.interceptor';
import { AttachmentsService } from '../attachments/attachments.service';
import { badRequest } from '../common/problem';
import { CitizenTokens } from '../tickets/citizen-token';
import { TicketQueryService } from '../tickets/ticket-query.service';
import { TrackingTokenGuard } from './tracking-token.guard';
import { TrackingUploadRateLimitGuard } from './tracking-upload-rate-limit.guard';
import { TRACKING_PHOTO, TRACKING_PHOTOS, TrackingPhotoService, type TrackingPhoto, type TrackingPhotos } from './tracking-photos';

/** The photos of the citizen's tracking page as JSON (the page itself renders them): new signed URLs when the old ones expire; and the citizen's upload. */
@ApiTags('citizen')
@Controller()
export class TrackingPhotosController {
  constructor(
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
    private readonly photos: TrackingPhotoService,
    private readonly attachments: AttachmentsService,
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

  /** The citizen's photo from the tracking page (kind CITIZEN, source TRACKING_PAGE), sent with X-Tracking-Token like the rating. */
  @Post('t/:number/attachments')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @UseGuards(TrackingUploadRateLimitGuard, TrackingTokenGuard)
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiOperation({
    summary:
      'The citizen adds a photo (or PDF) from the tracking page: kind CITIZEN, source TRACKING_PAGE. The type is read from the bytes; images are re-encoded without EXIF/GPS; ' +
      'the ticket’s audit gets an ATTACHED row with the SHA-256. Refusals leave the ticket unchanged: 400 (field), 404, 409 (TICKET_CLOSED, ATTACHMENT_LIMIT_REACHED), 413 (ATTACHMENT_TOO_LARGE, ATTACHMENT_TOO_MANY_PIXELS), 415 (ATTACHMENT_TYPE_UNSUPPORTED), 422 (ATTACHMENT_UNREADABLE, ATTACHMENT_ACTIVE_CONTENT)',
  })
  @ApiHeader({ name: 'X-Tracking-Token', required: true, description: 'The token of the SMS link (k=…)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [FILE_FIELD],
      properties: { [FILE_FIELD]: { type: 'string', format: 'binary', description: 'JPEG, PNG, WebP, HEIC or PDF (the type is read from the bytes)' } },
    },
  })
  @ApiCreatedResponse({ description: 'The photo as the tracking page lists it (GET /t/:number/photos)', schema: TRACKING_PHOTO })
  @ApiNotFoundResponse({ description: 'Unknown ticket, or a missing, wrong or expired token (checked before the file is read)' })
  @ApiConflictResponse({ description: 'TICKET_CLOSED, or ATTACHMENT_LIMIT_REACHED' })
  @ApiPayloadTooLargeResponse({ description: 'ATTACHMENT_TOO_LARGE, ATTACHMENT_TOO_MANY_PIXELS' })
  @ApiUnsupportedMediaTypeResponse({ description: 'ATTACHMENT_TYPE_UNSUPPORTED: the bytes are not a JPEG, PNG, WebP, HEIC or PDF' })
  @ApiUnprocessableEntityResponse({ description: 'ATTACHMENT_UNREADABLE, ATTACHMENT_ACTIVE_CONTENT' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_REQUESTS: too many uploads from this network (INTAKE_RATE_LIMIT’s per-IP number over INTAKE_RATE_WINDOW), with Retry-After' })
  async add(@Param('number') number: string, @UploadedFile() file: Express.Multer.File | undefined, @Headers('x-tracking-token') token?: string): Promise<TrackingPhoto> {
    if (!file) throw badRequest(FILE_FIELD, 'a file is required, in the field "file"');
    const added = await this.attachments.addByCitizen(number, { bytes: file.buffer, fileName: file.originalname, source: 'TRACKING_PAGE' }, token);
    const ticket = await this.query.findRow(number);
    const photo = (await this.photos.of(ticket)).find((p) => p.id === added.id);
    if (!photo) throw new Error(`the citizen's attachment ${added.id} is not among the ticket's photos`);
    return photo;
  }
}
