import { DynamicModule, Module } from '@nestjs/common';
import { ClosureCheckSweeper, InboundMediaActivityImpl, NotificationActivities, OrganisationActivities, OutboxReconciler, RetentionJobActivities, TicketProjectionActivities } from '../../../activities';
import { AttachmentStoreModule } from '../../../libs/attachments/src';
import { APP_CONFIG, ConfigModule, type AppConfig } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/database/src';
import { SmsModule } from '../../../libs/sms/src/sms.module';
import { TicketWorker } from './ticket-worker';

/** The worker's Nest application context: no HTTP, just DI for the activities (the attachment store too: the media activity stores the citizen's WhatsApp/MMS photos, the retention job deletes erased files). */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, SmsModule, AttachmentStoreModule.forRoot(APP_CONFIG)],
      providers: [InboundMediaActivityImpl, TicketProjectionActivities, NotificationActivities, OrganisationActivities, RetentionJobActivities, OutboxReconciler, ClosureCheckSweeper, TicketWorker],
      exports: [TicketWorker],
    };
  }
}
