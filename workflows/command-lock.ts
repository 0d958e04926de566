import { condition } from '@temporalio/workflow';

/**
 * Commands run one at a time: a command's effects finish before the next one decides. A free
 * lock is taken without yielding (no extra workflow task); every waiter wakes when it frees and
 * only the first takes it, the rest wait again.
 */
export class CommandLock {
  private held = false;

  get busy(): boolean {
    return this.held;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.held) await condition(() => !this.held);
    this.held = true;
    try {
      return await work();
    } finally {
      this.held = false;
    }
  }
}
