import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { TICKET_HISTORY } from '../tickets/ticket-views.schema';
import { AUDIT_EXPORT, REPLAY_ANSWER, VERIFY_RESULT } from './audit-views.schema';
import { TicketAuditService } from './ticket-audit.service';

const attachment = (res: Response, fileName: string) => res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);

/** The auditor's view of one ticket: its legal record, its replay against today's code, the tamper check, the export. */
@ApiTags('audit')
@Controller('audit/tickets')
export class AuditController {
  constructor(private readonly audit: TicketAuditService) {}

  @Get(':number/history')
  @StaffOnly()
  @ApiQuery({ name: 'format', required: false, enum: ['temporal'], description: 'temporal: one run’s history as a download in Temporal’s own JSON format (replayable with any SDK or `temporal workflow show`)' })
  @ApiQuery({ name: 'run', required: false, description: 'With format=temporal: the run to download (default: the current one)' })
  @ApiOperation({ summary: 'The Temporal event history of every run (replayable JSON) and a readable timeline, for AUDITOR, COORDINATOR and ADMIN (also at GET /tickets/:number/history)' })
  @ApiOkResponse({ description: 'Every run with its timeline; with format=temporal, one run’s history in Temporal’s own JSON instead (a download)', schema: TICKET_HISTORY })
  async history(
    @Param('number') number: string,
    @CurrentIdentity() identity: StaffIdentity,
    @Res({ passthrough: true }) res: Response,
    @Query('format') format?: string,
    @Query('run') run?: string,
  ) {
    if (format !== 'temporal') return this.audit.history(number, identity);
    const { fileName, json } = await this.audit.temporalJson(number, identity, run);
    attachment(res, fileName);
    res.type('application/json');
    return json;
  }

  @Post(':number/replay')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Replay every run of the ticket against the current workflow code: "deterministic", or the first divergence in words (AUDITOR)' })
  @ApiOkResponse({ schema: REPLAY_ANSWER })
  replay(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.audit.replay(number, identity);
  }

  @Get(':number/verify')
  @StaffOnly()
  @ApiOperation({ summary: 'Check the audit rows’ hash chain and compare them with the Temporal history: edited, inserted and deleted rows by sequence number (AUDITOR)' })
  @ApiOkResponse({ schema: VERIFY_RESULT })
  verify(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.audit.verify(number, identity);
  }

  @Get(':number/export')
  @StaffOnly()
  @ApiOperation({ summary: 'Download the ticket’s audit rows (with their hashes) and its personal-data read log (AUDITOR)' })
  @ApiOkResponse({ description: 'A download (Content-Disposition: attachment)', schema: AUDIT_EXPORT })
  async export(@Param('number') number: string, @CurrentIdentity() identity: StaffIdentity, @Res({ passthrough: true }) res: Response) {
    const body = await this.audit.export(number, identity);
    attachment(res, `ticket-${body.number}-audit.json`);
    return body;
  }
}
