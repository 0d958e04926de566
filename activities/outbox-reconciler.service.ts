import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../libs/config/src';
import { maskTrackingTokens, SmsGateway } from '../libs/sms/src';
import { OutboxRepository } from '../libs/database/src/outbox.repository';

/** An UNCERTAIN row younger than this may still get its status callback: left alone. */
export const RECONCILE_AFTER_MS = 30_000;
/** An UNCERTAIN row the provider still has no record of after this long was never created. */
export const NOT_FOUND_FINAL_AFTER_MS = 15 * 60_000;
const BATCH = 50;

export interface ReconcileResult {
  settled: number;
  notFound: number;
}

/**
 * Settles UNCERTAIN outbox rows (a send that timed out or crashed: maybe sent) by asking the
 * provider what it has: by the message id when the row has one, else among the messages to the
 * row's number since the row was written, matched by body. Found: the row takes the provider's
 * status (SENT, delivered, failed…), as a status callback would. Still unknown to the provider
 * long after: FAILED (never created). Never sends anything: asking again is the only retry.
 * Runs in the worker every SMS_RECONCILE_INTERVAL when Twilio is the gateway.
 */
@Injectable()
export class OutboxReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxReconciler');
  private readonly outbox: OutboxRepository;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateway: SmsGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.outbox = new OutboxRepository(dataSource);
  }

  onApplicationBootstrap(): void {
    if (!this.config.sms.twilio || this.config.sms.reconcileIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.reconcile().catch((error: unknown) => this.logger.warn(`reconciling failed: ${String(error)}`)), this.config.sms.reconcileIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async reconcile(olderThanMs = RECONCILE_AFTER_MS, finalAfterMs = NOT_FOUND_FINAL_AFTER_MS): Promise<ReconcileResult> {
    const result: ReconcileResult = { settled: 0, notFound: 0 };
    if (this.running) return result;
    this.running = true;
    try {
      const rows = await this.outbox.uncertain(olderThanMs, BATCH);
      for (const row of rows) {
        const candidates = await this.gateway.lookup({
          providerMessageId: row.provider_message_id,
          to: row.recipient_phone,
          channel: row.channel,
          since: new Date(new Date(row.created_at).getTime() - 60_000),
          matches: (body) => maskTrackingTokens(body) === row.body,
        });
        // A message another row already owns is not this one (two texts with the same words).
        const found = await this.firstUnclaimed(candidates.map((c) => c.providerMessageId), String(row.id)).then((sid) => candidates.find((c) => c.providerMessageId === sid));
        if (found) {
          await this.outbox.recordDelivery({ outboxId: String(row.id), providerMessageId: found.providerMessageId, status: found.status, errorCode: found.errorCode });
          result.settled++;
        } else if (Date.now() - new Date(row.created_at).getTime() > finalAfterMs) {
          await this.outbox.markNeverSent(row.id, 'the provider has no record of this message: it was never sent');
          result.notFound++;
        }
      }
      if (result.settled || result.notFound) this.logger.log(`settled ${result.settled} uncertain SMS, ${result.notFound} never sent`);
    } finally {
      this.running = false;
    }
    return result;
  }

  private async firstUnclaimed(sids: string[], rowId: string): Promise<string | undefined> {
    if (!sids.length) return undefined;
    const taken = new Set(await this.outbox.claimedByOthers(sids, rowId));
    return sids.find((sid) => !taken.has(sid));
  }
}
