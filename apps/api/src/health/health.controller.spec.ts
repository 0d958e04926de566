import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import type { RateLimitCounters } from '../../../../libs/database/src/rate-limit-counters.repository';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

describe('HealthController', () => {
  const controller = (temporalUp: boolean) =>
    new HealthController(
      new HealthService(
        { query: async () => [{ '?column?': 1 }] } as unknown as DataSource,
        {
          connection: {
            withDeadline: (_: number, fn: () => Promise<unknown>) => fn(),
            workflowService: { getSystemInfo: async () => (temporalUp ? {} : Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:7233'))) },
          },
        } as unknown as Client,
        { current: async () => ({ hits: 4200, windowEndsAt: new Date(), blockedUntil: null }) } as unknown as RateLimitCounters,
        { sms: { hourlyBudget: 5000 } } as AppConfig,
      ),
    );
  const response = () => {
    const res = { statusCode: 0, status: (code: number) => ((res.statusCode = code), res) };
    return res;
  };
  const staff = (roles: string[]) => ({ kind: 'STAFF' as const, id: 'x', roles: roles as never, departmentId: null });

  it('tells anonymous callers and other staff only up or down', async () => {
    for (const identity of [null, staff(['COORDINATOR', 'AUDITOR'])]) {
      const up = response();
      expect(await controller(true).health(up as unknown as Response, identity)).toEqual({ status: 'ok' });
      expect(up.statusCode).toBe(200);
      const down = response();
      expect(await controller(false).health(down as unknown as Response, identity)).toEqual({ status: 'degraded' });
      expect(down.statusCode).toBe(503);
    }
  });

  it('gives an ADMIN the hourly SMS budget’s use', async () => {
    const body = await controller(true).health(response() as unknown as Response, staff(['ADMIN']));
    expect(body).toMatchObject({ status: 'ok', smsBudget: { perHour: 5000, usedThisHour: 4200, exceeded: false } });
  });

  it('gives an ADMIN the checks, with the failing one’s error', async () => {
    const res = response();
    const body = await controller(false).health(res as unknown as Response, staff(['ADMIN']));
    expect(res.statusCode).toBe(503);
    expect(body).toEqual({
      status: 'degraded',
      checks: { postgres: { status: 'up', latencyMs: expect.any(Number) }, temporal: { status: 'down', latencyMs: expect.any(Number), error: 'connect ECONNREFUSED 10.0.0.7:7233' } },
      smsBudget: { perHour: 5000, usedThisHour: 4200, exceeded: false },
    });
  });
});
