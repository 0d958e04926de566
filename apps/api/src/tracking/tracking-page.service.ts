import { Injectable } from '@nestjs/common';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import type { TicketState } from '../../../../libs/domain/src';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest } from '../common/problem';
import { CitizenTokens } from '../tickets/citizen-token';
import { citizenCaller, TicketCommandsService } from '../tickets/ticket-commands.service';
import { TicketQueryService } from '../tickets/ticket-query.service';
import type { TrackingPageFacts } from './tracking-page.template';
import type { PageLanguage } from './tracking-page.texts';
import { expectedBy, trackingSteps } from './tracking-steps';
import type { ClosureCheckAnswerDto, RateTicketDto } from './rate-ticket.dto';
import type { ClosureCheckAnswer, RatingAnswer } from './tracking-views.schema';

/** What the tracking page needs beside the citizen's view, and the citizen's rating. */
@Injectable()
export class TrackingPageService {
  constructor(
    private readonly timeline: TicketTimelineRepository,
    private readonly organisation: OrganisationRepository,
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
    private readonly commands: TicketCommandsService,
  ) {}

  async facts(ticket: TicketEntity, language: PageLanguage): Promise<TrackingPageFacts> {
    const [category, events, rating, check] = await Promise.all([
      this.organisation.findCategory(ticket.category),
      // Only types, times and statuses: the steps show dates, never who did what.
      this.timeline.steps(ticket.id),
      this.timeline.rating(ticket.id),
      this.timeline.closureCheck(ticket.id, ticket.reopenCount),
    ]);
    const view = (ticket.workflowView ?? {}) as Partial<TicketState>;
    const referral = [...events].reverse().find((e) => e.type === 'REFERRED');
    const institutionId = typeof referral?.data?.institutionId === 'string' ? referral.data.institutionId : null;
    const institution = institutionId ? await this.organisation.findReferralInstitution(institutionId) : null;
    return {
      referredTo: institution ? { name: language === 'en' ? institution.nameEn : institution.name, contact: institution.contact } : null,
      // Progress is texted only while the ticket is open and to a number that takes SMS (not a landline).
      smsUpdates: ticket.requesterTextable && !['RESOLVED', 'CLOSED', 'REFERRED', 'REJECTED'].includes(ticket.status),
      categoryName: category ? (language === 'en' ? category.nameEn : category.name) : null,
      steps: trackingSteps(ticket.status, ticket.outcome, events.map((e) => ({ type: e.type, at: e.at.toISOString(), status: e.status }))),
      expectedBy: expectedBy(view.sla),
      rating: rating ? { rating: rating.rating, comment: rating.comment } : null,
      closureCheckOpen: ticket.status === 'RESOLVED' && check !== null && check.answer === null,
      now: new Date(),
    };
  }

  /**
   * The citizen's satisfaction with a resolved ticket, once (the ticket's own token; 404 like
   * an unknown ticket otherwise). 409 before resolution and for a second rating.
   */
  async rate(number: string, token: string | undefined, dto: RateTicketDto): Promise<RatingAnswer> {
    const ticket = await this.query.findRow(number);
    this.tokens.assert(ticket, token);
    const resolved = ticket.status === 'RESOLVED' || (ticket.status === 'CLOSED' && ticket.outcome === 'RESOLVED');
    if (!resolved) throw new ApiProblem(ApiErrorCode.RATING_NOT_OPEN, `ticket ${number} can be rated once it is resolved`);
    const comment = dto.comment?.trim() || null;
    if (!(await this.timeline.rate(ticket.id, dto.rating, comment))) throw new ApiProblem(ApiErrorCode.ALREADY_RATED, `ticket ${number} has already been rated`);
    return { number, rating: dto.rating, comment };
  }

  /**
   * The citizen's answer to "is it really fixed?" (once per resolution): yes closes the question;
   * no reopens the ticket with the citizen's reason (the citizen's own reopen command, so the
   * reopen window and the rules apply as on the page), then records the answer.
   */
  async answerClosureCheck(number: string, token: string | undefined, dto: ClosureCheckAnswerDto): Promise<ClosureCheckAnswer> {
    const ticket = await this.query.findRow(number);
    this.tokens.assert(ticket, token);
    const open = ticket.status === 'RESOLVED' ? await this.timeline.closureCheck(ticket.id, ticket.reopenCount) : null;
    if (!open || open.answer !== null) throw new ApiProblem(ApiErrorCode.CLOSURE_CHECK_NOT_OPEN, `ticket ${number} has no open closure check`);
    const reason = dto.reason?.trim();
    if (!dto.fixed) {
      if (!reason) throw badRequest('reason', 'say what is still wrong: the ticket is reopened with it');
      await this.commands.run(number, 'reopen', { reason }, citizenCaller(token));
    }
    const answer = dto.fixed ? 'FIXED' : 'NOT_FIXED';
    await this.timeline.answerClosureCheck(ticket.id, open.round, answer);
    return { number, answer };
  }
}
