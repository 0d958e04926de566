import { trackingUrl } from './tracking-link';

describe('trackingUrl', () => {
  it('is <base>/t/<number>?k=<token>', () => {
    expect(trackingUrl('https://teksin.example', '2026-000123', 'AbC-_9')).toBe('https://teksin.example/t/2026-000123?k=AbC-_9');
  });

  it('encodes what is not URL-safe, so the link always carries the whole token', () => {
    const url = new URL(trackingUrl('https://teksin.example', '2026-000123', 'a+b/c=&d'));
    expect(url.searchParams.get('k')).toBe('a+b/c=&d');
    expect(url.pathname).toBe('/t/2026-000123');
  });
});
