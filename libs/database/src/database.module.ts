import { AttachmentsRepository } from './attachments.repository';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/src';
import { ApiClientsRepository } from './api-clients.repository';
import { CommandRequestRepository } from './command-requests.repository';
import { ContactsRepository } from './contacts.repository';
import { dataSourceOptions } from './data-source';
import { IntakeRequestsRepository } from './intake-requests.repository';
import { OrganisationRepository } from './organisation.repository';
import { OutboxRepository } from './outbox.repository';
import { PersonalDataRepository } from './personal-data.repository';
import { PublicRequestsRepository } from './public-requests.repository';
import { TicketListingRepository } from './ticket-listing.repository';
import { RateLimitCounters } from './rate-limit-counters.repository';
import { SessionsRepository } from './sessions.repository';
import { StaffRepository } from './staff.repository';
import { TicketTimelineRepository } from './ticket-timeline.repository';
import { TicketsRepository } from './tickets.repository';
import { UnitOfWork } from './unit-of-work';

/** TypeORM on the shared data source definition; the DataSource and the repositories are injectable everywhere. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl, config.databaseLogging, config.databasePoolSize, config.databaseTimeouts),
    }),
  ],
  providers: [AttachmentsRepository, OrganisationRepository, RateLimitCounters, OutboxRepository, ContactsRepository, StaffRepository, SessionsRepository, CommandRequestRepository, TicketsRepository, TicketTimelineRepository, PublicRequestsRepository, TicketListingRepository, IntakeRequestsRepository, ApiClientsRepository, PersonalDataRepository, UnitOfWork],
  exports: [TypeOrmModule, AttachmentsRepository, OrganisationRepository, RateLimitCounters, OutboxRepository, ContactsRepository, StaffRepository, SessionsRepository, CommandRequestRepository, TicketsRepository, TicketTimelineRepository, PublicRequestsRepository, TicketListingRepository, IntakeRequestsRepository, ApiClientsRepository, PersonalDataRepository, UnitOfWork],
})
export class DatabaseModule {}
