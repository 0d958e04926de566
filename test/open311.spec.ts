import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import request, { type Response } from 'supertest';
import { createApiApp } from '../apps/api/src/app.factory';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver } from './support/ticket-driver';
import { waitFor } from './support/wait-for';
import { POST_PARAMETERS } from '../apps/api/src/open311/open311-request.form';
import { LIST_PARAMETERS } from '../apps/api/src/open311/open311-list.query';

const ADMIN = 'admin.can';
const V2 = '/open311/v2';
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error', 'endpoint', 'format'].includes(name) });

/** A Turkish mobile number no other suite uses. */
const freshMobile = () => `0533 ${String(Math.floor(Math.random() * 900) + 100)} ${String(Math.floor(Math.random() * 9000) + 1000)}`;
const e164 = (phone: string) => `+90${phone.replace(/\D/g, '').slice(1)}`;

/** A GeoReport error answer: the status, the spec's error list in the path's format, nothing else. */
function expectError(res: Response, status: number, format: 'json' | 'xml', description?: RegExp) {
  expect(res.status).toBe(status);
  if (format === 'json') {
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    expect(res.body).toEqual([{ code: status, description: expect.any(String) }]);
    if (description) expect(res.body[0].description).toMatch(description);
  } else {
    expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
    expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const doc = xml.parse(res.text);
    expect(doc.errors.error).toEqual([{ code: String(status), description: expect.any(String) }]);
    if (description) expect(doc.errors.error[0].description).toMatch(description);
  }
}

/**
 * Open311 GeoReport v2 through the real HTTP stack (real PostgreSQL, Temporal, worker): every
 * endpoint in JSON and XML, API keys issued by an ADMIN, creates through the one intake (WEB,
 * the acknowledgement SMS, the client recorded), the errors in the spec's format, the client
 * rate limit, and a public listing that never carries personal data.
 */
