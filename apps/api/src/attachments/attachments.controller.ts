import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ATTACHMENT_KINDS } from '../../../../libs/domain/src';
import { CurrentIdentity, OptionalStaff, StaffOnly, StaffOnlyCommand } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { Caller } from '../tickets/ticket-command.decorators';
import type { CommandCaller } from '../tickets/ticket-commands.service';
import { AttachmentUploadInterceptor, FILE_FIELD } from './attachment-upload.interceptor';
import { SIGNED_URL_TTL_SECONDS } from './attachment-urls';
import { ATTACHMENT_LIST, ATTACHMENT_VIEW } from './attachment-views.schema';
import { AttachmentsService, type AttachmentFile } from './attachments.service';
import { AttachmentUploadDto } from './dto/attachment-upload.dto';

/** A binary answer in each of these media types (the one served is the attachment's own). */
const fileContent = (...types: string[]) => Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));

/**
 * A ticket's photos and documents. The upload is a multipart form (`file`, `kind`); the files
 * are served only re-encoded (images) or checked (PDFs), to readers who may open the ticket or
 * with a short-lived signed URL, with headers that keep a browser from running anything in them.
 */
@ApiTags('attachments')
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('tickets/:number/attachments')
  @HttpCode(201)
  @StaffOnlyCommand()
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [FILE_FIELD, 'kind'],
      properties: { [FILE_FIELD]: { type: 'string', format: 'binary', description: 'JPEG, PNG, WebP, HEIC or PDF (the type is read from the bytes)' }, kind: { type: 'string', enum: [...ATTACHMENT_KINDS] } },
    },
  })
  @ApiOperation({
    summary:
      'Staff: add a photo or PDF to the ticket (INTAKE: the center; BEFORE/AFTER: the assigned expert or a manager of its department while the department works on it). ' +
      'Images are re-encoded without EXIF/GPS; the ticket’s audit gets an ATTACHED row with the file’s SHA-256. Refusals leave the ticket unchanged: 400 (field), 403, 404, 409 (state, ATTACHMENT_LIMIT_REACHED), 413 (ATTACHMENT_TOO_LARGE, ATTACHMENT_TOO_MANY_PIXELS), 415 (ATTACHMENT_TYPE_UNSUPPORTED), 422 (ATTACHMENT_UNREADABLE, ATTACHMENT_ACTIVE_CONTENT)',
  })
  @ApiCreatedResponse({ description: 'The attachment, recorded on the ticket', schema: ATTACHMENT_VIEW })
  @ApiResponse({ status: 503, description: 'WORKFLOW_UNAVAILABLE: the outcome is unknown; the file is shown only if the ticket recorded it (list again)' })
  add(@Param('number') number: string, @UploadedFile() file: Express.Multer.File | undefined, @Body() dto: AttachmentUploadDto, @Caller() caller: CommandCaller) {
    return this.attachments.addByStaff(number, dto.toUpload(file), caller);
  }

  @Get('tickets/:number/attachments')
  @StaffOnly()
  @ApiOperation({ summary: `The ticket’s attachments (those its workflow recorded), oldest first, with URLs of their files signed for ${SIGNED_URL_TTL_SECONDS / 60} minutes; 404 for a ticket the caller may not open` })
  @ApiOkResponse({ schema: ATTACHMENT_LIST })
  list(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.attachments.list(number, identity);
  }

  @Get('attachments/:id/display')
  @OptionalStaff()
  @ApiParam({ name: 'id', description: 'The attachment’s id' })
  @ApiQuery({ name: 'sig', required: false, description: 'The signature of a signed URL (from the list); without it, a bearer token of a reader who may open the ticket' })
  @ApiOperation({ summary: 'The attachment’s file: the re-encoded image (inline) or the PDF (always a download); nosniff, a CSP that allows nothing, private caching. 404 for anyone who may not open the ticket, and for an expired or forged signature' })
  @ApiOkResponse({ description: 'The file', content: fileContent('image/jpeg', 'image/png', 'image/webp', 'application/pdf') })
  async display(@Param('id') id: string, @CurrentIdentity() identity: StaffIdentity | null, @Res({ passthrough: true }) res: Response, @Query('sig') sig?: string) {
    return send(res, await this.attachments.file(id, 'display', identity, sig));
  }

  @Get('attachments/:id/thumbnail')
  @OptionalStaff()
  @ApiParam({ name: 'id', description: 'The attachment’s id' })
  @ApiQuery({ name: 'sig', required: false, description: 'The signature of a signed URL (from the list); without it, a bearer token of a reader who may open the ticket' })
  @ApiOperation({ summary: 'A small image of the attachment (320 px) for lists; 404 for a PDF (none is made) and as for the display file' })
  @ApiOkResponse({ description: 'The thumbnail', content: fileContent('image/jpeg', 'image/png', 'image/webp') })
  async thumbnail(@Param('id') id: string, @CurrentIdentity() identity: StaffIdentity | null, @Res({ passthrough: true }) res: Response, @Query('sig') sig?: string) {
    return send(res, await this.attachments.file(id, 'thumbnail', identity, sig));
  }
}

/** The file with headers that let a browser show an image and nothing else: no sniffing, no script, no framing, no shared cache. */
function send(res: Response, file: AttachmentFile): StreamableFile {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox; frame-ancestors 'none'");
  res.setHeader('Cache-Control', `private, max-age=${SIGNED_URL_TTL_SECONDS}`);
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // The bytes as they are, with exactly this type (no charset appended, no JSON serialisation).
  return new StreamableFile(file.bytes, {
    type: file.mediaType,
    length: file.bytes.length,
    disposition: `${file.disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  });
}
