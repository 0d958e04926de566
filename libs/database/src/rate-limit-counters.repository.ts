import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** One limit: how hits are counted and what happens past it. */
export interface RateLimit {
  /** The fixed window hits are counted in, from the first hit of a key. */
  windowMs: number;
  /** Hits allowed per window (at least 1): the next one is refused. */
  limit: number;
  /**
   * How long a key past its limit is then refused (its hits are not counted meanwhile); after
   * that a new window starts. 0 = never blocked: every hit is counted, and `blocked` says
   * whether the count is past the limit (a budget).
   */
  blockMs: number;
  /**
   * Progressive back-off: each block that follows another doubles (blockMs, 2×, 4×…) up to
   * this; the blocks in a row are forgotten once the key has been quiet this long after its
   * last block. Unset: every block lasts blockMs.
   */
  maxBlockMs?: number;
}

/** What one hit found. */
export interface RateLimitHit {
  /** Hits in the current window, this one included (when it was counted). */
  hits: number;
  /** This hit is refused: the key is blocked, or (blockMs 0) past its limit. */
  blocked: boolean;
  /** Seconds until the window ends (at least 1). */
  resetInSeconds: number;
  /** Seconds until the block ends; 0 when not blocked by a block. */
  retryAfterSeconds: number;
}

/**
 * The hourly SMS budget of the whole system (SMS_HOURLY_BUDGET): one counter of every message
 * sent (SMS and WhatsApp), by every worker, in hour-long windows.
 */
export const SMS_BUDGET_COUNTER = { scope: 'sms-hourly-budget', key: 'all', windowMs: 3_600_000 } as const;

/** How often one process deletes rows nobody needs any more (expired windows and blocks). */
const PRUNE_EVERY_MS = 60_000;

/** The most doublings of a progressive block (far beyond any sensible maximum). */
const MAX_DOUBLINGS = 30;

/** The key as stored: a hash, so that no phone, address or username is kept in this table. */
const stored = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * The hit, in one statement: a new key gets a row; an existing one is counted in its window,
 * refused while blocked, blocked when past its limit. Row locking by the upsert makes it
 * exact with any number of processes. $1 scope, $2 key, $3 window, $4 limit, $5 block,
 * $6 longest block, $7 how long blocks in a row are remembered (ms).
 * - fresh: the row has expired (as good as absent: strikes forgotten too);
 * - held: it is blocked now (nothing counted);
 * - restart: its window, or its block, is over (a new window starts with this hit).
 */
const HIT_SQL = `
  INSERT INTO rate_limit_counters AS c (scope, key, hits, window_ends_at, blocked_until, strikes, expires_at)
  VALUES ($1, $2, 1, now() + $3::float8 * interval '1 millisecond', NULL, 0, now() + $3::float8 * interval '1 millisecond')
  ON CONFLICT (scope, key) DO UPDATE SET (hits, window_ends_at, blocked_until, strikes, expires_at) = (
    SELECT n.hits, n.window_ends_at, n.blocked_until, n.strikes,
           GREATEST(CASE WHEN n.fresh THEN n.window_ends_at ELSE c.expires_at END, n.window_ends_at, n.blocked_until + $7::float8 * interval '1 millisecond')
      FROM (
        SELECT s.fresh, s.hits, s.window_ends_at,
               CASE WHEN s.held THEN c.blocked_until
                    WHEN $5::float8 > 0 AND s.hits > $4::int
                      THEN now() + LEAST($6::float8, $5::float8 * power(2, LEAST(s.strikes, ${MAX_DOUBLINGS}))) * interval '1 millisecond'
               END AS blocked_until,
               CASE WHEN NOT s.held AND $5::float8 > 0 AND s.hits > $4::int THEN s.strikes + 1 ELSE s.strikes END AS strikes
          FROM (
            SELECT o.fresh, o.held,
                   CASE WHEN o.held THEN c.hits WHEN o.restart THEN 1 ELSE c.hits + 1 END AS hits,
                   CASE WHEN NOT o.held AND o.restart THEN EXCLUDED.window_ends_at ELSE c.window_ends_at END AS window_ends_at,
                   CASE WHEN o.fresh THEN 0 ELSE c.strikes END AS strikes
              FROM (
                SELECT c.expires_at <= now() AS fresh,
                       c.expires_at > now() AND COALESCE(c.blocked_until > now(), false) AS held,
                       c.expires_at <= now() OR c.window_ends_at <= now() OR COALESCE(c.blocked_until <= now(), false) AS restart
              ) AS o
          ) AS s
      ) AS n
  )
  RETURNING hits,
            EXTRACT(EPOCH FROM window_ends_at - now())::float8 AS window_left,
            COALESCE(EXTRACT(EPOCH FROM blocked_until - now()), 0)::float8 AS block_left`;

