/**
 * Fault 2 (issue 13): the Temporal server is stopped and started again on the same database file
 * and port while citizens keep filing requests. Counted: every POST /tickets that answered 201
 * has its row and its workflow; a command during the outage gets 503 with Retry-After and is
 * applied once when resent; the intake sweeper starts every accepted ticket whose workflow had
 * not started; one acknowledgement per ticket.
 */
import { randomUUID } from 'node:crypto';
import { ticketWorkflowId } from '../../libs/temporal/src/task-queue';
import { FaultStack, sleep, until } from './support/fault-stack';
import { command, intake, oneMessagePerKey, phoneOf, STAFF } from './support/lifecycle';

jest.setTimeout(300_000);

const CLIENTS = 3;
const OUTAGE_MS = 10_000;

describe('fault: the Temporal server restarts under intake load', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await FaultStack.start();
    await Promise.all([stack.startApi(), stack.startWorker()]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('loses no accepted ticket, answers commands 503 + Retry-After while it is down, and catches up', async () => {
    const before = await intake(stack, phoneOf(2, 9999));

    // Intake load: CLIENTS callers filing one request after the other, each resent with its key until answered.
    let load = true;
    let next = 0;
    const accepted: { number: string; at: number }[] = [];
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (load) {
        const i = next++;
        const { number } = await intake(stack, phoneOf(2, i));
        accepted.push({ number, at: Date.now() });
        await sleep(100);
      }
    });

    await sleep(3_000);
    await stack.stopTemporal();
    const outageStarted = Date.now();

    // A command now cannot reach the workflow: 503 with Retry-After (its outcome is unknown to the API).
    const requestId = randomUUID();
    const auth = await stack.bearer(STAFF.coordinator);
    const during = await stack.request('POST', `/tickets/${before.number}/assign-department`, { departmentId: 'ulasim' }, { ...auth, 'X-Request-Id': requestId });
    expect(during.status).toBe(503);
    expect(during.body.code).toBe('WORKFLOW_UNAVAILABLE');
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    await stack.startTemporal();
    const outageEnded = Date.now();
    await sleep(4_000);
    load = false;
    await Promise.all(clients);

    // The same command, resent with its X-Request-Id, is applied once.
    const { view } = await command(stack, STAFF.coordinator, before.number, 'assign-department', { departmentId: 'ulasim' }, requestId);
    expect(view.departmentId).toBe('ulasim');

    // Every 201 has its row; the sweeper starts every workflow that intake could not.
    const numbers = [before.number, ...accepted.map((a) => a.number)];
    expect(new Set(numbers).size).toBe(numbers.length);
    const rows = async () => (await stack.db.query(`SELECT number, workflow_started_at, received_at FROM tickets WHERE number = ANY($1)`, [numbers])).rows;
    expect(await rows()).toHaveLength(numbers.length);
    await until(async () => (await rows()).every((r: { workflow_started_at: Date | null }) => r.workflow_started_at !== null), 90_000, 'the sweeper to start every workflow');
    const swept = (await rows()).filter((r: { workflow_started_at: Date; received_at: Date }) => r.workflow_started_at.getTime() - r.received_at.getTime() > 5_000);
    // Intake stays open while Temporal is down: the row is committed and answered 201 (after the
    // 3 s start deadline), and the sweeper starts the workflow once Temporal is back.
    const duringOutage = accepted.filter((a) => a.at > outageStarted && a.at < outageEnded).length;
    expect(duringOutage).toBeGreaterThan(0);
    expect(swept.length).toBeGreaterThan(0);
    expect(stack.worker!.child.exitCode).toBeNull(); // the same worker reconnected on its own

    let workflows = 0;
    for (const n of numbers) {
      const d = await stack.client.workflow.getHandle(ticketWorkflowId(n)).describe();
      expect(d.type).toBe('ticketWorkflow');
      workflows++;
    }
    expect(workflows).toBe(numbers.length);

    // One acknowledgement per ticket, each handed to the provider once.
    const phones = [phoneOf(2, 9999), ...Array.from({ length: next }, (_, i) => phoneOf(2, i))];
    await until(
      async () => (await stack.db.query(`SELECT count(*)::int AS n FROM sms_outbox WHERE recipient_phone = ANY($1) AND status = 'SENT' AND purpose = 'RECEIVED'`, [phones])).rows[0].n === numbers.length,
      90_000,
      'one acknowledgement per ticket',
    );
    const outbox = await oneMessagePerKey(stack, phones);
    expect(outbox.filter((r) => r.notification_key.includes(':RECEIVED:'))).toHaveLength(numbers.length);
    console.log(`[faults] Temporal outage ${OUTAGE_MS} ms: ${numbers.length} intakes answered 201 (${duringOutage} while it was down), ${swept.length} workflows started by the sweeper, ${workflows} workflows, ${outbox.length} SMS rows`);
  });
});
