import { waitFor } from './wait-for';

/** One server-sent event as received. */
export interface ReceivedEvent {
  id: string | null;
  event: string;
  data: unknown;
}

/**
 * A client of GET /events as the console is one: fetch with the bearer header, the body read as
 * it arrives and parsed by the SSE rules (blocks separated by a blank line; `id:`, `event:`,
 * `data:` fields; `:` comments). Keeps every event and the raw text.
 */
export class EventStreamClient {
  readonly events: ReceivedEvent[] = [];
  raw = '';
  status = 0;
  headers = new Headers();
  /** Resolves when the server ends the stream (or it is aborted). */
  closed!: Promise<void>;
  private isClosed = false;
  private readonly abort = new AbortController();

  static async open(base: string, authorization: string, lastEventId?: string): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    const res = await fetch(`${base}/events`, {
      headers: { authorization, accept: 'text/event-stream', ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}) },
      signal: client.abort.signal,
    });
    client.status = res.status;
    client.headers = res.headers;
    if (!res.ok || !res.body) {
      client.raw = await res.text();
      client.isClosed = true;
      client.closed = Promise.resolve();
      return client;
    }
    client.closed = client.read(res.body).finally(() => {
      client.isClosed = true;
    });
    return client;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** The `ticket` events about one ticket. */
  about(number: string): ReceivedEvent[] {
    return this.events.filter((e) => e.event === 'ticket' && (e.data as { number?: string }).number === number);
  }

  /** The id of the newest event that had one (what a browser would send as Last-Event-ID). */
  get lastId(): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].id !== null) return this.events[i].id;
    return null;
  }

  until(what: string, done: (events: ReceivedEvent[]) => boolean, timeoutMs = 15_000): Promise<ReceivedEvent[]> {
    return waitFor(async () => (done(this.events) ? this.events : null), { timeoutMs, what });
  }

  close(): Promise<void> {
    this.abort.abort();
    return this.closed.catch(() => undefined);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.block(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  private block(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
  }
}
