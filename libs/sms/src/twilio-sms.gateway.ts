import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import TwilioServiceException from 'twilio/lib/base/TwilioServiceException';
import { OutgoingMessage, ProviderMessage, SentMessage, SmsGateway, SmsNotSentError } from './sms-gateway';

export interface TwilioSmsGatewayOptions {
  accountSid: string;
  authToken: string;
  /** E.164 sender number, or a Messaging Service SID (MG…) that picks the sender itself. */
  from: string;
  /** WhatsApp sender (E.164, with or without `whatsapp:`); defaults to `from` when it is a number. */
  whatsappFrom?: string;
  /** Replaces https://api.twilio.com, e.g. http://127.0.0.1:PORT for a local stand-in. */
  apiBaseUrl?: string;
  /** Per-request timeout; the SDK default is 30 s, longer than a sensible activity timeout. */
  timeoutMs?: number;
}

/**
 * Sends through Twilio's Messages API with the official SDK. No retries here: the SDK's
 * autoRetry stays off and the Temporal activity owns retrying, guided by SmsNotSentError.
 */
export class TwilioSmsGateway extends SmsGateway {
  readonly name = 'twilio';
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioSmsGatewayOptions) {
    super();
    this.client = twilio(options.accountSid, options.authToken, {
      timeout: options.timeoutMs,
      autoRetry: false,
      httpClient: new RetryAfterRequestClient({ timeout: options.timeoutMs, autoRetry: false }),
      // The SDK rewrites hostnames from TWILIO_EDGE / TWILIO_REGION in the environment; an empty
      // string (not undefined, which falls through to the env) keeps a stand-in's host intact.
      ...(options.apiBaseUrl ? { edge: '', region: '' } : {}),
    });
    if (options.apiBaseUrl) {
      // Domain.absoluteUrl() reads baseUrl on every request, so replacing it redirects all calls
      // of the Api domain (which holds Messages) to the stand-in (twilio 6: lib/base/Domain.js).
      this.client.api.baseUrl = options.apiBaseUrl;
    }
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    const sender = this.sender(message.channel);
    const to = message.channel === 'WHATSAPP' ? whatsapp(message.to) : message.to;
    const content = message.template
      ? { contentSid: message.template.contentSid, contentVariables: JSON.stringify(message.template.variables) }
      : { body: message.body };
    const callback = message.statusCallback ? { statusCallback: message.statusCallback } : {};
    try {
      const created = await this.client.messages.create({ to, ...content, ...callback, ...sender });
      return { providerMessageId: created.sid, status: created.status };
    } catch (error) {
      throw toSmsNotSentError(error) ?? error;
    }
  }

  override senderKey(channel: OutgoingMessage['channel']): string {
    const sender = this.sender(channel);
    return `twilio:${'from' in sender ? sender.from : sender.messagingServiceSid}`;
  }

  /** By SID (fetch), or the messages to `to` sent since `since` (list, newest first, at most 50). */
  override async lookup(query: Parameters<SmsGateway['lookup']>[0]): Promise<ProviderMessage[]> {
    const of = (m: { sid: string; status: string; errorCode: number | null }): ProviderMessage => ({ providerMessageId: m.sid, status: m.status, errorCode: m.errorCode ?? null });
    try {
      if (query.providerMessageId) return [of(await this.client.messages(query.providerMessageId).fetch())];
      const to = query.channel === 'WHATSAPP' ? whatsapp(query.to) : query.to;
      // Newest first from Twilio; oldest first here, so rows and messages pair up in order.
      const listed = await this.client.messages.list({ to, dateSentAfter: query.since, limit: 50 });
      return listed.filter((m) => query.matches(m.body ?? '')).reverse().map(of);
    } catch (error) {
      // 404: Twilio has no such message. Anything else: cannot tell now (asked again later).
      if (error instanceof twilio.RestException && error.status === 404) return [];
      throw error;
    }
  }

  private sender(channel: OutgoingMessage['channel']): { from: string } | { messagingServiceSid: string } {
    const raw = channel === 'WHATSAPP' ? (this.options.whatsappFrom ?? this.options.from) : this.options.from;
    // A Messaging Service picks the sender from its pool (and handles WhatsApp senders it holds).
    if (raw.startsWith('MG')) return { messagingServiceSid: raw };
    return { from: channel === 'WHATSAPP' ? whatsapp(raw) : raw };
  }
}

/**
 * The SDK's own HTTP client, reading Retry-After as well: the SDK's exceptions keep a refusal's
 * status and body but drop its headers, so a refusal that carries Retry-After is thrown here,
 * as the SDK would throw it (RestException), with the seconds on it.
 */
class RetryAfterRequestClient extends twilio.RequestClient {
  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const response = await super.request(opts);
    const retryAfterSeconds = parseRetryAfter((response.headers as Record<string, unknown> | undefined)?.['retry-after']);
    if (response.statusCode >= 400 && retryAfterSeconds !== undefined) throw Object.assign(new twilio.RestException(response), { retryAfterSeconds });
    return response;
  }
}

/** Retry-After as seconds (RFC 9110: a number of seconds or an HTTP date), at most 5 minutes; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : (Date.parse(value) - now) / 1000;
  return Number.isFinite(seconds) ? Math.min(300, Math.max(0, Math.ceil(seconds))) : undefined;
}

function whatsapp(address: string): string {
  return address.startsWith('whatsapp:') ? address : `whatsapp:${address}`;
}

/**
 * Maps an HTTP error answer from Twilio to SmsNotSentError; returns null for everything else.
 * The SDK throws RestException (legacy body) or TwilioServiceException (RFC 9457 body) only after
 * Twilio answered with a non-2xx status, i.e. the message resource was not created. Network
 * failures and timeouts come as other errors (axios) and stay "unknown whether sent".
 */
function toSmsNotSentError(error: unknown): SmsNotSentError | null {
  if (!(error instanceof twilio.RestException || error instanceof TwilioServiceException)) return null;
  const httpStatus: number = error.status;
  // 504 (and 502) come from a gateway that gave up waiting: Twilio may still have created the
  // message behind it, so these are "unknown", not "not sent".
  if (httpStatus === 502 || httpStatus === 504) return null;
  const providerCode = typeof error.code === 'number' ? error.code : undefined;
  const label = providerCode === undefined ? `HTTP ${httpStatus}` : `HTTP ${httpStatus}, code ${providerCode}`;
  // Twilio's text may quote the number ("The 'To' number +90… is not valid"): kept apart from the message.
  const retryAfterSeconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  return new SmsNotSentError(`Twilio refused the message (${label})`, {
    retryable: isRetryable(httpStatus),
    providerCode,
    httpStatus,
    providerMessage: error.message,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/** 408/429/5xx are transient; any other 4xx (invalid or unverified number, auth) never succeeds. */
function isRetryable(httpStatus: number): boolean {
  return httpStatus === 408 || httpStatus === 429 || httpStatus >= 500;
}
