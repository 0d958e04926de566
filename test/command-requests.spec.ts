import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { randomUUID } from 'node:crypto';
import { bodyHash } from '../libs/database/src/command-requests.repository';
import { ticketUpdates } from '../workflows/ticket.messages';
import { signedIn, STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

/**
 * X-Request-Id makes a command safe to resend: the same request is applied once and answered
 * as the first was — also after that first attempt closed the ticket or the workflow
 * continued as new — and the id cannot be borrowed by another command, caller or body.
 */
describe('X-Request-Id: one request, one effect, one answer', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const send = (staffId: string, number: string, route: string, requestId: string, body: Record<string, unknown> = {}) =>
    signedIn(stack, staffId, (http) => http.post(`/tickets/${number}/${route}`).set('X-Request-Id', requestId).send(body));
  const count = async (number: string, type: string) => (await t.eventTypes(number)).filter((e) => e === type).length;
  const textCount = async (ticket: CreatedTicket) =>
    Number((await stack.db.query('SELECT count(*)::int AS n FROM ticket_texts WHERE ticket_id = $1', [ticket.id]))[0].n);

  it('the same request twice: applied once, the same answer twice', async () => {
    const ticket = await t.toInProgress();
    const id = `note-${randomUUID()}`;
    const first = await send(STAFF.fenExpert, ticket.number, 'notes', id, { text: 'Saha ekibi yolda.', visibility: 'INTERNAL' }).expect(200);
    const again = await send(STAFF.fenExpert, ticket.number, 'notes', id, { visibility: 'INTERNAL', text: 'Saha ekibi yolda.' }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await count(ticket.number, 'NOTE_ADDED')).toBe(1);
    expect(again.headers['x-request-id']).toBe(id);
  });

  it('another command, caller or body with a used id is 409 REQUEST_ID_REUSED, and changes nothing', async () => {
    const ticket = await t.toInProgress();
    const id = `reuse-${randomUUID()}`;
    await send(STAFF.fenExpert, ticket.number, 'notes', id, { text: 'İlk not', visibility: 'INTERNAL' }).expect(200);
    const texts = await textCount(ticket);

    let res = await send(STAFF.fenExpert, ticket.number, 'request-info', id, { question: 'Kapı numaranız?' }).expect(409);
    expect(res.body).toMatchObject({ status: 409, code: 'REQUEST_ID_REUSED' });
    expect(res.body.detail).toMatch(/another command/);
    res = await send(STAFF.fenExpert2, ticket.number, 'notes', id, { text: 'İlk not', visibility: 'INTERNAL' }).expect(409);
    expect(res.body.code).toBe('REQUEST_ID_REUSED');
    expect(res.body.detail).toMatch(/another caller/);
    expect(res.body.detail).not.toMatch(/addNote/); // another caller learns nothing of the first request
    res = await send(STAFF.fenExpert, ticket.number, 'notes', id, { text: 'Başka bir not', visibility: 'INTERNAL' }).expect(409);
    expect(res.body.detail).toMatch(/another body/);
    const other = await t.create();
    res = await send(STAFF.coordinator, other.number, 'notes', id, { text: 'İlk not', visibility: 'INTERNAL' }).expect(409);
    expect(res.body.detail).toMatch(/another ticket/);
    res = await stack.http.post(`/tickets/${ticket.number}/withdraw`).set('X-Tracking-Token', ticket.token).set('X-Request-Id', id).send({}).expect(409);
    expect(res.body.code).toBe('REQUEST_ID_REUSED');

    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await count(ticket.number, 'NOTE_ADDED')).toBe(1);
    expect((await t.view(ticket.number)).status).toBe('IN_PROGRESS');
    expect(await textCount(ticket)).toBe(texts);
  });

  it('a command that closed the ticket answers its retry the same (refer twice: 200 and 200, same body)', async () => {
    const ticket = await t.create();
    const id = `refer-${randomUUID()}`;
    const first = await send(STAFF.coordinator, ticket.number, 'refer', id, { institutionId: 'toroslar-edas', note: 'Elektrik arızası' }).expect(200);
    expect(first.body).toMatchObject({ status: 'CLOSED', outcome: 'REFERRED' });
    await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).result();
    const again = await send(STAFF.coordinator, ticket.number, 'refer', id, { institutionId: 'toroslar-edas', note: 'Elektrik arızası' }).expect(200);
    expect(again.body).toEqual(first.body);
    // Without the id it is a new request, and the ticket is closed.
    expect((await t.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'toroslar-edas' }).expect(409)).body.code).toBe('TICKET_CLOSED');
  });

  it('the citizen’s withdrawal resent with its id answers 200 again', async () => {
    const ticket = await t.create();
    const id = `withdraw-${randomUUID()}`;
    const withdraw = () => stack.http.post(`/tickets/${ticket.number}/withdraw`).set('X-Tracking-Token', ticket.token).set('X-Request-Id', id).send({});
    const first = await withdraw().expect(200);
    expect(first.body).toMatchObject({ status: 'CLOSED', outcome: 'WITHDRAWN' });
    expect(first.body.requester).toBeUndefined(); // the citizen's view
    await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).result();
    expect((await withdraw().expect(200)).body).toEqual(first.body);
    expect(await count(ticket.number, 'WITHDRAWN')).toBe(1);
  });

  it('a refused command is refused the same way again, and leaves no text', async () => {
    const ticket = await t.create();
    const texts = await textCount(ticket);
    const id = `refused-${randomUUID()}`;
    const first = await send(STAFF.coordinator, ticket.number, 'finalize', id, { summary: 'Erken' }).expect(409);
    expect(first.body.code).toBe('INVALID_TRANSITION');
    const again = await send(STAFF.coordinator, ticket.number, 'finalize', id, { summary: 'Erken' }).expect(409);
    expect({ ...again.body, errorId: undefined }).toEqual({ ...first.body, errorId: undefined });
    expect(await textCount(ticket)).toBe(texts);
  });

  it('two identical requests at once: one effect, both answered with it', async () => {
    const ticket = await t.create();
    const id = `twins-${randomUUID()}`;
    const body = { departmentId: 'fen-isleri', note: 'Aynı anda iki kez gönderildi' };
    const [a, b] = await Promise.all([send(STAFF.coordinator, ticket.number, 'assign-department', id, body), send(STAFF.coordinator, ticket.number, 'assign-department', id, body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(await count(ticket.number, 'DEPARTMENT_ASSIGNED')).toBe(1);
    expect(await textCount(ticket)).toBe(1); // one note stored, not two
  });

  it('an unknown outcome (503: Temporal did not answer) is settled by resending with the same id', async () => {
    const ticket = await t.toInProgress();
    const id = `unknown-${randomUUID()}`;
    const body = { text: 'Temporal yokken gönderildi', visibility: 'INTERNAL' };
    const down = await startTestStack({ worker: false, env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    try {
      const res = await down.http.post(`/tickets/${ticket.number}/notes`).set('Authorization', await down.bearer(STAFF.fenExpert)).set('X-Request-Id', id).send(body).expect(503);
      expect(res.body.code).toBe('WORKFLOW_UNAVAILABLE');
      expect(res.body.detail).toMatch(/outcome is unknown/);
    } finally {
      await down.close();
    }
    const [row] = await stack.db.query('SELECT status FROM command_requests WHERE request_id = $1', [id]);
    expect(row.status).toBe('PENDING');
    const first = await send(STAFF.fenExpert, ticket.number, 'notes', id, body).expect(200);
    const again = await send(STAFF.fenExpert, ticket.number, 'notes', id, body).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await count(ticket.number, 'NOTE_ADDED')).toBe(1);
  });
  it('a workflow that cannot answer within COMMAND_WAIT (no worker yet): 503 in that time, applied once when resent', async () => {
    const taskQueue = `slow-${randomUUID().slice(0, 8)}`;
    const slow = await startTestStack({ worker: false, env: { TEMPORAL_TASK_QUEUE: taskQueue, COMMAND_WAIT: '2s' } });
    let late: TestStack | null = null;
    try {
      const created = await slow.http
        .post('/tickets')
        .send({ channel: 'WEB', type: 'COMPLAINT', category: 'ROAD_REPAIR', requester: { name: 'Ali Kaya', phone: '0532 765 43 21' }, description: 'Yol çökmüş.', location: { district: 'Mezitli', neighbourhood: 'Viranşehir' } })
        .expect(201);
      const number: string = created.body.number;
      const id = `slow-${randomUUID()}`;
      const assign = async (on: TestStack) =>
        on.http.post(`/tickets/${number}/assign-department`).set('Authorization', await on.bearer(STAFF.coordinator)).set('X-Request-Id', id).send({ departmentId: 'fen-isleri' });

      const startedAt = Date.now();
      const res = await assign(slow);
      const waited = Date.now() - startedAt;
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('WORKFLOW_UNAVAILABLE');
      expect(res.body.detail).toMatch(/outcome is unknown/);
      expect(res.headers['retry-after']).toBeDefined();
      expect(waited).toBeGreaterThanOrEqual(1900);
      expect(waited).toBeLessThan(10_000);

      // A worker comes for the queue; the same request, resent, is applied once and answered.
      late = await startTestStack({ env: { TEMPORAL_TASK_QUEUE: taskQueue } });
      const settled = await assign(late);
      expect(settled.status).toBe(200);
      expect(settled.body.departmentId).toBe('fen-isleri');
      const again = await assign(late);
      expect(again.body).toEqual(settled.body);
      expect(await count(number, 'DEPARTMENT_ASSIGNED')).toBe(1);
    } finally {
      await late?.close();
      await slow.close();
    }
  });
});

describe('X-Request-Id across continue-as-new', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    stack = await startTestStack({ env: { TICKET_HISTORY_LIMIT: '60' } });
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const note = (number: string, text: string, requestId?: string) =>
    signedIn(stack, STAFF.fenExpert, (http) => {
      const req = http.post(`/tickets/${number}/notes`);
      return (requestId ? req.set('X-Request-Id', requestId) : req).send({ text, visibility: 'INTERNAL' });
    });
  const notes = async (number: string) => (await t.eventTypes(number)).filter((e) => e === 'NOTE_ADDED').length;
  /** Adds notes until the workflow has continued as new. */
  const rollOver = async (number: string) => {
    const handle = stack.client.workflow.getHandle(ticketWorkflowId(number));
    const runId = (await handle.describe()).runId;
    for (let i = 0; i < 30 && (await handle.describe()).runId === runId; i++) await note(number, `Dolgu notu ${i + 1}`).expect(200);
    await waitFor(async () => (await handle.describe()).runId !== runId, { what: 'the workflow to continue as new' });
  };

  it('a retry after the workflow continued as new gets the first answer, not a second note', async () => {
    const ticket = await t.toInProgress();
    const id = `can-${randomUUID()}`;
    const first = await note(ticket.number, 'Kayıt altına alınacak not', id).expect(200);
    await rollOver(ticket.number);
    const before = await notes(ticket.number);
    const again = await note(ticket.number, 'Kayıt altına alınacak not', id).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await notes(ticket.number)).toBe(before);
  });

  /**
   * The hard case: the first attempt's answer was lost (the API died or Temporal did not
   * answer) after the Update had been applied, and the workflow then continued as new, so
   * Temporal no longer knows the update id. The retry must find the outcome in the old run.
   */
  it('an attempt whose answer was lost before a continue-as-new is found in the old run, not applied again', async () => {
    const ticket = await t.toInProgress();
    const id = `lost-${randomUUID()}`;
    const body = { text: 'Cevabı kaybolan not', visibility: 'INTERNAL' };
    const textId = randomUUID();
    const args = { textRef: textId, visibility: 'INTERNAL', actor: { kind: 'STAFF', id: STAFF.fenExpert, roles: ['EXPERT'], departmentId: 'fen-isleri' } };
    // What the first attempt had written before it sent the Update …
    await stack.db.query(`INSERT INTO ticket_texts (id, ticket_id, kind, body, author_kind, author_id) VALUES ($1, $2, 'NOTE_INTERNAL', $3, 'STAFF', $4)`, [textId, ticket.id, body.text, STAFF.fenExpert]);
    await stack.db.query(
      `INSERT INTO command_requests (request_id, ticket_id, actor_key, command, body_hash, args, status, lease_until)
       VALUES ($1, $2, $3, 'addNote', $4, $5, 'PENDING', now())`,
      [id, ticket.id, `STAFF:${STAFF.fenExpert}`, bodyHash(body), JSON.stringify(args)],
    );
    // … the Update it sent, applied by the workflow (its answer never reached the client) …
    await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).executeUpdate(ticketUpdates.addNote, { args: [args as never], updateId: `addNote:${id}` });
    const applied = await notes(ticket.number);
    // … and the workflow rolls over before the client retries.
    await rollOver(ticket.number);
    const before = await notes(ticket.number);
    expect(before).toBeGreaterThan(applied);

    const res = await note(ticket.number, body.text, id).expect(200);
    expect(await notes(ticket.number)).toBe(before);
    expect(res.body.timeline.filter((e: { texts?: { text?: string } }) => e.texts?.text === body.text)).toHaveLength(1);
    const [row] = await stack.db.query('SELECT status, response FROM command_requests WHERE request_id = $1', [id]);
    expect(row.status).toBe('DONE');
    expect((await note(ticket.number, body.text, id).expect(200)).body).toEqual(res.body);
  });

  it('an attempt that never reached the workflow is applied once by the retry, after a continue-as-new too', async () => {
    const ticket = await t.toInProgress();
    const id = `never-${randomUUID()}`;
    const body = { text: 'Hiç ulaşmamış not', visibility: 'INTERNAL' };
    const textId = randomUUID();
    const args = { textRef: textId, visibility: 'INTERNAL', actor: { kind: 'STAFF', id: STAFF.fenExpert, roles: ['EXPERT'], departmentId: 'fen-isleri' } };
    await stack.db.query(`INSERT INTO ticket_texts (id, ticket_id, kind, body, author_kind, author_id) VALUES ($1, $2, 'NOTE_INTERNAL', $3, 'STAFF', $4)`, [textId, ticket.id, body.text, STAFF.fenExpert]);
    await stack.db.query(
      `INSERT INTO command_requests (request_id, ticket_id, actor_key, command, body_hash, args, status, lease_until, created_at)
       VALUES ($1, $2, $3, 'addNote', $4, $5, 'PENDING', now(), now() - interval '5 minutes')`,
      [id, ticket.id, `STAFF:${STAFF.fenExpert}`, bodyHash(body), JSON.stringify(args)],
    );
    await rollOver(ticket.number);
    const before = await notes(ticket.number);
    await note(ticket.number, body.text, id).expect(200);
    expect(await notes(ticket.number)).toBe(before + 1);
    await note(ticket.number, body.text, id).expect(200);
    expect(await notes(ticket.number)).toBe(before + 1);
  });
});
