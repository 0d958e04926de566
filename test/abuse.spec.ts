import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ACK_DAILY_LIMIT_REACHED, SMS_BUDGET_EXCEEDED } from '../activities/notification.activities';
import { createApiApp } from '../apps/api/src/app.factory';
import { SMS_BUDGET_COUNTER } from '../libs/database/src/rate-limit-counters.repository';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { signIn, startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

/** The limits of this suite: small, so that each one is reached and the counts are exact. */
const PER_IP = 12;
const PER_PHONE = 5;
const ACKS_PER_DAY = 3;
const PER_PLATFORM_USER = 4;

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
        PLATFORM_INTAKE_RATE_LIMIT: String(PER_PLATFORM_USER),
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
  /** A platform account of its own (no other suite's intake counts against it): signed in, the `Authorization` value. */
  const newPlatformUser = async (role: 'TRADESPERSON' | 'COUNCIL_MEMBER', http = stack.http) => {
    const id = `test.${role.toLowerCase()}.${randomUUID().slice(0, 8)}`;
    await stack.db.query(`INSERT INTO staff (id, name, roles, active, password_hash) SELECT $1, 'Deneme Esnaf', ARRAY[$2]::text[], true, password_hash FROM staff WHERE id = 'coord.ayse'`, [id, role]);
    return { id, authorization: `Bearer ${await signIn(http, id)}` };
  };

  it('item 2: a platform user’s intake is limited per user whatever the phones, its acknowledgements per phone and day; the center’s staff are trusted', async () => {
    const tradesperson = await newPlatformUser('TRADESPERSON');
    const phone = freshMobile();
    const e164 = `+90${phone.replace(/\D/g, '').slice(1)}`;
    // A stolen platform token looping over numbers: PLATFORM_INTAKE_RATE_LIMIT requests, then 429, from any address.
    const statuses: number[] = [];
    for (let i = 0; i < PER_PLATFORM_USER; i++) statuses.push((await intake(`198.51.100.${i + 1}`, i === 0 ? phone : freshMobile()).set('Authorization', tradesperson.authorization)).status);
    const over = await intake('198.51.100.99', freshMobile()).set('Authorization', tradesperson.authorization);
    expect(statuses).toEqual(Array(PER_PLATFORM_USER).fill(201));
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', detail: expect.stringMatching(/your account/) });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another platform user is counted on her own.
    const other = await newPlatformUser('COUNCIL_MEMBER');
    await intake('198.51.100.99', freshMobile()).set('Authorization', other.authorization).expect(201);

    // A platform user's requests for one phone: its acknowledgements are capped per day like anonymous ones.
    const more = await newPlatformUser('TRADESPERSON');
    for (let i = 0; i < PER_PLATFORM_USER - 1; i++) await intake('198.51.100.50', phone).set('Authorization', more.authorization).expect(201);
    const tickets = await ticketsOf(e164);
    expect(tickets).toHaveLength(PER_PLATFORM_USER);
    const acks = await settledAcks(tickets.map((t) => t.id));
    expect(acks.filter((a: { status: string }) => a.status === 'SENT')).toHaveLength(ACKS_PER_DAY);
    expect(acks.filter((a: { status: string; last_error: string }) => a.status === 'SKIPPED' && a.last_error === ACK_DAILY_LIMIT_REACHED)).toHaveLength(PER_PLATFORM_USER - ACKS_PER_DAY);

    // An agent records more than any platform limit, for as many phones: never refused.
    const agent = await stack.bearer(STAFF.agent);
    for (let i = 0; i < PER_PLATFORM_USER + 2; i++) await intake('198.51.100.99', freshMobile()).set('Authorization', agent).expect(201);
  });

  describe('item 5: two API processes count as one', () => {
    let second: NestExpressApplication;
    let http2: ReturnType<typeof request>;
    beforeAll(async () => {
      second = await createApiApp(stack.config);
      await second.init();
      http2 = request(second.getHttpServer());
    });
    afterAll(async () => {
      await second?.close();
    });

    /** Requests one after the other, alternately to each process, until a 429: how many got through. */
    const throughUntilRefused = async (send: (http: ReturnType<typeof request>, i: number) => request.Test, apps: ReturnType<typeof request>[]) => {
      for (let i = 0; i < 40; i++) if ((await send(apps[i % apps.length], i)).status === 429) return i;
      return Infinity;
    };
    const anonymous = (http: ReturnType<typeof request>, from: string, phone: string) =>
      http
        .post('/tickets')
        .set('X-Forwarded-For', from)
        .send({ channel: 'WEB', type: 'COMPLAINT', category: 'ROAD_REPAIR', requester: { name: 'Aynı Kişi', phone }, description: 'Yol çökmüş.' });

    it('item 5: the per-phone, per-address and per-platform-user limits are reached at the same count spread over two processes as in one', async () => {
      const [one, two] = [freshMobile(), freshMobile()];
      expect(await throughUntilRefused((http, i) => anonymous(http, `192.0.2.${i + 1}`, one), [stack.http])).toBe(PER_PHONE);
      expect(await throughUntilRefused((http, i) => anonymous(http, `192.0.2.${i + 101}`, two), [stack.http, http2])).toBe(PER_PHONE);

      expect(await throughUntilRefused((http) => anonymous(http, '192.0.2.201', freshMobile()), [stack.http])).toBe(PER_IP);
      // An IPv6 client is its /64: another address in the same network is the same client.
      expect(await throughUntilRefused((http, i) => anonymous(http, `2001:db8:77:1::${i + 1}`, freshMobile()), [stack.http, http2])).toBe(PER_IP);
      await anonymous(stack.http, '2001:db8:77:2::1', freshMobile()).expect(201);

      const [alone, spread] = [await newPlatformUser('TRADESPERSON'), await newPlatformUser('TRADESPERSON')];
      expect(await throughUntilRefused((http) => anonymous(http, '192.0.2.202', freshMobile()).set('Authorization', alone.authorization), [stack.http])).toBe(PER_PLATFORM_USER);
      expect(await throughUntilRefused((http) => anonymous(http, '192.0.2.203', freshMobile()).set('Authorization', spread.authorization), [stack.http, http2])).toBe(PER_PLATFORM_USER);
    });
  });
});

