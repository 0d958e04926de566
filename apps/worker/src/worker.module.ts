import { DynamicModule, Module } from '@nestjs/common';
import { ClosureCheckSweeper, InboundMediaActivityImpl, NotificationActivities, OrganisationActivities, OutboxReconciler, RetentionJobActivities, TicketProjectionActivities } from '../../../activities';
import { ATTACHMENT_STORE, createAttachmentStore } from '../../../libs/attachments/src';
import { APP_CONFIG, ConfigModule, type AppConfig } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/database/src';
import { SmsModule } from '../../../libs/sms/src/sms.module';
import { TicketWorker } from './ticket-worker';

/** The worker's Nest application context: no HTTP, just DI for the activities. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, SmsModule],
      providers: [
        // The attachment store, as the API has it (the media activity stores the citizen's WhatsApp/MMS photos).
        { provide: ATTACHMENT_STORE, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createAttachmentStore(c.attachments) },
        InboundMediaActivityImpl,
        TicketProjectionActivities, NotificationActivities, OrganisationActivities, RetentionJobActivities, OutboxReconciler, ClosureCheckSweeper, TicketWorker],
      exports: [TicketWorker],
    };
  }
}
