import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { unauthorized } from '../common/problem';

/** `iss` and `aud` of Teksin's own access tokens; an external issuer's tokens differ by `iss`. */
export const ACCESS_TOKEN_ISSUER = 'teksin';
export const ACCESS_TOKEN_AUDIENCE = 'teksin-api';
const ALGORITHM = 'HS256';

/** How many verified access tokens are remembered (a console sends the same one for its whole life). */
const VERIFIED_CACHE_SIZE = 10_000;

export interface AccessToken {
  token: string;
  /** Seconds, as OAuth's expires_in. */
  expiresIn: number;
  expiresAt: Date;
}

export interface AccessClaims {
  staffId: string;
  sessionId: string;
  tokenId: string;
  expiresAt: Date;
}

/**
 * Access tokens: JWTs signed HS256 with AUTH_TOKEN_SECRET, valid ACCESS_TOKEN_TTL (15 min),
 * claims `sub` (staff id), `sid` (the session, checked on every request), `jti`, `iat`, `exp`,
 * `iss` = teksin, `aud` = teksin-api. Refresh tokens: 32 random bytes (base64url), opaque to
 * the client, stored only as their SHA-256 (a high-entropy token needs no slow hash).
 */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;
  /** The key imported once: jose would import raw bytes again on every verification. */
  private readonly verificationKey: Promise<webcrypto.CryptoKey>;
  private readonly ttlMs: number;
  /**
   * Tokens whose signature, issuer and audience were checked, with their claims: a token's
   * signature is valid or not forever, so every later request with it only checks the expiry
   * (and, as always, its session in the database). Oldest first, bounded.
   */
  private readonly verified = new Map<string, AccessClaims>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = new TextEncoder().encode(config.auth.tokenSecret);
    this.verificationKey = webcrypto.subtle.importKey('raw', this.key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    this.ttlMs = config.auth.accessTokenTtlMs;
  }

  /** `notAfter`: the session's end (SESSION_MAX_LIFETIME); the token expires then at the latest. */
  async issueAccessToken(staffId: string, sessionId: string, now = new Date(), notAfter?: Date): Promise<AccessToken> {
    const iat = Math.floor(now.getTime() / 1000);
    const ttl = Math.max(1, Math.round(this.ttlMs / 1000));
    const exp = iat + (notAfter ? Math.max(1, Math.min(ttl, Math.floor(notAfter.getTime() / 1000) - iat)) : ttl);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(staffId)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresIn: exp - iat, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The claims of a valid, unexpired Teksin access token; anything else is a 401. With
   * `allowExpired` (sign-out only) an expired one is taken too: its signature, issuer and
   * audience are still checked (jose checks the expiry last), so it names its session truly.
   */
  async verifyAccessToken(token: string, options: { allowExpired?: boolean } = {}): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known && (options.allowExpired || known.expiresAt.getTime() > Date.now())) return known;
    const claims = await this.verifySignedToken(token, options);
    if (claims.expiresAt.getTime() > Date.now()) this.remember(token, claims);
    return claims;
  }

  private remember(token: string, claims: AccessClaims): void {
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Expired ones go first; if none, the oldest.
      const now = Date.now();
      for (const [t, c] of this.verified) if (c.expiresAt.getTime() <= now) this.verified.delete(t);
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, claims);
  }

  private async verifySignedToken(token: string, options: { allowExpired?: boolean }): Promise<AccessClaims> {
    try {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, await this.verificationKey, { algorithms: [ALGORITHM], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, requiredClaims: ['sub', 'jti', 'exp'] }));
      } catch (error) {
        if (!(options.allowExpired && error instanceof errors.JWTExpired && error.claim === 'exp')) throw error;
        payload = error.payload;
      }
      if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') throw new errors.JWTClaimValidationFailed('sid, sub and jti must be strings', payload);
      return { staffId: payload.sub, sessionId: payload.sid, tokenId: payload.jti, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      throw invalidToken(error);
    }
  }

  newRefreshToken(): string {
    return randomBytes(32).toString('base64url');
  }

  hashRefreshToken(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  }
}

/** A token that failed verification, as a 401 that says why without echoing the token. */
export function invalidToken(error: unknown) {
  if (error instanceof errors.JWTExpired) return unauthorized('the access token has expired: refresh it (POST /auth/refresh) or sign in again');
  return unauthorized('the access token is not valid');
}
