import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TicketEntity, TicketEventEntity, TicketRatingEntity } from '../../../../libs/database/src/entities';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import type { TicketState } from '../../../../libs/domain/src';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem } from '../common/problem';
import { CitizenTokens } from '../tickets/citizen-token';
import { TicketQueryService } from '../tickets/ticket-query.service';
import type { PageLanguage, TrackingPageFacts } from './tracking-page.view';
import { expectedBy, trackingSteps } from './tracking-steps';
import type { RateTicketDto } from './rate-ticket.dto';

/** What the tracking page needs beside the citizen's view, and the citizen's rating. */
@Injectable()
export class TrackingPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisation: OrganisationRepository,
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
  ) {}

  async facts(ticket: TicketEntity, language: PageLanguage): Promise<TrackingPageFacts> {
    const [category, events, rating] = await Promise.all([
      this.organisation.findCategory(ticket.category),
      // Only types, times and statuses: the steps show dates, never who did what.
      this.dataSource.getRepository(TicketEventEntity).find({ where: { ticketId: ticket.id }, order: { seq: 'ASC' }, select: { type: true, at: true, status: true } }),
      this.dataSource.getRepository(TicketRatingEntity).findOneBy({ ticketId: ticket.id }),
    ]);
    const view = (ticket.workflowView ?? {}) as Partial<TicketState>;
    return {
      categoryName: category ? (language === 'en' ? category.nameEn : category.name) : null,
      steps: trackingSteps(ticket.status, ticket.outcome, events.map((e) => ({ type: e.type, at: e.at.toISOString(), status: e.status }))),
      expectedBy: expectedBy(view.sla),
      rating: rating ? { rating: rating.rating, comment: rating.comment } : null,
      now: new Date(),
    };
  }

  /**
   * The citizen's satisfaction with a resolved ticket, once (the ticket's own token; 404 like
   * an unknown ticket otherwise). 409 before resolution and for a second rating.
   */
  async rate(number: string, token: string | undefined, dto: RateTicketDto): Promise<{ number: string; rating: number; comment: string | null }> {
    const ticket = await this.query.findRow(number);
    this.tokens.assert(ticket, token);
    const resolved = ticket.status === 'RESOLVED' || (ticket.status === 'CLOSED' && ticket.outcome === 'RESOLVED');
    if (!resolved) throw new ApiProblem(ApiErrorCode.RATING_NOT_OPEN, `ticket ${number} can be rated once it is resolved`);
    const comment = dto.comment?.trim() || null;
    const inserted = await this.dataSource
      .getRepository(TicketRatingEntity)
      .createQueryBuilder()
      .insert()
      .values({ ticketId: ticket.id, rating: dto.rating, comment })
      .orIgnore()
      .returning(['ticket_id'])
      .execute();
    if (!(inserted.raw as unknown[]).length) throw new ApiProblem(ApiErrorCode.ALREADY_RATED, `ticket ${number} has already been rated`);
    return { number, rating: dto.rating, comment };
  }
}
