import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TicketQueryService } from '../tickets/ticket-query.service';
import { renderTrackingPage } from './tracking-page.view';

/** The citizen's tracking page, reached from the SMS link (`/t/<number>?k=<token>`). */
@ApiExcludeController()
@Controller('t')
export class TrackingController {
  constructor(private readonly query: TicketQueryService) {}

  @Get(':number')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async page(@Param('number') number: string, @Query('k') token?: string, @Query('lang') lang?: string) {
    const ticket = await this.query.findForCitizen(number, token);
    const language = lang === 'en' || (lang !== 'tr' && ticket.language === 'en') ? 'en' : 'tr';
    return renderTrackingPage(await this.query.view(ticket, 'CITIZEN'), token!, language);
  }
}
