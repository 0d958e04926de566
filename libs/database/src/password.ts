import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Passwords as argon2id PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`) through @node-rs/argon2
 * with its defaults (OWASP's minimum: 19 MiB, 2 passes, 1 lane). The parameters travel inside
 * each hash, so stronger ones later still verify the old hashes. Used by the API's sign-in, the
 * demo seed and the set-password CLI.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

/** True only for an argon2id hash of this password; anything else (null, another scheme, garbage) is false. */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash || !storedHash.startsWith('$argon2id$')) return false;
  return verify(storedHash, password).catch(() => false);
}
