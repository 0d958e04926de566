import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimitCounters } from '../../../../libs/database/src/rate-limit-counters.repository';

/**
 * @nestjs/throttler's storage over the PostgreSQL counters (`rate_limit_counters`), so that a
 * ThrottlerGuard's limits hold across every API process: the throttler's name is the counter's
 * scope, its key the counted thing. The same contract as the in-memory store: the hit past
 * `limit` blocks the key for `blockDuration` (ms), during which nothing is counted.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counters: RateLimitCounters) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ReturnType<ThrottlerStorage['increment']> {
    const hit = await this.counters.hit(throttlerName, key, { windowMs: ttl, limit, blockMs: blockDuration });
    return {
      totalHits: hit.hits,
      timeToExpire: hit.resetInSeconds,
      isBlocked: hit.blocked,
      timeToBlockExpire: hit.blocked ? hit.retryAfterSeconds || hit.resetInSeconds : 0,
    };
  }
}
