import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { cspNonce } from '../common/security-headers';
import { CitizenTokens, ticketNotFound } from '../tickets/citizen-token';
import { TicketQueryService } from '../tickets/ticket-query.service';
import { renderClosedPage, renderTrackingPage } from './tracking-page.view';

/**
 * The citizen's tracking page, reached from the SMS link (`/t/<number>?k=<token>`). A missing,
 * wrong or another ticket's token is the 404 of an unknown ticket; a token whose ticket closed
 * longer ago than TRACKING_TOKEN_TTL_AFTER_CLOSE gets a page saying it is closed, nothing more.
 */
@ApiExcludeController()
@Controller('t')
export class TrackingController {
  constructor(
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
  ) {}

  @Get(':number')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@Param('number') number: string, @Res({ passthrough: true }) res: Response, @Query('k') token?: string, @Query('lang') lang?: string) {
    const ticket = await this.query.findRow(number);
    const language = lang === 'en' || (lang !== 'tr' && ticket.language === 'en') ? 'en' : 'tr';
    const state = this.tokens.state(ticket, token);
    if (state === 'INVALID') throw ticketNotFound(number);
    if (state === 'EXPIRED') return renderClosedPage(ticket.number, language, cspNonce(res));
    return renderTrackingPage(await this.query.view(ticket, 'CITIZEN'), token!, language, cspNonce(res));
  }
}
