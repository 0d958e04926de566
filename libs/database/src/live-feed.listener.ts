import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/src';

/** The channel the live-feed triggers notify on (migration 1765830000000). */
export const LIVE_CHANNEL = 'teksin_live';

/** What a notification on the channel says: identifiers only. */
export type LiveNotification =
  | { k: 'event'; id: string; ticket: string }
  | { k: 'session'; id: string }
  | { k: 'staff'; id: string };

export interface LiveFeedHandlers {
  notified(notification: LiveNotification): void;
  /** The LISTEN connection was lost and is back: notifications in between were missed. */
  reconnected(): void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

/**
 * The one `LISTEN teksin_live` connection of this API process (not one per console: every stream
 * is fed from here). It lives in libs/database beside the triggers' migration, whose channel and
 * payloads it reads, so apps/ opens no connection of its own. Opened on the first stream, kept while the process lives, re-opened with
 * backoff when PostgreSQL drops it (the hub then catches up from the audit log).
 */
@Injectable()
export class LiveFeedListener implements OnModuleDestroy {
  private readonly logger = new Logger('LiveFeed');
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private handlers: LiveFeedHandlers | null = null;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Resolves once LISTEN is in force: from then on no notification is missed while connected. */
  listen(handlers: LiveFeedHandlers): Promise<void> {
    this.handlers = handlers;
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      const parsed = parse(message.payload);
      if (parsed) this.handlers?.notified(parsed);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}`);
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
  }

  private lost(client: Client, error: Error | null): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.logger.warn(`the LISTEN connection was lost (${error?.message ?? 'closed'}); reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().then(
        () => this.handlers?.reconnected(),
        (error: Error) => {
          this.logger.warn(`LISTEN reconnect failed: ${error.message}`);
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

function parse(payload: string): LiveNotification | null {
  try {
    const value = JSON.parse(payload) as { k?: unknown; id?: unknown; ticket?: unknown };
    if (value.k === 'event' && (typeof value.id === 'number' || typeof value.id === 'string') && typeof value.ticket === 'string') {
      return { k: 'event', id: String(value.id), ticket: value.ticket };
    }
    if ((value.k === 'session' || value.k === 'staff') && typeof value.id === 'string') return { k: value.k, id: value.id };
  } catch {
    // not ours
  }
  return null;
}
