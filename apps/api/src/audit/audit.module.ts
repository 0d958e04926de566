import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AuditController } from './audit.controller';
import { DataSubjectsController } from './data-subjects.controller';
import { DataSubjectsService } from './data-subjects.service';
import { TicketAuditService } from './ticket-audit.service';

/** Auditors: history, replay, tamper check and export of a ticket, KVKK data-subject requests (the PII read log stays in PiiReadsController). */
@Module({
  imports: [TicketsModule, AttachmentsModule],
  controllers: [AuditController, DataSubjectsController],
  providers: [TicketAuditService, DataSubjectsService],
})
export class AuditModule {}
