/**
 * Fault 3 (issue 13): PostgreSQL stops for 30 s while tickets are mid-lifecycle (approvals just
 * sent). Counted: the API answers 503 DATABASE_UNAVAILABLE with Retry-After while it is down and
 * serves again without a restart; the workflows' activities retry and catch up; every ticket
 * completes; its audit rows are all there, once each, the hash chain verifies; one SMS per key.
 */
import { randomUUID } from 'node:crypto';
import { FaultStack, sleep, until } from './support/fault-stack';
import { approve, auditIntact, completed, finalize, intake, intakeBody, oneMessagePerKey, phoneOf, projectionMatchesWorkflow, toApproval } from './support/lifecycle';

jest.setTimeout(300_000);

const TICKETS = 4;
const OUTAGE_MS = 30_000;

describe('fault: PostgreSQL down for 30 s mid-lifecycle', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await FaultStack.start();
    await Promise.all([stack.startApi(), stack.startWorker()]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('503 with Retry-After while down, recovery without a restart, nothing missing or duplicated', async () => {
    const phones = Array.from({ length: TICKETS }, (_, i) => phoneOf(3, i));
    const numbers: string[] = [];
    for (const phone of phones) numbers.push((await intake(stack, phone)).number);
    await Promise.all(numbers.map((n) => toApproval(stack, n)));

    // The approvals go out (each resent with its X-Request-Id until answered) and the database stops under them.
    const approvals = numbers.map((n) => approve(stack, n));
    await sleep(150);
    await stack.stopPostgres();
    const down = Date.now();

    // While it is down: 503 with Retry-After, for intake and for health; never a 500.
    const key = randomUUID();
    const refused = await stack.request('POST', '/tickets', intakeBody(phoneOf(3, 999)), { 'Idempotency-Key': key });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await stack.request('GET', '/health')).status).toBe(503);
    const probes: number[] = [];
    while (Date.now() - down < OUTAGE_MS) {
      probes.push((await stack.request('POST', '/tickets', intakeBody(phoneOf(3, 999)), { 'Idempotency-Key': key })).status);
      await sleep(2_000);
    }
    expect(new Set(probes)).toEqual(new Set([503]));

    await stack.startPostgres();
    const back = Date.now();
    // The same API process serves again: the refused intake, resent with its key, is accepted once.
    const recovered = await intake(stack, phoneOf(3, 999), key);
    const recoveryMs = Date.now() - back;
    expect(stack.api!.child.exitCode).toBeNull();
    expect(stack.worker!.child.exitCode).toBeNull();
    numbers.push(recovered.number);
    phones.push(phoneOf(3, 999));

    await Promise.all(approvals);
    await Promise.all(numbers.slice(0, TICKETS).map((n) => finalize(stack, n)));
    const outcomes = await Promise.all(numbers.slice(0, TICKETS).map((n) => completed(stack, n)));
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(TICKETS).fill('RESOLVED'));

    expect((await stack.db.query(`SELECT count(*)::int AS n FROM tickets WHERE requester_phone = ANY($1)`, [phones])).rows[0].n).toBe(TICKETS + 1);
    let retried = 0;
    for (const n of numbers) {
      await until(async () => (await stack.db.query(`SELECT 1 FROM tickets WHERE number = $1 AND last_event_seq > 0`, [n])).rows.length === 1, 30_000, `ticket ${n} projected`);
      await projectionMatchesWorkflow(stack, n);
      retried += (await auditIntact(stack, n)).retried;
    }
    // No worker died here: no lost task attempt either.
    expect(retried).toBe(0);
    await until(
      async () => (await stack.db.query(`SELECT count(*)::int AS n FROM sms_outbox WHERE recipient_phone = ANY($1) AND status IN ('PENDING','SENDING')`, [phones])).rows[0].n === 0,
      60_000,
      'the outbox to settle',
    );
    const outbox = await oneMessagePerKey(stack, phones);
    expect(outbox).toHaveLength(TICKETS * 3 + 1);
    console.log(`[faults] PostgreSQL down ${OUTAGE_MS} ms: ${probes.length + 1} intake attempts answered 503, recovered in ${recoveryMs} ms without a restart, ${numbers.length} tickets, ${outbox.length} SMS rows (${outbox.filter((r) => r.status === 'UNCERTAIN').length} uncertain)`);
  });
});
