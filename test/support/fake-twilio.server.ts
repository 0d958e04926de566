/**
 * A local stand-in for Twilio's Messages API, so the real SDK can be exercised end to end
 * (form encoding, Basic auth, error bodies) without network access or a Twilio account.
 * Plays only `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTwilioMessage {
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  sid: string;
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
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  /** When set, the Basic auth password must equal it too (not only the username = account SID). */
  authToken?: string;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-zA-Z]+)\/Messages\.json$/;
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

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        const match = MESSAGES_PATH.exec(new URL(req.url ?? '/', 'http://fake').pathname);
        if (!match) return sendError(res, 404, 20404);
        if (req.method !== 'POST') return sendError(res, 405, 20004, 'Method not allowed');
        const accountSid = match[1];
        if (!authorized(req, accountSid, options.authToken)) return sendError(res, 401, 20003);

        const delay = delays.shift();
        if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
        const failure = delay?.failure ?? failures.shift();
        if (failure) return sendError(res, failure.status, failure.code);

        const form = new URLSearchParams(raw);
        const to = form.get('To') ?? '';
        const from = form.get('From') ?? undefined;
        const messagingServiceSid = form.get('MessagingServiceSid') ?? undefined;
        const body = form.get('Body') ?? '';
        if (!to) return sendError(res, 400, 21604);
        if (!ADDRESS.test(to)) return sendError(res, 400, 21211);
        if (!from && !messagingServiceSid) return sendError(res, 400, 21603, "A 'From' phone number is required.");
        if (!body) return sendError(res, 400, 21602);

        const sid = `SM${randomBytes(16).toString('hex')}`;
        messages.push({ accountSid, to, from, messagingServiceSid, body, sid });
        sendJson(res, 201, messageResource({ accountSid, sid, to, from, messagingServiceSid, body }));
      })
      .catch((error: unknown) => sendError(res, 500, 20500, String(error)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    failNext(status, code, count = 1) {
      for (let i = 0; i < count; i++) failures.push({ status, code });
    },
    delayNext(ms, count = 1, failure) {
      for (let i = 0; i < count; i++) delays.push({ ms, failure });
    },
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

/** The JSON Twilio answers on create; a Messaging Service without From is "accepted", not yet "queued". */
function messageResource(m: FakeTwilioMessage) {
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from ?? null,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.from ? 'queued' : 'accepted',
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

function sendError(res: ServerResponse, status: number, code: number, message?: string): void {
  sendJson(res, status, {
    code,
    message: message ?? ERROR_MESSAGES[code] ?? `Fake Twilio error ${code}`,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const json = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}
