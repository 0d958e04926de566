import { Logger } from '@nestjs/common';
import { NotificationActivities } from '../activities/notification.activities';
import { notificationKey } from '../libs/sms/src/notification-key';
import { IntakeSweeper } from '../apps/api/src/tickets/intake-sweeper.service';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { SmsNotSentError, TwilioSmsGateway } from '../libs/sms/src';
import { startFakeTwilio, type FakeTwilio } from './support/fake-twilio.server';
import { TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const ACCOUNT_SID = 'AC' + '0'.repeat(32);
const AUTH_TOKEN = 'test-auth-token';

/**
 * The SMS outbox with the real twilio SDK against a local stand-in for Twilio: a retried
 * activity, a provider refusal, a crash mid-send — none of them ever texts a citizen twice.
 */
describe('SMS outbox through the real Twilio SDK', () => {
  let twilio: FakeTwilio;
  let stack: TestStack;
  let activities: NotificationActivities;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ authToken: AUTH_TOKEN });
    stack = await startTestStack({
      env: { SMS_GATEWAY: 'twilio', TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.url },
    });
    const gateway = new TwilioSmsGateway({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', apiBaseUrl: twilio.url, timeoutMs: 1000 });
    activities = new NotificationActivities(stack.db, new OrganisationRepository(stack.db), gateway, stack.config);
  });
  afterAll(async () => {
    await stack?.close();
    await twilio?.close();
  });

  /**
   * A ticket whose acknowledgement has already gone out. The workflow sends it in the
   * background, so without waiting it could reach the stand-in after a test armed
   * `failNext` and take the failure meant for the activity under test.
   */
  const quietTicket = async () => {
    const ticket = await new TicketDriver(stack).create();
    await waitFor(async () => (await row(notificationKey(ticket.number, 'RECEIVED', 1)))?.status === 'SENT', { what: 'the acknowledgement to be sent' });
    return ticket;
  };
  const messagesTo = (number: string) => twilio.messages.filter((m) => m.body.includes(number));
  const row = async (key: string) => (await stack.db.query('SELECT * FROM sms_outbox WHERE notification_key = $1', [key]))[0];
  const input = (ticket: { id: string; number: string }, seq: number, purpose: 'RESOLVED' | 'INFO_REQUESTED' = 'RESOLVED') => ({
    ticketId: ticket.id,
    number: ticket.number,
    purpose,
    seq,
    recipient: { kind: 'CITIZEN' as const },
    params: {},
  });

  it('a new ticket’s acknowledgement goes out once through Twilio, with the tracking link', async () => {
    const ticket = await quietTicket();
    const [message] = await waitFor(() => (messagesTo(ticket.number).length ? messagesTo(ticket.number) : null), { what: 'the Twilio message' });
    expect(message.to).toBe('+905327654321');
    expect(message.body).toContain(ticket.trackingUrl);
    const outboxRow = await waitFor(async () => {
      const r = await row(notificationKey(ticket.number, 'RECEIVED', 1));
      return r?.status === 'SENT' ? r : null;
    });
    expect(outboxRow.provider_message_id).toBe(message.sid);
    expect(messagesTo(ticket.number)).toHaveLength(1);
    // The message carried the token; the stored body never does.
    expect(outboxRow.body).toBe(message.body.replace(`k=${ticket.token}`, 'k=***'));
    expect(outboxRow.body).not.toContain(ticket.token);
  });

  it('a retried activity finds the row it already sent and does not text again', async () => {
    const ticket = await quietTicket();
    const first = await activities.sendNotification(input(ticket, 50));
    const second = await activities.sendNotification(input(ticket, 50));
    expect(first.status).toBe('SENT');
    expect(second.status).toBe('ALREADY_HANDLED');
    expect(messagesTo(ticket.number).filter((m) => !m.body.includes('alın'))).toHaveLength(1);
  });

  it('a provider outage (503) leaves the row PENDING and throws so Temporal retries; the retry sends once', async () => {
    const ticket = await quietTicket();
    const before = messagesTo(ticket.number).length;
    twilio.failNext(503, 20500);
    await expect(activities.sendNotification(input(ticket, 60))).rejects.toBeInstanceOf(SmsNotSentError);
    expect(await row(notificationKey(ticket.number, 'RESOLVED', 60))).toMatchObject({ status: 'PENDING', attempts: 1 });
    await expect(activities.sendNotification(input(ticket, 60))).resolves.toMatchObject({ status: 'SENT' });
    expect(await row(notificationKey(ticket.number, 'RESOLVED', 60))).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(messagesTo(ticket.number).length - before).toBe(1);
    // The retry sent the stored (masked) body with the token put back.
    expect(messagesTo(ticket.number).at(-1)!.body).toContain(ticket.trackingUrl);
    expect((await row(notificationKey(ticket.number, 'RESOLVED', 60))).body).not.toContain(ticket.token);
  });

  it('a definitive refusal (400, invalid number) is FAILED and never sent again; the log names the code, not Twilio’s words', async () => {
    const ticket = await quietTicket();
    const before = messagesTo(ticket.number).length;
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      twilio.failNext(400, 21211);
      await expect(activities.sendNotification(input(ticket, 70))).resolves.toMatchObject({ status: 'FAILED' });
      await expect(activities.sendNotification(input(ticket, 70))).resolves.toMatchObject({ status: 'FAILED' });
      // Twilio's text may quote the number: it stays in the row for an operator, out of the log.
      expect((await row(notificationKey(ticket.number, 'RESOLVED', 70))).last_error).toBe(
        "Twilio refused the message (HTTP 400, code 21211): The 'To' number is not a valid phone number.",
      );
      const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes(ticket.number));
      expect(lines).toEqual([`notification ${notificationKey(ticket.number, 'RESOLVED', 70)} refused by the provider: Twilio refused the message (HTTP 400, code 21211)`]);
    } finally {
      warn.mockRestore();
    }
    expect(messagesTo(ticket.number).length - before).toBe(0);
  });

  it('a row left SENDING by a crashed attempt becomes UNCERTAIN instead of being sent twice', async () => {
    const ticket = await quietTicket();
    const key = notificationKey(ticket.number, 'INFO_REQUESTED', 80);
    await stack.db.query(
      `INSERT INTO sms_outbox (notification_key, ticket_id, purpose, channel, recipient_phone, body, status, attempts)
       VALUES ($1, $2, 'INFO_REQUESTED', 'SMS', '+905327654321', $3, 'SENDING', 1)`,
      [key, ticket.id, `${ticket.number} crashed attempt`],
    );
    const before = twilio.messages.length;
    await expect(activities.sendNotification(input(ticket, 80, 'INFO_REQUESTED'))).resolves.toMatchObject({ status: 'UNCERTAIN' });
    await expect(activities.sendNotification(input(ticket, 80, 'INFO_REQUESTED'))).resolves.toMatchObject({ status: 'UNCERTAIN' });
    expect(twilio.messages.length).toBe(before);
  });

  it('a timeout (the provider may have got it) is UNCERTAIN and not retried', async () => {
    const ticket = await quietTicket();
    twilio.delayNext(3000);
    await expect(activities.sendNotification(input(ticket, 90))).resolves.toMatchObject({ status: 'UNCERTAIN' });
    await expect(activities.sendNotification(input(ticket, 90))).resolves.toMatchObject({ status: 'UNCERTAIN' });
    expect((await row(notificationKey(ticket.number, 'RESOLVED', 90))).attempts).toBe(1);
  });

  describe('the provider’s late answer to an attempt a retry already gave up on', () => {
    // A slow first attempt is still waiting for Twilio when the activity's retry finds the row
    // SENDING and marks it UNCERTAIN; then Twilio answers the first attempt.
    const slowActivities = () =>
      new NotificationActivities(
        stack.db,
        new OrganisationRepository(stack.db),
        new TwilioSmsGateway({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', apiBaseUrl: twilio.url, timeoutMs: 10_000 }),
        stack.config,
      );
    const uncertainWhileInFlight = async (ticket: { id: string; number: string }, seq: number) => {
      const first = slowActivities().sendNotification(input(ticket, seq));
      await waitFor(async () => (await row(notificationKey(ticket.number, 'RESOLVED', seq)))?.status === 'SENDING', { what: 'the first attempt to claim the row' });
      await expect(activities.sendNotification(input(ticket, seq))).resolves.toMatchObject({ status: 'UNCERTAIN' });
      expect((await row(notificationKey(ticket.number, 'RESOLVED', seq))).status).toBe('UNCERTAIN');
      return { first }; // wrapped: an async function would wait for it
    };

    it('a late success still records SENT and the provider’s message id', async () => {
      const ticket = await quietTicket();
      const before = messagesTo(ticket.number).length;
      twilio.delayNext(1500);
      const { first } = await uncertainWhileInFlight(ticket, 110);
      await expect(first).resolves.toMatchObject({ status: 'SENT' });
      const sent = messagesTo(ticket.number).slice(before);
      expect(sent).toHaveLength(1);
      expect(await row(notificationKey(ticket.number, 'RESOLVED', 110))).toMatchObject({ status: 'SENT', provider_message_id: sent[0].sid, last_error: null });
      // And it stays final: nothing sends it again.
      await expect(activities.sendNotification(input(ticket, 110))).resolves.toMatchObject({ status: 'ALREADY_HANDLED' });
    });

    it('a late definitive refusal records FAILED; a SENT row is never overwritten', async () => {
      const ticket = await quietTicket();
      twilio.delayNext(1500, 1, { status: 400, code: 21211 });
      const { first } = await uncertainWhileInFlight(ticket, 111);
      await expect(first).resolves.toMatchObject({ status: 'FAILED' });
      expect(await row(notificationKey(ticket.number, 'RESOLVED', 111))).toMatchObject({ status: 'FAILED' });

      // A row someone settled as SENT meanwhile keeps it, whatever the late answer says.
      twilio.delayNext(1500, 1, { status: 400, code: 21211 });
      const late = slowActivities().sendNotification(input(ticket, 112));
      const key = notificationKey(ticket.number, 'RESOLVED', 112);
      await waitFor(async () => (await row(key))?.status === 'SENDING', { what: 'the attempt to claim the row' });
      await stack.db.query(`UPDATE sms_outbox SET status = 'SENT', provider_message_id = 'SM-settled' WHERE notification_key = $1`, [key]);
      await late;
      expect(await row(key)).toMatchObject({ status: 'SENT', provider_message_id: 'SM-settled' });
    });
  });

  it('staff notifications go to the department head’s phone', async () => {
    const ticket = await quietTicket();
    const result = await activities.sendNotification({
      ticketId: ticket.id,
      number: ticket.number,
      purpose: 'SLA_BREACHED',
      seq: 99,
      recipient: { kind: 'DEPARTMENT_HEAD', departmentId: 'meski-su' },
      params: {},
    });
    expect(result.status).toBe('SENT');
    expect(await row(notificationKey(ticket.number, 'SLA_BREACHED', 99))).toMatchObject({ recipient_phone: '+905550000044', status: 'SENT' });
  });

  it('a recipient without a phone is SKIPPED, not an error', async () => {
    const ticket = await quietTicket();
    const result = await activities.sendNotification({
      ticketId: ticket.id,
      number: ticket.number,
      purpose: 'APPROVAL_REMINDER',
      seq: 98,
      recipient: { kind: 'STAFF', staffId: 'auditor.nur' },
      params: {},
    });
    expect(result.status).toBe('SKIPPED');
  });
});

