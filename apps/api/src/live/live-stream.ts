import type { Response } from 'express';
import type { Reader } from '../../../../libs/domain/src';

/** Why the server ends a stream (the last event, `end`, says it). */
export type LiveEndReason = 'SESSION_ENDED' | 'TOKEN_EXPIRED' | 'SHUTDOWN';

/**
 * One console's `text/event-stream` (GET /events): who it is for, and the writes of the SSE
 * wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html). While the hub
 * replays what the client missed, live events wait in `held`, so the two never interleave.
 */
export class LiveStream {
  private ended = false;
  /** Live events that arrived during the replay; null once the stream is live. */
  held: { id: string; event: string; data: unknown }[] | null = [];
  expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly res: Response,
    readonly reader: Reader,
    readonly staffId: string,
    /** null for an OIDC token (no session of ours to revoke). */
    readonly sessionId: string | null,
  ) {}

  get closed(): boolean {
    return this.ended || this.res.writableEnded || this.res.destroyed;
  }

  /** Status, headers, and the client's reconnection delay: sent before anything else. */
  start(retryMs: number): void {
    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // Never cached or transformed, and never held back by a buffering proxy (nginx reads X-Accel-Buffering).
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.setHeader('Connection', 'keep-alive');
    this.res.flushHeaders();
    this.res.socket?.setNoDelay(true);
    this.res.write(`retry: ${retryMs}\n\n`);
  }

  /** An event now, or after the replay when one is under way. */
  deliver(id: string, event: string, data: unknown): void {
    if (this.held) this.held.push({ id, event, data });
    else this.write(id, event, data);
  }

  write(id: string | null, event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`${id !== null ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps proxies and load balancers from cutting an idle connection. */
  heartbeat(): void {
    if (!this.closed) this.res.write(': heartbeat\n\n');
  }

  end(reason: LiveEndReason): void {
    if (this.closed) return;
    this.write(null, 'end', { reason });
    this.ended = true;
    this.res.end();
  }
}
