import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { ApiClientKeyHolder } from '../api-clients/api-clients.service';
import { Open311Error } from './open311.error';

const MINUTE_MS = 60_000;

/**
 * The Open311 rate limits, counted with @nestjs/throttler's store in this process's memory (each
 * API instance counts on its own, as the intake limits do): every request with a key counts
 * against its client's requests a minute, every request without one against its IP's
 * OPEN311_ANONYMOUS_RATE_LIMIT a minute; a create also counts against the intake's per-phone
 * limit (INTAKE_RATE_LIMIT's second number over INTAKE_RATE_WINDOW). Over any: 429 with
 * Retry-After. The daily cap on acknowledgement SMS per phone holds across processes (worker).
 */
@Injectable()
export class Open311Limits implements OnApplicationShutdown {
  private readonly store = new ThrottlerStorageService();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private async hit(key: string, limit: number, ttlMs: number, what: string): Promise<void> {
    const record = await this.store.increment(key, ttlMs, limit, ttlMs, 'open311');
    if (record.isBlocked) {
      const retryAfter = Math.max(1, record.timeToBlockExpire);
      throw new Open311Error(429, `too many ${what}; try again in ${retryAfter} s`, retryAfter);
    }
  }

  /** One request: its client's limit, or its IP's when it carries no valid key. */
  async countRequest(client: ApiClientKeyHolder | null, ip: string): Promise<void> {
    if (client) await this.hit(`client:${client.id}`, client.requestsPerMinute, MINUTE_MS, `requests with this API key (${client.requestsPerMinute} a minute)`);
    else await this.hit(`ip:${ip}`, this.config.open311.anonymousReadsPerMinute, MINUTE_MS, 'requests without an API key from this address');
  }

  /**
   * One check of a key against its argon2id hash, from this address: at most
   * OPEN311_ANONYMOUS_RATE_LIMIT a minute (a client's valid key is checked about once a minute).
   */
  countKeyCheck(ip: string): Promise<void> {
    return this.hit(`key-check:${ip}`, this.config.open311.anonymousReadsPerMinute, MINUTE_MS, 'API key checks from this address');
  }

  /** One new request for this phone (E.164). */
  countPhone(phone: string): Promise<void> {
    const { perPhone, windowMs } = this.config.intakeLimits;
    return this.hit(`phone:${phone}`, perPhone, windowMs, 'requests for this phone number');
  }

  onApplicationShutdown(): void {
    this.store.onApplicationShutdown();
  }
}
