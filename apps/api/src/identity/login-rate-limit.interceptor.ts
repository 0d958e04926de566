import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { RateLimitCounters } from '../../../../libs/database/src/rate-limit-counters.repository';
import { ApiErrorCode } from '../common/api-error-code';
import { clientNetwork } from '../common/client-network';
import { ApiProblem } from '../common/problem';
import { tooManyRequests } from '../common/too-many-requests';

/** The scopes (rate_limit_counters.scope) of the sign-in limits. */
export const LOGIN_SCOPE = { source: 'login-source', usernameAtSource: 'login-username-source' } as const;

/** The username a sign-in attempt is for, as counted: case and surrounding blanks ignored. */
const usernameOf = (req: Request): string | null => {
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username.trim() !== '' ? username.trim().toLowerCase().slice(0, 200) : null;
};

/** A refused password (or unknown account): the one outcome that stays counted. */
const wrongCredentials = (error: unknown) => error instanceof ApiProblem && error.code === ApiErrorCode.UNAUTHENTICATED;

/**
 * Sign-in attempts that do not succeed, counted in PostgreSQL (rate_limit_counters, shared by
 * every API process) per LOGIN_RATE_WINDOW, by source: the client network (an IPv4 address or
 * an IPv6 /64, as Express sees it: see TRUST_PROXY).
 * - per username from one source (LOGIN_RATE_LIMIT's second number): past it that username is
 *   refused from that source for the window, each lock-out in a row twice as long as the one
 *   before, up to LOGIN_LOCKOUT_MAX. Someone guessing from elsewhere cannot lock the real
 *   person out: the same username from another source is counted on its own.
 * - per source, any username (its first number, looser): against spraying many accounts.
 * An attempt is counted before the password is checked (so parallel attempts cannot outrun the
 * count) and given back when it was not a wrong password: a sign-in that succeeds clears the
 * username's count at that source; a malformed body or an outage is no attempt. A source that
 * has not failed is never refused. Over either limit: 429 problem+json with `Retry-After`,
 * the password not even checked.
 */
@Injectable()
export class LoginRateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counters: RateLimitCounters,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const { perIp, perUsername, windowMs, maxLockoutMs } = this.config.auth.loginRateLimit;
    const source = clientNetwork(req.ip);
    const username = usernameOf(req);
    const userKey = username === null ? null : `${username}\n${source}`;

    const bySource = await this.counters.hit(LOGIN_SCOPE.source, source, { windowMs, limit: perIp, blockMs: windowMs });
    if (bySource.blocked) throw this.refused(context, bySource.retryAfterSeconds);
    if (userKey !== null) {
      const byUser = await this.counters.hit(LOGIN_SCOPE.usernameAtSource, userKey, { windowMs, limit: perUsername, blockMs: windowMs, maxBlockMs: maxLockoutMs });
      if (byUser.blocked) throw this.refused(context, byUser.retryAfterSeconds);
    }
    return from(this.settle(next.handle(), source, userKey));
  }

  /** Runs the sign-in; keeps the attempt counted only when the credentials were wrong. */
  private async settle(attempt: Observable<unknown>, source: string, userKey: string | null): Promise<unknown> {
    try {
      const answer = await lastValueFrom(attempt);
      await this.counters.refund(LOGIN_SCOPE.source, source);
      if (userKey !== null) await this.counters.reset(LOGIN_SCOPE.usernameAtSource, userKey);
      return answer;
    } catch (error) {
      if (!wrongCredentials(error)) {
        await this.counters.refund(LOGIN_SCOPE.source, source);
        if (userKey !== null) await this.counters.refund(LOGIN_SCOPE.usernameAtSource, userKey);
      }
      throw error;
    }
  }

  private refused(context: ExecutionContext, retryAfterSeconds: number): ApiProblem {
    return tooManyRequests(context, { timeToBlockExpire: retryAfterSeconds }, ApiErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS, 'sign-in attempts');
  }
}
