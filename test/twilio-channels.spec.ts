import type { AddressInfo } from 'node:net';
import { NotificationActivities } from '../activities/notification.activities';
import { OutboxReconciler } from '../activities/outbox-reconciler.service';
import { SendRateLimiter } from '../activities/send-rate-limiter';
import { notificationKey } from '../libs/sms/src/notification-key';
import type { AppConfig } from '../libs/config/src';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { SmsNotSentError, TwilioSmsGateway } from '../libs/sms/src';
import { startFakeTwilio, type FakeTwilio, type WebhookTarget } from './support/fake-twilio.server';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const ACCOUNT_SID = 'AC' + '1'.repeat(32);
const AUTH_TOKEN = 'channels-auth-token';
const PUBLIC_BASE = 'https://alo185.mersin.example';
const CONTENT_SID = 'HX' + 'a'.repeat(32);

/** A Turkish mobile number no other test uses (tickets are found by the citizen's phone). */
const freshPhone = () => `+90532${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/**
 * Twilio both ways, with the real SDK against the local stand-in: signed delivery reports move
 * the outbox forward and nothing else does; an uncertain send is settled by a callback or by
 * asking Twilio, never by sending again; citizens' WhatsApp messages make or join tickets once.
 */
describe('Twilio channels: delivery reports, inbound messages, pacing', () => {
  let twilio: FakeTwilio;
  let stack: TestStack;
  let target: WebhookTarget;
  let driver: TicketDriver;

  const gateway = (timeoutMs = 1000) =>
    new TwilioSmsGateway({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', whatsappFrom: '+903241850000', apiBaseUrl: twilio.url, timeoutMs });
  const activitiesWith = (config: AppConfig = stack.config, timeoutMs = 1000) =>
    new NotificationActivities(stack.db, new OrganisationRepository(stack.db), gateway(timeoutMs), config);

  beforeAll(async () => {
    twilio = await startFakeTwilio({ authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID });
    stack = await startTestStack({
      env: {
        SMS_GATEWAY: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+15005550006',
        TWILIO_WHATSAPP_FROM: '+903241850000',
        TWILIO_API_BASE_URL: twilio.url,
        TWILIO_WEBHOOK_BASE_URL: PUBLIC_BASE,
        SMS_RECONCILE_INTERVAL: '0',
      },
    });
    await stack.api.listen(0, '127.0.0.1');
    const { port } = stack.api.getHttpServer().address() as AddressInfo;
    target = { listening: `http://127.0.0.1:${port}`, publicBase: PUBLIC_BASE };
    driver = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await twilio?.close();
  });

  const row = async (key: string) => (await stack.db.query('SELECT * FROM sms_outbox WHERE notification_key = $1', [key]))[0];
  const messagesTo = (phone: string) => twilio.messages.filter((m) => m.to.replace(/^whatsapp:/, '') === phone);
  const input = (ticket: { id: string; number: string }, seq: number) => ({
    ticketId: ticket.id,
    number: ticket.number,
    purpose: 'RESOLVED' as const,
    seq,
    recipient: { kind: 'CITIZEN' as const },
    params: {},
  });

  /** A ticket (own phone) whose acknowledgement went out; its Twilio message. */
  const acknowledged = async (overrides: Record<string, unknown> = {}) => {
    const phone = freshPhone();
    const ticket = await driver.create({ requester: { name: 'Deniz Ak', phone }, ...overrides });
    const key = notificationKey(ticket.number, 'RECEIVED', 1);
    const sent = await waitFor(async () => ((await row(key))?.status === 'SENT' ? row(key) : null), { what: 'the acknowledgement' });
    const message = twilio.messages.find((m) => m.sid === sent.provider_message_id)!;
    return { ticket, phone, key, message };
  };

  describe('delivery reports (POST /webhooks/twilio/status)', () => {
    it('every send names its outbox row as StatusCallback under the configured public URL', async () => {
      const { key, message } = await acknowledged();
      expect(message.statusCallback).toBe(`${PUBLIC_BASE}/webhooks/twilio/status?o=${(await row(key)).id}`);
    });

    it('moves the row forward only: queued → sent → delivered; late, repeated and out-of-order reports change nothing', async () => {
      const { key, message } = await acknowledged();
      expect((await twilio.sendStatus(message.sid, 'sent', target)).status).toBe(204);
      expect(await row(key)).toMatchObject({ status: 'SENT', delivery_status: 'sent' });
      expect((await twilio.sendStatus(message.sid, 'delivered', target)).status).toBe(204);
      expect((await twilio.sendStatus(message.sid, 'delivered', target)).status).toBe(204); // repeated
      expect((await twilio.sendStatus(message.sid, 'queued', target)).status).toBe(204); // late
      expect((await twilio.sendStatus(message.sid, 'failed', target, { errorCode: 30008 })).status).toBe(204); // after a final word
      expect(await row(key)).toMatchObject({ status: 'SENT', delivery_status: 'delivered', delivery_error_code: null, last_error: null });
    });

    it('a report arriving before an earlier one keeps the later state', async () => {
      const { key, message } = await acknowledged();
      await twilio.sendStatus(message.sid, 'delivered', target);
      await twilio.sendStatus(message.sid, 'sent', target);
      expect((await row(key)).delivery_status).toBe('delivered');
    });

    it('refuses a missing signature, a tampered parameter, a wrong URL and a wrong token with 403, and changes nothing', async () => {
      const { key, message } = await acknowledged();
      const callback = new URL(message.statusCallback!);
      const path = `${callback.pathname}${callback.search}`;
      const params = { AccountSid: ACCOUNT_SID, MessageSid: message.sid, MessageStatus: 'delivered' };
      const refusals = [
        await twilio.post(target, path, params, { unsigned: true }),
        await twilio.post(target, path, params, { tamper: { MessageStatus: 'failed', ErrorCode: '21610' } }),
        await twilio.post(target, path, params, { signedUrl: `https://attacker.example${path}` }),
        await twilio.post(target, path, params, { signedUrl: `${target.listening}${path}` }), // the URL as the API sees it, not as configured
        await twilio.post(target, path, params, { authToken: 'not-the-token' }),
        // The signature covers the query: another outbox row's id is another URL.
        await twilio.post(target, `/webhooks/twilio/status?o=1`, params, { signedUrl: `${PUBLIC_BASE}${path}` }),
      ];
      for (const answer of refusals) {
        expect(answer.status).toBe(403);
        expect(JSON.parse(answer.body)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      }
      expect(await row(key)).toMatchObject({ delivery_status: null, status: 'SENT' });
      // A forwarded host does not change the URL checked.
      const forwarded = await fetch(`${target.listening}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-Host': 'attacker.example', 'X-Forwarded-Proto': 'https' },
        body: new URLSearchParams(params).toString(),
      });
      expect(forwarded.status).toBe(403);
    });

    it('a replayed callback is accepted as Twilio’s but moves nothing', async () => {
      const { key, message } = await acknowledged();
      const callback = new URL(message.statusCallback!);
      const path = `${callback.pathname}${callback.search}`;
      const sent = { AccountSid: ACCOUNT_SID, MessageSid: message.sid, MessageStatus: 'sent' };
      expect((await twilio.post(target, path, sent)).status).toBe(204);
      await twilio.sendStatus(message.sid, 'delivered', target);
      const before = await row(key);
      expect((await twilio.post(target, path, sent)).status).toBe(204);
      expect(await row(key)).toMatchObject({ delivery_status: 'delivered', delivery_updated_at: before.delivery_updated_at });
    });

    it('a permanent failure (opted out) is recorded on the ticket and shown to staff; a passing one (handset off) is not', async () => {
      const off = await acknowledged();
      await twilio.sendStatus(off.message.sid, 'undelivered', target, { errorCode: 30003 });
      expect(await row(off.key)).toMatchObject({ status: 'FAILED', delivery_status: 'undelivered', delivery_error_code: 30003 });
      expect((await driver.view(off.ticket.number)).citizenUnreachable).toBeNull();

      const optedOut = await acknowledged();
      await twilio.sendStatus(optedOut.message.sid, 'failed', target, { errorCode: 21610 });
      expect(await row(optedOut.key)).toMatchObject({ status: 'FAILED', last_error: 'delivery failed (Twilio 21610)' });
      const view = await driver.view(optedOut.ticket.number);
      expect(view.citizenUnreachable).toMatchObject({ channel: 'SMS', code: 21610, notificationKey: optedOut.key });
      expect(view.citizenUnreachable.reason).toBe('citizen could not be reached by SMS: opted out (STOP)');
    });

    it('a refusal at sending (invalid number) marks the citizen unreachable too', async () => {
      const { ticket } = await acknowledged();
      twilio.failNext(400, 21211);
      await expect(activitiesWith().sendNotification(input(ticket, 40))).resolves.toMatchObject({ status: 'FAILED' });
      expect((await driver.view(ticket.number)).citizenUnreachable).toMatchObject({ code: 21211, reason: 'citizen could not be reached by SMS: invalid number' });
    });
  });

  describe('uncertain sends are settled, never sent again', () => {
    it('accepted then dropped: UNCERTAIN, settled by the status callback that names the row', async () => {
      const { ticket, phone } = await acknowledged();
      const before = messagesTo(phone).length;
      twilio.dropNext();
      await expect(activitiesWith().sendNotification(input(ticket, 50))).resolves.toMatchObject({ status: 'UNCERTAIN' });
      await expect(activitiesWith().sendNotification(input(ticket, 50))).resolves.toMatchObject({ status: 'UNCERTAIN' });
      const [message] = messagesTo(phone).slice(before);
      expect(messagesTo(phone).length - before).toBe(1);
      await twilio.sendStatus(message.sid, 'delivered', target);
      expect(await row(notificationKey(ticket.number, 'RESOLVED', 50))).toMatchObject({ status: 'SENT', provider_message_id: message.sid, delivery_status: 'delivered' });
    });

    it('timed out: UNCERTAIN, settled by asking Twilio (list by number, matched by body)', async () => {
      const { ticket, phone } = await acknowledged();
      twilio.delayNext(2500);
      await expect(activitiesWith().sendNotification(input(ticket, 51))).resolves.toMatchObject({ status: 'UNCERTAIN' });
      await new Promise((resolve) => setTimeout(resolve, 2000)); // Twilio made it meanwhile
      const reconciler = new OutboxReconciler(stack.db, gateway(), stack.config);
      expect((await reconciler.reconcile(0)).settled).toBeGreaterThanOrEqual(1);
      const settled = await row(notificationKey(ticket.number, 'RESOLVED', 51));
      const made = messagesTo(phone).filter((m) => m.sid === settled.provider_message_id);
      expect(settled).toMatchObject({ status: 'SENT', delivery_status: 'queued' });
      expect(made).toHaveLength(1);
    });

    it('an UNCERTAIN row with a message id is fetched by it; one Twilio never made becomes FAILED later, unsent', async () => {
      const { ticket, phone } = await acknowledged();
      // A message Twilio made whose id the row learnt (say, from a crashed attempt's log), but not its fate.
      const made = await gateway().send({ to: phone, body: 'fetched by id', channel: 'SMS', reference: 'test' });
      const message = twilio.messages.find((m) => m.sid === made.providerMessageId)!;
      const key = notificationKey(ticket.number, 'RESOLVED', 52);
      await stack.db.query(
        `INSERT INTO sms_outbox (notification_key, ticket_id, purpose, channel, recipient_phone, body, status, attempts, provider_message_id)
         VALUES ($1, $2, 'RESOLVED', 'SMS', $3, 'x', 'UNCERTAIN', 1, $4)`,
        [key, ticket.id, phone, message.sid],
      );
      const never = notificationKey(ticket.number, 'RESOLVED', 53);
      await stack.db.query(
        `INSERT INTO sms_outbox (notification_key, ticket_id, purpose, channel, recipient_phone, body, status, attempts)
         VALUES ($1, $2, 'RESOLVED', 'SMS', $3, 'never made', 'UNCERTAIN', 1)`,
        [never, ticket.id, phone],
      );
      const count = twilio.messages.length;
      const reconciler = new OutboxReconciler(stack.db, gateway(), stack.config);
      await reconciler.reconcile(0);
      expect(await row(key)).toMatchObject({ status: 'SENT', delivery_status: message.status });
      expect((await row(never)).status).toBe('UNCERTAIN'); // not yet: Twilio may still answer
      await reconciler.reconcile(0, 0);
      expect(await row(never)).toMatchObject({ status: 'FAILED', last_error: 'the provider has no record of this message: it was never sent' });
      expect(twilio.messages.length).toBe(count);
    });

    it('no notification key ever produces two messages, and every one ends settled, through 429, 500, time-outs and dropped answers', async () => {
      const { ticket, phone } = await acknowledged();
      const before = messagesTo(phone).length;
      const seqs = [60, 61, 62, 63, 64, 65];
      twilio.failNext(429, 20429);
      twilio.failNext(500, 20500);
      const acts = activitiesWith();
      const attempt = async (seq: number) => {
        for (let i = 0; i < 6; i++) {
          try {
            return await acts.sendNotification(input(ticket, seq));
          } catch (error) {
            expect(error).toBeInstanceOf(SmsNotSentError); // only "definitely not sent" is retried
          }
        }
        throw new Error('never settled');
      };
      await attempt(60); // 429 then sent
      await attempt(61); // 500 then sent
      twilio.dropNext();
      await attempt(62);
      twilio.delayNext(1500);
      await attempt(63);
      await Promise.all([attempt(64), attempt(64), attempt(65), attempt(65)]); // twins race for one key
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await new OutboxReconciler(stack.db, gateway(), stack.config).reconcile(0);
      const sids: string[] = [];
      for (const seq of seqs) {
        const settled = await row(notificationKey(ticket.number, 'RESOLVED', seq));
        expect(settled.status).toBe('SENT');
        sids.push(settled.provider_message_id);
      }
      // One message per key, and each message settles exactly one row.
      const made = messagesTo(phone).slice(before);
      expect(made).toHaveLength(seqs.length);
      expect(new Set(sids)).toEqual(new Set(made.map((m) => m.sid)));
    });
  });

  describe('pacing', () => {
    it('two limiters (two worker processes) share one pace per sender through PostgreSQL', async () => {
      const sender = `test:${Math.random()}`;
      const a = new SendRateLimiter(stack.db, 10);
      const b = new SendRateLimiter(stack.db, 10);
      const started = Date.now();
      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).acquire(sender)));
      // 12 messages at 10/s: the last leaves 1.1 s after the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it('a 429 holds every worker off the sender; a slot too far off gives its turn back (retry later, nothing sent)', async () => {
      const sender = `test:${Math.random()}`;
      const limiter = new SendRateLimiter(stack.db, 10);
      await limiter.acquire(sender);
      await limiter.backOff(sender, 10);
      await expect(limiter.acquire(sender)).rejects.toMatchObject({ name: 'SmsNotSentError', retryable: true });
    });

    it('a 429 holds the messages already waiting for their slot too: they go after the hold, still paced', async () => {
      const sender = `test:${Math.random()}`;
      const limiter = new SendRateLimiter(stack.db, 10);
      await limiter.acquire(sender); // the bucket is empty: the next four slots come 100, 200, 300, 400 ms from now
      const started = Date.now();
      const left: number[] = [];
      const waiting = Array.from({ length: 4 }, () => limiter.acquire(sender).then(() => left.push(Date.now() - started)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const heldAt = Date.now() - started;
      await limiter.backOff(sender, 1); // Twilio's 429, Retry-After: 1
      await Promise.all(waiting);
      // None left during the hold (before, nothing would have held them: they had their slots),
      // and still paced: the i-th to leave did not leave before the i-th slot after the hold. A
      // busy machine wakes a sleeper late, never early, so a bound from below is what holds; two
      // departures can come close when the earlier one was woken late.
      left.sort((a, b) => a - b);
      left.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(heldAt + 1000 + i * 100 - 20));
    });
  });

  describe('incoming messages (POST /webhooks/twilio/inbound)', () => {
    const ticketsOf = async (phone: string) =>
      stack.db.query(`SELECT id, number, channel, type, category, status, description FROM tickets WHERE requester_phone = $1 ORDER BY received_at`, [phone]);

    it('a WhatsApp message creates a ticket and the reply (number and link) goes out once; a retry and a second message do not', async () => {
      const phone = freshPhone();
      const sid = `SM${'b'.repeat(24)}${Date.now().toString(16).padStart(8, '0').slice(-8)}`;
      const media = ['https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1'];
      const first = await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Sokak lambası yanmıyor.', media, profileName: 'Ayşe', sid });
      expect(first.status).toBe(200);
      expect(first.body).toContain('<Response></Response>');
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Sokak lambası yanmıyor.', media, profileName: 'Ayşe', sid })).status).toBe(200); // Twilio's retry

      const [ticket] = await ticketsOf(phone);
      expect(await ticketsOf(phone)).toHaveLength(1);
      expect(ticket).toMatchObject({ channel: 'WHATSAPP', type: 'REQUEST', category: 'OTHER', description: 'Sokak lambası yanmıyor.' });
      await driver.waitForStatus(ticket.number, 'TRIAGE');
      const reply = await waitFor(async () => (await row(notificationKey(ticket.number, 'RECEIVED', 1)))?.status === 'SENT' ? row(notificationKey(ticket.number, 'RECEIVED', 1)) : null);
      expect(reply).toMatchObject({ channel: 'WHATSAPP', send_mode: 'WHATSAPP_FREEFORM' });
      const [message] = messagesTo(phone);
      expect(message.to).toBe(`whatsapp:${phone}`);
      expect(message.from).toBe('whatsapp:+903241850000');
      expect(message.body).toContain(ticket.number);
      expect(message.body).toMatch(new RegExp(`${PUBLIC_BASE.replace(/\./g, '\\.')}|http://teksin\\.test/t/${ticket.number}\\?k=`));

      const second = await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Ek bilgi: 12 numaranın önü.' });
      expect(second.status).toBe(200);
      expect(await ticketsOf(phone)).toHaveLength(1);
      const view = await driver.view(ticket.number);
      expect(view.citizenMessages).toEqual([
        expect.objectContaining({ channel: 'WHATSAPP', body: 'Sokak lambası yanmıyor.', outcome: 'CREATED_TICKET', media: [{ url: media[0], contentType: 'image/jpeg' }] }),
        expect.objectContaining({ channel: 'WHATSAPP', body: 'Ek bilgi: 12 numaranın önü.', outcome: 'ADDED_TO_TICKET', media: [] }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(messagesTo(phone)).toHaveLength(1);
      expect(await driver.outbox(ticket.number)).toHaveLength(1);
    });

    it('a message to a ticket waiting for the citizen is their answer (the citizen’s own info-provided command)', async () => {
      const phone = freshPhone();
      const ticket: CreatedTicket = await driver.toInProgress({ channel: 'WHATSAPP', requester: { name: 'Ali Veli', phone } });
      await driver.staff(STAFF.fenExpert, ticket.number, 'request-info', { question: 'Hangi sokak?' }).expect(200);
      await driver.waitForStatus(ticket.number, 'WAITING_FOR_CITIZEN');
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Atatürk Caddesi 5. sokak' })).status).toBe(200);
      const view = await driver.waitForStatus(ticket.number, 'IN_PROGRESS');
      const answered = view.timeline.find((e: { type: string }) => e.type === 'CITIZEN_INFO_PROVIDED');
      expect(answered).toMatchObject({ actor: { kind: 'CITIZEN' }, texts: { answer: 'Atatürk Caddesi 5. sokak' } });
      expect(view.citizenMessages).toEqual([expect.objectContaining({ outcome: 'ANSWERED_QUESTION' })]);
    });

    it('is refused without a valid signature, and then creates nothing', async () => {
      const phone = freshPhone();
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'x' }, { unsigned: true })).status).toBe(403);
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'x' }, { tamper: { Body: 'y' } })).status).toBe(403);
      const json = await fetch(`${target.listening}/webhooks/twilio/inbound`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': 'abc' }, body: '{"From":"x"}' });
      expect(json.status).toBe(403);
      expect(await ticketsOf(phone)).toHaveLength(0);
    });
  });

  describe('the WhatsApp 24-hour rule', () => {
    const lateWhatsAppTicket = async () => {
      const phone = freshPhone();
      const created = await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Çöp toplanmadı.' });
      expect(created.status).toBe(200);
      const [ticket] = await stack.db.query(`SELECT id, number FROM tickets WHERE requester_phone = $1`, [phone]);
      await waitFor(async () => (await row(notificationKey(ticket.number, 'RECEIVED', 1)))?.status === 'SENT');
      await stack.db.query(`UPDATE inbound_messages SET received_at = now() - interval '25 hours' WHERE from_phone = $1`, [phone]);
      return { ticket, phone };
    };

    it('outside the window with a template configured: the template, recorded on the row', async () => {
      const { ticket, phone } = await lateWhatsAppTicket();
      const config: AppConfig = { ...stack.config, sms: { ...stack.config.sms, twilio: { ...stack.config.sms.twilio!, whatsappContentSid: CONTENT_SID } } };
      await expect(activitiesWith(config).sendNotification(input(ticket, 70))).resolves.toMatchObject({ status: 'SENT' });
      expect(await row(notificationKey(ticket.number, 'RESOLVED', 70))).toMatchObject({ channel: 'WHATSAPP', send_mode: 'WHATSAPP_TEMPLATE' });
      const message = messagesTo(phone).at(-1)!;
      expect(message).toMatchObject({ to: `whatsapp:${phone}`, contentSid: CONTENT_SID });
      expect(JSON.parse(message.contentVariables!)).toMatchObject({ '1': ticket.number });
    });

    it('outside the window without a template: SMS, recorded as the fallback', async () => {
      const { ticket, phone } = await lateWhatsAppTicket();
      await expect(activitiesWith().sendNotification(input(ticket, 71))).resolves.toMatchObject({ status: 'SENT' });
      expect(await row(notificationKey(ticket.number, 'RESOLVED', 71))).toMatchObject({ channel: 'SMS', send_mode: 'SMS_FALLBACK' });
      expect(messagesTo(phone).at(-1)!.to).toBe(phone);
    });
  });
});
