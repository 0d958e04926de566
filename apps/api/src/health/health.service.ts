import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { RateLimitCounters, SMS_BUDGET_COUNTER } from '../../../../libs/database/src/rate-limit-counters.repository';
import type { Check, Health, SmsBudget } from './health-views.schema';

const TIMEOUT_MS = 2000;

async function timed(probe: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (error) {
    return { status: 'down', latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The checks behind /health: PostgreSQL and Temporal answer within TIMEOUT_MS, and the hourly SMS budget's use. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly counters: RateLimitCounters,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** healthy: both answered; the body is up or down alone, unless `detailed` (an ADMIN). */
  async check(detailed: boolean): Promise<{ healthy: boolean; body: Health }> {
    const [postgres, temporal] = await Promise.all([
      // The one statement apps/ sends without a repository: `SELECT 1` reads no table, it only asks
      // whether PostgreSQL answers through the app's own pool, which is this check's whole purpose.
      timed(() => this.dataSource.query('SELECT 1')),
      // A plain RPC, not ensureConnected(): that one memoizes its first failure forever.
      timed(() => this.client.connection.withDeadline(Date.now() + TIMEOUT_MS, () => this.client.connection.workflowService.getSystemInfo({}))),
    ]);
    const healthy = postgres.status === 'up' && temporal.status === 'up';
    const status = healthy ? 'ok' : 'degraded';
    if (!detailed) return { healthy, body: { status } };
    return { healthy, body: { status, checks: { postgres, temporal }, smsBudget: postgres.status === 'up' ? await this.smsBudget().catch(() => null) : null } };
  }

  private async smsBudget(): Promise<SmsBudget> {
    const perHour = this.config.sms.hourlyBudget;
    const usedThisHour = (await this.counters.current(SMS_BUDGET_COUNTER.scope, SMS_BUDGET_COUNTER.key))?.hits ?? 0;
    return { perHour, usedThisHour, exceeded: usedThisHour >= perHour };
  }
}
