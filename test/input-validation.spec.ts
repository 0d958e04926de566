import { CITIZEN_NOT_TEXTABLE } from '../activities/notification.activities';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF as STAFF_IDS, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

/** The coordinator's Authorization header, signed in before the tests. */
let STAFF: { Authorization: string };

const validTicket = (overrides: Record<string, unknown> = {}) => ({
  channel: 'CALL_CENTER',
  type: 'COMPLAINT',
  category: 'ROAD_REPAIR',
  requester: { name: 'Ahmet Yılmaz', phone: '0532 123 45 67' },
  description: 'Sokağımızdaki çukur iki haftadır kapatılmadı.',
  location: { district: 'Yenişehir', neighbourhood: 'Menteş', address: '1234. Sokak No: 5', lat: 36.7871, lng: 34.5834 },
  ...overrides,
});
const withRequester = (requester: Record<string, unknown>) => validTicket({ requester: { name: 'Ali Kaya', phone: '0532 123 45 67', ...requester } });
const withLocation = (location: Record<string, unknown>) => validTicket({ location });

/**
 * "No 500 on any input": every refusal is a 400 problem naming the field (path parameter,
 * query string or body), and a refused request leaves nothing behind: no ticket, no text, no
 * workflow, no ticket number taken from the sequence.
 */
