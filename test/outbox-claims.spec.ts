import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { NotificationActivities } from '../activities/notification.activities';
import type { SendNotificationInput } from '../activities/ticket-activities.contract';
import { notificationKey } from '../libs/sms/src/notification-key';
import { TwilioSmsGateway } from '../libs/sms/src';
import { startFakeTwilio, type FakeTwilio } from './support/fake-twilio.server';
import { TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const ACCOUNT_SID = 'AC' + '1'.repeat(32);
const AUTH_TOKEN = 'outbox-claims-token';

/**
 * Who may send an outbox row. Only a PENDING row is ever claimed (PENDING → SENDING) and handed
 * to the provider; every other status is someone else's or final, and sending it could text a
 * citizen twice. The claim names one row by its key: a row whose key merely looks alike (a
 * prefix, another seq) is not touched. Against the real twilio SDK and a local stand-in, as in
 * test/notifications.spec.ts; the stack's own workflow texts go to the console gateway, so every
 * message the stand-in receives came from the activity under test.
 */
describe('outbox claims: only a PENDING row, and only the one named, is sent', () => {
  let twilio: FakeTwilio;
  let stack: TestStack;
  let activities: NotificationActivities;
  let ticket: CreatedTicket;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ authToken: AUTH_TOKEN });
    stack = await startTestStack();
    const gateway = new TwilioSmsGateway({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', apiBaseUrl: twilio.url, timeoutMs: 5000 });
    activities = new NotificationActivities(stack.db, new OrganisationRepository(stack.db), gateway, stack.config);
    ticket = await new TicketDriver(stack).create();
  });
  afterAll(async () => {
    await stack?.close();
    await twilio?.close();
  });

  const input = (seq: number): SendNotificationInput => ({
    ticketId: ticket.id,
    number: ticket.number,
    purpose: 'RESOLVED',
    seq,
    recipient: { kind: 'CITIZEN' },
    params: {},
  });
  const keyOf = (seq: number) => notificationKey(ticket.number, 'RESOLVED', seq);
  const row = async (seq: number) =>
    (await stack.db.query('SELECT status, attempts, provider_message_id, last_error FROM sms_outbox WHERE notification_key = $1', [keyOf(seq)]))[0];
  /** An outbox row as an earlier attempt (or an operator) left it; its body names the key. */
  const insertRow = (seq: number, status: string, attempts = 1) =>
    stack.db.query(
      `INSERT INTO sms_outbox (notification_key, ticket_id, purpose, channel, recipient_phone, body, status, attempts, last_error)
       VALUES ($1, $2, 'RESOLVED', 'SMS', '+905327654321', $3, $4, $5, $6)`,
      [keyOf(seq), ticket.id, `body of ${keyOf(seq)}`, status, attempts, status === 'SKIPPED' ? 'no phone' : null],
    );
  const messagesFor = (seq: number) => twilio.messages.filter((m) => m.body === `body of ${keyOf(seq)}`);

  it.each([
    ['SENT', 110, 'ALREADY_HANDLED'],
    ['FAILED', 120, 'FAILED'],
    ['UNCERTAIN', 130, 'UNCERTAIN'],
    ['SKIPPED', 140, 'SKIPPED'],
  ] as const)('a %s row is never claimed or sent, and stays as it was', async (status, seq, result) => {
    await insertRow(seq, status, 2);
    const before = await row(seq);
    await expect(activities.sendNotification(input(seq))).resolves.toEqual({ key: keyOf(seq), status: result });
    await expect(activities.sendNotification(input(seq))).resolves.toEqual({ key: keyOf(seq), status: result });
    expect(await row(seq)).toEqual(before);
    expect(messagesFor(seq)).toHaveLength(0);
  });

  it('a SENDING row (an attempt that died mid-send) is not sent again: it becomes UNCERTAIN, attempts unchanged', async () => {
    await insertRow(150, 'SENDING', 1);
    await expect(activities.sendNotification(input(150))).resolves.toEqual({ key: keyOf(150), status: 'UNCERTAIN' });
    expect(await row(150)).toMatchObject({ status: 'UNCERTAIN', attempts: 1, provider_message_id: null });
    expect(messagesFor(150)).toHaveLength(0);
  });

  it('a PENDING row is claimed once and sent once (control)', async () => {
    await insertRow(160, 'PENDING', 1);
    await expect(activities.sendNotification(input(160))).resolves.toEqual({ key: keyOf(160), status: 'SENT' });
    expect(await row(160)).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(messagesFor(160)).toHaveLength(1);
    await expect(activities.sendNotification(input(160))).resolves.toEqual({ key: keyOf(160), status: 'ALREADY_HANDLED' });
    expect(messagesFor(160)).toHaveLength(1);
  });

  it('claiming one key leaves PENDING rows with look-alike keys (a longer seq, the next seq) untouched', async () => {
    // ticket-<n>:RESOLVED:17 is a prefix of …:170 and …:171.
    await insertRow(17, 'PENDING', 1);
    await insertRow(170, 'PENDING', 1);
    await insertRow(171, 'PENDING', 1);
    await insertRow(18, 'PENDING', 1);
    await expect(activities.sendNotification(input(17))).resolves.toMatchObject({ status: 'SENT' });
    expect(await row(17)).toMatchObject({ status: 'SENT', attempts: 2 });
    for (const seq of [170, 171, 18]) {
      expect({ seq, ...(await row(seq)) }).toEqual({ seq, status: 'PENDING', attempts: 1, provider_message_id: null, last_error: null });
      expect(messagesFor(seq)).toHaveLength(0);
    }
  });

  it('a SENDING row of another key does not stop this key’s PENDING row from being sent, nor is it touched', async () => {
    await insertRow(19, 'PENDING', 1);
    await insertRow(190, 'SENDING', 1);
    await expect(activities.sendNotification(input(19))).resolves.toMatchObject({ status: 'SENT' });
    expect(await row(190)).toMatchObject({ status: 'SENDING', attempts: 1 });
    expect(messagesFor(190)).toHaveLength(0);
  });

  it('a late provider answer settles an UNCERTAIN row as SENT with the provider’s id, but never overwrites a FAILED one', async () => {
    // Meanwhile a retry that found the row SENDING marked it UNCERTAIN: the provider's answer is the truth.
    await insertRow(200, 'PENDING', 1);
    twilio.delayNext(1500);
    let sending = activities.sendNotification(input(200));
    await waitFor(async () => (await row(200))?.status === 'SENDING', { what: 'the row to be claimed' });
    await stack.db.query(`UPDATE sms_outbox SET status = 'UNCERTAIN', last_error = 'interrupted' WHERE notification_key = $1`, [keyOf(200)]);
    await sending;
    expect(await row(200)).toMatchObject({ status: 'SENT', provider_message_id: expect.stringMatching(/^SM/) });

    // An operator who decided FAILED (e.g. reached the citizen by phone) is not overruled.
    await insertRow(201, 'PENDING', 1);
    twilio.delayNext(1500);
    sending = activities.sendNotification(input(201));
    await waitFor(async () => (await row(201))?.status === 'SENDING', { what: 'the row to be claimed' });
    await stack.db.query(`UPDATE sms_outbox SET status = 'FAILED', last_error = 'operator' WHERE notification_key = $1`, [keyOf(201)]);
    await sending;
    expect(await row(201)).toMatchObject({ status: 'FAILED', last_error: 'operator', provider_message_id: null });
  });
});
