import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CLOSURE_CHECK_ANSWER, HTML_PAGE, RATING_ANSWER } from './tracking-views.schema';
import type { Request, Response } from 'express';
import { ApiProblem } from '../common/problem';
import { cspNonce } from '../common/security-headers';
import { CitizenTokens, ticketNotFound } from '../tickets/citizen-token';
import { TicketQueryService } from '../tickets/ticket-query.service';
import { ClosureCheckAnswerDto, RateTicketDto } from './rate-ticket.dto';
import { renderClosedPage, renderKvkkPage, renderNotFoundPage, renderTrackingPage } from './tracking-page.template';
import type { PageLanguage } from './tracking-page.texts';
import { TrackingPageService } from './tracking-page.service';
import { TrackingPhotoService } from './tracking-photos';

const pageLanguage = (lang: string | undefined, fallback: 'tr' | 'en' = 'tr'): PageLanguage => (lang === 'en' || (lang !== 'tr' && fallback === 'en') ? 'en' : 'tr');

/**
 * The citizen's tracking page, reached from the SMS link (`/t/<number>?k=<token>`). A missing,
 * wrong or another ticket's token is the 404 of an unknown ticket — for a browser (Accept:
 * text/html) a plain page saying the link is not valid, for anything else the problem; either
 * way nothing about the ticket. A token whose ticket closed longer ago than
 * TRACKING_TOKEN_TTL_AFTER_CLOSE gets a page saying it is closed, nothing more.
 */
@ApiTags('citizen')
@Controller()
export class TrackingController {
  constructor(
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
    private readonly pages: TrackingPageService,
    private readonly photos: TrackingPhotoService,
  ) {}

  @Get('t/:number')
  @ApiOperation({ summary: 'The citizen’s tracking page (the SMS link): where the ticket is, what was done, rating and closure-check forms' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page (or, for a ticket closed longer ago than TRACKING_TOKEN_TTL_AFTER_CLOSE, a page saying it is closed)', content: HTML_PAGE })
  @ApiNotFoundResponse({ description: 'Unknown ticket or a wrong token: a page for a browser, a problem otherwise' })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@Param('number') number: string, @Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('k') token?: string, @Query('lang') lang?: string) {
    try {
      const ticket = await this.query.findRow(number);
      const language = pageLanguage(lang, ticket.language);
      const state = this.tokens.state(ticket, token);
      if (state === 'INVALID') throw ticketNotFound(number);
      if (state === 'EXPIRED') return renderClosedPage(ticket.number, language, cspNonce(res));
      const [view, facts, photos] = await Promise.all([this.query.view(ticket, 'CITIZEN'), this.pages.facts(ticket, language), this.photos.of(ticket)]);
      return renderTrackingPage(view, token!, language, cspNonce(res), { ...facts, photos });
    } catch (error) {
      if (!(error instanceof ApiProblem && error.status === 404) || req.accepts(['json', 'html']) !== 'html') throw error;
      res.status(404);
      return renderNotFoundPage(pageLanguage(lang), cspNonce(res));
    }
  }

  /** The citizen's rating of a resolved ticket (1–5, optional comment), once; sent by the tracking page with X-Tracking-Token. */
  @Post('t/:number/rating')
  @HttpCode(201)
  @ApiOperation({ summary: 'Rate a resolved ticket (1–5, optional comment), once (RATING_NOT_OPEN, ALREADY_RATED otherwise)' })
  @ApiHeader({ name: 'X-Tracking-Token', required: true, description: 'The token of the SMS link (k=…)' })
  @ApiCreatedResponse({ schema: RATING_ANSWER })
  rate(@Param('number') number: string, @Body() dto: RateTicketDto, @Headers('x-tracking-token') token?: string) {
    return this.pages.rate(number, token, dto);
  }

  /** The answer to the closure check SMS ("is it really fixed?"): yes, or no with the reason (reopens the ticket). */
  @Post('t/:number/closure-check')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the closure check: fixed, or not fixed with the reason (reopens the ticket); CLOSURE_CHECK_NOT_OPEN when none is asked' })
  @ApiHeader({ name: 'X-Tracking-Token', required: true, description: 'The token of the SMS link (k=…)' })
  @ApiOkResponse({ schema: CLOSURE_CHECK_ANSWER })
  closureCheck(@Param('number') number: string, @Body() dto: ClosureCheckAnswerDto, @Headers('x-tracking-token') token?: string) {
    return this.pages.answerClosureCheck(number, token, dto);
  }

  /** The personal-data notice (KVKK aydınlatma metni), linked from every tracking page. */
  @Get('kvkk')
  @ApiOperation({ summary: 'The personal-data notice (KVKK aydınlatma metni)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ content: HTML_PAGE })
  @Header('Content-Type', 'text/html; charset=utf-8')
  kvkk(@Res({ passthrough: true }) res: Response, @Query('lang') lang?: string) {
    return renderKvkkPage(pageLanguage(lang), cspNonce(res));
  }
}
