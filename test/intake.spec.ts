import { startTestStack, type TestStack } from './support/test-stack';
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

describe('intake: POST /tickets against real PostgreSQL and Temporal', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    STAFF = { Authorization: await stack.bearer('coord.ayse') };
  });
  afterAll(async () => {
    await stack?.close();
  });

  const countTickets = async () => Number((await stack.db.query('SELECT count(*)::int AS n FROM tickets'))[0].n);

  it('records the ticket, starts its workflow, projects RECEIVED and texts exactly one acknowledgement', async () => {
    const res = await stack.http.post('/tickets').send(validTicket()).expect(201);
    const { number, trackingUrl, status, workflowId } = res.body;
    expect(number).toMatch(/^\d{4}-\d{6}$/);
    expect(status).toBe('RECEIVED');
    expect(workflowId).toBe(`ticket-${number}`);
    const url = new URL(trackingUrl);
    expect(url.pathname).toBe(`/t/${number}`);
    expect(url.searchParams.get('k')).toMatch(/^[\w-]{32}$/);

    // The workflow exists on the real server.
    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe('ticketWorkflow');
    expect(description.status.name).toBe('RUNNING');

    // The projection row and the RECEIVED event.
    const row = await waitFor(async () => {
      const [r] = await stack.db.query('SELECT * FROM tickets WHERE number = $1', [number]);
      return r.status === 'TRIAGE' ? r : null;
    }, { what: 'projection to reach TRIAGE' });
    expect(row.requester_phone).toBe('+905321234567');
    const events = await stack.db.query('SELECT type, seq FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [row.id]);
    expect(events).toEqual([{ type: 'RECEIVED', seq: 1 }]);

    // Exactly one acknowledgement, through the outbox, with the tracking link (its token masked in the stored body).
    const outbox = await waitFor(async () => {
      const rows = await stack.db.query('SELECT * FROM sms_outbox WHERE ticket_id = $1', [row.id]);
      return rows.length === 1 && rows[0].status === 'SENT' ? rows : null;
    }, { what: 'the acknowledgement SMS' });
    expect(outbox[0].notification_key).toBe(`ticket-${number}:RECEIVED:1`);
    expect(outbox[0].recipient_phone).toBe('+905321234567');
    expect(outbox[0].body).toContain(`${url.origin}${url.pathname}?k=***`);
    expect(outbox[0].body).not.toContain(url.searchParams.get('k'));
    const sent = stack.sms.sent.filter((m) => m.reference === outbox[0].notification_key);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toContain(trackingUrl);

    // No personal data in the workflow: input and history carry ids and non-personal fields.
    const history = JSON.stringify(await stack.client.workflow.getHandle(workflowId).fetchHistory());
    const decoded = Buffer.from(history).toString();
    for (const secret of ['Ahmet', '5321234567', 'çukur', '1234. Sokak']) {
      expect(decoded).not.toContain(secret);
      expect(decoded).not.toContain(Buffer.from(secret).toString('base64'));
    }

    // Staff read the ticket with its timeline.
    const read = await stack.http.get(`/tickets/${number}`).set(STAFF).expect(200);
    expect(read.body.status).toBe('TRIAGE');
    expect(read.body.requester).toEqual({ name: 'Ahmet Yılmaz', phone: '+905321234567', textable: true });
    expect(read.body.timeline.map((e: { type: string }) => e.type)).toEqual(['RECEIVED']);
  });

  it.each([
    ['0532 123 45 67', '+905321234567'],
    ['+90 (532) 123-4567', '+905321234567'],
    ['532 123 4567', '+905321234567'],
    ['905321234567', '+905321234567'],
    ['0090 532 123 45 67', '+905321234567'],
    ['(0324) 123 45 67', '+903241234567'],
  ])('normalises the phone %s to E.164', async (phone, expected) => {
    const res = await stack.http.post('/tickets').send(validTicket({ requester: { name: 'Ayşe', phone } })).expect(201);
    const [row] = await stack.db.query('SELECT requester_phone FROM tickets WHERE number = $1', [res.body.number]);
    expect(row.requester_phone).toBe(expected);
  });

  it('defaults the segment to CITIZEN and accepts a ticket without a location', async () => {
    const { location: _, ...noLocation } = validTicket();
    const res = await stack.http.post('/tickets').send(noLocation).expect(201);
    const [row] = await stack.db.query('SELECT segment, district FROM tickets WHERE number = $1', [res.body.number]);
    expect(row).toEqual({ segment: 'CITIZEN', district: null });
  });

  describe('bad input is refused with problem+json naming each field, and nothing is written', () => {
    const cases: [string, unknown, string[]][] = [
      ['missing fields', {}, ['channel', 'type', 'category', 'requester', 'description']],
      ['a bad phone', validTicket({ requester: { name: 'Ali', phone: '12' } }), ['requester.phone']],
      ['a non-Turkish-looking phone string', validTicket({ requester: { name: 'Ali', phone: 'call me' } }), ['requester.phone']],
      ['an unknown channel', validTicket({ channel: 'PIGEON' }), ['channel']],
      ['an unknown type', validTicket({ type: 'PRAISE' }), ['type']],
      ['an unknown segment', validTicket({ segment: 'MAYOR' }), ['segment']],
      ['a description over its limit', validTicket({ description: 'x'.repeat(4001) }), ['description']],
      ['an unknown field', validTicket({ priority: 'HIGH' }), ['priority']],
      ['a bad latitude', validTicket({ location: { lat: 123 } }), ['location.lat']],
    ];

    it.each(cases)('%s → 400', async (_name, body, fields) => {
      const before = await countTickets();
      const res = await stack.http.post('/tickets').send(body as object).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      const named = res.body.errors.map((e: { field: string }) => e.field);
      for (const field of fields) expect(named).toContain(field);
      expect(await countTickets()).toBe(before);
    });

    it('an unknown category → 400 naming category', async () => {
      const before = await countTickets();
      const res = await stack.http.post('/tickets').send(validTicket({ category: 'NOPE' })).expect(400);
      expect(res.body.errors).toEqual([{ field: 'category', messages: [expect.stringContaining('NOPE')] }]);
      expect(await countTickets()).toBe(before);
    });

    it('a body over the size limit → 413', async () => {
      const before = await countTickets();
      const res = await stack.http.post('/tickets').set('Content-Type', 'application/json').send(JSON.stringify(validTicket({ description: 'x'.repeat(200_000) }))).expect(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await countTickets()).toBe(before);
    });

    it('malformed JSON → 400', async () => {
      const res = await stack.http.post('/tickets').set('Content-Type', 'application/json').send('{"channel":').expect(400);
      expect(res.body.code).toBe('MALFORMED_JSON');
    });
  });

  it('GET /categories lists the seeded categories', async () => {
    const res = await stack.http.get('/categories').expect(200);
    const codes = res.body.map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['ROAD_REPAIR', 'WATER_OUTAGE', 'GENERAL_INFO']));
    expect(res.body[0]).toEqual(expect.objectContaining({ code: expect.any(String), name: expect.any(String), slaHours: expect.any(Number) }));
  });

  it('GET /categories answers the catalogue (version 2) with keywords and referral institutions; the first eight keep their SLAs', async () => {
    const res = await stack.http.get('/categories').expect(200);
    const byCode = new Map<string, { keywords: string[]; referralInstitutionId: string | null; defaultDepartmentId: string | null; slaHours: number; catalogueVersion: number }>(
      res.body.map((c: { code: string }) => [c.code, c]),
    );
    expect(byCode.get('ROAD_REPAIR')).toMatchObject({ slaHours: 72, defaultDepartmentId: 'fen-isleri', keywords: expect.arrayContaining(['çukur', 'kaldırım', 'pothole']) });
    expect(byCode.get('STREET_LIGHTING')).toMatchObject({ referralInstitutionId: 'toroslar-edas', defaultDepartmentId: null, keywords: expect.arrayContaining(['lamba', 'aydınlatma']) });
    for (const code of ['STRAY_ANIMALS', 'WASTE_COLLECTION', 'NOISE', 'MUNICIPAL_POLICE', 'ILLEGAL_CONSTRUCTION', 'TRAFFIC_SIGNALS', 'SOCIAL_SUPPORT', 'FUNERAL_SERVICES']) {
      expect(byCode.get(code)).toMatchObject({ catalogueVersion: 2, defaultDepartmentId: expect.any(String) });
    }
    const [{ version }] = await stack.db.query('SELECT max(version)::int AS version FROM category_catalogue_versions');
    expect(version).toBe(2);
  });

  it('GET /tickets/:number of an unknown ticket → 404 problem', async () => {
    const res = await stack.http.get('/tickets/1999-999999').set(STAFF).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('without identity or token, GET /tickets/:number is the 404 of an unknown ticket', async () => {
    const created = await stack.http.post('/tickets').send(validTicket()).expect(201);
    const res = await stack.http.get(`/tickets/${created.body.number}`).expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: `ticket ${created.body.number} was not found` });
    expect(JSON.stringify(res.body)).not.toContain('Ahmet');
  });

  it('the tracking link opens the citizen’s page; a wrong token does not', async () => {
    const created = await stack.http.post('/tickets').send(validTicket()).expect(201);
    const url = new URL(created.body.trackingUrl);
    await waitFor(async () => (await stack.db.query('SELECT status FROM tickets WHERE number = $1', [created.body.number]))[0].status === 'TRIAGE');
    const page = await stack.http.get(`${url.pathname}${url.search}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(created.body.number);
    expect(page.text).toContain('Koordinasyon merkezinde'); // TRIAGE, in Turkish by default
    expect(page.text).not.toContain('Ahmet');
    const english = await stack.http.get(`${url.pathname}${url.search}&lang=en`).expect(200);
    expect(english.text).toContain('At the coordination center');
    await stack.http.get(`${url.pathname}?k=wrong-token`).expect(404);
  });

  it('an invalid bearer token is 401, not anonymous', async () => {
    const res = await stack.http.get('/tickets/1999-999999').set('Authorization', 'Bearer not.a.token').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('GET /health tells an anonymous caller up, and nothing more', async () => {
    const res = await stack.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document at /docs/json', async () => {
    const res = await stack.http.get('/docs/json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/tickets', '/tickets/{number}', '/tickets/{number}/approve']));
  });
});
