import { createHash, randomBytes } from 'node:crypto';

/**
 * An Open311 API key: `o311_<prefix>.<secret>`, where the prefix (10 hex characters, public)
 * finds the client's row and the secret is 32 random bytes (base64url). The row keeps the
 * prefix and an argon2id hash of the whole key, never the key itself.
 */
export interface NewApiKey {
  key: string;
  prefix: string;
}

const KEY_FORMAT = /^o311_([0-9a-f]{10})\.[A-Za-z0-9_-]{43}$/;

export function newApiKey(): NewApiKey {
  const prefix = randomBytes(5).toString('hex');
  return { key: `o311_${prefix}.${randomBytes(32).toString('base64url')}`, prefix };
}

/** The public prefix of a well-formed key; null for anything else (which is then never looked up). */
export function apiKeyPrefix(key: string): string | null {
  return KEY_FORMAT.exec(key)?.[1] ?? null;
}

/** A digest of the key for the in-memory cache of keys already verified (never stored). */
export const apiKeyDigest = (key: string) => createHash('sha256').update(key, 'utf8').digest('base64url');
