import { STAFF, TicketDriver, signedIn } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * Issue 13, item 6: the head and the deputy standing in for her approve the same level at the
 * same moment. The workflow applies commands one at a time and re-validates each, so exactly one
 * decision is recorded and the other caller gets 409. Fired truly concurrently (both requests in
 * flight before either answers), many times.
 *
 * The deputy decides no other level of the round (separation of duties, security review item 10):
 * mgr.fen.seda stands in for head.fen.fatma on tickets of expert.fen.ali, whose chain is
 * mgr.fen.hasan (1) → head.fen.fatma (2). Appointed through /admin/deputies, revoked at the end.
 */
describe('a principal and their deputy approve the same level at once', () => {
  let stack: TestStack;
  let t: TicketDriver;
  let deputyship: string;
  const DEPUTY = 'mgr.fen.seda';
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const res = await signedIn(stack, 'admin.can', (http) => http.post('/admin/deputies').send({ principalId: STAFF.fenHead, deputyId: DEPUTY, to, reason: 'Test' })).expect(201);
    deputyship = res.body.id;
  });
  afterAll(async () => {
    if (deputyship) await signedIn(stack, 'admin.can', (http) => http.delete(`/admin/deputies/${deputyship}`)).expect(204);
    await stack?.close();
  });

  const ROUNDS = 8;

  it(`records exactly one level-2 decision and answers the other with 409, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const principal = { Authorization: await stack.bearer(STAFF.fenHead) };
    const deputy = { Authorization: await stack.bearer(DEPUTY) };
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ticket = await t.create();
      await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
      await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
      await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
      await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200); // level 1

      // Level 2 is the head's; Seda stands in for her today. Both at once.
      const [head, stand] = await Promise.all([
        stack.http.post(`/tickets/${ticket.number}/approve`).set(principal).send({}),
        stack.http.post(`/tickets/${ticket.number}/approve`).set(deputy).send({}),
      ]);
      expect([head.status, stand.status].sort()).toEqual([200, 409]);
      const loser = head.status === 409 ? head : stand;
      expect(loser.body.code).toBe('INVALID_TRANSITION');
      winners.push(head.status === 200 ? 'principal' : 'deputy');

      const view = await t.view(ticket.number);
      expect(view.status).toBe('APPROVED');
      const level2 = view.timeline.filter((e: { type: string; data?: { level?: number } }) => e.type === 'APPROVED_AT_LEVEL' && e.data?.level === 2);
      expect(level2).toHaveLength(1);
      const [{ n }] = await stack.db.query(
        `SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = 'APPROVED_AT_LEVEL' AND (data->>'level')::int = 2`,
        [ticket.id],
      );
      expect(n).toBe(1);
    }
    expect(winners).toHaveLength(ROUNDS);
  });
});
