import { ExecutionContext, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorageService, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { ApiErrorCode } from '../common/api-error-code';
import { tooManyRequests } from '../common/too-many-requests';
import { normalizePhone } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';

type IntakeRequest = Request & { identity?: StaffIdentity | null };

/** The phone an intake is for, as stored (E.164); null when the body has none that parses (validation refuses it). */
const phoneOf = (req: Request): string | null => normalizePhone((req.body as { requester?: { phone?: unknown } } | undefined)?.requester?.phone);

/** Staff and platform users (a signed-in caller, resolved by the identity guard before this one) are not limited. */
const signedIn = (context: ExecutionContext) => Boolean(context.switchToHttp().getRequest<IntakeRequest>().identity);

/**
 * Anonymous intake (POST /tickets without a signed-in caller), counted twice with
 * @nestjs/throttler over INTAKE_RATE_WINDOW: per client IP (INTAKE_RATE_LIMIT's first number;
 * the IP as Express sees it, see TRUST_PROXY) and per phone number (its second). Every
 * anonymous request counts, accepted or not. Over either: 429 problem+json with `Retry-After`
 * in seconds, before anything is written. The counters live in this API process's memory, so
 * each instance counts on its own; the per-phone cap on acknowledgement SMS that must hold
 * across processes is kept in PostgreSQL (activities/notification.activities.ts).
 */
@Injectable()
export class IntakeRateLimitGuard extends ThrottlerGuard implements OnApplicationShutdown {
  private readonly store: ThrottlerStorageService;

  // Both parameters named explicitly: Nest would otherwise inherit ThrottlerGuard's injection tokens.
  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(Reflector) reflector: Reflector) {
    const { perIp, perPhone, windowMs } = config.intakeLimits;
    const store = new ThrottlerStorageService();
    super(
      {
        setHeaders: false,
        skipIf: signedIn,
        throttlers: [
          { name: 'intake-ip', limit: perIp, ttl: windowMs },
          {
            name: 'intake-phone',
            limit: perPhone,
            ttl: windowMs,
            skipIf: (context) => signedIn(context) || phoneOf(context.switchToHttp().getRequest<Request>()) === null,
            getTracker: (req) => phoneOf(req as Request) ?? '',
          },
        ],
      },
      store,
      reflector,
    );
    this.store = store;
  }

  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyRequests(context, detail, ApiErrorCode.TOO_MANY_REQUESTS, 'requests');
  }

  onApplicationShutdown(): void {
    this.store.onApplicationShutdown();
  }
}
