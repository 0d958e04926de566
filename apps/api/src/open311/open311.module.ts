import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ApiClientsController } from '../api-clients/api-clients.controller';
import { ApiClientsService } from '../api-clients/api-clients.service';
import { AttachmentsModule } from '../attachments/attachments.module';
import { TicketsModule } from '../tickets/tickets.module';
import { Open311CallerGuard } from './open311-caller.guard';
import { Open311FormMiddleware } from './open311-form.middleware';
import { Open311Limits } from './open311-limits.service';
import { Open311Controller } from './open311.controller';
import { Open311Service } from './open311.service';

/** Open311 GeoReport v2 under /open311/v2, and the ADMIN's API clients (keys) under /admin/api-clients. */
@Module({
  imports: [TicketsModule, AttachmentsModule],
  controllers: [Open311Controller, ApiClientsController],
  providers: [Open311Service, Open311Limits, Open311CallerGuard, ApiClientsService],
})
export class Open311Module implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(Open311FormMiddleware).forRoutes({ path: 'open311/v2/*path', method: RequestMethod.POST });
  }
}
