/**
 * Fault 7 (issue 13): SIGTERM to the API and to the worker under load. Counted: every request in
 * flight when the API got the signal is answered (201, with its row), nothing sent after it is
 * accepted (no connection, no row), and the process exits 0 within its grace period; the worker
 * drains its in-flight tasks and exits 0, and a new worker completes every ticket with no
 * interrupted SMS.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { FaultStack, settlesWithin, sleep } from './support/fault-stack';
import { approve, completed, finalize, intake, intakeBody, oneMessagePerKey, phoneOf, toApproval } from './support/lifecycle';

jest.setTimeout(300_000);

/** One POST on a connection of its own (no keep-alive pool): its status, or the socket error's code. */
function post(port: number, path: string, body: unknown, headers: Record<string, string>): Promise<number | string> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'ERROR'));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'ERROR'));
    req.end(payload);
  });
}

describe('fault: SIGTERM to the API and the worker under load', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await FaultStack.start();
    await Promise.all([stack.startApi(), stack.startWorker()]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the API finishes what is in flight, accepts nothing new and exits 0', async () => {
    const IN_FLIGHT = 20;
    const phones = Array.from({ length: IN_FLIGHT }, (_, i) => phoneOf(7, i));
    const inFlight = phones.map((phone) => post(stack.apiPort, '/tickets', intakeBody(phone), { 'Idempotency-Key': randomUUID() }));
    await sleep(30);
    const api = stack.api!;
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    await sleep(300);
    const late = await post(stack.apiPort, '/tickets', intakeBody(phoneOf(7, 999)), { 'Idempotency-Key': randomUUID() });

    const answers = await Promise.all(inFlight);
    expect(await settlesWithin(api.exited, 25_000)).toBe(true);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    const exitMs = Date.now() - signalled;

    // A request either was answered 201 (and has its row) or never reached the API (and has none).
    const answered = answers.filter((a) => a === 201).length;
    expect(answers.filter((a) => a !== 201 && !['ECONNREFUSED', 'ECONNRESET'].includes(String(a)))).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    expect(late).toBe('ECONNREFUSED');
    const rows = (await stack.db.query(`SELECT requester_phone FROM tickets WHERE requester_phone = ANY($1)`, [[...phones, phoneOf(7, 999)]])).rows;
    expect(rows).toHaveLength(answered);
    console.log(`[faults] API SIGTERM: ${answered}/${IN_FLIGHT} in-flight intakes answered 201, ${IN_FLIGHT - answered} refused before reaching it, exit 0 after ${exitMs} ms`);

    await stack.startApi();
  });

  it('the worker drains, exits 0, and a new one completes every ticket with no interrupted send', async () => {
    const TICKETS = 4;
    const phones = Array.from({ length: TICKETS }, (_, i) => phoneOf(8, i));
    const numbers: string[] = [];
    for (const phone of phones) numbers.push((await intake(stack, phone)).number);
    await Promise.all(numbers.map((n) => toApproval(stack, n)));

    // Under load (approvals and their notifications under way), SIGTERM.
    const approvals = numbers.map((n) => approve(stack, n));
    await sleep(100);
    const worker = stack.worker!;
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    expect(await settlesWithin(worker.exited, 30_000)).toBe(true);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const exitMs = Date.now() - signalled;

    await stack.startWorker();
    await Promise.all(approvals);
    await Promise.all(numbers.map((n) => finalize(stack, n)));
    const outcomes = await Promise.all(numbers.map((n) => completed(stack, n)));
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(TICKETS).fill('RESOLVED'));
    const outbox = await oneMessagePerKey(stack, phones);
    expect(outbox).toHaveLength(TICKETS * 3);
    expect(outbox.filter((r) => r.status !== 'SENT')).toEqual([]);
    console.log(`[faults] worker SIGTERM under load: exit 0 after ${exitMs} ms; ${TICKETS} tickets completed, ${outbox.length} SMS, all SENT`);
  });
});
