import { STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * Issue 13, item 6: the head and the deputy standing in for her approve the same level at the
 * same moment. The workflow applies commands one at a time and re-validates each, so exactly one
 * decision is recorded and the other caller gets 409. Fired truly concurrently (both requests in
 * flight before either answers), many times.
 */
describe('a principal and their deputy approve the same level at once', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const ROUNDS = 8;

  it(`records exactly one level-3 decision and answers the other with 409, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const principal = { Authorization: await stack.bearer('head.meski.leyla') };
    const deputy = { Authorization: await stack.bearer('deputy.meski.oya') };
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ticket = await t.create({ category: 'WATER_OUTAGE' });
      await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'meski-su' }).expect(200);
      await t.staff('mgr.meski.kemal', ticket.number, 'assign-expert', { expertId: 'expert.meski.emre' }).expect(200);
      await t.staff('expert.meski.emre', ticket.number, 'resolution', { text: 'Vana değiştirildi.' }).expect(200);
      await t.staff('mgr.meski.kemal', ticket.number, 'approve').expect(200);
      await t.staff('deputy.meski.oya', ticket.number, 'approve').expect(200); // level 2, in her own right

      // Level 3 is the head's; Oya stands in for her this week. Both at once.
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
      const level3 = view.timeline.filter((e: { type: string; data?: { level?: number } }) => e.type === 'APPROVED_AT_LEVEL' && e.data?.level === 3);
      expect(level3).toHaveLength(1);
      const [{ n }] = await stack.db.query(
        `SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = 'APPROVED_AT_LEVEL' AND (data->>'level')::int = 3`,
        [ticket.id],
      );
      expect(n).toBe(1);
    }
    expect(winners).toHaveLength(ROUNDS);
  });
});
