import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { ApiProblem, unauthorized } from '../common/problem';
import { ApiErrorCode } from '../common/api-error-code';

/** Asymmetric algorithms only: a symmetric (HS*) token can never claim to come from the issuer. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** What the token itself got wrong (a 401); any other failure is about fetching the keys (a 503). */
const REFUSALS = [
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
];

export interface OidcClaims {
  /** `iss` and `sub`: together they name the account (OIDC Core §5.7), linked to a staff row by an ADMIN. */
  issuer: string;
  subject: string;
  tokenId: string | null;
  expiresAt: Date;
}

/**
 * Tokens of an external identity provider (a city's own directory: e-Devlet style SSO, or Active
 * Directory through an IdP): verified against the issuer's published keys (OIDC_JWKS_URL, fetched
 * and cached by jose, refetched when an unknown key id appears), with its `iss` (OIDC_ISSUER) and
 * `aud` (OIDC_AUDIENCE). The token's `iss` and `sub` name the account, never a username claim
 * (preferred_username, upn…), which users can often change at the provider: the staff row is the
 * one an ADMIN linked to that (iss, sub) (PUT /admin/staff/:id/oidc-link).
 */
@Injectable()
export class OidcVerifier {
  private readonly logger = new Logger('OIDC');
  private readonly oidc: AppConfig['auth']['oidc'];
  private readonly keys: JWTVerifyGetKey | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.oidc = config.auth.oidc;
    this.keys = this.oidc ? createRemoteJWKSet(new URL(this.oidc.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }) : null;
  }

  /** The configured issuer, or null when no external issuer is configured. */
  get issuer(): string | null {
    return this.oidc?.issuer ?? null;
  }

  async verify(token: string): Promise<OidcClaims> {
    if (!this.oidc || !this.keys) throw unauthorized('the access token is not valid');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.oidc.issuer, audience: this.oidc.audience, algorithms: ALGORITHMS, requiredClaims: ['exp'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('the access token has expired: get a new one from your identity provider');
      if (REFUSALS.some((kind) => error instanceof kind)) throw unauthorized('the access token is not valid');
      // The issuer's keys could not be fetched (timeout, network, not a key set): the token may
      // well be valid, so this is not the caller's fault.
      this.logger.warn(`keys of ${this.oidc.issuer} unavailable from ${this.oidc.jwksUrl}: ${(error as Error)?.message ?? error}`);
      throw new ApiProblem(ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, 'the identity provider’s signing keys could not be fetched; try again shortly');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthorized('the access token has no sub claim naming its account');
    return { issuer: this.oidc.issuer, subject: payload.sub, tokenId: typeof payload.jti === 'string' ? payload.jti : null, expiresAt: new Date(payload.exp! * 1000) };
  }
}
