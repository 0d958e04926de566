/**
 * A local stand-in for Twilio's Messages API, so the real SDK can be exercised end to end
 * (form encoding, Basic auth, error bodies) without network access or a Twilio account.
 * Plays `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (create), `GET …/Messages/{Sid}.json`
 * (fetch) and `GET …/Messages.json?To=…` (list), and Twilio's side of the webhooks: signed status
 * callbacks and signed incoming messages, posted to the API (`sendStatus`, `sendInbound`), and the
 * media of those messages at `GET …/Messages/{MessageSid}/Media/{MediaSid}` (Basic auth required).
 */
import { createHash, randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTwilioMessage {
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  sid: string;
  /** The StatusCallback URL the sender gave, if any. */
  statusCallback?: string;
  contentSid?: string;
  contentVariables?: string;
  /** Twilio's status word; moved by sendStatus. */
  status: string;
  errorCode: number | null;
  dateCreated: Date;
}

/** Where the API listens (http://127.0.0.1:port) and the URL Twilio believes it calls (TWILIO_WEBHOOK_BASE_URL). */
export interface WebhookTarget {
  listening: string;
  publicBase: string;
}

/** How a callback is signed and sent; the defaults are Twilio's own behaviour. */
export interface CallbackOptions {
  /** Sign with this token instead of the real one (a forger). */
  authToken?: string;
  /** Sign for this URL instead of the one called (a wrong URL). */
  signedUrl?: string;
  /** Change these parameters after signing (a tampered request). */
  tamper?: Record<string, string>;
  /** Send no X-Twilio-Signature. */
  unsigned?: boolean;
}

/** One message-create request as the fake saw it (every request, accepted or not). */
export interface FakeTwilioAttempt {
  to: string;
  body: string;
  statusCallback?: string;
  /** When the request arrived, and when it was answered (or its connection dropped). */
  at: Date;
  answeredAt?: Date;
  /** ACCEPTED (201), REFUSED (an error status), DROPPED (created, then the connection dropped unanswered). */
  outcome?: 'ACCEPTED' | 'REFUSED' | 'DROPPED';
  httpStatus?: number;
  /** The Retry-After seconds sent with a refusal, if any. */
  retryAfter?: number;
  /** How long the answer was held back (ms), when it was. */
  delayedMs?: number;
  sid?: string;
}

/** What a scripted request does: answered after `delayMs` (default 0) with `fail`, or created and then dropped, or created. */
export interface FakeTwilioBehaviour {
  delayMs?: number;
  /** `message`: the error's words instead of the code's usual ones (Twilio's often quote the number). */
  fail?: { status: number; code: number; retryAfter?: number; message?: string };
  drop?: boolean;
}

/** A media item an incoming message carries: served by the fake at its MediaUrl. */
export interface FakeTwilioMediaItem {
  bytes: Buffer;
  contentType?: string;
  /** The first `failFirst` requests for it are answered 500; `always`: every one is. */
  failFirst?: number | 'always';
}

/** One request for a media item, as the fake saw it. */
export interface FakeTwilioMediaRequest {
  path: string;
  status: number;
  at: Date;
}

export interface CallbackAnswer {
  status: number;
  body: string;
}

export interface FakeTwilio {
  /** Base URL to give the SDK (TwilioSmsGateway `apiBaseUrl`). */
  url: string;
  /** Every message accepted (201), in arrival order. */
  messages: FakeTwilioMessage[];
  /** The next `count` (default 1) message requests answer with this HTTP status and Twilio error code. */
  failNext(status: number, code: number, count?: number): void;
  /**
   * The next `count` (default 1) message requests are answered only after `ms` (timeout tests),
   * with `failure` when given (bound to the delayed request, not to whichever comes next).
   */
  delayNext(ms: number, count?: number, failure?: { status: number; code: number }): void;
  /** The next `count` (default 1) message requests create the message, then drop the connection unanswered. */
  dropNext(count?: number): void;
  /** Every message-create request, in arrival order, with what it was answered. */
  attempts: FakeTwilioAttempt[];
  /**
   * Decides each message-create request (before failNext/delayNext/dropNext, which apply when it
   * returns undefined); `attempt` counts the requests with the same StatusCallback (or To and Body), from 1. Null: no script.
   */
  script(decide: ((request: { to: string; body: string; statusCallback?: string; attempt: number }) => FakeTwilioBehaviour | undefined) | null): void;
  /**
   * Moves a message to `status` and posts Twilio's signed status callback to the message's
   * StatusCallback (its path and query, on `target.listening`; signed for the public URL).
   */
  sendStatus(sid: string, status: string, target: WebhookTarget, options?: CallbackOptions & { errorCode?: number }): Promise<CallbackAnswer>;
  /** Posts a signed incoming message (WhatsApp when `from` starts with `whatsapp:`) to /webhooks/twilio/inbound. */
  sendInbound(
    target: WebhookTarget,
    message: { from: string; body: string; media?: string[]; mediaFiles?: FakeTwilioMediaItem[]; profileName?: string; sid?: string },
    options?: CallbackOptions,
  ): Promise<CallbackAnswer>;
  /** Every request for a media item (`mediaFiles` of sendInbound), in arrival order. */
  mediaRequests: FakeTwilioMediaRequest[];
  /** Posts exactly these parameters, signed as `options` say, to `path` (an earlier callback replayed, say). */
  post(target: WebhookTarget, path: string, params: Record<string, string>, options?: CallbackOptions): Promise<CallbackAnswer>;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  /** When set, the Basic auth password must equal it too (not only the username = account SID); callbacks are signed with it. */
  authToken?: string;
  /** The account the callbacks name (default AC000…). */
  accountSid?: string;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-zA-Z]+)\/Messages\.json$/;
