import { createHmac, randomBytes } from 'node:crypto';

/**
 * The citizen's tracking link and its token. The token is never stored: it is derived from the
 * server secret (TRACKING_TOKEN_SECRET) and a random nonce kept on the ticket's row, so the
 * worker can put it into every later SMS, while the row itself holds only a keyed hash of it
 * (what the API compares). Without the secret, neither the nonce nor the hash gives the token.
 */

/** The ticket's random part, made at intake. */
export const newTrackingNonce = (): string => randomBytes(16).toString('base64url');

/** The token of a ticket: 24 bytes of HMAC-SHA256, 32 URL-safe characters (short SMS links). */
export const trackingToken = (secret: string, ticketId: string, nonce: string): string =>
  createHmac('sha256', secret).update(`tracking:${ticketId}:${nonce}`).digest().subarray(0, 24).toString('base64url');

/** What the ticket's row keeps of the token: a keyed hash (its own prefix, so never equal to a token). */
export const trackingTokenHash = (secret: string, token: string): Buffer =>
  createHmac('sha256', secret).update(`tracking-hash:${token}`, 'utf8').digest();

/** The token of a ticket row, or null for a row without one (recorded before tokens were hashed). */
export const ticketTrackingToken = (secret: string, ticket: { id: string; trackingTokenNonce: string | null }): string | null =>
  ticket.trackingTokenNonce ? trackingToken(secret, ticket.id, ticket.trackingTokenNonce) : null;

/** The citizen's tracking link; the token makes it unguessable. */
export const trackingUrl = (baseUrl: string, number: string, token: string) =>
  `${baseUrl}/t/${encodeURIComponent(number)}?k=${encodeURIComponent(token)}`;

/** The ticket in the staff console: what staff SMS link to (never the citizen's tracking link). */
export const consoleUrl = (baseUrl: string, number: string) => `${baseUrl}/console/tickets/${encodeURIComponent(number)}`;
