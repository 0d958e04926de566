import { STAFF } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const intake = (overrides: Record<string, unknown> = {}) => ({
  channel: 'CALL_CENTER',
  type: 'COMPLAINT',
  category: 'ROAD_REPAIR',
  requester: { name: 'Selin Arı', phone: '0533 210 98 76' },
  description: 'Caddedeki rögar kapağı yerinden oynamış.',
  location: { district: 'Mezitli', neighbourhood: 'Viranşehir' },
  ...overrides,
});

describe('POST /tickets with an Idempotency-Key (real PostgreSQL and Temporal)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const ticketsOfPhone = async (phone: string) =>
    (await stack.db.query('SELECT id, number FROM tickets WHERE requester_phone = $1', [phone])) as { id: string; number: string }[];

  it('the same intake sent 50 times at once: one ticket, one workflow, one acknowledgement, every answer the same', async () => {
    const key = `k-${Date.now()}`;
    const body = intake({ requester: { name: 'Selin Arı', phone: '0533 210 98 01' } });
    const answers = await Promise.all(Array.from({ length: 50 }, () => stack.http.post('/tickets').set('Idempotency-Key', key).send(body)));

    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(201));
    const first = answers[0].body;
    for (const r of answers) expect(r.body).toEqual(first);
    expect(first.number).toMatch(/^\d{4}-\d{6}$/);

    // One row, one workflow, one acknowledgement SMS handed to the gateway.
    const rows = await ticketsOfPhone('+905332109801');
    expect(rows).toHaveLength(1);
    expect(rows[0].number).toBe(first.number);
    const workflows = [];
    for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${first.workflowId}'` })) workflows.push(w);
    expect(workflows).toHaveLength(1);
    const outbox = await waitFor(async () => {
      const r = await stack.db.query(`SELECT status FROM sms_outbox WHERE ticket_id = $1 AND purpose = 'RECEIVED'`, [rows[0].id]);
      return r.length >= 1 && r.every((x: { status: string }) => x.status === 'SENT') ? r : null;
    }, { what: 'the acknowledgement' });
    expect(outbox).toHaveLength(1);
    expect(stack.sms.sent.filter((m) => m.reference === `ticket-${first.number}:RECEIVED:1`)).toHaveLength(1);

    // A later replay still gets the first answer; the tracking link in it works.
    const later = await stack.http.post('/tickets').set('Idempotency-Key', key).send(body).expect(201);
    expect(later.body).toEqual(first);
    const token = new URL(first.trackingUrl).searchParams.get('k')!;
    await stack.http.get(`/tickets/${first.number}`).set('X-Tracking-Token', token).expect(200);
    expect(await ticketsOfPhone('+905332109801')).toHaveLength(1);
  });

  it('refuses the same key with another body (422, the field order alone does not count as another body)', async () => {
    const key = `k-body-${Date.now()}`;
    const body = intake({ requester: { name: 'Selin Arı', phone: '0533 210 98 02' } });
    const first = await stack.http.post('/tickets').set('Idempotency-Key', key).send(body).expect(201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect((await stack.http.post('/tickets').set('Idempotency-Key', key).send(reordered).expect(201)).body).toEqual(first.body);

    const other = await stack.http.post('/tickets').set('Idempotency-Key', key).send({ ...body, description: 'Başka bir şikâyet metni burada.' }).expect(422);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.body.detail).toContain('different body');
    expect(await ticketsOfPhone('+905332109802')).toHaveLength(1);
  });

  it('scopes keys to the caller: another account with the same key gets its own ticket, never the first answer', async () => {
    const key = `k-scope-${Date.now()}`;
    const body = intake({ requester: { name: 'Selin Arı', phone: '0533 210 98 03' } });
    const anonymous = await stack.http.post('/tickets').set('Idempotency-Key', key).send(body).expect(201);
    const agent = await stack.http.post('/tickets').set('Idempotency-Key', key).set('Authorization', await stack.bearer(STAFF.agent)).send(body).expect(201);
    const coordinator = await stack.http.post('/tickets').set('Idempotency-Key', key).set('Authorization', await stack.bearer(STAFF.coordinator)).send(body).expect(201);
    const agentAgain = await stack.http.post('/tickets').set('Idempotency-Key', key).set('Authorization', await stack.bearer(STAFF.agent)).send(body).expect(201);

    expect(new Set([anonymous.body.number, agent.body.number, coordinator.body.number]).size).toBe(3);
    expect(agentAgain.body).toEqual(agent.body);
    expect(await ticketsOfPhone('+905332109803')).toHaveLength(3);
  });

  it('without the header every request is a new ticket; a malformed key is a 400 naming the header', async () => {
    const body = intake({ requester: { name: 'Selin Arı', phone: '0533 210 98 04' } });
    await stack.http.post('/tickets').send(body).expect(201);
    await stack.http.post('/tickets').send(body).expect(201);
    expect(await ticketsOfPhone('+905332109804')).toHaveLength(2);

    const bad = await stack.http.post('/tickets').set('Idempotency-Key', 'x'.repeat(256)).send(body).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await ticketsOfPhone('+905332109804')).toHaveLength(2);
  });

  it('is part of the intake contract in the OpenAPI document: the header, the 422 and the 503', async () => {
    const post = (await stack.http.get('/docs/json').expect(200)).body.paths['/tickets'].post;
    // Header names are case-insensitive; the document lists it once, in lower case as the handler reads it, optional.
    expect(post.parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false })]);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '422', '503']));
  });

  it('forgets keys past their retention: the sweeper deletes them, and an expired key starts a new intake', async () => {
    const key = `k-old-${Date.now()}`;
    const body = intake({ requester: { name: 'Selin Arı', phone: '0533 210 98 05' } });
    const first = await stack.http.post('/tickets').set('Idempotency-Key', key).send(body).expect(201);
    // As the owner would age it: 25 hours ago.
    await stack.db.query(`UPDATE intake_requests SET created_at = now() - interval '25 hours' WHERE idempotency_key = $1`, [key]);
    const second = await stack.http.post('/tickets').set('Idempotency-Key', key).send(body).expect(201);
    expect(second.body.number).not.toBe(first.body.number);

    await stack.db.query(`UPDATE intake_requests SET created_at = now() - interval '25 hours' WHERE idempotency_key = $1`, [key]);
    const { IntakeSweeper } = await import('../apps/api/src/tickets/intake-sweeper.service');
    expect(await stack.api.get(IntakeSweeper).forgetExpiredKeys()).toBeGreaterThanOrEqual(1);
    expect(await stack.db.query('SELECT 1 FROM intake_requests WHERE idempotency_key = $1', [key])).toHaveLength(0);
  });
});
