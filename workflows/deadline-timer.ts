import { CancellationScope, sleep } from '@temporalio/workflow';

/**
 * The ticket's one durable timer, set for the earliest deadline in its state (SLA marks,
 * approval reminders and escalations, the legal deadline, the end of the reopen window). It is
 * kept while that deadline stays the same: most commands leave it alone, and every re-arm
 * costs two history events (timer started, timer cancelled).
 */
export class DeadlineTimer {
  private armed: { at: string; scope: CancellationScope; fired: boolean } | null = null;

  /** Whether the timer has fired and its firing has not been taken yet. */
  get fired(): boolean {
    return this.armed?.fired === true;
  }

  /**
   * Sets the timer for `at` (an ISO time), or clears it when nothing is due ever (null). Called
   * after every change of the state: the same deadline keeps its timer, even one that has just
   * fired and waits for its tick.
   */
  arm(at: string | null): void {
    if (this.armed?.at === at) return;
    if (this.armed && !this.armed.fired) this.armed.scope.cancel();
    this.armed = null;
    if (at === null) return;
    const scope = new CancellationScope();
    const armed = { at, scope, fired: false };
    scope.run(() => sleep(Math.max(1, Date.parse(at) - Date.now()))).then(
      () => {
        armed.fired = true;
      },
      () => undefined, // cancelled: the deadline moved
    );
    this.armed = armed;
  }

  /** Consumes a firing (right before its tick): the next `arm` sets a new timer even for the same moment. */
  take(): void {
    if (this.armed?.fired) this.armed = null;
  }
}
