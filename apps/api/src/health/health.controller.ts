import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StaffIdentity } from '../identity/identity';
import { CurrentIdentity, OptionalStaff } from '../identity/identity.decorators';
import { HealthService } from './health.service';
import { HEALTH, type Health } from './health-views.schema';

/**
 * Readiness: 200 when PostgreSQL and Temporal both answer, 503 otherwise. Anonymous callers
 * (load balancers, probes) learn only up or down; which check failed, latencies and errors
 * are for a signed-in ADMIN, with the hourly SMS budget's use (null when PostgreSQL is down).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Get()
  @OptionalStaff()
  @ApiOperation({ summary: 'Up (200) or degraded (503); the PostgreSQL and Temporal checks for ADMIN only' })
  @ApiOkResponse({ description: 'PostgreSQL and Temporal both answer', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'Degraded: a check failed (which one, for an ADMIN)', schema: HEALTH })
  async health(@Res({ passthrough: true }) res: Response, @CurrentIdentity() identity: StaffIdentity | null): Promise<Health> {
    const { healthy, body } = await this.service.check(identity?.roles.includes('ADMIN') ?? false);
    res.status(healthy ? 200 : 503);
    return body;
  }
}