const MESSAGE_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-zA-Z]+)\/Messages\/(SM[0-9a-f]+)\.json$/;
const MEDIA_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-zA-Z]+)\/Messages\/((?:SM|MM)[0-9a-f]+)\/Media\/(ME[0-9a-f]+)$/;
const ADDRESS = /^(whatsapp:)?\+[1-9]\d{6,14}$/;

/** Texts Twilio uses for the codes tests are likely to ask for; anything else gets a generic one. */
const ERROR_MESSAGES: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'An internal server error has occurred',
  20503: 'Service Unavailable',
  21211: "The 'To' number is not a valid phone number.",
  21408: 'Permission to send an SMS has not been enabled for the region indicated by the \'To\' number',
  21602: 'Message body is required.',
  21604: "A 'To' phone number is required.",
  21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
  21608: 'The number is unverified. Trial accounts may only send messages to verified numbers.',
  21610: 'Attempt to send to unsubscribed recipient',
};

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const messages: FakeTwilioMessage[] = [];
  const failures: Array<{ status: number; code: number }> = [];
  const delays: { ms: number; failure?: { status: number; code: number } }[] = [];
  let drops = 0;
  const attempts: FakeTwilioAttempt[] = [];
  let decide: Parameters<FakeTwilio['script']>[0] = null;
  const media = new Map<string, FakeTwilioMediaItem & { requests: number }>();
  const mediaRequests: FakeTwilioMediaRequest[] = [];

  /** Twilio's side of a webhook: a form POST signed (HMAC-SHA1, the SDK's own function) for the public URL. */
  const post = async (target: WebhookTarget, path: string, params: Record<string, string>, callback: CallbackOptions = {}): Promise<CallbackAnswer> => {
    const token = callback.authToken ?? options.authToken;
    if (!token) throw new Error('the fake needs authToken to sign callbacks');
    const signature = twilio.getExpectedTwilioSignature(token, callback.signedUrl ?? `${target.publicBase}${path}`, params);
    const sent = { ...params, ...callback.tamper };
    const response = await fetch(`${target.listening}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(callback.unsigned ? {} : { 'X-Twilio-Signature': signature }), 'I-Twilio-Idempotency-Token': randomBytes(8).toString('hex') },
      body: new URLSearchParams(sent).toString(),
    });
    return { status: response.status, body: await response.text() };
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        const requestUrl = new URL(req.url ?? '/', 'http://fake');
        const item = MEDIA_PATH.exec(requestUrl.pathname);
        if (item && req.method === 'GET') {
          const answer = (status: number) => mediaRequests.push({ path: requestUrl.pathname, status, at: new Date() });
          if (!authorized(req, item[1], options.authToken)) return answer(401), sendError(res, 401, 20003);
          const found = media.get(requestUrl.pathname);
          if (!found) return answer(404), sendError(res, 404, 20404);
          found.requests++;
          if (found.failFirst === 'always' || found.requests <= (found.failFirst ?? 0)) return answer(500), sendError(res, 500, 20500);
          answer(200);
          res.writeHead(200, { 'Content-Type': found.contentType ?? 'image/jpeg', 'Content-Length': found.bytes.length });
          return res.end(found.bytes);
        }
        const one = MESSAGE_PATH.exec(requestUrl.pathname);
        if (one && req.method === 'GET') {
          if (!authorized(req, one[1], options.authToken)) return sendError(res, 401, 20003);
          const found = messages.find((m) => m.sid === one[2]);
          return found ? sendJson(res, 200, messageResource(found)) : sendError(res, 404, 20404);
        }
        const match = MESSAGES_PATH.exec(requestUrl.pathname);
        if (!match) return sendError(res, 404, 20404);
        if (req.method === 'GET') {
          if (!authorized(req, match[1], options.authToken)) return sendError(res, 401, 20003);
          const to = requestUrl.searchParams.get('To');
          const after = requestUrl.searchParams.get('DateSent>');
          const listed = messages
            .filter((m) => (!to || m.to === to) && (!after || m.dateCreated >= new Date(after)))
            .reverse()
            .map(messageResource);
          return sendJson(res, 200, { messages: listed, page: 0, page_size: 50, first_page_uri: requestUrl.pathname, next_page_uri: null, previous_page_uri: null, uri: requestUrl.pathname, start: 0, end: listed.length });
        }
        if (req.method !== 'POST') return sendError(res, 405, 20004, 'Method not allowed');
        const accountSid = match[1];
        if (!authorized(req, accountSid, options.authToken)) return sendError(res, 401, 20003);

        const form = new URLSearchParams(raw);
        const attempt: FakeTwilioAttempt = { to: form.get('To') ?? '', body: form.get('Body') ?? '', statusCallback: form.get('StatusCallback') ?? undefined, at: new Date() };
        attempts.push(attempt);
        const identity = (a: FakeTwilioAttempt) => a.statusCallback ?? `${a.to}\n${a.body}`;
        const scripted = decide?.({ to: attempt.to, body: attempt.body, statusCallback: attempt.statusCallback, attempt: attempts.filter((a) => identity(a) === identity(attempt)).length });
        const delay = scripted ? (scripted.delayMs ? { ms: scripted.delayMs, failure: scripted.fail } : undefined) : delays.shift();
        if (delay) {
          attempt.delayedMs = delay.ms;
          await new Promise((resolve) => setTimeout(resolve, delay.ms));
        }
        const failure: FakeTwilioBehaviour['fail'] = scripted ? scripted.fail : (delay?.failure ?? failures.shift());
        if (failure) {
          Object.assign(attempt, { answeredAt: new Date(), outcome: 'REFUSED', httpStatus: failure.status, retryAfter: failure.retryAfter });
          return sendError(res, failure.status, failure.code, failure.message, failure.retryAfter);
        }

        const to = form.get('To') ?? '';
        const from = form.get('From') ?? undefined;
        const messagingServiceSid = form.get('MessagingServiceSid') ?? undefined;
        const contentSid = form.get('ContentSid') ?? undefined;
        const contentVariables = form.get('ContentVariables') ?? undefined;
        const body = form.get('Body') ?? (contentSid ? `[template ${contentSid} ${contentVariables ?? ''}]` : '');
        if (!to) return sendError(res, 400, 21604);
        if (!ADDRESS.test(to)) return sendError(res, 400, 21211);
        if (!from && !messagingServiceSid) return sendError(res, 400, 21603, "A 'From' phone number is required.");
        if (!body) return sendError(res, 400, 21602);

        const sid = `SM${randomBytes(16).toString('hex')}`;
        const message: FakeTwilioMessage = {
          accountSid,
          to,
          from,
          messagingServiceSid,
          body,
          sid,
          statusCallback: form.get('StatusCallback') ?? undefined,
          contentSid,
          contentVariables,
          status: from ? 'queued' : 'accepted',
          errorCode: null,
          dateCreated: new Date(),
        };
        messages.push(message);
        Object.assign(attempt, { answeredAt: new Date(), sid });
        if (scripted ? scripted.drop : drops > 0) {
          // Created, but the answer never reaches the sender.
          if (!scripted) drops--;
          attempt.outcome = 'DROPPED';
          return req.socket.destroy();
        }
        attempt.outcome = 'ACCEPTED';
        attempt.httpStatus = 201;
        sendJson(res, 201, messageResource(message));
      })
      .catch((error: unknown) => sendError(res, 500, 20500, String(error)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    failNext(status, code, count = 1) {
      for (let i = 0; i < count; i++) failures.push({ status, code });
    },
    delayNext(ms, count = 1, failure) {
      for (let i = 0; i < count; i++) delays.push({ ms, failure });
    },
    dropNext(count = 1) {
      drops += count;
    },
    attempts,
    script(fn) {
      decide = fn;
    },
    async sendStatus(sid, status, target, callback = {}) {
      const message = messages.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
      message.status = status;
      message.errorCode = callback.errorCode ?? null;
      const params: Record<string, string> = {
        AccountSid: message.accountSid,
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        SmsStatus: status,
        To: message.to,
        ...(message.from ? { From: message.from } : {}),
        ApiVersion: '2010-04-01',
        ...(callback.errorCode ? { ErrorCode: String(callback.errorCode) } : {}),
      };
      const url = new URL(message.statusCallback);
      if (!message.statusCallback.startsWith(target.publicBase)) throw new Error(`StatusCallback ${message.statusCallback} is not under ${target.publicBase}`);
      return post(target, `${url.pathname}${url.search}`, params, callback);
    },
    mediaRequests,
    sendInbound(target, inbound, callback = {}) {
      const sid = inbound.sid ?? `SM${randomBytes(16).toString('hex')}`;
      const whatsapp = inbound.from.startsWith('whatsapp:');
      const accountSid = options.accountSid ?? 'AC' + '0'.repeat(32);
      // Twilio's MediaUrl: the media resource under the message, on the fake.
      const files = (inbound.mediaFiles ?? []).map((file) => {
        const path = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media/ME${createHash('sha256').update(`${sid}:${file.bytes.length}:${media.size}`).digest('hex').slice(0, 32)}`;
        if (!media.has(path)) media.set(path, { ...file, requests: 0 });
        return { url: `${baseUrl}${path}`, contentType: file.contentType ?? 'image/jpeg' };
      });
      const urls = [...(inbound.media ?? []).map((url) => ({ url, contentType: 'image/jpeg' })), ...files];
      const params: Record<string, string> = {
        AccountSid: accountSid,
        MessageSid: sid,
        SmsMessageSid: sid,
        From: inbound.from,
        To: whatsapp ? 'whatsapp:+903241850000' : '+903241850000',
        Body: inbound.body,
        NumMedia: String(urls.length),
        NumSegments: '1',
        ApiVersion: '2010-04-01',
        ...(inbound.profileName ? { ProfileName: inbound.profileName } : {}),
      };
      urls.forEach((item, i) => {
        params[`MediaUrl${i}`] = item.url;
        params[`MediaContentType${i}`] = item.contentType;
      });
      return post(target, '/webhooks/twilio/inbound', params, callback);
    },
    post: (target, path, params, callback) => post(target, path, params, callback),
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Drop idle keep-alive sockets and in-flight delayed requests so close() does not hang.
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Basic auth as the SDK sends it: username = account SID (no API keys here), password = token. */
function authorized(req: IncomingMessage, accountSid: string, authToken: string | undefined): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const username = decoded.slice(0, separator);
  const password = decoded.slice(separator + 1);
  if (separator < 0 || username !== accountSid || !password) return false;
  return authToken === undefined || password === authToken;
}

/** The JSON Twilio answers on create and fetch; a Messaging Service without From is "accepted", not yet "queued". */
function messageResource(m: FakeTwilioMessage) {
  const now = m.dateCreated.toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from ?? null,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

function sendError(res: ServerResponse, status: number, code: number, message?: string, retryAfter?: number): void {
  const payload = { code, message: message ?? ERROR_MESSAGES[code] ?? `Fake Twilio error ${code}`, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  sendJson(res, status, payload, retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}
