import { Injectable } from '@nestjs/common';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { isPlatformUser, takesCalls } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import type { FollowTicketDto } from './dto/follow-ticket.dto';
import { TicketQueryService } from './ticket-query.service';
import type { Following } from './ticket-views.schema';

/**
 * Platform users (muhtar, esnaf, meclis üyesi) follow tickets they did not submit: a muhtar one
 * in their neighbourhood, or anyone the coordination center adds (a council member who raised a
 * citizen's request in the council). A follower can open the ticket and sees its citizen side.
 */
@Injectable()
export class TicketFollowersService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly organisation: OrganisationRepository,
    private readonly query: TicketQueryService,
  ) {}

  async follow(number: string, dto: FollowTicketDto, identity: StaffIdentity): Promise<Following> {
    const ticket = await this.query.findFor(identity, number);
    const userId = dto.userId ?? identity.id;
    if (userId === identity.id) {
      if (!isPlatformUser(identity)) throw forbiddenProblem('following is for platform users; staff see their tickets in their queues');
    } else {
      if (!takesCalls(identity)) {
        throw forbiddenProblem('only the coordination center adds someone else as a follower');
      }
      const user = await this.organisation.findActiveStaff(userId);
      if (!user || !isPlatformUser(user)) throw badRequest('userId', `"${userId}" is not an active platform user (muhtar, esnaf, meclis üyesi)`);
    }
    await this.tickets.addFollower(ticket.id, userId, identity.id);
    return { number, userId, following: true };
  }
}
