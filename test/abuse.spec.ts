import { ACK_DAILY_LIMIT_REACHED } from '../activities/notification.activities';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

/** The limits of this suite: small, so that each one is reached and the counts are exact. */
const PER_IP = 12;
const PER_PHONE = 5;
const ACKS_PER_DAY = 3;

/** A Turkish mobile number no other suite uses (the daily cap counts per phone, across the whole database). */
const freshMobile = () => `0533 ${String(Math.floor(Math.random() * 900) + 100)} ${String(Math.floor(Math.random() * 9000) + 1000)}`;

/**
 * Abuse of anonymous intake: one address sending request after request for one phone gets the
 * configured number of tickets, then 429s; that phone gets the configured number of
 * acknowledgement SMS (the rest SKIPPED, with the reason); nothing accepted is lost and nothing
 * refused is written. Staff intake is not limited.
 */
describe('abuse: anonymous intake is rate limited per IP and per phone, acknowledgements per phone and day', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        INTAKE_RATE_LIMIT: `${PER_IP},${PER_PHONE}`,
        INTAKE_RATE_WINDOW: '1h',
        ACK_SMS_DAILY_LIMIT: String(ACKS_PER_DAY),
        // supertest comes from 127.0.0.1: trusting it lets each test be "another address".
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const intake = (from: string, phone: string) =>
    stack.http
      .post('/tickets')
      .set('X-Forwarded-For', from)
      .send({ channel: 'WEB', type: 'COMPLAINT', category: 'ROAD_REPAIR', requester: { name: 'Aynı Kişi', phone }, description: 'Yol çökmüş.' });
  /** Staff identity for intake (one place to change when sign-in replaces the development header). */

  const nextNumber = async () =>
    Number((await stack.db.query(`SELECT (last_value + (CASE WHEN is_called THEN 1 ELSE 0 END))::int AS n FROM ticket_number_seq`))[0].n);
  const ticketsOf = async (e164: string) =>
    stack.db.query(`SELECT id, number, status, recorded_by FROM tickets WHERE requester_phone = $1 ORDER BY number`, [e164]) as Promise<
      { id: string; number: string; status: string; recorded_by: string | null }[]
    >;
  /** The acknowledgements of these tickets, once each has been handled (none left SENDING). */
  const settledAcks = async (ids: string[]) =>
    waitFor(async () => {
      const rows = await stack.db.query(`SELECT ticket_id, purpose, status, last_error, recipient_phone FROM sms_outbox WHERE ticket_id = ANY($1) ORDER BY id`, [ids]);
      return rows.length === ids.length && rows.every((r: { status: string }) => r.status !== 'SENDING') ? rows : null;
    }, { what: `${ids.length} acknowledgements to be handled` });

  it('100 anonymous intakes for one phone from one address: the configured number of tickets and SMS, then 429; nothing else lost', async () => {
    const phone = freshMobile();
    const e164 = `+90${phone.replace(/\D/g, '').slice(1)}`;
    const numbersBefore = await nextNumber();
    const smsBefore = stack.sms.sent.filter((m) => m.to === e164).length;

    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await intake('203.0.113.7', phone);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
        const retryAfter = Number(res.headers['retry-after']);
        expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
        expect(res.body.retryAfter).toBe(retryAfter);
      }
    }
    // The per-phone limit answers from the 6th request on (the per-IP one from the 13th).
    expect(statuses).toEqual([...Array(PER_PHONE).fill(201), ...Array(100 - PER_PHONE).fill(429)]);

    // Exactly the accepted requests became tickets, took numbers and started workflows.
    const tickets = await ticketsOf(e164);
    expect(tickets).toHaveLength(PER_PHONE);
    expect((await nextNumber()) - numbersBefore).toBe(PER_PHONE);
    for (const ticket of tickets) {
      expect(ticket.recorded_by).toBeNull();
      expect((await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).describe()).status.name).toBe('RUNNING');
    }

    // Each got its acknowledgement row: ACKS_PER_DAY sent, the rest skipped with the reason; the phone got exactly ACKS_PER_DAY texts.
    const acks = await settledAcks(tickets.map((t) => t.id));
    expect(acks.every((a: { purpose: string }) => a.purpose === 'RECEIVED')).toBe(true);
    expect(acks.filter((a: { status: string }) => a.status === 'SENT')).toHaveLength(ACKS_PER_DAY);
    const skipped = acks.filter((a: { status: string }) => a.status === 'SKIPPED');
    expect(skipped).toHaveLength(PER_PHONE - ACKS_PER_DAY);
    for (const row of skipped) expect(row).toMatchObject({ last_error: ACK_DAILY_LIMIT_REACHED, recipient_phone: null });
    expect(stack.sms.sent.filter((m) => m.to === e164).length - smsBefore).toBe(ACKS_PER_DAY);

    // Nothing else lost: every accepted ticket went on to triage.
    await waitFor(async () => (await ticketsOf(e164)).every((t) => t.status === 'TRIAGE'), { what: 'every accepted ticket to reach TRIAGE' });
  });

  it('one address, many phones: the per-IP limit', async () => {
    const phones = Array.from({ length: PER_IP + 3 }, freshMobile);
    const statuses: number[] = [];
    for (const phone of phones) statuses.push((await intake('203.0.113.8', phone)).status);
    expect(statuses).toEqual([...Array(PER_IP).fill(201), 429, 429, 429]);
    // Another address is counted on its own.
    await intake('203.0.113.9', freshMobile()).expect(201);
  });

  it('staff intake is not limited: the blocked address and phone, every acknowledgement sent', async () => {
    const phone = freshMobile();
    const e164 = `+90${phone.replace(/\D/g, '').slice(1)}`;
    // The phone is first used up by anonymous intake…
    for (let i = 0; i < PER_PHONE; i++) await intake('203.0.113.10', phone).expect(201);
    await intake('203.0.113.10', phone).expect(429);
    // …then an agent records more requests for it, from the same address.
    const agent = await stack.bearer(STAFF.agent);
    for (let i = 0; i < 3; i++) await intake('203.0.113.10', phone).set('Authorization', agent).expect(201);

    const tickets = await ticketsOf(e164);
    expect(tickets.map((t) => t.recorded_by)).toEqual([...Array(PER_PHONE).fill(null), STAFF.agent, STAFF.agent, STAFF.agent]);
    const acks = await settledAcks(tickets.map((t) => t.id));
    const byTicket = new Map(acks.map((a: { ticket_id: string; status: string }) => [a.ticket_id, a.status]));
    expect(tickets.filter((t) => t.recorded_by).map((t) => byTicket.get(t.id))).toEqual(['SENT', 'SENT', 'SENT']);
    expect(tickets.filter((t) => !t.recorded_by).map((t) => byTicket.get(t.id)).filter((s) => s === 'SENT')).toHaveLength(ACKS_PER_DAY);
  });
});