describe('security review item 2 — the hourly SMS budget of the whole system', () => {
  const BUDGET = 3;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SMS_HOURLY_BUDGET: String(BUDGET) } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('item 2: past SMS_HOURLY_BUDGET acknowledgements are held (SKIPPED, SMS_BUDGET_EXCEEDED, sent once at most), referrals still go, and an ADMIN sees it in /health', async () => {
    // The budget is one count for the whole database: this suite's hour starts empty.
    await stack.db.query(`DELETE FROM rate_limit_counters WHERE scope = $1`, [SMS_BUDGET_COUNTER.scope]);
    const t = new TicketDriver(stack);
    const tickets: CreatedTicket[] = [];
    const phones = Array.from({ length: BUDGET + 2 }, freshMobile);
    for (const phone of phones) tickets.push(await t.create({ requester: { name: 'Bütçe Deneme', phone } }));
    const acks = await waitFor(
      async () => {
        const rows = await stack.db.query(`SELECT status, last_error, recipient_phone, attempts FROM sms_outbox WHERE ticket_id = ANY($1) AND purpose = 'RECEIVED'`, [tickets.map((x) => x.id)]);
        return rows.length === tickets.length && rows.every((r: { status: string }) => r.status !== 'SENDING') ? rows : null;
      },
      { what: 'every acknowledgement to be handled' },
    );
    expect(acks.filter((a: { status: string }) => a.status === 'SENT')).toHaveLength(BUDGET);
    const held = acks.filter((a: { status: string }) => a.status !== 'SENT');
    expect(held).toEqual([0, 1].map(() => ({ status: 'SKIPPED', last_error: SMS_BUDGET_EXCEEDED, recipient_phone: null, attempts: 0 })));
    const e164s = phones.map((phone) => `+90${phone.replace(/\D/g, '').slice(1)}`);
    expect(stack.sms.sent.filter((m) => e164s.includes(m.to))).toHaveLength(BUDGET);

    const health = await stack.http.get('/health').set('Authorization', await stack.bearer('admin.can'));
    expect(health.body.smsBudget).toEqual({ perHour: BUDGET, usedThisHour: BUDGET, exceeded: true });
    await stack.http.get('/health').expect((res) => expect(res.body.smsBudget).toBeUndefined());

    // A referral follows a decision of the staff: it is sent past the budget.
    await t.staff(STAFF.coordinator, tickets[BUDGET + 1].number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
    const referral = await waitFor(async () => (await t.outbox(tickets[BUDGET + 1].number)).find((r) => r.purpose === 'REFERRED' && r.status !== 'SENDING') ?? null, { what: 'the referral SMS' });
    expect(referral.status).toBe('SENT');
  });
});
