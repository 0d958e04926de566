import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { maskPhone } from './mask-phone';
import { maskTrackingTokens } from './mask-tracking-token';
import { OutgoingMessage, SentMessage, SmsGateway } from './sms-gateway';

/** A message the console gateway "sent", kept for local inspection (dev tools, tests). */
export interface ConsoleSentMessage extends OutgoingMessage {
  providerMessageId: string;
  sentAt: string;
}

export interface ConsoleSmsGatewayOptions {
  /** How many recent messages `sent` keeps; older ones are dropped so memory stays bounded. */
  capacity?: number;
}

/**
 * The development gateway: nothing leaves the machine. Each message becomes one log line and an
 * entry in `sent`, so a developer (or a dev-only endpoint) can read the texts and follow links.
 * Never fails: the outbox paths for provider errors are exercised against the fake Twilio.
 */
export class ConsoleSmsGateway extends SmsGateway {
  readonly name = 'console';
  readonly sent: ConsoleSentMessage[] = [];

  private readonly logger = new Logger('ConsoleSmsGateway');
  private readonly capacity: number;
  private counter = 0;
  // A per-instance prefix keeps ids unique across restarts, should they end up in the outbox table.
  private readonly instanceId = randomUUID().slice(0, 8);

  constructor(options: ConsoleSmsGatewayOptions = {}) {
    super();
    this.capacity = Math.max(1, options.capacity ?? 1000);
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    const providerMessageId = `console-${this.instanceId}-${++this.counter}`;
    // One structured line; the phone and the tracking token are masked, the rest of the body is shown because reading it is the point.
    this.logger.log(
      `channel=${message.channel} to=${maskPhone(message.to)} ref=${message.reference} ` +
        `id=${providerMessageId} body=${JSON.stringify(maskTrackingTokens(message.body))}`,
    );
    this.sent.push({ ...message, providerMessageId, sentAt: new Date().toISOString() });
    if (this.sent.length > this.capacity) this.sent.splice(0, this.sent.length - this.capacity);
    return { providerMessageId, status: 'logged' };
  }
}