describe('input validation: bad input is a 400 naming the field, never a 500, and leaves nothing behind', () => {
  let stack: TestStack;
  let t: TicketDriver;
  let ticket: CreatedTicket;
  beforeAll(async () => {
    stack = await startTestStack();
    STAFF = { Authorization: await stack.bearer(STAFF_IDS.coordinator) };
    t = new TicketDriver(stack);
    ticket = await t.create();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** What a refused request must not change. The sequence's next value counts numbers handed out, used or not. */
  const footprint = async () => {
    const [row] = await stack.db.query(`SELECT
        (SELECT count(*)::int FROM tickets) AS tickets,
        (SELECT count(*)::int FROM ticket_texts) AS texts,
        (SELECT last_value + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM ticket_number_seq)::int AS "nextNumber"`);
    return row as { tickets: number; texts: number; nextNumber: number };
  };

  /** Sends the request, expects a 400 problem naming exactly `field` (among others for bodies), and no footprint. */
  const expectRefused = async (send: () => PromiseLike<{ status: number; headers: Record<string, string>; body: any }>, field: string, message?: RegExp) => {
    const before = await footprint();
    const res = await send();
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { status: 400, code: 'VALIDATION_FAILED' } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const named = res.body.errors.find((e: { field: string }) => e.field === field);
    expect(named).toBeDefined();
    if (message) expect(named.messages.join('; ')).toMatch(message);
    expect(await footprint()).toEqual(before);
    return res;
  };

  describe('1. path parameters and query strings are checked before any query', () => {
    it.each([
      ['GET /tickets/2026-00000%00 (staff)', () => stack.http.get('/tickets/2026-00000%00').set(STAFF)],
      ['GET /tickets/2026-00000%00 (anonymous)', () => stack.http.get('/tickets/2026-00000%00')],
      ['GET /t/2026-00000%00?k=x', () => stack.http.get('/t/2026-00000%00?k=x')],
      ['POST /tickets/2026-00000%00/approve', () => stack.http.post('/tickets/2026-00000%00/approve').set(STAFF).send({})],
      ['POST /tickets/2026-00000%00/reopen (citizen route)', () => stack.http.post('/tickets/2026-00000%00/reopen').set('X-Tracking-Token', 'x').send({ reason: 'Olmadı.' })],
      ['GET /tickets/2026-00000%00/history', () => stack.http.get('/tickets/2026-00000%00/history').set(STAFF)],
      ['GET /tickets/2026-00000%00/live', () => stack.http.get('/tickets/2026-00000%00/live').set(STAFF)],
    ])('a NUL byte in :number: %s → 400 naming number', async (_name, send) => {
      await expectRefused(send, 'number', /control characters/);
    });

    it.each([
      ['letters', 'abc'],
      ['five digits', '2026-12345'],
      ['a two-digit year', '26-000001'],
      ['another separator', '2026_000001'],
      ['a trailing letter', '2026-000001x'],
      ['a space', '%20'],
      ['5,000 characters', 'x'.repeat(5000)],
      ['an Arabic-Indic digit', encodeURIComponent('2026-00000١')],
      ['an emoji', encodeURIComponent('😀')],
    ])(':number with %s is not a ticket number → 400 naming number', async (_name, number) => {
      await expectRefused(() => stack.http.get(`/tickets/${number}`).set(STAFF), 'number', /ticket number/);
      await expectRefused(() => stack.http.post(`/tickets/${number}/assign-department`).set(STAFF).send({ departmentId: 'fen-isleri' }), 'number');
    });

    it('a well-formed number of no ticket is 404, a real one 200', async () => {
      const missing = await stack.http.get('/tickets/2026-999999').set(STAFF).expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      await stack.http.get(`/tickets/${ticket.number}`).set(STAFF).expect(200);
    });

    it.each([
      ['k', 'a NUL byte', '?k=%00'],
      ['k', 'an escape character', '?k=ab%1Bcd'],
      ['k', 'two values', '?k=a&k=b'],
      ['lang', 'a control character', '?k=x&lang=%01'],
      ['lang', 'two values', '?k=x&lang=tr&lang=en'],
    ])('the tracking page with %s holding %s → 400 naming it', async (field, _name, query) => {
      await expectRefused(() => stack.http.get(`/t/${ticket.number}${query}`), field);
    });

    it('the tracking page with the right token and a NUL-free query still works', async () => {
      await stack.http.get(`/t/${ticket.number}?k=${ticket.token}&lang=en`).expect(200);
    });
  });

  describe('2. control characters and blank text in any text field', () => {
    const nul = 'a\u0000b';
    it.each([
      ['description', validTicket({ description: nul })],
      ['category', validTicket({ category: nul })],
      ['requester.name', withRequester({ name: nul })],
      ['location.district', withLocation({ district: nul })],
      ['location.neighbourhood', withLocation({ neighbourhood: nul })],
      ['location.address', withLocation({ address: nul })],
    ])('POST /tickets with a NUL byte in %s → 400 naming it', async (field, body) => {
      await expectRefused(() => stack.http.post('/tickets').send(body), field, /control characters/);
    });

    it.each(['0001', '0008', '000B', '000C', '001B', '001F', '007F'])('any other control character (U+%s) → 400', async (code) => {
      const char = String.fromCharCode(parseInt(code, 16));
      await expectRefused(() => stack.http.post('/tickets').send(validTicket({ description: `önce${char}sonra` })), 'description', /control characters/);
    });

    it.each([
      ['description', validTicket({ description: ' \t\n\r ' })],
      ['requester.name', withRequester({ name: '\u00a0\u3000' })],
      ['location.address', withLocation({ address: '   ' })],
    ])('whitespace-only %s → 400 naming it', async (field, body) => {
      await expectRefused(() => stack.http.post('/tickets').send(body), field, /whitespace/);
    });

    it('tab, line feed and carriage return are text, not control characters', async () => {
      const res = await stack.http.post('/tickets').send(validTicket({ description: 'Birinci satır\r\nİkinci\tsatır' })).expect(201);
      const [row] = await stack.db.query('SELECT description FROM tickets WHERE number = $1', [res.body.number]);
      expect(row.description).toBe('Birinci satır\r\nİkinci\tsatır');
    });

    // Command bodies: validated before the ticket is even looked up, so no text row is written.
    it.each([
      ['assign-department', { departmentId: 'fen-isleri', note: nul }, 'note'],
      ['assign-department', { departmentId: 'fen\u0000isleri' }, 'departmentId'],
      ['assign-department', { departmentId: 'fen-isleri', category: 'ROAD\u007f' }, 'category'],
      ['refer', { institutionId: 'toroslar-edas', note: nul }, 'note'],
      ['reject', { reason: 'SPAM', note: nul }, 'note'],
      ['reject', { reason: 'DUPLICATE', duplicateOf: '2026-00000\u0000' }, 'duplicateOf'],
      ['answer', { answer: nul }, 'answer'],
      ['assign-expert', { expertId: 'expert\u0000' }, 'expertId'],
      ['request-info', { question: nul }, 'question'],
      ['notes', { text: nul, visibility: 'INTERNAL' }, 'text'],
      ['resolution', { text: nul }, 'text'],
      ['approve', { note: nul }, 'note'],
      ['reject-resolution', { reason: nul }, 'reason'],
      ['finalize', { summary: nul }, 'summary'],
      ['info-provided', { answer: nul }, 'answer'],
      ['answer', { answer: '  \n ' }, 'answer'],
      ['notes', { text: '\t', visibility: 'CITIZEN' }, 'text'],
    ])('POST /tickets/:number/%s with %j → 400 naming the field', async (route, body, field) => {
      await expectRefused(() => stack.http.post(`/tickets/${ticket.number}/${route}`).set(STAFF).send(body), field);
    });

    it.each([
      ['reopen', { reason: nul }, 'reason'],
      ['info-provided', { answer: nul }, 'answer'],
    ])('the citizen’s %s with a NUL byte → 400 naming the field', async (route, body, field) => {
      await expectRefused(() => stack.http.post(`/tickets/${ticket.number}/${route}`).set('X-Tracking-Token', ticket.token).send(body), field);
    });

    it('duplicateOf must look like a ticket number', async () => {
      await expectRefused(
        () => stack.http.post(`/tickets/${ticket.number}/reject`).set(STAFF).send({ reason: 'DUPLICATE', duplicateOf: 'yesterday’s' }),
        'duplicateOf',
        /ticket number/,
      );
    });
  });

  describe('3. only phone numbers libphonenumber calls valid', () => {
    it.each(['+999123456789', '+90 532 123 45 6', '0532 123 45 678', '+1 000 000 0000', '05321234567 ext 5', 'tel:05321234567', '0532\u00001234567'])(
      '%j → 400 naming requester.phone',
      async (phone) => {
        await expectRefused(() => stack.http.post('/tickets').send(withRequester({ phone })), 'requester.phone', /valid phone number/);
      },
    );

    it.each([
      ['a Turkish mobile', '0532 123 45 67', '+905321234567'],
      ['a Turkish landline', '(0324) 123 45 67', '+903241234567'],
      ['a German mobile', '+49 1512 3456789', '+4915123456789'],
    ])('%s is accepted and stored as E.164', async (_name, phone, expected) => {
      const res = await stack.http.post('/tickets').send(withRequester({ phone })).expect(201);
      const [row] = await stack.db.query('SELECT requester_phone FROM tickets WHERE number = $1', [res.body.number]);
      expect(row.requester_phone).toBe(expected);
    });
  });

  describe('4. JSON types are strict', () => {
    it.each([
      ['location.lat', withLocation({ lat: '36.7871', lng: 34.5834 })],
      ['location.lng', withLocation({ lat: 36.7871, lng: '34.5834' })],
      ['location.lat', withLocation({ lat: 91 })],
      ['location.lng', withLocation({ lng: -180.5 })],
      ['location.lat', withLocation({ lat: true })],
      ['location.lat', withLocation({ lat: [36.7] })],
      ['description', validTicket({ description: 12345 })],
      ['category', validTicket({ category: ['ROAD_REPAIR'] })],
      ['channel', validTicket({ channel: 1 })],
      ['requester.name', withRequester({ name: { first: 'Ali' } })],
      ['requester.phone', withRequester({ phone: 905321234567 })],
      ['requester', validTicket({ requester: [{ name: 'Ali', phone: '0532 123 45 67' }] })],
      ['location', validTicket({ location: 'Mersin' })],
    ])('POST /tickets with a wrongly typed %s → 400 naming it', async (field, body) => {
      await expectRefused(() => stack.http.post('/tickets').send(body), field);
    });

    it.each([
      ['assign-department', { departmentId: 42 }, 'departmentId'],
      ['reject', { reason: 0 }, 'reason'],
      ['notes', { text: 'Not', visibility: true }, 'visibility'],
      ['approve', { note: 7 }, 'note'],
      ['finalize', { summary: ['Tamam'] }, 'summary'],
    ])('POST /tickets/:number/%s with %j → 400 naming the field', async (route, body, field) => {
      await expectRefused(() => stack.http.post(`/tickets/${ticket.number}/${route}`).set(STAFF).send(body), field);
    });

    it('a coordinate JavaScript writes with an exponent is still a number', async () => {
      const res = await stack.http.post('/tickets').send(withLocation({ lat: 1e-7, lng: -1e-7 })).expect(201);
      const [row] = await stack.db.query('SELECT lat, lng FROM tickets WHERE number = $1', [res.body.number]);
      expect([Number(row.lat), Number(row.lng)]).toEqual([0, 0]); // numeric(9,6) rounds them
    });
  });

  describe('5. a refused request never consumes a ticket number', () => {
    it('an unknown category is refused before nextval', async () => {
      await expectRefused(() => stack.http.post('/tickets').send(validTicket({ category: 'NO_SUCH_CATEGORY' })), 'category', /unknown category/);
    });

    it('an inactive category too', async () => {
      await stack.db.query(`INSERT INTO categories (code, name, name_en, institution_id, sla_seconds, active) VALUES ('RETIRED', 'Eski', 'Old', 'MUNICIPALITY', 3600, false)`);
      try {
        await expectRefused(() => stack.http.post('/tickets').send(validTicket({ category: 'RETIRED' })), 'category');
      } finally {
        await stack.db.query(`DELETE FROM categories WHERE code = 'RETIRED'`);
      }
    });

    it('an accepted request takes exactly the next number', async () => {
      const before = await footprint();
      const res = await stack.http.post('/tickets').send(validTicket()).expect(201);
      expect(Number(res.body.number.split('-')[1])).toBe(before.nextNumber);
      expect(await footprint()).toMatchObject({ tickets: before.tickets + 1, nextNumber: before.nextNumber + 1 });
    });
  });

  describe('6. landline callers get a ticket but no SMS', () => {
    const acknowledgement = (number: string) =>
      waitFor(async () => {
        const rows = await stack.db.query(`SELECT o.* FROM sms_outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $1 AND o.purpose = 'RECEIVED'`, [number]);
        return rows.length === 1 && rows[0].status !== 'SENDING' ? rows[0] : null;
      }, { what: `the acknowledgement of ticket ${number}` });

    it.each([
      ['a Turkish landline', '(0324) 123 45 67'],
      ['a 0850 number', '0850 222 12 34'],
      ['a foreign mobile', '+49 1512 3456789'],
    ])('%s: the ticket is recorded, the acknowledgement SKIPPED with the reason, staff see textable: false', async (_name, phone) => {
      const created = await stack.http.post('/tickets').send(withRequester({ phone })).expect(201);
      const { number } = created.body;
      const [row] = await stack.db.query('SELECT requester_textable FROM tickets WHERE number = $1', [number]);
      expect(row.requester_textable).toBe(false);

      const outbox = await acknowledgement(number);
      expect(outbox).toMatchObject({ status: 'SKIPPED', recipient_phone: null, attempts: 0, last_error: CITIZEN_NOT_TEXTABLE });
      expect(CITIZEN_NOT_TEXTABLE).toBe('citizen cannot be texted: not a Turkish mobile number');
      expect(stack.sms.sent.filter((m) => m.reference === outbox.notification_key)).toHaveLength(0);

      const view = await stack.http.get(`/tickets/${number}`).set(STAFF).expect(200);
      expect(view.body.requester.textable).toBe(false);
      // The ticket goes on as any other.
      expect(view.body.status).toBe('TRIAGE');
    });

    it('a Turkish mobile number is texted and shown as textable', async () => {
      const created = await stack.http.post('/tickets').send(withRequester({ phone: '0535 000 11 22' })).expect(201);
      const outbox = await acknowledgement(created.body.number);
      expect(outbox).toMatchObject({ status: 'SENT', recipient_phone: '+905350001122', last_error: null });
      const view = await stack.http.get(`/tickets/${created.body.number}`).set(STAFF).expect(200);
      expect(view.body.requester).toEqual({ name: 'Ali Kaya', phone: '+905350001122', textable: true });
    });

    it('every later text to a landline caller is skipped too (here: the referral)', async () => {
      const landline = await t.create({ requester: { name: 'Hüseyin Acar', phone: '0324 765 43 21' } });
      await t.staff(STAFF_IDS.coordinator, landline.number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
      const outbox = await t.closedOutbox(landline.number);
      expect(outbox.map((o) => [o.purpose, o.status, o.recipient_phone])).toEqual([
        ['RECEIVED', 'SKIPPED', null],
        ['REFERRED', 'SKIPPED', null],
      ]);
    });
  });
});
