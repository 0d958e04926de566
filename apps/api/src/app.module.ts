import { AttachmentsModule } from './attachments/attachments.module';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/database/src';
import { TemporalClientModule } from '../../../libs/temporal/src';
import { AnalysisModule } from './analysis/analysis.module';
import { AuditModule } from './audit/audit.module';
import { DeputiesModule } from './deputies/deputies.module';
import { PiiReadsController } from './audit/pii-reads.controller';
import { PiiReadsService } from './audit/pii-reads.service';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { IdentityModule } from './identity/identity.module';
import { LiveModule } from './live/live.module';
import { Open311Module } from './open311/open311.module';
import { ReferenceController } from './reference/reference.controller';
import { ReferenceService } from './reference/reference.service';
import { TicketsModule } from './tickets/tickets.module';
import { TrackingModule } from './tracking/tracking.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class ApiModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, TemporalClientModule, IdentityModule, TicketsModule, Open311Module, AuditModule, TrackingModule, WebhooksModule, AnalysisModule, DeputiesModule, LiveModule, AttachmentsModule],
      controllers: [PiiReadsController, HealthController, ReferenceController],
      providers: [ReferenceService, PiiReadsService, HealthService],
    };
  }
}
