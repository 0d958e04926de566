import { apiKeyPrefix, newApiKey } from './api-key';

describe('Open311 API keys', () => {
  it('a new key carries its public prefix and 256 random bits', () => {
    const { key, prefix } = newApiKey();
    expect(key).toMatch(/^o311_[0-9a-f]{10}\.[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPrefix(key)).toBe(prefix);
    expect(newApiKey().key).not.toBe(key);
  });

  it('only a well-formed key yields a prefix', () => {
    const { key } = newApiKey();
    for (const bad of ['', key.slice(0, -1), `${key}x`, ` ${key}`, key.replace('o311_', 'o312_'), key.replace('.', '_'), key.toUpperCase()]) {
      expect(apiKeyPrefix(bad)).toBeNull();
    }
  });
});