describe('Open311 GeoReport v2', () => {
  let stack: TestStack;
  let driver: TicketDriver;
  let apiKey: string;
  let clientId: string;

  const issueKey = async (requestsPerMinute = 1000, name = 'Kent uygulaması') => {
    const res = await stack.http
      .post('/admin/api-clients')
      .set('Authorization', await stack.bearer(ADMIN))
      .send({ name, contact: 'Bilgi İşlem, 0324 000 00 00', requestsPerMinute })
      .expect(201);
    return res.body as { id: string; apiKey: string; keyPrefix: string };
  };
  const form = (overrides: Record<string, string | undefined> = {}) => {
    const fields: Record<string, string | undefined> = {
      api_key: apiKey,
      service_code: 'ROAD_REPAIR',
      lat: '36.787123',
      long: '34.583456',
      description: 'Kaldırımda derin bir çukur var.',
      first_name: 'Deniz',
      last_name: 'Ak',
      phone: freshMobile(),
      ...overrides,
    };
    return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
  };
  const post = (format: 'json' | 'xml', fields: Record<string, string>) => stack.http.post(`${V2}/requests.${format}`).type('form').send(fields);

  beforeAll(async () => {
    // Every request of the suite comes from 127.0.0.1: the per-address limit is lifted here and tested on a stack of its own below.
    stack = await startTestStack({ env: { OPEN311_JURISDICTION_ID: 'mersin.bel.tr' } });
    driver = new TicketDriver(stack);
    const client = await issueKey();
    apiKey = client.apiKey;
    clientId = client.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  describe('discovery and services', () => {
    it('discovery.json and discovery.xml name the GeoReport v2 endpoint and both formats', async () => {
      const json = await stack.http.get(`${V2}/discovery.json`).expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
      expect(json.body).toMatchObject({ changeset: expect.any(String), contact: expect.any(String), key_service: expect.any(String) });
      expect(json.body.endpoints).toEqual([
        { specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://teksin.test/open311/v2', changeset: json.body.changeset, type: 'production', formats: ['text/xml', 'application/json'] },
      ]);
      const res = await stack.http.get(`${V2}/discovery.xml`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><discovery>')).toBe(true);
      expect(xml.parse(res.text).discovery.endpoints.endpoint[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: { format: ['text/xml', 'application/json'] } });
    });

    it('the OpenAPI document lists the Open311 routes, POST requests as a form (or multipart, with a media file)', async () => {
      const { paths } = (await stack.http.get('/docs/json').expect(200)).body;
      for (const path of ['discovery.{format}', 'services.{format}', 'services/{service_code}.{format}', 'requests.{format}', 'requests/{id}.{format}']) expect(paths[`${V2}/${path}`]).toBeDefined();
      expect(Object.keys(paths[`${V2}/requests.{format}`].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'multipart/form-data']);
      expect(paths['/admin/api-clients'].post).toBeDefined();
    });

    it('services.json and services.xml list every active category, grouped by institution', async () => {
      const json = await stack.http.get(`${V2}/services.json`).expect(200);
      const road = json.body.find((s: { service_code: string }) => s.service_code === 'ROAD_REPAIR');
      expect(road).toEqual({
        service_code: 'ROAD_REPAIR',
        service_name: 'Yol, kaldırım ve asfalt onarımı',
        description: expect.stringContaining('Road and pavement repair'),
        metadata: false,
        type: 'realtime',
        keywords: expect.stringContaining('Road and pavement repair'),
        group: 'Mersin Büyükşehir Belediyesi',
      });
      expect(json.body.some((s: { group: string }) => s.group === 'MESKİ Genel Müdürlüğü')).toBe(true);
      const [{ n }] = await stack.db.query('SELECT count(*)::int AS n FROM categories WHERE active');
      expect(json.body).toHaveLength(n);

      const res = await stack.http.get(`${V2}/services.xml`).expect(200);
      const services = xml.parse(res.text).services.service;
      expect(services).toHaveLength(n);
      expect(services.find((s: { service_code: string }) => s.service_code === 'ROAD_REPAIR')).toMatchObject({ metadata: 'false', type: 'realtime', group: 'Mersin Büyükşehir Belediyesi' });
    });

    it('services/{service_code}: the definition (no attributes); an unknown service is a 404 in the spec’s error format', async () => {
      expect((await stack.http.get(`${V2}/services/ROAD_REPAIR.json`).expect(200)).body).toEqual({ service_code: 'ROAD_REPAIR', attributes: [] });
      const res = await stack.http.get(`${V2}/services/ROAD_REPAIR.xml`).expect(200);
      expect(xml.parse(res.text).service_definition).toEqual({ service_code: 'ROAD_REPAIR', attributes: '' });
      expectError(await stack.http.get(`${V2}/services/NO_SUCH_SERVICE.json`), 404, 'json', /NO_SUCH_SERVICE/);
      expectError(await stack.http.get(`${V2}/services/NO_SUCH_SERVICE.xml`), 404, 'xml', /NO_SUCH_SERVICE/);
    });

    it('jurisdiction_id is accepted when it names this jurisdiction, a 404 otherwise; an unknown format is a 404', async () => {
      await stack.http.get(`${V2}/services.json?jurisdiction_id=mersin.bel.tr`).expect(200);
      expectError(await stack.http.get(`${V2}/services.json?jurisdiction_id=bonn.de`), 404, 'json', /jurisdiction_id/);
      expectError(await stack.http.get(`${V2}/services.xml?jurisdiction_id=bonn.de`), 404, 'xml', /jurisdiction_id/);
      expectError(await stack.http.get(`${V2}/services.csv`), 404, 'json', /\.csv/);
    });
  });

  describe('API clients (ADMIN)', () => {
    it('an ADMIN issues a key (shown once), lists clients without keys, revokes; anyone else gets 403', async () => {
      const client = await issueKey(10, 'Geçici istemci');
      expect(client.apiKey).toMatch(new RegExp(`^o311_${client.keyPrefix}\\.`));
      const [row] = await stack.db.query('SELECT key_hash FROM api_clients WHERE id = $1', [client.id]);
      expect(row.key_hash).toMatch(/^\$argon2id\$/);
      expect(row.key_hash).not.toContain(client.apiKey);

      const listed = await stack.http.get('/admin/api-clients').set('Authorization', await stack.bearer(ADMIN)).expect(200);
      const mine = listed.body.find((c: { id: string }) => c.id === client.id);
      expect(mine).toMatchObject({ name: 'Geçici istemci', requestsPerMinute: 10, keyPrefix: client.keyPrefix, createdBy: ADMIN, revokedAt: null });
      expect(JSON.stringify(listed.body)).not.toMatch(/apiKey|keyHash|argon2/);

      await post('json', form({ api_key: client.apiKey })).expect(201);
      await stack.http.delete(`/admin/api-clients/${client.id}`).set('Authorization', await stack.bearer(ADMIN)).expect(204);
      expectError(await post('json', form({ api_key: client.apiKey })), 403, 'json', /api_key/);
      await stack.http.delete(`/admin/api-clients/00000000-0000-4000-8000-000000000000`).set('Authorization', await stack.bearer(ADMIN)).expect(404);

      for (const staffId of [STAFF.coordinator, STAFF.auditor]) {
        const authorization = await stack.bearer(staffId);
        await stack.http.post('/admin/api-clients').set('Authorization', authorization).send({ name: 'x', contact: 'y', requestsPerMinute: 5 }).expect(403);
        await stack.http.get('/admin/api-clients').set('Authorization', authorization).expect(403);
        await stack.http.delete(`/admin/api-clients/${clientId}`).set('Authorization', authorization).expect(403);
      }
      await stack.http.get('/admin/api-clients').expect(401);
      const bad = await stack.http.post('/admin/api-clients').set('Authorization', await stack.bearer(ADMIN)).send({ name: 'x', contact: 'y', requestsPerMinute: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'requestsPerMinute' })]);
    });
  });

  describe('POST requests', () => {
    it('requests.json: a WEB ticket through the intake, the client recorded, the citizen texted; answers the ticket number', async () => {
      const phone = freshMobile();
      const res = await post('json', form({ phone, media_url: 'https://foto.example.org/cukur.jpg', email: 'deniz@example.org', jurisdiction_id: 'mersin.bel.tr' })).expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
      expect(res.body).toEqual([{ service_request_id: expect.stringMatching(/^\d{4}-\d{6,}$/), service_notice: null, account_id: null }]);
      const number = res.body[0].service_request_id;
      const [ticket] = await stack.db.query('SELECT * FROM tickets WHERE number = $1', [number]);
      expect(ticket).toMatchObject({
        channel: 'WEB',
        type: 'REQUEST',
        category: 'ROAD_REPAIR',
        segment: 'CITIZEN',
        recorded_by: null,
        api_client_id: clientId,
        media_url: 'https://foto.example.org/cukur.jpg',
        requester_name: 'Deniz Ak',
        requester_phone: e164(phone),
        description: 'Kaldırımda derin bir çukur var.',
      });
      expect(Number(ticket.lat)).toBeCloseTo(36.787123, 6);
      await driver.waitForStatus(number, 'TRIAGE');
      const sms = await waitFor(() => stack.sms.sent.find((m) => m.to === e164(phone)) ?? null, { what: 'the acknowledgement SMS' });
      expect(sms.body).toContain(number);
    });

    it('requests.xml: the same in XML, with address_string instead of coordinates', async () => {
      const res = await post('xml', form({ lat: undefined, long: undefined, address_string: 'Menteş Mah. 1234. Sokak No: 5' })).expect(201);
      expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      const [request] = xml.parse(res.text).service_requests.request;
      expect(request).toEqual({ service_request_id: expect.stringMatching(/^\d{4}-\d{6,}$/), service_notice: '', account_id: '' });
      const [ticket] = await stack.db.query('SELECT address, lat, api_client_id FROM tickets WHERE number = $1', [request.service_request_id]);
      expect(ticket).toEqual({ address: 'Menteş Mah. 1234. Sokak No: 5', lat: null, api_client_id: clientId });
    });

    it('without a valid key: 403 in both formats, and nothing is created', async () => {
      const before = (await stack.db.query('SELECT count(*)::int AS n FROM tickets'))[0].n;
      for (const format of ['json', 'xml'] as const) {
        expectError(await post(format, form({ api_key: undefined })), 403, format, /api_key/);
        expectError(await post(format, form({ api_key: 'o311_0123456789.' + 'A'.repeat(43) })), 403, format);
        expectError(await post(format, form({ api_key: `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}` })), 403, format);
        expectError(await post(format, form({ api_key: 'not-a-key' })), 403, format);
      }
      expect((await stack.db.query('SELECT count(*)::int AS n FROM tickets'))[0].n).toBe(before);
    });

    it('refusals name the field: unknown service, missing location, half a coordinate, attributes, missing phone, bad media_url, a JSON body', async () => {
      const before = (await stack.db.query('SELECT count(*)::int AS n FROM tickets'))[0].n;
      for (const format of ['json', 'xml'] as const) {
        expectError(await post(format, form({ service_code: 'NO_SUCH_SERVICE' })), 400, format, /service_code.*NO_SUCH_SERVICE/);
        expectError(await post(format, form({ service_code: undefined })), 400, format, /service_code/);
        expectError(await post(format, form({ lat: undefined, long: undefined })), 400, format, /lat and long, or address_string/);
        expectError(await post(format, form({ lat: undefined, long: undefined, address_id: '123' })), 400, format, /address_id is not supported/);
      }
      expectError(await post('json', form({ long: undefined })), 400, 'json', /long: lat and long go together/);
      expectError(await post('json', form({ lat: '91' })), 400, 'json', /^lat: /);
      expectError(await post('json', form({ lat: 'north' })), 400, 'json', /^lat: must be a decimal number/);
      expectError(await post('json', form({ 'attribute[WHISPERS]': 'yes' })), 400, 'json', /attribute\[WHISPERS\]/);
      expectError(await post('json', form({ phone: undefined })), 400, 'json', /^phone: is required/);
      expectError(await post('json', form({ phone: '12345' })), 400, 'json', /^phone: phone must be a valid phone number|^phone: /);
      expectError(await post('json', form({ first_name: undefined, last_name: undefined })), 400, 'json', /first_name\/last_name/);
      expectError(await post('json', form({ description: '   ' })), 400, 'json', /^description/);
      expectError(await post('json', form({ description: 'x'.repeat(4001) })), 400, 'json', /^description/);
      expectError(await post('json', form({ media_url: 'javascript:alert(1)' })), 400, 'json', /^media_url/);
      expectError(await post('json', form({ email: 'not-an-email' })), 400, 'json', /^email/);
      expectError(await post('json', form({ colour: 'red' })), 400, 'json', /^colour: is not a parameter/);
      expectError(await post('json', form({ jurisdiction_id: 'bonn.de' })), 404, 'json', /jurisdiction_id/);
      expectError(await stack.http.post(`${V2}/requests.json`).type('form').send('service_code=ROAD_REPAIR&service_code=PARK_MAINTENANCE&' + new URLSearchParams(form({ service_code: undefined })).toString()), 400, 'json', /service_code: must be given once/);
      expectError(await stack.http.post(`${V2}/requests.json`).send(form()), 415, 'json', /x-www-form-urlencoded/);
      expectError(await stack.http.post(`${V2}/requests.xml`).type('form').set('Content-Type', 'application/x-www-form-urlencoded; charset=latin1').send('a=b'), 415, 'xml');
      expect((await stack.db.query('SELECT count(*)::int AS n FROM tickets'))[0].n).toBe(before);
    });

    it('a client over its requests a minute gets 429 with Retry-After, in the spec’s error format', async () => {
      const limited = await issueKey(3, 'Küçük istemci');
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await post('json', form({ api_key: limited.apiKey }))).status);
      await stack.http.get(`${V2}/services.json?api_key=${encodeURIComponent(limited.apiKey)}`).expect(429);
      const over = await post('xml', form({ api_key: limited.apiKey }));
      expect(statuses).toEqual([201, 201, 201]);
      expectError(over, 429, 'xml', /too many requests with this API key/);
      const retryAfter = Number(over.headers['retry-after']);
      expect(retryAfter >= 1 && retryAfter <= 60).toBe(true);
      // Another client is not affected.
      await post('json', form()).expect(201);
    });

    it('item 5: a client’s requests a minute are one count over two API processes, reached at the same request as in one', async () => {
      const second = await createApiApp(stack.config);
      await second.init();
      try {
        const apps = [stack.http, request(second.getHttpServer())];
        const limited = await issueKey(3, 'İki süreçli istemci');
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await apps[i % 2].get(`${V2}/services.json?api_key=${encodeURIComponent(limited.apiKey)}`)).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        await apps[0].get(`${V2}/services.json?api_key=${encodeURIComponent(limited.apiKey)}`).expect(429);
      } finally {
        await second.close();
      }
    });
  });

  it('fuzz: no form or query ever gets a 5xx; every refusal is the spec’s error list in the path’s format', async () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('', ' ', '36.78', '-181', '2026-000001', 'ROAD_REPAIR', '0532 123 45 67', '2026-01-01T00:00:00Z', 'open,closed', '\u0000'));
    const name = fc.oneof(fc.constantFrom(...POST_PARAMETERS, ...LIST_PARAMETERS, 'attribute[x]', 'attribute[]', '__proto__', 'constructor'), fc.string({ maxLength: 12 }));
    const fields = fc.dictionary(name, value, { maxKeys: 8 });
    const check = (res: Response, format: 'json' | 'xml', where: string) => {
      if (res.status >= 500) throw new Error(`${res.status} for ${where}: ${res.text}`);
      if (res.status >= 400) expectError(res, res.status, format);
    };
    const ticketCount = async () => (await stack.db.query('SELECT count(*)::int AS n FROM tickets'))[0].n as number;
    const before = await ticketCount();
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(fields, fc.constantFrom('json' as const, 'xml' as const), fc.boolean(), async (body, format, keyed) => {
        const res = await post(format, { ...form(), ...body, ...(keyed ? { api_key: apiKey } : {}) });
        check(res, format, `POST ${JSON.stringify(body)}`);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }),
      { numRuns: 150, seed: 311 },
    );
    // Both outcomes were reached, and exactly the accepted requests became tickets.
    expect(statuses[201]).toBeGreaterThan(0);
    expect(statuses[400]).toBeGreaterThan(0);
    expect((await ticketCount()) - before).toBe(statuses[201]);
    await fc.assert(
      fc.asyncProperty(fields, fc.constantFrom('json' as const, 'xml' as const), fc.constantFrom('requests', 'requests/2026-000001', 'services', 'services/ROAD_REPAIR', 'discovery'), async (query, format, path) => {
        const res = await stack.http.get(`${V2}/${path}.${format}`).query(query);
        check(res, format, `GET ${path} ${JSON.stringify(query)}`);
      }),
      { numRuns: 150, seed: 311 },
    );
  });

  describe('GET requests', () => {
    let open: string;
    let finalized: string;

    beforeAll(async () => {
      open = (await post('json', form()).expect(201)).body[0].service_request_id;
      const ticket = await driver.toApproved({ channel: 'WEB', location: { district: 'Yenişehir', neighbourhood: 'Menteş', lat: 36.78, lng: 34.58 } });
      // A public answer: Open311 shows it as status_notes (an answer to the citizen alone it does not; see item 4 below).
      await driver.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Kaldırım taşları yenilendi.', visibility: 'PUBLIC' }).expect(200);
      await driver.waitForStatus(ticket.number, 'RESOLVED');
      finalized = ticket.number;
      await driver.waitForStatus(open, 'TRIAGE');
    });

    it('requests/{id}.json and .xml: the public view of one request; an unknown id is a 404', async () => {
      const res = await stack.http.get(`${V2}/requests/${finalized}.json`).expect(200);
      expect(res.body).toEqual([
        {
          service_request_id: finalized,
          status: 'closed',
          status_notes: 'Kaldırım taşları yenilendi.',
          service_name: 'Yol, kaldırım ve asfalt onarımı',
          service_code: 'ROAD_REPAIR',
          description: null,
          agency_responsible: 'Fen İşleri Dairesi Başkanlığı',
          service_notice: null,
          requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/), // to the minute
          updated_datetime: expect.stringMatching(/:00Z$/),
          expected_datetime: null,
          address: 'Menteş, Yenişehir, Mersin',
          address_id: null,
          zipcode: null,
          lat: 36.78,
          long: 34.58,
          media_url: null,
        },
      ]);
      const x = await stack.http.get(`${V2}/requests/${finalized}.xml`).expect(200);
      const [request] = xml.parse(x.text).service_requests.request;
      expect(request).toMatchObject({ service_request_id: finalized, status: 'closed', status_notes: 'Kaldırım taşları yenilendi.', lat: '36.78', description: '' });

      const fresh = (await stack.http.get(`${V2}/requests/${open}.json`).expect(200)).body[0];
      expect(fresh).toMatchObject({ status: 'open', status_notes: null, agency_responsible: 'Mersin Büyükşehir Belediyesi', lat: 36.787, long: 34.583, expected_datetime: expect.stringMatching(/Z$/) });

      expectError(await stack.http.get(`${V2}/requests/2026-999999.json`), 404, 'json', /2026-999999/);
      expectError(await stack.http.get(`${V2}/requests/nonsense.xml`), 404, 'xml');
    });

    it('requests.json and .xml: filters by id list, service, status and dates; bounded to 90 days; paged with Link rel="next"', async () => {
      const byIds = await stack.http.get(`${V2}/requests.json?service_request_id=${open},${finalized},2026-999999&status=open`).expect(200);
      expect(byIds.body.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([open, finalized].sort());

      const openOnes = (await stack.http.get(`${V2}/requests.json?status=open&service_code=ROAD_REPAIR`).expect(200)).body;
      expect(openOnes.every((r: { status: string; service_code: string }) => r.status === 'open' && r.service_code === 'ROAD_REPAIR')).toBe(true);
      expect(openOnes.some((r: { service_request_id: string }) => r.service_request_id === open)).toBe(true);
      const closedOnes = (await stack.http.get(`${V2}/requests.xml?status=closed`).expect(200)).text;
      expect(xml.parse(closedOnes).service_requests.request.map((r: { service_request_id: string }) => r.service_request_id)).toContain(finalized);
      expect((await stack.http.get(`${V2}/requests.json?service_code=PARK_MAINTENANCE,WATER_OUTAGE&status=open,closed`).expect(200)).body.some((r: { service_request_id: string }) => r.service_request_id === open)).toBe(false);

      const past = (await stack.http.get(`${V2}/requests.json?start_date=1990-01-01T00:00:00Z&end_date=1990-03-01T00:00:00%2B03:00`).expect(200)).body;
      expect(past).toEqual([]);
      expect((await stack.http.get(`${V2}/requests.xml?end_date=1990-03-01`).expect(200)).text).toBe('<?xml version="1.0" encoding="UTF-8"?><service_requests/>');
      expectError(await stack.http.get(`${V2}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z`), 400, 'json', /90 days/);
      expectError(await stack.http.get(`${V2}/requests.xml?start_date=yesterday`), 400, 'xml', /start_date/);
      expectError(await stack.http.get(`${V2}/requests.json?status=pending`), 400, 'json', /status/);
      expectError(await stack.http.get(`${V2}/requests.json?page_size=1001`), 400, 'json', /page_size/);
      expectError(await stack.http.get(`${V2}/requests.json?status=open&status=closed`), 400, 'json', /status: must be given once/);
      expectError(await stack.http.get(`${V2}/requests.json?jurisdiction_id=bonn.de`), 404, 'json');

      const first = await stack.http.get(`${V2}/requests.json?page_size=1&api_key=${encodeURIComponent(apiKey)}`).expect(200);
      expect(first.body).toHaveLength(1);
      expect(first.headers.link).toBe('</open311/v2/requests.json?page_size=1&page=2>; rel="next"');
      const second = await stack.http.get(`${V2}/requests.json?page_size=1&page=2`).expect(200);
      expect(second.body).toHaveLength(1);
      expect(second.body[0].service_request_id).not.toBe(first.body[0].service_request_id);
    });

    it('a listing never carries personal data: no name, phone, description, street address, staff text or exact coordinates', async () => {
      const phone = '0532 907 65 43';
      const secret = {
        first: 'Zübeyde',
        last: 'Gizliköylü',
        description: 'Evimin önündeki rögar kapağı kırık, çocuklar düşüyor — Gizliköylü ailesi.',
        address: 'Gizli Sokak No: 17 Daire 4',
        lat: '36.812345',
        long: '34.612345',
        note: 'İç not: vatandaş sinirli, dikkat.',
        resolution: 'Rögar kapağı değiştirildi, ekip 3 saat çalıştı.',
      };
      const number = (await post('json', form({ first_name: secret.first, last_name: secret.last, phone, description: secret.description, address_string: secret.address, lat: secret.lat, long: secret.long })).expect(201))
        .body[0].service_request_id;
      await driver.waitForStatus(number, 'TRIAGE');
      await driver.staff(STAFF.coordinator, number, 'notes', { text: secret.note, visibility: 'INTERNAL' }).expect(200);
      await driver.staff(STAFF.coordinator, number, 'assign-department', { departmentId: 'fen-isleri', note: 'Triage notu: acil.' }).expect(200);
      await driver.staff(STAFF.fenManager, number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
      await driver.staff(STAFF.fenExpert, number, 'resolution', { text: secret.resolution }).expect(200);
      await driver.staff(STAFF.fenManager, number, 'approve').expect(200);
      await driver.staff(STAFF.fenHead, number, 'approve').expect(200);
      await driver.staff(STAFF.coordinator, number, 'finalize', { summary: 'Rögar kapağı yenilendi.', visibility: 'PUBLIC' }).expect(200);
      await driver.waitForStatus(number, 'RESOLVED');

      const bodies = [
        (await stack.http.get(`${V2}/requests.json`).expect(200)).text,
        (await stack.http.get(`${V2}/requests.xml`).expect(200)).text,
        (await stack.http.get(`${V2}/requests.json?service_request_id=${number}`).expect(200)).text,
        (await stack.http.get(`${V2}/requests/${number}.json`).expect(200)).text,
        (await stack.http.get(`${V2}/requests/${number}.xml?api_key=${encodeURIComponent(apiKey)}`).expect(200)).text,
      ];
      const forbidden = [secret.first, secret.last, '907 65 43', '9076543', '5329076543', secret.description, 'rögar kapağı kırık', secret.address, 'Gizli Sokak', secret.note, 'Triage notu', secret.resolution, '36.812345', '34.612345', '36.8123', '34.6123'];
      for (const body of bodies) {
        expect(body).toContain(number);
        for (const text of forbidden) expect(body).not.toContain(text);
      }
      const [request] = JSON.parse(bodies[3]);
      expect(request).toMatchObject({ status: 'closed', status_notes: 'Rögar kapağı yenilendi.', description: null, address: null, lat: 36.812, long: 34.612 });
      // Every field of every listed request is one GeoReport names, with no personal field added.
      const all = JSON.parse(bodies[0]) as Record<string, unknown>[];
      const fields = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
      for (const r of all) {
        expect(Object.keys(r)).toEqual(fields);
        expect(r.description).toBeNull();
        for (const key of ['lat', 'long'] as const) if (r[key] !== null) expect(Math.abs((r[key] as number) * 1000 - Math.round((r[key] as number) * 1000))).toBeLessThan(1e-6);
      }
    });

    it('security review item 4 — only what the citizen made public, only public answers, times to the minute', async () => {
      const summaryToCitizen = 'Sayın Nurcan Özdemir, evinizin önündeki çukur kapatıldı.';
      const [byPhone, webPrivate, byPhonePublic, webAnswered] = await Promise.all([
        driver.create({ channel: 'CALL_CENTER' }), // a call: not public
        driver.create({ channel: 'WEB', public: false }), // the web form with "do not publish"
        driver.create({ channel: 'CALL_CENTER', public: true }), // the caller agreed to publish it
        driver.toApproved({ channel: 'WEB' }),
      ]);
      // An answer written to the citizen alone (the default): never status_notes.
      await driver.staff(STAFF.coordinator, webAnswered.number, 'finalize', { summary: summaryToCitizen }).expect(200);
      await driver.waitForStatus(webAnswered.number, 'RESOLVED');
      const kinds = await stack.db.query(`SELECT tt.kind FROM ticket_texts tt JOIN tickets t ON t.id = tt.ticket_id WHERE t.number = ANY($1) AND tt.kind LIKE 'SUMMARY%'`, [[webAnswered.number, finalized]]);
      expect(kinds.map((k: { kind: string }) => k.kind).sort()).toEqual(['SUMMARY', 'SUMMARY_PUBLIC']);

      const numbers = [byPhone, webPrivate, byPhonePublic, webAnswered].map((x) => x.number);
      const listed = (await stack.http.get(`${V2}/requests.json?page_size=1000`).expect(200)).body as Record<string, string | null>[];
      const ids = listed.map((r) => r.service_request_id);
      expect(numbers.map((n) => ids.includes(n))).toEqual([false, false, true, true]);
      const byIds = (await stack.http.get(`${V2}/requests.json?service_request_id=${numbers.join(',')}`).expect(200)).body.map((r: { service_request_id: string }) => r.service_request_id);
      expect(byIds.sort()).toEqual([byPhonePublic.number, webAnswered.number].sort());
      for (const hidden of [byPhone, webPrivate]) {
        expectError(await stack.http.get(`${V2}/requests/${hidden.number}.json`), 404, 'json', new RegExp(hidden.number));
        expectError(await stack.http.get(`${V2}/requests/${hidden.number}.xml`), 404, 'xml');
      }
      const answered = (await stack.http.get(`${V2}/requests/${webAnswered.number}.json`).expect(200)).body[0];
      expect(answered).toMatchObject({ status: 'closed', status_notes: null });
      expect((await stack.http.get(`${V2}/requests/${finalized}.json`).expect(200)).body[0].status_notes).toBe('Kaldırım taşları yenilendi.');
      for (const body of [JSON.stringify(listed), (await stack.http.get(`${V2}/requests.xml?page_size=1000`).expect(200)).text]) {
        expect(body).not.toContain('Nurcan');
        expect(body).not.toContain('çukur kapatıldı');
      }
      // Every time of every listed request is to the minute.
      for (const r of listed) {
        for (const key of ['requested_datetime', 'updated_datetime', 'expected_datetime']) if (r[key] !== null) expect([key, r[key]]).toEqual([key, expect.stringMatching(/T\d{2}:\d{2}:00Z$/)]);
      }
      // A direct answer is published the same way: only when written as PUBLIC.
      const question = await driver.create({ channel: 'WEB', type: 'INFORMATION', category: 'GENERAL_INFO' });
      await driver.staff(STAFF.coordinator, question.number, 'answer', { answer: 'Su kesintisi 18:00’de biter.', visibility: 'PUBLIC' }).expect(200);
      await driver.waitForStatus(question.number, 'RESOLVED');
      expect((await stack.http.get(`${V2}/requests/${question.number}.json`).expect(200)).body[0].status_notes).toBe('Su kesintisi 18:00’de biter.');
      // The intake's `public` is a JSON boolean.
      const bad = await stack.http.post('/tickets').send({ channel: 'WEB', type: 'REQUEST', category: 'ROAD_REPAIR', requester: { name: 'X', phone: '0532 111 22 33' }, description: 'x', public: 'yes' }).expect(400);
      expect(bad.body.errors[0].field).toBe('public');
    });

    it('requests without a key, and checks of wrong keys, are limited per address (OPEN311_ANONYMOUS_RATE_LIMIT)', async () => {
      // supertest comes from 127.0.0.1: trusting it lets X-Forwarded-For be "another address".
      const limited = await startTestStack({ worker: false, env: { OPEN311_ANONYMOUS_RATE_LIMIT: '2', TRUST_PROXY: 'loopback' } });
      try {
        const from = (address: string) => ({ get: (path: string) => limited.http.get(path).set('X-Forwarded-For', address) });
        await from('203.0.113.1').get(`${V2}/services.json`).expect(200);
        await from('203.0.113.1').get(`${V2}/requests.json`).expect(200);
        expectError(await from('203.0.113.1').get(`${V2}/requests.xml`), 429, 'xml', /without an API key/);
        expect(Number((await from('203.0.113.1').get(`${V2}/discovery.json`)).headers['retry-after'])).toBeGreaterThanOrEqual(1);
        await from('203.0.113.2').get(`${V2}/discovery.json`).expect(200);

        // A wrong secret behind a real prefix costs a hash check: those are counted per address too.
        const { body: client } = await limited.http
          .post('/admin/api-clients')
          .set('Authorization', await limited.bearer(ADMIN))
          .send({ name: 'Sınanan', contact: 'x', requestsPerMinute: 100 })
          .expect(201);
        const wrong = `o311_${client.keyPrefix}.${'A'.repeat(43)}`;
        const attempt = () =>
          limited.http.post(`${V2}/requests.json`).set('X-Forwarded-For', '203.0.113.3').type('form').send({ api_key: wrong, service_code: 'ROAD_REPAIR' });
        expectError(await attempt(), 403, 'json');
        expectError(await attempt(), 403, 'json');
        expectError(await attempt(), 429, 'json', /API key checks/);
      } finally {
        await limited.close();
      }
    });
  });
});
