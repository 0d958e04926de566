/**
 * Tracking links carry the citizen's token as `k=<token>`. Stored message bodies and log lines
 * show `k=***` instead; only the message handed to the provider carries the token.
 */
export const TRACKING_TOKEN_MASK = 'k=***';

const TOKEN_PARAMETER = /([?&])k=[^\s&#]+/g;

/** The text with every tracking token replaced by the mask. */
export const maskTrackingTokens = (text: string): string => text.replace(TOKEN_PARAMETER, `$1${TRACKING_TOKEN_MASK}`);

/** The masked text with the token put back (the body that is sent). */
export const unmaskTrackingToken = (text: string, token: string | null): string =>
  token === null ? text : text.split(`?${TRACKING_TOKEN_MASK}`).join(`?k=${encodeURIComponent(token)}`);
