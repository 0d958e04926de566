import { Module } from '@nestjs/common';
import { ContactsController } from '../contacts/contacts.controller';
import { ContactsService } from '../contacts/contacts.service';
import { CitizenTokens } from './citizen-token';
import { CommandReplay } from './command-replay.service';
import { IntakeSweeper } from './intake-sweeper.service';
import { IntakeService } from './intake.service';
import { TicketCommandsController } from './ticket-commands.controller';
import { TicketCommandsService } from './ticket-commands.service';
import { TicketHistoryService } from './ticket-history.service';
import { TicketAccess } from './ticket-access.service';
import { TicketQueryService } from './ticket-query.service';
import { TicketFollowersController } from './ticket-followers.controller';
import { TicketFollowersService } from './ticket-followers.service';
import { TicketsController } from './tickets.controller';
import { WorkflowStarter } from './workflow-starter.service';
import { TrackingLinkResendService } from './tracking-link-resend.service';
import { QueuesController } from './listing/queues.controller';
import { TicketListingService } from './listing/ticket-listing.service';

@Module({
  controllers: [QueuesController, TicketsController, TicketCommandsController, TicketFollowersController, ContactsController],
  providers: [
    IntakeService,
    IntakeSweeper,
    WorkflowStarter,
    TicketQueryService,
    TicketAccess,
    TicketCommandsService,
    CommandReplay,
    TicketHistoryService,
    CitizenTokens,
    TicketListingService,
    ContactsService,
    TrackingLinkResendService,
    TicketFollowersService,
  ],
  exports: [TicketQueryService, IntakeSweeper, CitizenTokens, IntakeService, TicketHistoryService, TicketCommandsService, TicketAccess],
})
export class TicketsModule {}
