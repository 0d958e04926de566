import { condition } from '@temporalio/workflow';

/**
 * Commands run one at a time: a command's effects finish before the next one decides. A free
 * lock is taken synchronously and the work starts in the same turn (no extra workflow task, and
 * one promise rather than an async chain: the SDK records a stack trace for every promise a
 * workflow creates). Every waiter wakes when it frees and only the first takes it, the rest
 * wait again.
 */
export class CommandLock {
  private held = false;

  get busy(): boolean {
    return this.held;
  }

  run<T>(work: () => T | PromiseLike<T>): Promise<T> {
    return this.held ? this.runAfterWaiting(work) : this.hold(work);
  }

  private async runAfterWaiting<T>(work: () => T | PromiseLike<T>): Promise<T> {
    while (this.held) await condition(() => !this.held);
    return this.hold(work);
  }

  /** Takes the (free) lock, starts `work` now, and frees the lock once it has settled. */
  private hold<T>(work: () => T | PromiseLike<T>): Promise<T> {
    this.held = true;
    const release = () => {
      this.held = false;
    };
    let result: T | PromiseLike<T>;
    try {
      result = work();
    } catch (error) {
      release();
      return Promise.reject(error);
    }
    // then(ok, fail) rather than finally(): one promise instead of three.
    return Promise.resolve(result).then(
      (value) => {
        release();
        return value;
      },
      (error: unknown) => {
        release();
        throw error;
      },
    );
  }
}
