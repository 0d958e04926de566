import { BACKOFF_MAX_MS, BACKOFF_MIN_MS, backoffMs, parseEventBlock } from './live-wire';

describe('the live feed on the wire', () => {
  it('reads an event block: id, event, data (lines joined), comments and unknown fields ignored', () => {
    expect(parseEventBlock('id: 42\nevent: ticket\ndata: {"number":"2026-000001"}')).toEqual({ id: '42', event: 'ticket', data: '{"number":"2026-000001"}' });
    expect(parseEventBlock(': heartbeat')).toBeNull();
    expect(parseEventBlock('retry: 2000')).toBeNull();
    expect(parseEventBlock('data:a\ndata: b\nfoo: bar')).toEqual({ id: null, event: 'message', data: 'a\nb' });
    expect(parseEventBlock('id: 7\r\nevent: reset\r\ndata: {}')).toEqual({ id: '7', event: 'reset', data: '{}' });
  });

  it('backs off from 1 s, doubling, to 30 s, with jitter between half and all of it', () => {
    expect(backoffMs(1, 1)).toBe(BACKOFF_MIN_MS);
    expect(backoffMs(2, 1)).toBe(2 * BACKOFF_MIN_MS);
    expect(backoffMs(4, 1)).toBe(8 * BACKOFF_MIN_MS);
    expect(backoffMs(20, 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffMs(3, 0)).toBe(2 * BACKOFF_MIN_MS);
  });
});
