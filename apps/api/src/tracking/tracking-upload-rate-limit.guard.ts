import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { RateLimitCounters } from '../../../../libs/database/src/rate-limit-counters.repository';
import { ApiErrorCode } from '../common/api-error-code';
import { clientNetwork } from '../common/client-network';
import { PostgresThrottlerStorage } from '../common/postgres-throttler.storage';
import { tooManyRequests } from '../common/too-many-requests';

/** The scope (rate_limit_counters.scope) of the tracking page's uploads. */
export const TRACKING_UPLOAD_SCOPE = 'tracking-upload-ip';

/**
 * The tracking page's upload, limited per client network (an IPv4 address or an IPv6 /64) like
 * anonymous intake: INTAKE_RATE_LIMIT's per-IP number over INTAKE_RATE_WINDOW, counted in
 * PostgreSQL across API processes. It runs before the token check, so every attempt counts —
 * a wrong token too — and none of an over-limit body is read: 429 with Retry-After.
 */
@Injectable()
export class TrackingUploadRateLimitGuard extends ThrottlerGuard {
  // Every parameter named explicitly: Nest would otherwise inherit ThrottlerGuard's injection tokens.
  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(Reflector) reflector: Reflector, @Inject(RateLimitCounters) counters: RateLimitCounters) {
    const { perIp, windowMs } = config.intakeLimits;
    super(
      {
        setHeaders: false,
        generateKey: (_context, tracker) => tracker,
        throttlers: [{ name: TRACKING_UPLOAD_SCOPE, limit: perIp, ttl: windowMs, getTracker: (req) => clientNetwork((req as Request).ip) }],
      },
      new PostgresThrottlerStorage(counters),
      reflector,
    );
  }

  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyRequests(context, detail, ApiErrorCode.TOO_MANY_REQUESTS, 'uploads');
  }
}
