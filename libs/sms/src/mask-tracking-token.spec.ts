import { maskTrackingTokens, unmaskTrackingToken } from './mask-tracking-token';

describe('tracking token masking', () => {
  const body = 'Başvurunuz alındı. Takip: https://teksin.test/t/2026-000001?k=AbC_def-123 - Teksin / ALO 185';

  it('masks the token of every tracking link, and only that', () => {
    expect(maskTrackingTokens(body)).toBe('Başvurunuz alındı. Takip: https://teksin.test/t/2026-000001?k=*** - Teksin / ALO 185');
    expect(maskTrackingTokens('https://x/t/1?lang=en&k=abc#top and https://x/t/2?k=def')).toBe('https://x/t/1?lang=en&k=***#top and https://x/t/2?k=***');
    expect(maskTrackingTokens('no link, kaza=5')).toBe('no link, kaza=5');
  });

  it('puts the token back for the message that is sent', () => {
    expect(unmaskTrackingToken(maskTrackingTokens(body), 'AbC_def-123')).toBe(body);
    expect(unmaskTrackingToken('no link', 'AbC')).toBe('no link');
    expect(unmaskTrackingToken(maskTrackingTokens(body), null)).toBe(maskTrackingTokens(body));
  });
});
