/** The live feed's wire format and reconnection delays (apps/console/src/live.ts reads the stream). */

/** One server-sent event as the wire carries it. */
export interface WireEvent {
  id: string | null;
  event: string;
  data: string;
}

/** Reconnection delays: from 1 s, doubling to 30 s, with jitter so 200 consoles do not come back in step. */
export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
export const backoffMs = (failures: number, random = Math.random()): number =>
  Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(failures - 1, 0)) * (0.5 + random / 2);

/** Splits an event-stream body into events (the SSE rules: blank-line blocks, `field: value` lines, `:` comments). */
export function parseEventBlock(block: string): WireEvent | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { id, event, data: data.join('\n') } : null;
}

