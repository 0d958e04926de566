import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

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

/** Readiness: 200 when PostgreSQL and Temporal both answer, 503 (with which one) otherwise. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
  ) {}

  @Get()
  @ApiOperation({ summary: 'PostgreSQL and Temporal reachability' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([
      timed(() => this.dataSource.query('SELECT 1')),
      // A plain RPC, not ensureConnected(): that one memoizes its first failure forever.
      timed(() => this.client.connection.withDeadline(Date.now() + TIMEOUT_MS, () => this.client.connection.workflowService.getSystemInfo({}))),
    ]);
    const healthy = postgres.status === 'up' && temporal.status === 'up';
    res.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'degraded', checks: { postgres, temporal } };
  }
}
