import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { InboundMessageService } from './inbound-message.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioStatusService } from './twilio-status.service';
import { TwilioWebhooksController } from './twilio-webhooks.controller';

@Module({
  imports: [TicketsModule],
  controllers: [TwilioWebhooksController],
  providers: [TwilioSignatureGuard, TwilioStatusService, InboundMessageService],
})
export class WebhooksModule {}
