import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn, STAFF, TicketDriver } from './support/ticket-driver';

/**
 * The contact log (POST/GET /contacts), the caller look-up of intake, and the `actions` of the
 * staff view: what the console shows is what the rules allow now.
 */
describe('contact log and the actions of the staff view', () => {
  let stack: TestStack;
  let driver: TicketDriver;

  beforeAll(async () => {
    stack = await startTestStack();
    driver = new TicketDriver(stack);
  });
  afterAll(() => stack?.close());

  const post = (staffId: string, body: Record<string, unknown>) => signedIn(stack, staffId, (http) => http.post('/contacts').send(body));
  const get = (staffId: string, path: string) => signedIn(stack, staffId, (http) => http.get(path));

  it('an agent logs a call that made no ticket; a duplicate names an open ticket; the log lists them newest first', async () => {
    const since = new Date().toISOString();
    const info = await post(STAFF.agent, { outcome: 'INFORMATION_GIVEN', phone: '0532 111 22 33', note: 'Su kesintisini sordu' }).expect(201);
    expect(info.body).toMatchObject({ outcome: 'INFORMATION_GIVEN', phone: '+905321112233', recordedBy: STAFF.agent, channel: 'CALL_CENTER', ticketNumber: null });
    const hungUp = await post(STAFF.coordinator, { outcome: 'HUNG_UP' }).expect(201);
    expect(hungUp.body.phone).toBeNull();

    const open = await driver.create();
    const dup = await post(STAFF.agent, { outcome: 'DUPLICATE_OF_OPEN_TICKET', phone: '0532 765 43 21', ticketNumber: open.number }).expect(201);
    expect(dup.body.ticketNumber).toBe(open.number);

    // Other suites log contacts in the same database at the same time: walk the whole log since
    // this test began, two at a time, and look at the order of this test's own contacts in it.
    const walked: Array<{ id: string }> = [];
    let cursor: string | null = null;
    do {
      const page = await get(STAFF.coordinator, `/contacts?limit=2&from=${encodeURIComponent(since)}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(walked.map((c) => c.id)).size).toBe(walked.length);
    const mine = [dup.body.id, hungUp.body.id, info.body.id];
    expect(walked.map((c) => c.id).filter((id) => mine.includes(id))).toEqual(mine);

    const dups = await get(STAFF.agent, '/contacts?outcome=DUPLICATE_OF_OPEN_TICKET').expect(200);
    expect(dups.body.items.every((c: { outcome: string }) => c.outcome === 'DUPLICATE_OF_OPEN_TICKET')).toBe(true);
  });

  it('refuses what is not a contact: 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ outcome: 'TICKET_CREATED', ticketNumber: '2026-000001' }, 'outcome'],
      [{ outcome: 'DUPLICATE_OF_OPEN_TICKET' }, 'ticketNumber'],
      [{ outcome: 'DUPLICATE_OF_OPEN_TICKET', ticketNumber: '2099-999999' }, 'ticketNumber'],
      [{ outcome: 'INFORMATION_GIVEN', ticketNumber: '2026-000001' }, 'ticketNumber'],
      [{ outcome: 'HUNG_UP', phone: '12' }, 'phone'],
      [{ outcome: 'HUNG_UP', note: 'x'.repeat(1001) }, 'note'],
      [{ outcome: 'HUNG_UP', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await post(STAFF.agent, body).expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    await get(STAFF.agent, '/contacts?limit=0').expect(400);
    await get(STAFF.agent, '/contacts?cursor=bm9wZQ').expect(400);
  });

  it('only those who take calls write it; auditors read it with phones masked; departments neither', async () => {
    await post(STAFF.auditor, { outcome: 'HUNG_UP' }).expect(403);
    await post(STAFF.fenExpert, { outcome: 'HUNG_UP' }).expect(403);
    await get(STAFF.fenManager, '/contacts').expect(403);
    await stack.http.get('/contacts').expect(401);
    const audit = await get(STAFF.auditor, '/contacts').expect(200);
    const withPhone = audit.body.items.find((c: { phone: string | null }) => c.phone);
    expect(withPhone.phone).toMatch(/\*/);
  });

  it('a ticket recorded by an agent is logged as a contact in the same step; the caller look-up finds it', async () => {
    const res = await signedIn(stack, STAFF.agent, (http) =>
      http.post('/tickets').send({
        channel: 'CALL_CENTER',
        type: 'COMPLAINT',
        category: 'ROAD_REPAIR',
        requester: { name: 'Kemal Tunç', phone: '0533 444 55 66' },
        description: 'Çukur var.',
      }),
    ).expect(201);
    const [row] = await stack.db.query(`SELECT outcome, recorded_by, caller_phone FROM contacts WHERE ticket_number = $1`, [res.body.number]);
    expect(row).toEqual({ outcome: 'TICKET_CREATED', recorded_by: STAFF.agent, caller_phone: '+905334445566' });
    // An anonymous web request is no contact of the center.
    const web = await driver.create({ channel: 'WEB', requester: { name: 'A B', phone: '0533 444 55 66' } });
    expect(await stack.db.query(`SELECT 1 FROM contacts WHERE ticket_number = $1`, [web.number])).toEqual([]);

    const found = await get(STAFF.agent, `/contacts/caller-tickets?phone=${encodeURIComponent('+90 533 444 55 66')}`).expect(200);
    expect(found.body.tickets.map((t: { number: string }) => t.number)).toEqual([web.number, res.body.number]);
    expect(found.body.tickets[0]).toMatchObject({ open: true, category: 'ROAD_REPAIR', subject: expect.stringMatching(/\S/) });
    await get(STAFF.fenExpert, '/contacts/caller-tickets?phone=05334445566').expect(403);
    await get(STAFF.agent, '/contacts/caller-tickets?phone=abc').expect(400);
  });

  it('a department’s experts with their open load: staff only, 404 for an unknown department, 400 for junk', async () => {
    const ticket = await driver.create();
    await driver.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await driver.waitForStatus(ticket.number, 'IN_DEPARTMENT');
    await driver.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert2 }).expect(200);
    await driver.waitForStatus(ticket.number, 'IN_PROGRESS');
    const experts = (await get(STAFF.fenManager, '/departments/fen-isleri/experts').expect(200)).body as { id: string; name: string; openTickets: number }[];
    expect(experts.map((e) => e.id)).toEqual([STAFF.fenExpert, STAFF.fenExpert2]);
    expect(experts.find((e) => e.id === STAFF.fenExpert2)!.openTickets).toBeGreaterThanOrEqual(1);
    await get(STAFF.fenManager, '/departments/nope/experts').expect(404);
    await get(STAFF.fenManager, '/departments/%00/experts').expect(400);
    await get('muhtar.mentes', '/departments/fen-isleri/experts').expect(403);
    await stack.http.get('/departments/fen-isleri/experts').expect(401);
  });

  it('the staff view lists the actions the reader may send now, as the rules decide', async () => {
    const ticket = await driver.create();
    const actions = async (staffId: string) => (await driver.read(staffId, `/tickets/${ticket.number}`).expect(200)).body.actions;
    expect(await actions(STAFF.coordinator)).toEqual(['assign-department', 'refer', 'reject', 'request-info', 'notes', 'withdraw']);
    expect(await actions(STAFF.agent)).toEqual(['notes', 'withdraw']);
    await driver.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await driver.waitForStatus(ticket.number, 'IN_DEPARTMENT');
    expect(await actions(STAFF.fenManager)).toEqual(['return-to-center', 'assign-expert', 'notes']);
    expect(await actions(STAFF.fenExpert)).toEqual(['notes']);
    expect(await actions(STAFF.coordinator)).toEqual(['reassign-department', 'notes', 'withdraw']);
  });
});
