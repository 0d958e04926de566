import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './api/client';
import { BACKOFF_MIN_MS, backoffMs, parseEventBlock, type WireEvent } from './live-wire';

/** Changes arriving together (a command's events, a replay) refetch once. */
const COALESCE_MS = 150;

/** What the header shows: nothing while live; otherwise that changes may not show until it is back. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: WireEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseEventBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) onEvent(event);
    }
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * The signed-in user's live feed (GET /events): a ticket event refetches the queues' badges, the
 * lists and that ticket; a `reset` (too much missed) or a reconnect refetches them all. Read with
 * fetch rather than EventSource, so the access token goes in the Authorization header (never in
 * a URL, which proxies and access logs keep) and an expired one is refreshed by the client's
 * middleware like any request's. Reconnects with Last-Event-ID and backoff.
 */
export function useLiveFeed(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const abort = new AbortController();
    let lastEventId: string | null = null;
    let failures = 0;
    let connectedBefore = false;
    let changed = new Set<string>();
    let everything = false;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;

    const flush = () => {
      flushTimer = null;
      const numbers = changed;
      changed = new Set();
      void queryClient.invalidateQueries({ queryKey: ['queues'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      if (everything) {
        void queryClient.invalidateQueries({ queryKey: ['ticket'] });
        void queryClient.invalidateQueries({ queryKey: ['history'] });
      } else {
        for (const number of numbers) {
          void queryClient.invalidateQueries({ queryKey: ['ticket', number] });
          void queryClient.invalidateQueries({ queryKey: ['history', number] });
        }
      }
      everything = false;
    };
    const refetch = (number: string | null) => {
      if (number === null) everything = true;
      else changed.add(number);
      flushTimer ??= setTimeout(flush, COALESCE_MS);
    };

    const onEvent = (e: WireEvent) => {
      if (e.id !== null) lastEventId = e.id;
      if (e.event === 'ticket') refetch((JSON.parse(e.data) as { number: string }).number);
      // Back after a cut without a replay, or told we missed too much: everything may have changed.
      else if (e.event === 'reset' || (e.event === 'ready' && connectedBefore)) refetch(null);
      if (e.event === 'ready') connectedBefore = true;
    };

    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const { response } = await api.GET('/events', {
            parseAs: 'stream',
            signal: abort.signal,
            headers: lastEventId !== null ? { 'Last-Event-ID': lastEventId } : {},
          });
          // 401 after a refused refresh: the session is over and the app is back at sign-in.
          if (response.status === 401) return;
          if (response.ok && response.body) {
            // Open: a replay of what was missed (possibly nothing) or a `ready` follows.
            failures = 0;
            setStatus('live');
            await readEvents(response.body, onEvent);
          } else failures += 1;
        } catch {
          if (abort.signal.aborted) return;
          failures += 1;
        }
        // Ended by the server (token expiry, restart) or cut: a replayed stream resumes where we were.
        setStatus(navigator.onLine ? 'reconnecting' : 'offline');
        await sleep(failures === 0 ? BACKOFF_MIN_MS / 2 : backoffMs(failures), abort.signal);
      }
    })();

    return () => {
      abort.abort();
      if (flushTimer) clearTimeout(flushTimer);
    };
  }, [queryClient]);

  return status;
}
