import type { SmsRateBucketsRepository } from '../libs/database/src/sms-rate-buckets.repository';
import { SmsNotSentError } from '../libs/sms/src';

/** The longest an activity waits for its turn (holds included); beyond, it gives the slot back and retries later. */
export const MAX_PACING_WAIT_MS = 5_000;

/** What is left of a hold when a message's slot comes that is timer noise, not a new hold: waited out, the slot kept. */
const HOLD_NOISE_MS = 25;

/** How often one send may be moved behind a 429 hold that began while it waited, before it gives its turn back. */
export const MAX_HOLDS_PER_SEND = 3;

/**
 * Paces sending per sender at SMS_RATE_PER_SECOND across every worker process: one row per
 * sender in PostgreSQL (`sms_rate_buckets`), a token bucket of capacity one refilled at the rate.
 * Each message reserves its slot in one atomic upsert (the row lock serialises workers); a
 * negative balance is the wait before the reserved slot comes. So messages leave at least
 * 1/rate apart whatever the number of workers, and nothing is kept in memory.
 *
 * A 429 from the provider holds the sender: the row's `updated_at` moves to the end of the hold
 * (the bucket counts from then on), so every slot reserved afterwards comes after it. A
 * message that had reserved its slot before the 429 and is still waiting for it looks again
 * when its slot comes: if the sender is held by then, it queues again behind the hold. Only the
 * requests already on their way when the provider answered 429 reach it during the hold.
 */
export class SendRateLimiter {
  constructor(
    private readonly buckets: SmsRateBucketsRepository,
    private readonly ratePerSecond: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Waits for the sender's next slot (after any hold); throws a retryable SmsNotSentError (nothing sent) when it is too far off. */
  async acquire(sender: string): Promise<number> {
    let waited = 0;
    for (let holds = 0; ; holds++) {
      const waitMs = await this.reserve(sender);
      // At most MAX_PACING_WAIT_MS in all, holds included: the send must fit its activity's 30 s
      // with the provider's 15 s, or a retry would find the row SENDING and call it UNCERTAIN.
      if (waited + waitMs > MAX_PACING_WAIT_MS) {
        await this.giveBack(sender);
        throw new SmsNotSentError(`sender ${sender} is busy: next slot in ${waitMs} ms`, { retryable: true });
      }
      // A slot that is due now is already on its way, like a request in flight when a 429 comes.
      if (waitMs === 0) return waited;
      await this.sleep(waitMs);
      waited += waitMs;
      // A 429 while this message waited for its slot holds it too: behind the hold, or back to Temporal.
      const heldMs = await this.heldFor(sender);
      if (heldMs <= HOLD_NOISE_MS) {
        if (heldMs > 0) await this.sleep(heldMs);
        return waited + heldMs;
      }
      // Its slot was inside the hold, which took it (backOff): it queues again behind the hold.
      if (holds + 1 >= MAX_HOLDS_PER_SEND) throw new SmsNotSentError(`sender ${sender} is held after a 429: ${heldMs} ms left`, { retryable: true });
    }
  }

  /**
   * The provider said 429: every worker holds off this sender for `seconds` (its Retry-After, at
   * least one second). The bucket's clock jumps to the end of the hold with the refill of the time
   * skipped, so the slots inside the hold are gone (their messages queue again behind it) and the
   * ones after it keep their places.
   */
  async backOff(sender: string, seconds = 1): Promise<void> {
    await this.buckets.hold(sender, this.ratePerSecond, Math.max(1, seconds));
  }

  /** Reserves the next slot: how long until it comes (the rest of a hold, then the queue before it). */
  private async reserve(sender: string): Promise<number> {
    const rate = this.ratePerSecond;
    const { tokens, heldSeconds } = await this.buckets.reserve(sender, rate);
    return Math.ceil(heldSeconds * 1000 + (tokens < 0 ? (-tokens / rate) * 1000 : 0));
  }

  /** How much of a hold is left now (0 when the sender is not held). */
  private async heldFor(sender: string): Promise<number> {
    return Math.ceil((await this.buckets.heldSeconds(sender)) * 1000);
  }

  private async giveBack(sender: string): Promise<void> {
    await this.buckets.giveBack(sender);
  }
}
