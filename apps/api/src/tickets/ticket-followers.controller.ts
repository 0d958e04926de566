import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { FollowTicketDto } from './dto/follow-ticket.dto';
import { TicketFollowersService } from './ticket-followers.service';
import { FOLLOWING, type Following } from './ticket-views.schema';

/** Platform users follow tickets they did not submit (the rules are in TicketFollowersService). */
@ApiTags('tickets')
@Controller('tickets/:number/followers')
export class TicketFollowersController {
  constructor(private readonly service: TicketFollowersService) {}

  @Post()
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Follow a ticket (a platform user who may open it), or add a platform user as follower (coordination center)' })
  @ApiOkResponse({ description: 'Following (also when they already were)', schema: FOLLOWING })
  follow(@Param('number') number: string, @Body() dto: FollowTicketDto, @CurrentIdentity() identity: StaffIdentity): Promise<Following> {
    return this.service.follow(number, dto, identity);
  }
}
