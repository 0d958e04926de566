import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { RateLimitCounters, SMS_BUDGET_COUNTER } from '../../../../libs/database/src/rate-limit-counters.repository';
import type { StaffIdentity } from '../identity/identity';
import { CurrentIdentity, OptionalStaff } from '../identity/identity.decorators';
import { type Check, HEALTH, type Health, type SmsBudget } from './health-views.schema';

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

/**
 * Readiness: 200 when PostgreSQL and Temporal both answer, 503 otherwise. Anonymous callers
 * (load balancers, probes) learn only up or down; which check failed, latencies and errors
 * are for a signed-in ADMIN, with the hourly SMS budget's use (null when PostgreSQL is down).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly counters: RateLimitCounters,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @OptionalStaff()
  @ApiOperation({ summary: 'Up (200) or degraded (503); the PostgreSQL and Temporal checks for ADMIN only' })
  @ApiOkResponse({ description: 'PostgreSQL and Temporal both answer', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'Degraded: a check failed (which one, for an ADMIN)', schema: HEALTH })
  async health(@Res({ passthrough: true }) res: Response, @CurrentIdentity() identity: StaffIdentity | null): Promise<Health> {
    const [postgres, temporal] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      // A plain RPC, not ensureConnected(): that one memoizes its first failure forever.
      timed(() => this.client.connection.withDeadline(Date.now() + TIMEOUT_MS, () => this.client.connection.workflowService.getSystemInfo({}))),
    ]);
    const healthy = postgres.status === 'up' && temporal.status === 'up';
    res.status(healthy ? 200 : 503);
    const status = healthy ? 'ok' : 'degraded';
    if (!identity?.roles.includes('ADMIN')) return { status };
    return { status, checks: { postgres, temporal }, smsBudget: postgres.status === 'up' ? await this.smsBudget().catch(() => null) : null };
  }

  private async smsBudget(): Promise<SmsBudget> {
    const perHour = this.config.sms.hourlyBudget;
    const usedThisHour = (await this.counters.current(SMS_BUDGET_COUNTER.scope, SMS_BUDGET_COUNTER.key))?.hits ?? 0;
    return { perHour, usedThisHour, exceeded: usedThisHour >= perHour };
  }
}
