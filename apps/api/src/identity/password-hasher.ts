import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Passwords as argon2id PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`), through @node-rs/argon2
 * with its defaults (OWASP's minimum: 19 MiB, 2 passes, 1 lane). The parameters travel inside
 * each hash, so stronger ones later still verify the old hashes.
 */
@Injectable()
export class PasswordHasher {
  /** Verified when there is no account or no hash, so an unknown user costs the same time as a wrong password. */
  private readonly decoy = hash('decoy password: nobody has this one', { algorithm: Algorithm.Argon2id });

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id });
  }

  /** True only for a stored argon2id hash of this password; null (no password sign-in) is always false. */
  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    if (!storedHash || !storedHash.startsWith('$argon2id$')) {
      await verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return verify(storedHash, password).catch(() => false);
  }
}
