import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every rate limit is counted here, so that any number of API and worker processes share one
 * count (libs/database/src/rate-limit-counters.repository.ts): one row per limit (`scope`) and
 * counted thing (`key`, a SHA-256 of the address, phone, username or client: never the value
 * itself). A fixed window of `hits` until `window_ends_at`; a key over its limit is blocked
 * until `blocked_until`, `strikes` blocks in a row doubling the next one where the limit backs
 * off progressively (sign-in). A row is forgotten after `expires_at` (pruned by that index).
 */
export class RateLimitCounters1765710000000 implements MigrationInterface {
  name = 'RateLimitCounters1765710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limit_counters (
        scope text NOT NULL,
        key text NOT NULL,
        hits int NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz,
        strikes int NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX rate_limit_counters_expires_idx ON rate_limit_counters (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters;`);
  }
}
