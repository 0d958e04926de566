/** The account the media belong to, and where its API is (TWILIO_API_BASE_URL; https://api.twilio.com when unset). */
export interface TwilioMediaAccount {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string | null;
}

export const TWILIO_API_BASE = 'https://api.twilio.com';
const MAX_REDIRECTS = 3;

/** Why a media item could not be fetched; `retryable` says whether trying again can help. `reason` is a code for the ticket's audit row. */
export class MediaFetchError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'MediaFetchError';
  }
}

/**
 * Whether the URL is one of this account's media at its Twilio API: the account's credentials
 * are sent to nothing else (a URL in a webhook names where Twilio keeps the file; a URL of any
 * other host, or another account's, is refused, never fetched).
 */
export function isAccountMediaUrl(url: string, account: TwilioMediaAccount): boolean {
  let parsed: URL;
  let base: URL;
  try {
    parsed = new URL(url);
    base = new URL(account.apiBaseUrl ?? TWILIO_API_BASE);
  } catch {
    return false;
  }
  const prefix = `${base.pathname.replace(/\/$/, '')}/2010-04-01/Accounts/${account.accountSid}/Messages/`;
  return parsed.origin === base.origin && parsed.pathname.startsWith(prefix) && /\/Messages\/(SM|MM)[0-9a-fA-F]{32}\/Media\/ME[0-9a-fA-F]{32}$/.test(parsed.pathname);
}

/**
 * Downloads one media item of an incoming message: HTTP Basic with the account SID and auth
 * token (as Twilio requires), redirects followed (at most 3) only to http(s), and the credentials
 * sent only to the account's API origin (Twilio redirects to its CDN: that request carries none).
 * The body is read up to `maxBytes` and the fetch stops past it. 5xx, 429, timeouts and network
 * errors are worth retrying; 4xx, a URL that is not the account's, a redirect elsewhere than
 * http(s) and an oversized file are not.
 */
export async function fetchTwilioMedia(url: string, account: TwilioMediaAccount, options: { maxBytes: number; timeoutMs: number }): Promise<Buffer> {
  if (!isAccountMediaUrl(url, account)) throw new MediaFetchError('MEDIA_URL_NOT_TWILIO', 'the media URL is not one of the account’s media at its Twilio API', false);
  const origin = new URL(url).origin;
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(current, { redirect: 'manual', signal, headers: new URL(current).origin === origin ? { Authorization: authorization } : {} });
    } catch (error) {
      throw new MediaFetchError('FETCH_FAILED', `the media could not be fetched: ${error instanceof Error ? error.message : String(error)}`, true);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new MediaFetchError('MEDIA_TOO_MANY_REDIRECTS', 'the media URL redirected too often', false);
      const next = new URL(response.headers.get('location')!, current);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new MediaFetchError('MEDIA_REDIRECT_REFUSED', `a redirect to ${next.protocol} is not followed`, false);
      current = next.toString();
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new MediaFetchError(retryable ? 'FETCH_FAILED' : response.status === 404 ? 'MEDIA_NOT_FOUND' : 'MEDIA_REFUSED_BY_TWILIO', `Twilio answered ${response.status}`, retryable);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel();
      throw new MediaFetchError('ATTACHMENT_TOO_LARGE', `the media is ${declared} bytes; at most ${options.maxBytes} are accepted`, false);
    }
    return readCapped(response, options.maxBytes);
  }
}

/** The body, stopping (and refusing) as soon as it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new MediaFetchError('ATTACHMENT_TOO_LARGE', `the media is over ${maxBytes} bytes`, false);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    if (error instanceof MediaFetchError) throw error;
    throw new MediaFetchError('FETCH_FAILED', `the media download broke off: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  return Buffer.concat(chunks);
}
