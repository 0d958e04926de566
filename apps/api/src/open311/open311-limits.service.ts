import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { RateLimitCounters } from '../../../../libs/database/src/rate-limit-counters.repository';
import type { ApiClientKeyHolder } from '../api-clients/api-clients.service';
import { clientNetwork } from '../common/client-network';
import { INTAKE_SCOPE } from '../tickets/intake-rate-limit.guard';
import { Open311Error } from './open311.error';

const MINUTE_MS = 60_000;

/**
 * The Open311 rate limits, counted in PostgreSQL (rate_limit_counters, shared by every API
 * process, as the intake limits are): every request with a key counts against its client's
 * requests a minute, every request without one against its client network's (an IPv4 address
 * or an IPv6 /64) OPEN311_ANONYMOUS_RATE_LIMIT a minute; a create also counts against the
 * intake's per-phone limit (INTAKE_RATE_LIMIT's second number over INTAKE_RATE_WINDOW, the
 * same count as POST /tickets). Over any: 429 with Retry-After.
 */
@Injectable()
export class Open311Limits {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counters: RateLimitCounters,
  ) {}

  private async hit(scope: string, key: string, limit: number, windowMs: number, what: string): Promise<void> {
    const record = await this.counters.hit(scope, key, { windowMs, limit, blockMs: windowMs });
    if (record.blocked) {
      const retryAfter = Math.max(1, record.retryAfterSeconds);
      throw new Open311Error(429, `too many ${what}; try again in ${retryAfter} s`, retryAfter);
    }
  }

  /** One request: its client's limit, or its client network's when it carries no valid key. */
  async countRequest(client: ApiClientKeyHolder | null, ip: string | undefined): Promise<void> {
    if (client) await this.hit('open311-client', client.id, client.requestsPerMinute, MINUTE_MS, `requests with this API key (${client.requestsPerMinute} a minute)`);
    else await this.hit('open311-ip', clientNetwork(ip), this.config.open311.anonymousReadsPerMinute, MINUTE_MS, 'requests without an API key from this address');
  }

  /**
   * One check of a key against its argon2id hash, from this client network: at most
   * OPEN311_ANONYMOUS_RATE_LIMIT a minute (a client's valid key is checked about once a minute).
   */
  countKeyCheck(ip: string | undefined): Promise<void> {
    return this.hit('open311-key-check', clientNetwork(ip), this.config.open311.anonymousReadsPerMinute, MINUTE_MS, 'API key checks from this address');
  }

  /** One new request for this phone (E.164). */
  countPhone(phone: string): Promise<void> {
    const { perPhone, windowMs } = this.config.intakeLimits;
    return this.hit(INTAKE_SCOPE.phone, phone, perPhone, windowMs, 'requests for this phone number');
  }
}
