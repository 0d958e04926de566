import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
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

  describe('the contact log’s filters, paging and downloads (issue 20E)', () => {
    // A number only this run calls from, so other suites' contacts in the shared database never match.
    const digits = String(Date.now() % 10_000_000).padStart(7, '0');
    const phone = `+90532${digits}`;
    const local = `0532 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
    const mine: Record<string, { id: string }> = {};
    let since = '';
    const download = (staffId: string, query: string) => signedIn(stack, staffId, (http) => http.get(`/contacts?${query}`).buffer(true).parse(binary));

    beforeAll(async () => {
      since = new Date(Date.now() - 1000).toISOString();
      mine.info = (await post(STAFF.agent, { outcome: 'INFORMATION_GIVEN', phone: local, note: 'Çukur için aradı, ığüşöç' }).expect(201)).body;
      mine.walkIn = (await post(STAFF.agent, { outcome: 'REFERRED_ELSEWHERE', phone: local, channel: 'CONTACT_POINT' }).expect(201)).body;
      mine.hungUp = (await post(STAFF.coordinator, { outcome: 'HUNG_UP', phone: local }).expect(201)).body;
      mine.again = (await post(STAFF.agent, { outcome: 'INFORMATION_GIVEN', phone: local }).expect(201)).body;
    });

    const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

    it('filters by phone (any form), channel, outcome, agent and period; names the agent', async () => {
      const all = (await get(STAFF.coordinator, `/contacts?phone=${encodeURIComponent(local)}`).expect(200)).body;
      expect(ids(all)).toEqual([mine.again.id, mine.hungUp.id, mine.walkIn.id, mine.info.id]);
      expect(all.items[0]).toMatchObject({ phone, recordedBy: STAFF.agent, recordedByName: 'Elif Yılmaz', channel: 'CALL_CENTER' });
      const e164 = encodeURIComponent(phone);
      expect(ids((await get(STAFF.coordinator, `/contacts?phone=${e164}&channel=CONTACT_POINT`).expect(200)).body)).toEqual([mine.walkIn.id]);
      expect(ids((await get(STAFF.coordinator, `/contacts?phone=${e164}&outcome=INFORMATION_GIVEN`).expect(200)).body)).toEqual([mine.again.id, mine.info.id]);
      expect(ids((await get(STAFF.coordinator, `/contacts?phone=${e164}&recordedBy=${STAFF.coordinator}`).expect(200)).body)).toEqual([mine.hungUp.id]);
      const before = encodeURIComponent(since);
      expect(ids((await get(STAFF.coordinator, `/contacts?phone=${e164}&to=${before}`).expect(200)).body)).toEqual([]);
      expect(ids((await get(STAFF.coordinator, `/contacts?phone=${e164}&from=${before}&channel=CALL_CENTER&outcome=HUNG_UP`).expect(200)).body)).toEqual([mine.hungUp.id]);
    });

    it('pages the filtered log with a cursor: every entry once, newest first', async () => {
      const walked: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await get(STAFF.agent, `/contacts?phone=${encodeURIComponent(phone)}&limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        walked.push(...ids(page.body));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(2);
      expect(walked).toEqual([mine.again.id, mine.hungUp.id, mine.walkIn.id, mine.info.id]);
    });

    it('a Turkish CSV download: BOM, `;`, Turkish headers and labels, full numbers for a coordinator, each read logged in pii_reads', async () => {
      const res = await download(STAFF.coordinator, `phone=${encodeURIComponent(phone)}&format=csv&lang=tr`).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="contacts.csv"');
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = bytes.toString('utf8').slice(1).trim().split('\r\n').map((line) => line.split(';'));
      expect(rows[0]).toEqual(['Zaman', 'Kanal', 'Sonuç', 'Telefon', 'Başvuru no', 'Kaydeden', 'Not']);
      // A cell starting with + is written with an apostrophe first: Excel would run it as a formula.
      const cell = `'${phone}`;
      expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[5], r[6]])).toEqual([
        ['Çağrı merkezi', 'Bilgi verildi', cell, 'Elif Yılmaz', ''],
        ['Çağrı merkezi', 'Arayan kapattı', cell, 'Ayşe Demir', ''],
        ['İrtibat noktası', 'Başka kuruma yönlendirildi', cell, 'Elif Yılmaz', ''],
        ['Çağrı merkezi', 'Bilgi verildi', cell, 'Elif Yılmaz', 'Çukur için aradı, ığüşöç'],
      ]);
      const reads = await stack.db.query(`SELECT contact_id, fields, reader_id FROM pii_reads WHERE route = 'GET /contacts?format=csv' AND contact_id = ANY($1::uuid[]) ORDER BY at`, [Object.values(mine).map((m) => m.id)]);
      expect(reads).toHaveLength(4);
      expect(new Set(reads.map((r: { contact_id: string }) => r.contact_id))).toEqual(new Set(Object.values(mine).map((m) => m.id)));
      expect(reads.every((r: { reader_id: string; fields: string[] }) => r.reader_id === STAFF.coordinator && r.fields.includes('phone'))).toBe(true);
    });

    it('an English XLSX download, read back with exceljs: its sheet and headers in English; an auditor’s phones masked and the search still logged', async () => {
      const res = await download(STAFF.auditor, `phone=${encodeURIComponent(phone)}&outcome=INFORMATION_GIVEN&format=xlsx&lang=en`).expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as never);
      expect(book.worksheets.map((w) => w.name)).toEqual(['Contact log']);
      const values: unknown[][] = [];
      book.worksheets[0].eachRow((row) => values.push((row.values as unknown[]).slice(1)));
      expect(values[0]).toEqual(['Time', 'Channel', 'Outcome', 'Phone', 'Ticket number', 'Recorded by', 'Note']);
      expect(values.slice(1).map((r) => [r[1], r[2], r[5], r[6]])).toEqual([
        ['Call center', 'Information given', 'Elif Yılmaz', undefined],
        ['Call center', 'Information given', 'Elif Yılmaz', 'Çukur için aradı, ığüşöç'],
      ]);
      expect(values.slice(1).every((r) => /^\+90532\*+\d\d$/.test(String(r[3])))).toBe(true);
      const reads = await stack.db.query(`SELECT contact_id, fields FROM pii_reads WHERE route = 'GET /contacts?format=xlsx' AND reader_id = $1 AND contact_id = ANY($2::uuid[])`, [
        STAFF.auditor,
        [mine.info.id, mine.again.id],
      ]);
      expect(reads.map((r: { fields: string[] }) => r.fields.sort()).sort()).toEqual([['note', 'phone'], ['phone']]);
    });

    it('refuses bad filters with a 400 naming the field; departments may not download it', async () => {
      const cases: Array<[string, string]> = [
        ['channel=FAX', 'channel'],
        ['phone=12', 'phone'],
        ['from=yesterday', 'from'],
        [`from=${encodeURIComponent('2026-02-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`, 'to'],
        ['format=pdf', 'format'],
        ['format=csv&lang=de', 'lang'],
        ['lang=tr', 'lang'],
        ['format=csv&cursor=abc', 'cursor'],
        ['format=xlsx&limit=5', 'limit'],
      ];
      for (const [query, field] of cases) {
        const res = await get(STAFF.coordinator, `/contacts?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(JSON.stringify(res.body)).toContain(`"${field}"`);
      }
      await download(STAFF.fenManager, 'format=csv').expect(403);
    });
  });
});

/** Collects a download's bytes (supertest parses only text and JSON by itself). */
function binary(res: Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
