import { signedIn, STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

/**
 * The queues fed by real workflows: the projection activity writes the list columns (current
 * approver, clocks, resolution text) and a ticket moves from queue to queue as it goes through the
 * process.
 */
describe('work queues follow a ticket through its process', () => {
  let stack: TestStack;
  let t: TicketDriver;

  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  afterAll(() => stack?.close());

  const queue = async (staffId: string, name: string, number: string) => {
    const res = await signedIn(stack, staffId, (http) => http.get(`/tickets?queue=${name}&limit=100`)).expect(200);
    return (res.body.items as { number: string }[]).find((i) => i.number === number) ?? null;
  };
  const until = (staffId: string, name: string, number: string, present = true) =>
    waitFor(async () => ((await queue(staffId, name, number)) !== null) === present, { what: `${number} ${present ? 'in' : 'out of'} ${staffId}'s ${name}` });

  it('triage → mine → approvals of level 1, then of level 2; searchable by its resolution', async () => {
    const ticket = await t.create();
    await until(STAFF.coordinator, 'triage', ticket.number);

    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await until(STAFF.coordinator, 'triage', ticket.number, false);
    await until(STAFF.fenExpert2, 'department', ticket.number);
    await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    await until(STAFF.fenExpert, 'mine', ticket.number);
    await until(STAFF.fenExpert2, 'department', ticket.number, false); // assigned: no longer waiting in the department
    await until(STAFF.fenManager, 'department', ticket.number); // the manager sees every open one

    const item = (await queue(STAFF.fenExpert, 'mine', ticket.number)) as Record<string, any>;
    expect(item).toMatchObject({ status: 'IN_PROGRESS', departmentId: 'fen-isleri', assigneeId: STAFF.fenExpert, district: 'Mezitli', neighbourhood: 'Viranşehir' });
    expect(item.sla.dueAt).toEqual(expect.any(String));
    expect(item.sla.percentUsed).toBeGreaterThanOrEqual(0);
    expect(item.legalDueAt).toEqual(expect.any(String));

    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırımdaki ÇUKUR kapatıldı.' }).expect(200);
    await until(STAFF.fenManager, 'approvals', ticket.number);
    expect(await queue(STAFF.fenHead, 'approvals', ticket.number)).toBeNull();
    await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);
    await until(STAFF.fenHead, 'approvals', ticket.number);
    await until(STAFF.fenManager, 'approvals', ticket.number, false);

    const found = await signedIn(stack, STAFF.fenExpert, (http) => http.get(`/tickets?q=${encodeURIComponent('çukur kapatıldı')}`)).expect(200);
    expect(found.body.items.map((i: { number: string }) => i.number)).toContain(ticket.number);
    const other = await signedIn(stack, STAFF.ulasimExpert, (http) => http.get('/tickets?q=cukur')).expect(200);
    expect(other.body.items.map((i: { number: string }) => i.number)).not.toContain(ticket.number);
  });
});
