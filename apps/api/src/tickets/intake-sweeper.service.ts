import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { isTemporalUnreachable } from '../../../../libs/temporal/src';
import { IDEMPOTENCY_KEY_RETENTION_HOURS } from './intake-idempotency';
import { WorkflowStarter } from './workflow-starter.service';

/** How old an unstarted row must be before the sweeper takes it (intake may still be starting it). */
const GRACE_MS = 10_000;
const BATCH = 100;

/**
 * Finds accepted tickets whose workflow never started (Temporal was down, the API crashed
 * between the insert and the start) and starts them. Starting is idempotent by workflow ID,
 * so two API instances sweeping at once do no harm.
 */
@Injectable()
export class IntakeSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IntakeSweeper');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly starter: WorkflowStarter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.intakeSweepIntervalMs <= 0) return;
    // A pass that fails (PostgreSQL down) is logged and retried on the next tick: an unhandled
    // rejection here would end the API process.
    this.timer = setInterval(
      () => void this.sweep().catch((error) => this.logger.warn(`sweep failed; retrying in ${this.config.intakeSweepIntervalMs} ms: ${String(error)}`)),
      this.config.intakeSweepIntervalMs,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Idempotency-Keys past their retention (apps/api/src/tickets/intake-idempotency.ts), a bounded batch per pass. */
  async forgetExpiredKeys(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM intake_requests WHERE ctid IN (
           SELECT ctid FROM intake_requests WHERE created_at < now() - make_interval(hours => $1) LIMIT 1000)
         RETURNING 1)
       SELECT 1 FROM gone`,
      [IDEMPOTENCY_KEY_RETENTION_HOURS],
    );
    return rows.length;
  }

  /** One pass; returns how many workflows it started. */
  async sweep(graceMs = GRACE_MS): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let started = 0;
    try {
      const stale = await this.tickets.withoutWorkflow(new Date(Date.now() - graceMs), BATCH);
      for (const ticket of stale) {
        try {
          await this.starter.start(ticket);
          started++;
        } catch (error) {
          this.logger.warn(`could not start ticket ${ticket.number} yet: ${String(error)}`);
          // Temporal down: stop this round. Anything else is this ticket's problem: go on.
          if (isTemporalUnreachable(error)) break;
        }
      }
      if (started) this.logger.log(`started ${started} pending ticket workflow(s)`);
      await this.forgetExpiredKeys();
    } finally {
      this.running = false;
    }
    return started;
  }
}