/**
 * Every rate limit of Teksin, counted in PostgreSQL (`rate_limit_counters`) so that every API
 * and worker process shares one count: anonymous intake per address and per phone, platform
 * users' intake, sign-in, Open311 per key and per address, the hourly SMS budget. A `scope`
 * names the limit, a `key` what is counted in it (stored hashed). Fixed windows; blocks, and
 * progressive blocks for sign-in. Expired rows are deleted at most once a minute per process.
 */
@Injectable()
export class RateLimitCounters {
  private readonly logger = new Logger('RateLimits');
  private prunedAt = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Counts one hit of `key` under `scope`'s limit; says whether it is refused. */
  async hit(scope: string, key: string, limit: RateLimit): Promise<RateLimitHit> {
    if (!(limit.limit >= 1) || !(limit.windowMs >= 1)) throw new Error(`rate limit ${scope}: limit and window must be positive`);
    await this.pruneNow();
    const blockMs = Math.max(0, limit.blockMs);
    const maxBlockMs = Math.max(blockMs, limit.maxBlockMs ?? blockMs);
    const rememberMs = limit.maxBlockMs === undefined ? 0 : maxBlockMs;
    const [row]: Array<{ hits: number; window_left: number; block_left: number }> = await this.dataSource.query(HIT_SQL, [
      scope,
      stored(key),
      limit.windowMs,
      limit.limit,
      blockMs,
      maxBlockMs,
      rememberMs,
    ]);
    const retryAfterSeconds = row.block_left > 0 ? Math.max(1, Math.ceil(row.block_left)) : 0;
    const resetInSeconds = Math.max(1, Math.ceil(row.window_left));
    return { hits: row.hits, blocked: retryAfterSeconds > 0 || (blockMs === 0 && row.hits > limit.limit), resetInSeconds, retryAfterSeconds };
  }

  /** Takes one hit back from the current window (what it counted turned out not to count: a sign-in that succeeded, a message not sent). */
  async refund(scope: string, key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE rate_limit_counters SET hits = GREATEST(hits - 1, 0)
        WHERE scope = $1 AND key = $2 AND window_ends_at > now() AND NOT COALESCE(blocked_until > now(), false)`,
      [scope, stored(key)],
    );
  }

  /** Forgets the key altogether: its hits, block and blocks in a row. */
  async reset(scope: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE scope = $1 AND key = $2`, [scope, stored(key)]);
  }

  /** The key's current window, or null when it has none. */
  async current(scope: string, key: string): Promise<{ hits: number; windowEndsAt: Date; blockedUntil: Date | null } | null> {
    const [row]: Array<{ hits: number; window_ends_at: Date; blocked_until: Date | null }> = await this.dataSource.query(
      `SELECT hits, window_ends_at, blocked_until FROM rate_limit_counters WHERE scope = $1 AND key = $2 AND (window_ends_at > now() OR blocked_until > now())`,
      [scope, stored(key)],
    );
    return row ? { hits: row.hits, windowEndsAt: new Date(row.window_ends_at), blockedUntil: row.blocked_until ? new Date(row.blocked_until) : null } : null;
  }

  /** Deletes expired rows, at most once a minute per process (by the expires_at index: cheap). */
  private async pruneNow(): Promise<void> {
    const now = Date.now();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE expires_at < now()`).catch((error: Error) => {
      this.logger.warn(`pruning expired rate limit counters failed: ${error.message}`);
    });
  }
}
