/**
 * The SMS/WhatsApp port. Activities depend on this abstract class only; which gateway stands
 * behind it (console in development, Twilio in production) is decided by DI at boot.
 */

/** One message ready to go out; the body is already rendered in the citizen's language. */
export interface OutgoingMessage {
  /** E.164, e.g. +905321234567 (no `whatsapp:` prefix: the gateway adds its own addressing). */
  to: string;
  body: string;
  channel: 'SMS' | 'WHATSAPP';
  /** The outbox notification key (`ticket-<number>:<purpose>:<seq>`), carried for logs only. */
  reference: string;
  /** Where the provider reports delivery (Twilio's StatusCallback): the outbox row's own URL. */
  statusCallback?: string;
  /** WhatsApp outside the 24-hour window: a pre-approved template (Content SID) and its variables instead of `body`. */
  template?: { contentSid: string; variables: Record<string, string> };
}

/** What the provider knows of a message it created (for settling an UNCERTAIN row). */
export interface ProviderMessage {
  providerMessageId: string;
  /** Twilio's status word: queued, sending, sent, delivered, undelivered, failed, read… */
  status: string;
  errorCode: number | null;
}

/** What the provider answered when it accepted the message. */
export interface SentMessage {
  providerMessageId: string;
  /** The provider's own status word (Twilio: queued, accepted, …); informational. */
  status: string;
}

/**
 * An abstract class rather than an interface so that it exists at run time and can serve as the
 * Nest DI token: `{ provide: SmsGateway, useFactory: … }`, `constructor(private sms: SmsGateway)`.
 */
export abstract class SmsGateway {
  abstract readonly name: string;

  /**
   * Hands the message to the provider. Resolves once the provider accepted it.
   * Rejects with SmsNotSentError when the provider definitely did NOT accept it; any other
   * rejection means the outcome is unknown (the request may have reached the provider).
   */
  abstract send(message: OutgoingMessage): Promise<SentMessage>;

  /** The sender a message of this channel goes out from: the key of the shared rate limiter. */
  senderKey(channel: OutgoingMessage['channel']): string {
    return `${this.name}:${channel}`;
  }

  /**
   * What the provider knows of a message: by its id when known, else the messages to `to`
   * created since `since` whose body `matches`, oldest first. Empty when it has none.
   * Used only to settle an UNCERTAIN row: never to decide to send again.
   */
  lookup(_query: { providerMessageId: string | null; to: string; channel: OutgoingMessage['channel']; since: Date; matches: (body: string) => boolean }): Promise<ProviderMessage[]> {
    return Promise.resolve([]);
  }
}

export interface SmsNotSentErrorOptions {
  retryable: boolean;
  /** The provider's error code, e.g. Twilio 21211 (invalid 'To' number). */
  providerCode?: number;
  httpStatus?: number;
  /** The provider's own words; may quote the recipient's number, so it goes to the outbox row, never into a log or the message. */
  providerMessage?: string;
  /** The provider's Retry-After (seconds), when it said how long to wait (Twilio's 429). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The provider answered and said no: the message was not created, so nobody was texted.
 * This is the one error after which sending again cannot produce a duplicate, which is why the
 * outbox treats it differently from every other failure (those mean "maybe sent": never resend).
 * `retryable` tells whether sending again can help (rate limit, provider outage) or never will
 * (invalid number, unverified recipient, bad credentials). Its `message` names the provider's
 * status and code only: it is logged and may reach the workflow history.
 */
export class SmsNotSentError extends Error {
  readonly retryable: boolean;
  readonly providerCode?: number;
  readonly httpStatus?: number;
  readonly providerMessage?: string;
  readonly retryAfterSeconds?: number;

  constructor(message: string, options: SmsNotSentErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SmsNotSentError';
    this.retryable = options.retryable;
    this.providerCode = options.providerCode;
    this.httpStatus = options.httpStatus;
    this.providerMessage = options.providerMessage;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** For the outbox row (operators): the code and the provider's words. */
  get detail(): string {
    return this.providerMessage ? `${this.message}: ${this.providerMessage}` : this.message;
  }
}
