import { AttachmentUrls, SIGNED_URL_TTL_SECONDS } from './attachment-urls';

describe('AttachmentUrls: short-lived signed URLs', () => {
  const urls = new AttachmentUrls('a-secret-of-at-least-thirty-two-characters!');
  const ID = '2b1f8a52-6c0e-4f43-9a57-1a2b3c4d5e6f';
  const sigOf = (url: string) => new URL(url, 'http://x').searchParams.get('sig')!;
  const now = Date.parse('2026-01-10T10:00:00Z');

  it('signs one file of one attachment, for five minutes', () => {
    const { url, expiresAt } = urls.signed(ID, 'display', now);
    expect(url).toMatch(new RegExp(`^/attachments/${ID}/display\\?sig=\\d+\\.[A-Za-z0-9_-]{43}$`));
    expect(expiresAt.getTime()).toBe(now + SIGNED_URL_TTL_SECONDS * 1000);
    const sig = sigOf(url);
    expect(urls.verify(ID, 'display', sig, now)).toBe(true);
    expect(urls.verify(ID, 'display', sig, now + SIGNED_URL_TTL_SECONDS * 1000)).toBe(true);
    expect(urls.verify(ID, 'display', sig, now + SIGNED_URL_TTL_SECONDS * 1000 + 1000)).toBe(false);
    expect(urls.verify(ID, 'thumbnail', sig, now)).toBe(false);
    expect(urls.verify('2b1f8a52-6c0e-4f43-9a57-000000000000', 'display', sig, now)).toBe(false);
  });

  it('refuses a forged, altered or far-future signature, and one made with another secret', () => {
    const sig = sigOf(urls.signed(ID, 'display', now).url);
    const [expires, mac] = sig.split('.');
    expect(urls.verify(ID, 'display', `${Number(expires) + 1}.${mac}`, now)).toBe(false);
    expect(urls.verify(ID, 'display', `${expires}.${mac.slice(0, -1)}A`, now)).toBe(mac.endsWith('A'));
    expect(urls.verify(ID, 'display', `${expires}.${'A'.repeat(43)}`, now)).toBe(false);
    const other = new AttachmentUrls('another-secret-of-at-least-thirty-two-chars');
    expect(urls.verify(ID, 'display', sigOf(other.signed(ID, 'display', now).url), now)).toBe(false);
    const farFuture = new AttachmentUrls('a-secret-of-at-least-thirty-two-characters!').signed(ID, 'display', now + 86_400_000);
    expect(urls.verify(ID, 'display', sigOf(farFuture.url), now)).toBe(false);
    for (const bad of [undefined, '', 'abc', '1.2', `${expires}`, `x${sig}`]) expect(urls.verify(ID, 'display', bad, now)).toBe(false);
  });
});
