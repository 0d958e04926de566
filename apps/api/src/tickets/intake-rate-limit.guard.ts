import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { RateLimitCounters } from '../../../../libs/database/src/rate-limit-counters.repository';
import { isPlatformUser } from '../../../../libs/domain/src';
import { ApiErrorCode } from '../common/api-error-code';
import { clientNetwork } from '../common/client-network';
import { PostgresThrottlerStorage } from '../common/postgres-throttler.storage';
import { tooManyRequests } from '../common/too-many-requests';
import { normalizePhone } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';

type IntakeRequest = Request & { identity?: StaffIdentity | null };

/** The scopes (rate_limit_counters.scope) of the intake limits; Open311's creates count against the same per-phone one. */
export const INTAKE_SCOPE = { ip: 'intake-ip', phone: 'intake-phone', platformUser: 'intake-platform-user' } as const;

/** The phone an intake is for, as stored (E.164); null when the body has none that parses (validation refuses it). */
const phoneOf = (req: Request): string | null => normalizePhone((req.body as { requester?: { phone?: unknown } } | undefined)?.requester?.phone);

/** The signed-in caller (resolved by the identity guard before this one), or null. */
const callerOf = (context: ExecutionContext) => context.switchToHttp().getRequest<IntakeRequest>().identity ?? null;

/** Anonymous: no signed-in caller. */
const anonymous = (context: ExecutionContext) => callerOf(context) === null;

/** A platform user (muhtar, tradesperson, council member): signed in, but not trusted like the center's staff. */
const platformUser = (context: ExecutionContext) => {
  const caller = callerOf(context);
  return caller !== null && isPlatformUser(caller);
};

/**
 * Intake limits by what the caller is allowed to do, counted with @nestjs/throttler over
 * INTAKE_RATE_WINDOW in PostgreSQL (rate_limit_counters, shared by every API process):
 * - anonymous: per client network (INTAKE_RATE_LIMIT's first number; an IPv4 address, or an
 *   IPv6 /64, as Express sees it: see TRUST_PROXY) and per phone number (its second);
 * - platform users (MUHTAR, TRADESPERSON, COUNCIL_MEMBER): per user (PLATFORM_INTAKE_RATE_LIMIT),
 *   so a stolen platform token cannot text number after number;
 * - the center's staff (every other role): trusted, not limited.
 * Every request counts, accepted or not. Over any: 429 problem+json with `Retry-After` in
 * seconds, before anything is written. The acknowledgement SMS have their own caps in the
 * worker (per phone and day, and the hourly budget of the whole system).
 */
@Injectable()
export class IntakeRateLimitGuard extends ThrottlerGuard {
  // Every parameter named explicitly: Nest would otherwise inherit ThrottlerGuard's injection tokens.
  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(Reflector) reflector: Reflector, @Inject(RateLimitCounters) counters: RateLimitCounters) {
    const { perIp, perPhone, perPlatformUser, windowMs } = config.intakeLimits;
    super(
      {
        setHeaders: false,
        // The counted thing itself is the key (hashed by the store): the per-phone count is shared with Open311's creates.
        generateKey: (_context, tracker) => tracker,
        throttlers: [
          {
            name: INTAKE_SCOPE.ip,
            limit: perIp,
            ttl: windowMs,
            skipIf: (context) => !anonymous(context),
            getTracker: (req) => clientNetwork((req as Request).ip),
          },
          {
            name: INTAKE_SCOPE.phone,
            limit: perPhone,
            ttl: windowMs,
            skipIf: (context) => !anonymous(context) || phoneOf(context.switchToHttp().getRequest<Request>()) === null,
            getTracker: (req) => phoneOf(req as Request) ?? '',
          },
          {
            name: INTAKE_SCOPE.platformUser,
            limit: perPlatformUser,
            ttl: windowMs,
            skipIf: (context) => !platformUser(context),
            getTracker: (req) => (req as IntakeRequest).identity?.id ?? '',
          },
        ],
      },
      new PostgresThrottlerStorage(counters),
      reflector,
    );
  }

  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyRequests(context, detail, ApiErrorCode.TOO_MANY_REQUESTS, platformUser(context) ? 'requests from your account' : 'requests');
  }
}
