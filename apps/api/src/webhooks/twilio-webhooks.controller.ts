import { Body, Controller, Header, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InboundMessageService, type TwilioInbound } from './inbound-message.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioStatusService, type TwilioStatusForm } from './twilio-status.service';

/** An empty TwiML answer: the reply, when there is one, goes through the outbox. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's webhooks (form-encoded POSTs, signed): delivery reports of the messages Teksin sent,
 * and the messages citizens send to the WhatsApp line or the SMS number.
 * Documented so every route is, though only Twilio calls them (a request without its signature is 403).
 */
@ApiTags('webhooks')
@ApiConsumes('application/x-www-form-urlencoded')
@Controller('webhooks/twilio')
@UseGuards(TwilioSignatureGuard)
export class TwilioWebhooksController {
  constructor(
    private readonly status: TwilioStatusService,
    private readonly inbound: InboundMessageService,
  ) {}

  @Post('status')
  @HttpCode(204)
  @ApiOperation({ summary: 'Twilio’s delivery report of a message Teksin sent (o: the outbox row)' })
  @ApiNoContentResponse({ description: 'Recorded' })
  async statusCallback(@Body() form: TwilioStatusForm, @Query('o') outboxId?: string): Promise<void> {
    await this.status.record(form, outboxId);
  }

  @Post('inbound')
  @HttpCode(200)
  @ApiOperation({ summary: 'A message a citizen sent to the WhatsApp line or the SMS number' })
  @ApiProduces('text/xml')
  @ApiOkResponse({ description: 'An empty TwiML answer (a reply, when there is one, goes through the outbox)', content: { 'text/xml': { schema: { type: 'string' } } } })
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async message(@Body() form: TwilioInbound): Promise<string> {
    await this.inbound.receive(form);
    return EMPTY_TWIML;
  }
}
