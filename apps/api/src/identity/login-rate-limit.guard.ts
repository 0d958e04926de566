import { ExecutionContext, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorageService, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { ApiErrorCode } from '../common/api-error-code';
import { tooManyRequests } from '../common/too-many-requests';

/** The username a sign-in attempt is for, as counted: case and surrounding blanks ignored. */
const usernameOf = (req: Request): string | null => {
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username.trim() !== '' ? username.trim().toLowerCase().slice(0, 200) : null;
};

/**
 * Sign-in attempts per window (LOGIN_RATE_LIMIT, LOGIN_RATE_WINDOW), counted twice with
 * @nestjs/throttler: per client IP (password spraying from one address) and per username
 * (guessing one account's password from many). Over either limit: 429 problem+json with
 * `Retry-After` in seconds. Every attempt counts, successful or not. The counters live in this
 * API process's memory (its own store, apart from any other throttling), so each instance
 * counts on its own; behind a proxy the IP is the proxy's unless Express's `trust proxy` is set.
 */
@Injectable()
export class LoginRateLimitGuard extends ThrottlerGuard implements OnApplicationShutdown {
  private readonly store: ThrottlerStorageService;

  // Both parameters named explicitly: Nest would otherwise inherit ThrottlerGuard's injection tokens.
  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(Reflector) reflector: Reflector) {
    const { perIp, perUsername, windowMs } = config.auth.loginRateLimit;
    const store = new ThrottlerStorageService();
    super(
      {
        setHeaders: false,
        throttlers: [
          { name: 'ip', limit: perIp, ttl: windowMs },
          {
            name: 'username',
            limit: perUsername,
            ttl: windowMs,
            skipIf: (context) => usernameOf(context.switchToHttp().getRequest<Request>()) === null,
            getTracker: (req) => usernameOf(req as Request) ?? '',
          },
        ],
      },
      store,
      reflector,
    );
    this.store = store;
  }

  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyRequests(context, detail, ApiErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS, 'sign-in attempts');
  }

  onApplicationShutdown(): void {
    this.store.onApplicationShutdown();
  }
}
