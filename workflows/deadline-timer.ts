import { CancellationScope, sleep } from '@temporalio/workflow';

/**
 * The ticket's one durable timer, set for the earliest deadline in its state (SLA marks,
 * approval reminders and escalations, the legal deadline, the end of the reopen window). It is
 * kept while that deadline stays the same: most commands leave it alone, and every re-arm
 * costs two history events (timer started, timer cancelled).
 */
export class DeadlineTimer {
  private armed: { at: string; scope: CancellationScope } | null = null;
  private due = false;

  /** Whether the deadline it was set for has come; cleared by `take()`. */
  get fired(): boolean {
    return this.due;
  }

  /** Sets the timer for `at` (an ISO time), or clears it when nothing is due ever (null). */
  arm(at: string | null): void {
    if (this.armed?.at === at) return;
    this.armed?.scope.cancel();
    this.armed = null;
    if (at === null) return;
    const scope = new CancellationScope();
    const armed = { at, scope };
    scope.run(() => sleep(Math.max(1, Date.parse(at) - Date.now()))).then(
      () => {
        if (this.armed === armed) this.due = true;
      },
      () => undefined, // cancelled: the deadline moved
    );
    this.armed = armed;
  }

  /** Consumes a firing: the next `arm` sets a new timer even for the same moment. */
  take(): void {
    this.due = false;
    this.armed = null;
  }
}