describe('no accepted ticket is lost when Temporal is down', () => {
  it('intake answers 201 while Temporal is unreachable; the sweeper starts the workflow later', async () => {
    const down = await startTestStack({ worker: false, env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    let number: string;
    try {
      const startedAt = Date.now();
      const res = await down.http
        .post('/tickets')
        .send({ channel: 'WEB', type: 'REQUEST', category: 'SEWERAGE', requester: { name: 'Oya', phone: '0535 000 11 22' }, description: 'Rögar taşıyor.' })
        .expect(201);
      number = res.body.number;
      // A call-center agent is not kept waiting long: the start fails fast and is left to the sweeper.
      console.log(`intake while Temporal is down answered in ${Date.now() - startedAt} ms`);
      const [row] = await down.db.query('SELECT status, workflow_started_at FROM tickets WHERE number = $1', [number]);
      expect(row).toEqual({ status: 'RECEIVED', workflow_started_at: null });
      const health = await down.http.get('/health').expect(503);
      expect(health.body).toEqual({ status: 'degraded' }); // which check failed is for ADMIN only
    } finally {
      await down.close();
    }

    const up = await startTestStack();
    try {
      const started = await up.api.get(IntakeSweeper).sweep(0);
      expect(started).toBeGreaterThanOrEqual(1);
      await new TicketDriver(up).waitForStatus(number!, 'TRIAGE');
      expect(await up.api.get(IntakeSweeper).sweep(0)).toBe(0);
    } finally {
      await up.close();
    }
  });
});
