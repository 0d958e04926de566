import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { canOpen, type TicketAccessFacts } from '../../../../libs/domain/src';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem } from '../common/problem';
import { toReader, type StaffIdentity } from '../identity/identity';
import { LiveEventsRepository, type LiveEventRow } from '../../../../libs/database/src/live-events.repository';
import { LiveFeedListener, type LiveNotification } from '../../../../libs/database/src/live-feed.listener';
import { LiveStream, type LiveEndReason } from './live-stream';
import type { LiveTicketEventView } from './live-views.schema';


/** How soon a client reconnects after a cut (the SSE `retry:` field). */
const RETRY_MS = 2_000;
/** Tickets whose last access facts are remembered: a ticket leaving a reader's scope still reaches them once. */
const REMEMBERED_TICKETS = 10_000;

const later = (a: string, b: string): boolean => BigInt(a) > BigInt(b);

/**
 * Every live stream of this API process, fed by the one LISTEN connection. A notification names an
 * audit row; the hub reads it with its ticket's access facts (one query per burst, and none while
 * no one listens) and writes it to each stream whose reader may open the ticket (canOpen, the
 * rule of GET /tickets/:number and of the lists), before or after the change: a department that
 * just lost a ticket hears of it too, so its queue counts move. A revoked session or deactivated
 * account ends its streams at once; an access token's expiry ends its stream (the console
 * refreshes and reconnects with Last-Event-ID).
 */
@Injectable()
export class LiveHub implements OnModuleDestroy {
  private readonly streams = new Set<LiveStream>();
  private readonly lastFacts = new Map<string, TicketAccessFacts>();
  private pending: string[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  /** The newest row dispatched: where a catch-up starts after the LISTEN connection was lost. */
  private lastId: string | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly listener: LiveFeedListener,
    private readonly events: LiveEventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How many streams are open in this process. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Opens the caller's stream on `res`. With `lastEventId`, first replays what they missed (in
   * scope, in order, each once), or, past LIVE_REPLAY_LIMIT rows, a `reset` (refetch everything).
   */
  async open(identity: StaffIdentity, lastEventId: string | null, res: Response): Promise<void> {
    if (this.stopping) throw new ApiProblem(ApiErrorCode.LIVE_FEED_UNAVAILABLE, 'the API is shutting down: reconnect to another instance');
    await this.listener.listen({ notified: (n) => this.notified(n), reconnected: () => this.catchUp() });
    const auth = identity.authentication;
    const stream = new LiveStream(res, toReader(identity), identity.id, auth?.sessionId ?? null);
    this.streams.add(stream);
    res.on('close', () => this.remove(stream));
    if (auth) {
      const left = Date.parse(auth.expiresAt) - Date.now();
      stream.expiryTimer = setTimeout(() => stream.end('TOKEN_EXPIRED'), Math.max(left, 0));
    }
    this.startHeartbeat();
    stream.start(RETRY_MS);
    try {
      await this.replay(stream, lastEventId);
    } catch (error) {
      this.remove(stream);
      res.destroy(error as Error);
      return;
    }
    const held = stream.held ?? [];
    stream.held = null;
    for (const e of held) stream.write(e.id, e.event, e.data);
  }

  private async replay(stream: LiveStream, lastEventId: string | null): Promise<void> {
    const limit = this.config.live.replayLimit;
    if (lastEventId !== null) {
      const missed = await this.events.after(lastEventId, limit + 1);
      if (missed.length <= limit) {
        const sent = new Set<string>();
        for (const row of missed) {
          sent.add(row.id);
          if (canOpen(stream.reader, row.facts)) stream.write(row.id, 'ticket', eventOf(row));
        }
        stream.held = (stream.held ?? []).filter((e) => !sent.has(e.id));
        this.seen(missed.at(-1)?.id ?? lastEventId);
        return;
      }
    }
    // A new stream, or too much missed: the client (re)fetches what it shows, from this cursor on.
    const cursor = await this.events.latestId();
    this.seen(cursor);
    stream.write(cursor, lastEventId === null ? 'ready' : 'reset', {});
    stream.held = (stream.held ?? []).filter((e) => later(e.id, cursor));
  }

  private notified(n: LiveNotification): void {
    if (n.k === 'session') return this.endWhere((s) => s.sessionId === n.id, 'SESSION_ENDED');
    if (n.k === 'staff') return this.endWhere((s) => s.staffId === n.id, 'SESSION_ENDED');
    // No one listening here: nothing to read.
    if (this.streams.size === 0) return;
    this.pending.push(n.id);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One read for a burst (a command's events arrive together), in order with the previous burst.
    setImmediate(() => {
      this.flushScheduled = false;
      const ids = this.pending;
      this.pending = [];
      this.flushing = this.flushing.then(() => this.events.byIds(ids).then((rows) => this.dispatch(rows))).catch(() => this.resetAll());
    });
  }

  private dispatch(rows: LiveEventRow[]): void {
    for (const row of rows) {
      const before = this.lastFacts.get(row.ticketId);
      this.remember(row.ticketId, row.facts);
      this.seen(row.id);
      const event = eventOf(row);
      for (const stream of this.streams) {
        if (canOpen(stream.reader, row.facts) || (before !== undefined && canOpen(stream.reader, before))) stream.deliver(row.id, 'ticket', event);
      }
    }
  }

  /** After the LISTEN connection came back: what was written meanwhile, or a reset when too much. */
  private catchUp(): void {
    const from = this.lastId;
    if (from === null || this.streams.size === 0) return this.resetAll();
    const limit = this.config.live.replayLimit;
    this.flushing = this.flushing
      .then(async () => {
        const missed = await this.events.after(from, limit + 1);
        if (missed.length > limit) this.resetAll();
        else this.dispatch(missed);
      })
      .catch(() => this.resetAll());
  }

  /** Every stream refetches everything (we may have missed something). */
  private resetAll(): void {
    void this.events.latestId().then(
      (cursor) => {
        this.lastId = cursor;
        for (const s of this.streams) s.deliver(cursor, 'reset', {});
      },
      () => this.endWhere(() => true, 'SHUTDOWN'),
    );
  }

  /** Moves the catch-up cursor forward (never back): rows up to it were dispatched or are in a stream's replay. */
  private seen(id: string): void {
    if (this.lastId === null || later(id, this.lastId)) this.lastId = id;
  }

  private remember(ticketId: string, facts: TicketAccessFacts): void {
    this.lastFacts.delete(ticketId);
    this.lastFacts.set(ticketId, facts);
    if (this.lastFacts.size > REMEMBERED_TICKETS) this.lastFacts.delete(this.lastFacts.keys().next().value!);
  }

  private endWhere(match: (s: LiveStream) => boolean, reason: LiveEndReason): void {
    for (const s of [...this.streams]) if (match(s)) s.end(reason);
  }

  private remove(stream: LiveStream): void {
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const s of this.streams) s.heartbeat();
    }, this.config.live.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Ends every stream and takes no new one: the process is stopping (an open stream would hold it up). */
  closeAll(): void {
    this.stopping = true;
    this.endWhere(() => true, 'SHUTDOWN');
  }

  onModuleDestroy(): void {
    this.closeAll();
  }
}

/** What a console hears of one ticket's change: no personal data, only what tells it to refetch. */
const eventOf = (row: LiveEventRow): LiveTicketEventView => ({ number: row.number, seq: row.seq, type: row.type, status: row.status });
