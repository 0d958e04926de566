import { Injectable } from '@nestjs/common';
import { hashPassword, verifyPassword } from '../../../../libs/database/src/password';

/** Sign-in's view of passwords (argon2id, libs/database/src/password.ts), with a decoy for missing accounts. */
@Injectable()
export class PasswordHasher {
  /** Verified when there is no account or no hash, so an unknown user costs the same time as a wrong password. */
  private readonly decoy = hashPassword('decoy password: nobody has this one');

  hash(password: string): Promise<string> {
    return hashPassword(password);
  }

  /** True only for a stored argon2id hash of this password; null (no password sign-in) is always false. */
  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    if (!storedHash || !storedHash.startsWith('$argon2id$')) {
      await verifyPassword(await this.decoy, password);
      return false;
    }
    return verifyPassword(storedHash, password);
  }
}
