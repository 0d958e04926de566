import { Injectable, Logger } from '@nestjs/common';
import { OutboxRepository, type DeliveryOutcome } from '../../../../libs/database/src/outbox.repository';

export interface TwilioStatusForm {
  MessageSid?: string;
  MessageStatus?: string;
  ErrorCode?: string;
  [field: string]: string | undefined;
}

/** Moves the outbox row a status callback names forward (libs/database/src/outbox.repository.ts has the rules). */
@Injectable()
export class TwilioStatusService {
  private readonly logger = new Logger('TwilioStatus');

  constructor(private readonly outbox: OutboxRepository) {}

  async record(form: TwilioStatusForm, outboxId: string | undefined): Promise<DeliveryOutcome> {
    const sid = form.MessageSid ?? '';
    const status = (form.MessageStatus ?? form.SmsStatus ?? '').toLowerCase();
    if (!/^(SM|MM)[0-9a-fA-F]{32}$/.test(sid) || !status) return 'IGNORED';
    const code = form.ErrorCode && /^\d{1,6}$/.test(form.ErrorCode) ? Number(form.ErrorCode) : null;
    const outcome = await this.outbox.recordDelivery({ outboxId: outboxId && /^\d{1,18}$/.test(outboxId) ? outboxId : null, providerMessageId: sid, status, errorCode: code });
    if (outcome === 'IGNORED') this.logger.debug(`status ${status} of ${sid} ignored (late, repeated, or not ours)`);
    return outcome;
  }
}
