import { FakeTwilio, startFakeTwilio } from '../../../test/support/fake-twilio.server';
import { SmsNotSentError } from './sms-gateway';
import { parseRetryAfter, TwilioSmsGateway, TwilioSmsGatewayOptions } from './twilio-sms.gateway';

// Real twilio SDK against a local stand-in: this checks the wire format, not our own mocks.
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token';
const SERVICE_SID = `MG${'fedcba9876543210'.repeat(2)}`;
const CITIZEN = '+905321234567';
const SENDER = '+15005550006';

describe('TwilioSmsGateway (real SDK, fake Twilio)', () => {
  let fake: FakeTwilio;

  beforeEach(async () => {
    fake = await startFakeTwilio({ authToken: AUTH_TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });

  const gateway = (overrides: Partial<TwilioSmsGatewayOptions> = {}) =>
    new TwilioSmsGateway({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER, apiBaseUrl: fake.url, ...overrides });

  const sms = (body = 'Başvurunuz alındı - Teksin') => ({ to: CITIZEN, body, channel: 'SMS' as const, reference: 'ticket-2025-000001:RECEIVED:1' });

  it('sends an SMS with To, From and Body under the account, and returns Twilio\'s sid', async () => {
    const sent = await gateway().send(sms('Başvurunuz alındı: çğışöü İ'));

    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ accountSid: ACCOUNT_SID, to: CITIZEN, from: SENDER, messagingServiceSid: undefined, body: 'Başvurunuz alındı: çğışöü İ', sid: sent.providerMessageId, statusCallback: undefined });
    expect(sent.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
  });

  it('addresses WhatsApp messages as whatsapp:+E.164 on both ends', async () => {
    await gateway({ whatsappFrom: '+14155238886' }).send({ ...sms(), channel: 'WHATSAPP' });
    await gateway().send({ ...sms(), channel: 'WHATSAPP' }); // falls back to `from`

    expect(fake.messages.map(({ to, from }) => ({ to, from }))).toEqual([
      { to: `whatsapp:${CITIZEN}`, from: 'whatsapp:+14155238886' },
      { to: `whatsapp:${CITIZEN}`, from: `whatsapp:${SENDER}` },
    ]);
  });

  it('passes the StatusCallback, and a template (Content SID and variables) instead of the body', async () => {
    const callback = 'https://185.mersin.bel.tr/webhooks/twilio/status?o=12';
    await gateway().send({ ...sms(), statusCallback: callback });
    const contentSid = 'HX' + '0'.repeat(32);
    await gateway().send({ ...sms(), channel: 'WHATSAPP', template: { contentSid, variables: { '1': '2026-000001', '2': 'https://x/t' } } });
    expect(fake.messages[0].statusCallback).toBe(callback);
    expect(fake.messages[1]).toMatchObject({ contentSid, to: `whatsapp:${CITIZEN}` });
    expect(JSON.parse(fake.messages[1].contentVariables!)).toEqual({ '1': '2026-000001', '2': 'https://x/t' });
  });

  it('looks a message up by its SID, or among the messages to the number by body; nothing for an unknown SID', async () => {
    const since = new Date(Date.now() - 60_000);
    const a = await gateway().send(sms('first'));
    const b = await gateway().send(sms('second'));
    expect(await gateway().lookup({ providerMessageId: a.providerMessageId, to: CITIZEN, channel: 'SMS', since, matches: () => true })).toEqual([
      { providerMessageId: a.providerMessageId, status: 'queued', errorCode: null },
    ]);
    const found = await gateway().lookup({ providerMessageId: null, to: CITIZEN, channel: 'SMS', since, matches: (body) => body === 'second' });
    expect(found.map((m) => m.providerMessageId)).toEqual([b.providerMessageId]);
    expect(await gateway().lookup({ providerMessageId: 'SM' + 'f'.repeat(32), to: CITIZEN, channel: 'SMS', since, matches: () => true })).toEqual([]);
  });

  it('names its sender for the shared pace: the number, or the Messaging Service', () => {
    expect(gateway().senderKey('SMS')).toBe(`twilio:${SENDER}`);
    expect(gateway({ whatsappFrom: '+14155238886' }).senderKey('WHATSAPP')).toBe('twilio:whatsapp:+14155238886');
    expect(gateway({ from: SERVICE_SID }).senderKey('SMS')).toBe(`twilio:${SERVICE_SID}`);
  });

  it('sends through a Messaging Service when the sender is an MG… SID', async () => {
    const sent = await gateway({ from: SERVICE_SID }).send(sms());

    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ messagingServiceSid: SERVICE_SID, from: undefined, to: CITIZEN });
    expect(sent.status).toBe('accepted');
  });

  it('keeps the stand-in host even when TWILIO_REGION / TWILIO_EDGE are set', async () => {
    const saved = { region: process.env.TWILIO_REGION, edge: process.env.TWILIO_EDGE };
    process.env.TWILIO_REGION = 'ie1';
    process.env.TWILIO_EDGE = 'dublin';
    try {
      // A host name, not 127.0.0.1: the SDK's rewrite of an IP literal yields an invalid host
      // that WHATWG URL silently ignores, which would hide the problem (docker names would not).
      await gateway({ apiBaseUrl: fake.url.replace('127.0.0.1', 'localhost') }).send(sms());
    } finally {
      restoreEnv('TWILIO_REGION', saved.region);
      restoreEnv('TWILIO_EDGE', saved.edge);
    }
    expect(fake.messages).toHaveLength(1);
  });

  it('maps 400 / 21211 (invalid number) to a non-retryable SmsNotSentError', async () => {
    fake.failNext(400, 21211);

    const error = await gateway().send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmsNotSentError);
    expect(error).toMatchObject({ retryable: false, providerCode: 21211, httpStatus: 400 });
    // The message (logged, and carried into a workflow's history) names the code only; Twilio's words are the detail.
    expect((error as SmsNotSentError).message).toBe('Twilio refused the message (HTTP 400, code 21211)');
    expect((error as SmsNotSentError).detail).toMatch(/^Twilio refused the message \(HTTP 400, code 21211\): .*not a valid phone number/);
    expect((error as SmsNotSentError).cause).toBeUndefined();
    expect(fake.messages).toHaveLength(0);
  });

  it('maps rejected credentials (401 / 20003) to a non-retryable SmsNotSentError', async () => {
    const error = await gateway({ authToken: 'wrong' }).send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmsNotSentError);
    expect(error).toMatchObject({ retryable: false, providerCode: 20003, httpStatus: 401 });
  });

  it.each([
    [503, 20503],
    [429, 20429],
    [500, 20500],
  ])('maps HTTP %i to a retryable SmsNotSentError', async (status, code) => {
    fake.failNext(status, code);

    const error = await gateway().send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SmsNotSentError);
    expect(error).toMatchObject({ retryable: true, providerCode: code, httpStatus: status });
  });

  it('does not retry by itself: one 429 answer, one request (the activity owns retries)', async () => {
    // 429 is what the SDK's optional autoRetry would retry; it must stay off.
    fake.failNext(429, 20429);
    await expect(gateway().send(sms())).rejects.toBeInstanceOf(SmsNotSentError);
    // The next request would succeed, so had the SDK retried, a message would have been recorded.
    expect(fake.messages).toHaveLength(0);
  });

  it("keeps a 429's Retry-After (seconds) on the SmsNotSentError, for the pacer's hold; none without the header", async () => {
    fake.script(({ attempt }) => (attempt === 1 ? { fail: { status: 429, code: 20429, retryAfter: 3 } } : { fail: { status: 429, code: 20429 } }));

    const first = await gateway().send(sms()).catch((e: unknown) => e);
    const second = await gateway().send(sms()).catch((e: unknown) => e);

    expect(first).toBeInstanceOf(SmsNotSentError);
    expect(first).toMatchObject({ retryable: true, httpStatus: 429, providerCode: 20429, retryAfterSeconds: 3, providerMessage: 'Too Many Requests' });
    expect(second).toBeInstanceOf(SmsNotSentError);
    expect((second as SmsNotSentError).retryAfterSeconds).toBeUndefined();
    expect(fake.messages).toHaveLength(0);
  });

  it('reads Retry-After as seconds or as an HTTP date, capped at 5 minutes', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:07 GMT', now)).toBe(7);
    expect(parseRetryAfter('Sun, 29 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(300);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('treats a 504 gateway timeout as "unknown whether sent", not as SmsNotSentError', async () => {
    fake.failNext(504, 20504);

    const error = await gateway().send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SmsNotSentError);
  });

  it('lets a refused connection through as an error that is NOT SmsNotSentError', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startFakeTwilio(); // afterEach closes this one

    const error = await gateway({ apiBaseUrl: url }).send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SmsNotSentError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('lets a timeout through as NOT SmsNotSentError: Twilio may have sent it anyway', async () => {
    fake.delayNext(400);

    const error = await gateway({ timeoutMs: 100 }).send(sms()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SmsNotSentError);
    // The very ambiguity the outbox guards against: the provider did create the message.
    await waitFor(() => fake.messages.length === 1);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
