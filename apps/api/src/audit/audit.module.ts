import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { AuditController } from './audit.controller';
import { TicketAuditService } from './ticket-audit.service';

/** Auditors: history, replay, tamper check and export of a ticket (the PII read log stays in PiiReadsController). */
@Module({
  imports: [TicketsModule],
  controllers: [AuditController],
  providers: [TicketAuditService],
})
export class AuditModule {}
