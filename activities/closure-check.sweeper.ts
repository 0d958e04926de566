import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../libs/config/src';
import { OutboxRepository } from '../libs/database/src/outbox.repository';
import { TicketTimelineRepository } from '../libs/database/src/ticket-timeline.repository';
import { NotificationActivities } from './notification.activities';

/** How often the worker looks for resolved tickets to ask about (the question itself waits CLOSURE_CHECK_AFTER). */
export const CLOSURE_SWEEP_INTERVAL_MS = 10 * 60_000;
const BATCH = 100;

/**
 * The closure check: CLOSURE_CHECK_AFTER (default 3 days) after a ticket was resolved, while its
 * reopen window is still open, the citizen gets one SMS asking whether it is really fixed, with
 * the tracking link where they answer yes (the question is closed) or no (the ticket reopens,
 * with their reason). Once per resolution round: the closure_checks row (ticket, reopen count) is
 * written first, and the SMS goes through the outbox under its own key, so two workers sweeping
 * at once text nobody twice. The workflow is not involved: no recorded history changes.
 */
@Injectable()
export class ClosureCheckSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClosureCheck');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly timeline: TicketTimelineRepository,
    private readonly notifications: NotificationActivities,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sms.closureCheckAfterMs <= 0) return;
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.logger.warn(`closure check sweep failed: ${String(error)}`)), CLOSURE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; how many citizens were asked. */
  async sweep(afterMs = this.config.sms.closureCheckAfterMs): Promise<number> {
    if (this.running || afterMs <= 0) return 0;
    this.running = true;
    let asked = 0;
    try {
      // Due and not asked yet, or asked but its SMS still waits (a provider outage last time).
      const due = await this.outbox.dueClosureChecks(afterMs, BATCH);
      for (const ticket of due) {
        await this.timeline.askClosureCheck(ticket.id, ticket.round);
        try {
          // The outbox key (ticket, CLOSURE_CHECK, round) makes a second sweep or worker a no-op.
          const sent = await this.notifications.sendNotification({
            ticketId: ticket.id,
            number: ticket.number,
            purpose: 'CLOSURE_CHECK',
            seq: ticket.round,
            recipient: { kind: 'CITIZEN' },
            params: {},
          });
          if (sent.status === 'SENT') asked++;
        } catch (error) {
          this.logger.warn(`closure check of ticket ${ticket.number} not sent yet (next sweep): ${String(error)}`);
        }
      }
    } finally {
      this.running = false;
    }
    return asked;
  }
}
