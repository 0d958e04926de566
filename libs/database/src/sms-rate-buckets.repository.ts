import type { DataSource } from 'typeorm';

/** A sender's bucket after a reservation: its balance (negative: the queue before the slot) and the hold left. */
export interface SlotReservation {
  tokens: number;
  heldSeconds: number;
}

/**
 * The SMS pacing's token buckets (sms_rate_buckets): one row per sender, a bucket of capacity one
 * refilled at the rate, its `updated_at` moved into the future by a provider's 429 (a hold). Every
 * statement is one atomic upsert or update, so the row lock serialises the workers; the pacing
 * itself (waiting, giving a slot back) is activities/send-rate-limiter.ts.
 */
export class SmsRateBucketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes one token (refilled up to now at `ratePerSecond` first), creating the sender's row empty. */
  async reserve(sender: string, ratePerSecond: number): Promise<SlotReservation> {
    const [{ tokens, held }]: Array<{ tokens: number; held: number }> = await this.dataSource.query(
      `INSERT INTO sms_rate_buckets AS b (sender, tokens, updated_at) VALUES ($1, 0, clock_timestamp())
       ON CONFLICT (sender) DO UPDATE
         SET tokens = LEAST(1, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at)) * $2::float8) - 1,
             updated_at = GREATEST(b.updated_at, clock_timestamp())
       RETURNING tokens, GREATEST(0, EXTRACT(EPOCH FROM updated_at - clock_timestamp()))::float8 AS held`,
      [sender, ratePerSecond],
    );
    return { tokens, heldSeconds: held };
  }

  /** How much of a hold is left now, in seconds (0 when the sender is not held or has no row). */
  async heldSeconds(sender: string): Promise<number> {
    const [row]: Array<{ held: number }> = await this.dataSource.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM updated_at - clock_timestamp()))::float8 AS held FROM sms_rate_buckets WHERE sender = $1`,
      [sender],
    );
    return row ? row.held : 0;
  }

  /** Returns a reserved token that will not be used. */
  async giveBack(sender: string): Promise<void> {
    await this.dataSource.query(`UPDATE sms_rate_buckets SET tokens = tokens + 1 WHERE sender = $1`, [sender]);
  }

  /**
   * Holds the sender for `seconds` from now: the bucket's clock jumps to the end of the hold with
   * the refill of the time skipped, so the slots inside the hold are gone and the later ones keep
   * their places. A hold already reaching further stays.
   */
  async hold(sender: string, ratePerSecond: number, seconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_rate_buckets AS b
          SET tokens = LEAST(1, b.tokens + EXTRACT(EPOCH FROM GREATEST(b.updated_at, h.hold_end) - b.updated_at) * $2::float8),
              updated_at = GREATEST(b.updated_at, h.hold_end)
         FROM (SELECT clock_timestamp() + make_interval(secs => $3::float8) AS hold_end) AS h
        WHERE b.sender = $1`,
      [sender, ratePerSecond, seconds],
    );
  }
}
