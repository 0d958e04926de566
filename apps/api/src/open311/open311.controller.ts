import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ApiClientKeyHolder } from '../api-clients/api-clients.service';
import { Open311Error } from './open311.error';
import { Open311ErrorFilter } from './open311-error.filter';
import { isOpen311Format, OPEN311_FORMATS, sendOpen311, type Open311Format } from './open311.format';
import { Open311CallerGuard, Open311Client } from './open311-caller.guard';
import { Open311Service } from './open311.service';
import { POST_PARAMETERS } from './open311-request.form';
import { Open311Answer, OPEN311_CREATED, OPEN311_DISCOVERY, OPEN311_REQUESTS, OPEN311_SERVICE_DEFINITION, OPEN311_SERVICES } from './open311-views.schema';

/** The extension of the path names the format; any other is a 404 (in JSON). */
function formatOf(format: string): Open311Format {
  if (!isOpen311Format(format)) throw new Open311Error(404, `".${format}" is not a format of this endpoint: use .json or .xml`);
  return format;
}

const FormatParam = () => ApiParam({ name: 'format', enum: OPEN311_FORMATS });

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2: discovery,
 * services, service definitions, POST requests (form-encoded, API key) and the public view of
 * requests, each as `.json` or `.xml`. Errors use the spec's error list in the same format.
 */
@ApiTags('open311')
@Controller('open311/v2')
@UseFilters(Open311ErrorFilter)
@UseGuards(Open311CallerGuard)
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get('discovery.:format')
  @FormatParam()
  @ApiOperation({ summary: 'Open311 service discovery: the GeoReport v2 endpoint, its formats and where keys come from' })
  @Open311Answer(200, OPEN311_DISCOVERY)
  discovery(@Param('format') format: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const f = formatOf(format);
    this.open311.checkJurisdiction(query.jurisdiction_id);
    sendOpen311(res, f, 200, this.open311.discovery());
  }

  @Get('services.:format')
  @FormatParam()
  @ApiOperation({ summary: 'GeoReport v2 GET Service List: every active category as a service (group = institution)' })
  @Open311Answer(200, OPEN311_SERVICES)
  async services(@Param('format') format: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const f = formatOf(format);
    this.open311.checkJurisdiction(query.jurisdiction_id);
    sendOpen311(res, f, 200, await this.open311.services());
  }

  @Get('services/:service_code.:format')
  @FormatParam()
  @ApiOperation({ summary: 'GeoReport v2 GET Service Definition: the service’s attributes (none: no category asks for extra fields)' })
  @Open311Answer(200, OPEN311_SERVICE_DEFINITION)
  async serviceDefinition(@Param('service_code') code: string, @Param('format') format: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const f = formatOf(format);
    this.open311.checkJurisdiction(query.jurisdiction_id);
    sendOpen311(res, f, 200, await this.open311.serviceDefinition(code));
  }

  @Post('requests.:format')
  @HttpCode(201)
  @FormatParam()
  @ApiConsumes('application/x-www-form-urlencoded', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['api_key', 'service_code', 'description', 'phone'],
      properties: {
        ...Object.fromEntries(POST_PARAMETERS.map((name) => [name, { type: 'string' }])),
        media: { type: 'string', format: 'binary', description: 'multipart/form-data only: a photo (JPEG, PNG, WebP, HEIC) or PDF, checked before the request is created (a refused file creates nothing)' },
      },
      description: 'GeoReport v2 POST Service Request; lat and long, or address_string; first_name and/or last_name',
    },
  })
  @ApiOperation({
    summary:
      'GeoReport v2 POST Service Request (application/x-www-form-urlencoded, api_key required): a ticket in channel WEB, the citizen texted its tracking link; answers service_request_id = the ticket number',
  })
  @Open311Answer(201, OPEN311_CREATED, 'The new ticket’s number, in a list of one')
  async create(@Param('format') format: string, @Req() req: Request, @Open311Client() client: ApiClientKeyHolder | null, @Res() res: Response) {
    const f = formatOf(format);
    if (!req.is('application/x-www-form-urlencoded') && !req.is('multipart/form-data')) {
      throw new Open311Error(415, 'POST requests takes a form: Content-Type application/x-www-form-urlencoded, or multipart/form-data with a media file');
    }
    const file = (req as Request & { file?: Express.Multer.File }).file;
    sendOpen311(res, f, 201, await this.open311.create(req.body, client, file ? { bytes: file.buffer, fileName: file.originalname || null } : undefined));
  }

  @Get('requests.:format')
  @FormatParam()
  @ApiOperation({
    summary:
      'GeoReport v2 GET Service Requests: public fields only, newest first; service_request_id, service_code, start_date, end_date (90 days at most, the last 90 by default), status, page, page_size (≤ 1000); Link rel="next" when more',
  })
  @Open311Answer(200, OPEN311_REQUESTS)
  async list(@Param('format') format: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const f = formatOf(format);
    const { body, nextPage } = await this.open311.list(query);
    if (nextPage !== null) {
      const url = new URL(req.originalUrl, 'http://localhost');
      url.searchParams.set('page', String(nextPage));
      url.searchParams.delete('api_key');
      res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    sendOpen311(res, f, 200, body);
  }

  @Get('requests/:id.:format')
  @FormatParam()
  @ApiOperation({ summary: 'GeoReport v2 GET Service Request: one request (by ticket number), public fields only' })
  @Open311Answer(200, OPEN311_REQUESTS, 'The request in a list of one, as the spec answers it')
  async get(@Param('id') id: string, @Param('format') format: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const f = formatOf(format);
    sendOpen311(res, f, 200, await this.open311.get(id, query));
  }
}
