import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { StaffIdentity } from '../identity/identity';
import { CurrentIdentity, OptionalStaff } from '../identity/identity.decorators';

interface Check {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

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
 * are for a signed-in ADMIN.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
  ) {}

  @Get()
  @OptionalStaff()
  @ApiOperation({ summary: 'Up (200) or degraded (503); the PostgreSQL and Temporal checks for ADMIN only' })
  async health(@Res({ passthrough: true }) res: Response, @CurrentIdentity() identity: StaffIdentity | null) {
    const [postgres, temporal] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      // A plain RPC, not ensureConnected(): that one memoizes its first failure forever.
      timed(() => this.client.connection.withDeadline(Date.now() + TIMEOUT_MS, () => this.client.connection.workflowService.getSystemInfo({}))),
    ]);
    const healthy = postgres.status === 'up' && temporal.status === 'up';
    res.status(healthy ? 200 : 503);
    const status = healthy ? 'ok' : 'degraded';
    return identity?.roles.includes('ADMIN') ? { status, checks: { postgres, temporal } } : { status };
  }
}
