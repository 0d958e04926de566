import type { DataSource } from 'typeorm';
import { SmsNotSentError } from '../libs/sms/src';

/** The longest an activity waits for its turn; beyond, it gives the slot back and retries later. */
export const MAX_PACING_WAIT_MS = 5_000;

/**
 * Paces sending per sender at SMS_RATE_PER_SECOND across every worker process: one row per
 * sender in PostgreSQL (`sms_rate_buckets`), a token bucket of capacity one refilled at the rate.
 * Each message reserves its slot in one atomic upsert (the row lock serialises workers); a
 * negative balance is the wait before the reserved slot comes. So messages leave at least
 * 1/rate apart whatever the number of workers, and nothing is kept in memory.
 */
export class SendRateLimiter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ratePerSecond: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Waits for the sender's next slot; throws a retryable SmsNotSentError (nothing sent) when it is too far off. */
  async acquire(sender: string): Promise<number> {
    const rate = this.ratePerSecond;
    const [{ tokens }]: Array<{ tokens: number }> = await this.dataSource.query(
      `INSERT INTO sms_rate_buckets AS b (sender, tokens, updated_at) VALUES ($1, 0, clock_timestamp())
       ON CONFLICT (sender) DO UPDATE
         SET tokens = LEAST(1, b.tokens + EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at) * $2) - 1,
             updated_at = clock_timestamp()
       RETURNING tokens`,
      [sender, rate],
    );
    const waitMs = tokens < 0 ? Math.ceil((-tokens / rate) * 1000) : 0;
    if (waitMs > MAX_PACING_WAIT_MS) {
      await this.dataSource.query(`UPDATE sms_rate_buckets SET tokens = tokens + 1 WHERE sender = $1`, [sender]);
      throw new SmsNotSentError(`sender ${sender} is busy: next slot in ${waitMs} ms`, { retryable: true });
    }
    if (waitMs > 0) await this.sleep(waitMs);
    return waitMs;
  }

  /** The provider said 429: every worker holds off this sender for `seconds`. */
  async backOff(sender: string, seconds = 1): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_rate_buckets SET tokens = LEAST(tokens, -($2::float8 * $3::float8)), updated_at = clock_timestamp() WHERE sender = $1`,
      [sender, this.ratePerSecond, seconds],
    );
  }
}
