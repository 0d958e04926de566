import Ajv, { type ValidateFunction } from 'ajv';
import { ClosureCheckSweeper } from '../activities/closure-check.sweeper';
import { NotificationActivities } from '../activities/notification.activities';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { OutboxRepository } from '../libs/database/src/outbox.repository';
import { TicketTimelineRepository } from '../libs/database/src/ticket-timeline.repository';
import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn, STAFF, TicketDriver } from './support/ticket-driver';

/**
 * The console's client is generated from /docs/json, so the document must say what the routes
 * really answer. Every answer the console reads is checked here against its documented schema,
 * strictly: no documented field missing, no undocumented field, every type and enum as written.
 */
describe('OpenAPI document: the documented answers are the real ones', () => {
  let stack: TestStack;
  let driver: TicketDriver;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    stack = await startTestStack();
    driver = new TicketDriver(stack);
    doc = (await stack.http.get('/docs/json').expect(200)).body;
  });
  afterAll(() => stack?.close());

  /** OpenAPI 3.0 → JSON Schema: `nullable` as a null type, `$ref` inlined, objects closed. */
  function strict(schema: any): any {
    if (Array.isArray(schema)) return schema.map(strict);
    if (!schema || typeof schema !== 'object') return schema;
    if (schema.$ref) return strict(doc.components.schemas[schema.$ref.split('/').pop()]);
    const out: any = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, strict(sub)]));
      else if (!['nullable', 'example', 'description', 'default', 'format'].includes(key)) out[key] = strict(value);
    }
    if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    if (schema.nullable) {
      if (out.enum) out.enum = [...out.enum, null];
      return { anyOf: [out, { type: 'null' }] };
    }
    return out;
  }

  function expectDocumented(method: string, path: string, status: number, body: unknown): void {
    const key = `${method} ${path} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${key} has no documented schema`);
      validate = ajv.compile(strict(schema));
      validators.set(key, validate);
    }
    const valid = validate(body);
    // For a oneOf (staff or citizen view), the errors of the branch that came closest.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf');
    const branches = new Map<string, typeof errors>();
    for (const e of errors) branches.set(/^#\/oneOf\/\d+/.exec(e.schemaPath)?.[0] ?? '', [...(branches.get(/^#\/oneOf\/\d+/.exec(e.schemaPath)?.[0] ?? '') ?? []), e]);
    const closest = [...branches.values()].sort((a, b) => a.length - b.length)[0] ?? [];
    expect({ key, errors: valid ? null : closest.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`) }).toEqual({ key, errors: null });
  }

  const as = (staffId: string) => ({
    get: async (url: string, path: string) => {
      const res = await signedIn(stack, staffId, (http) => http.get(url)).expect(200);
      expectDocumented('get', path, 200, res.body);
      return res.body;
    },
    post: async (url: string, path: string, body: object, status = 200) => {
      const res = await signedIn(stack, staffId, (http) => http.post(url).send(body)).expect(status);
      expectDocumented('post', path, status, res.body);
      return res.body;
    },
  });

  it('sign-in, queues, lists, reference data and the caller look-up', async () => {
    const login = await stack.http.post('/auth/login').send({ username: STAFF.coordinator, password: 'teksin-demo' }).expect(200);
    expectDocumented('post', '/auth/login', 200, login.body);
    const refreshed = await stack.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    expectDocumented('post', '/auth/refresh', 200, refreshed.body);

    const ticket = await driver.create();
    const coordinator = as(STAFF.coordinator);
    for (const staffId of [STAFF.coordinator, STAFF.fenExpert, STAFF.fenHead, STAFF.auditor]) await as(staffId).get('/queues', '/queues');
    await coordinator.get('/tickets?queue=triage', '/tickets');
    for (const path of ['/categories', '/departments', '/institutions', '/districts']) await coordinator.get(path, path);
    await coordinator.get('/departments/fen-isleri/experts', '/departments/{departmentId}/experts');
    await as(STAFF.agent).get(`/contacts/caller-tickets?phone=05327654321`, '/contacts/caller-tickets');
    await as(STAFF.agent).post('/contacts', '/contacts', { outcome: 'DUPLICATE_OF_OPEN_TICKET', ticketNumber: ticket.number, note: 'yine aradı' }, 201);
    await as(STAFF.auditor).get('/contacts', '/contacts');
    const created = await signedIn(stack, STAFF.agent, (http) =>
      http.post('/tickets').send({ channel: 'CALL_CENTER', type: 'REQUEST', category: 'PARK_MAINTENANCE', requester: { name: 'Can', phone: '0534 222 33 44' }, description: 'Bank kırık.' }),
    ).expect(201);
    expectDocumented('post', '/tickets', 201, created.body);
  });

  it('a ticket through its life: the staff view with actions, command answers, the citizen view, the history', async () => {
    const ticket = await driver.create();
    const path = '/tickets/{number}';
    await as(STAFF.coordinator).get(`/tickets/${ticket.number}`, path);
    await as(STAFF.coordinator).post(`/tickets/${ticket.number}/assign-department`, '/tickets/{number}/assign-department', { departmentId: 'fen-isleri' });
    await driver.waitForStatus(ticket.number, 'IN_DEPARTMENT');
    await as(STAFF.fenManager).post(`/tickets/${ticket.number}/assign-expert`, '/tickets/{number}/assign-expert', { expertId: STAFF.fenExpert });
    await driver.waitForStatus(ticket.number, 'IN_PROGRESS');
    await as(STAFF.fenExpert).post(`/tickets/${ticket.number}/resolution`, '/tickets/{number}/resolution', { text: 'Onarıldı.' });
    await driver.waitForStatus(ticket.number, 'IN_APPROVAL');
    // In approval: the approval round and the clocks are filled in.
    const inApproval = await as(STAFF.fenManager).get(`/tickets/${ticket.number}`, path);
    expect(inApproval.approval).not.toBeNull();
    await as(STAFF.fenExpert).get(`/tickets/${ticket.number}`, path);

    const citizen = await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(200);
    expectDocumented('get', path, 200, citizen.body);
    // A platform user's queues (following) too.
    await as('muhtar.mentes').get('/queues', '/queues');

    const history = await as(STAFF.auditor).get(`/tickets/${ticket.number}/history`, '/tickets/{number}/history');
    expect(history.temporalUiUrl).toBeNull();
  });

  it('the analysis center: summary, department report and hot spots (after the ticket above went through its life)', async () => {
    const coordinator = as(STAFF.coordinator);
    const period = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const summary = await coordinator.get(`/analysis/summary?${period}`, '/analysis/summary');
    expect(summary.volumes.tickets.total).toBeGreaterThan(0);
    await coordinator.get(`/analysis/departments/fen-isleri/report?${period}`, '/analysis/departments/{id}/report');
    await coordinator.get('/analysis/hot-spots', '/analysis/hot-spots');
  });

  it('the other answers: who I am, health, audit and KVKK, administration, following, the citizen’s rating and closure check, Open311', async () => {
    const admin = as('admin.can');
    const auditor = as(STAFF.auditor);
    await admin.get('/me', '/me');
    await as('muhtar.mentes').get('/me', '/me');
    const anonymous = await stack.http.get('/health').expect(200);
    expectDocumented('get', '/health', 200, anonymous.body);
    await admin.get('/health', '/health');

    const ticket = await driver.toApproved({ public: true }); // public: Open311 publishes it below
    await as(STAFF.coordinator).post(`/tickets/${ticket.number}/finalize`, '/tickets/{number}/finalize', { summary: 'Onarıldı.' });
    await driver.waitForStatus(ticket.number, 'RESOLVED');
    await as(STAFF.coordinator).get(`/tickets/${ticket.number}/live`, '/tickets/{number}/live');
    await as(STAFF.coordinator).post(`/tickets/${ticket.number}/followers`, '/tickets/{number}/followers', { userId: 'meclis.hakan' });
    await as(STAFF.coordinator).get(`/tickets/${ticket.number}`, '/tickets/{number}'); // a personal-data read for the log below

    const rated = await stack.http.post(`/t/${ticket.number}/rating`).set('X-Tracking-Token', ticket.token).send({ rating: 5, comment: 'Teşekkürler.' }).expect(201);
    expectDocumented('post', '/t/{number}/rating', 201, rated.body);
    await new ClosureCheckSweeper(new OutboxRepository(stack.db), new TicketTimelineRepository(stack.db), new NotificationActivities(stack.db, new OrganisationRepository(stack.db), stack.sms, stack.config), stack.config).sweep(1);
    const checked = await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', ticket.token).send({ fixed: true }).expect(200);
    expectDocumented('post', '/t/{number}/closure-check', 200, checked.body);

    await auditor.get(`/audit/tickets/${ticket.number}/history`, '/audit/tickets/{number}/history');
    await auditor.post(`/audit/tickets/${ticket.number}/replay`, '/audit/tickets/{number}/replay', {});
    await auditor.get(`/audit/tickets/${ticket.number}/verify`, '/audit/tickets/{number}/verify');
    const exported = await auditor.get(`/audit/tickets/${ticket.number}/export`, '/audit/tickets/{number}/export');
    expect(exported.piiReads.length).toBeGreaterThan(0);
    await auditor.get(`/audit/pii-reads?ticket=${ticket.number}`, '/audit/pii-reads');
    const report = await auditor.get('/audit/subjects?phone=05327654321', '/audit/subjects');
    expect(report.tickets.length).toBeGreaterThan(0);
    await auditor.post('/audit/subjects/erase', '/audit/subjects/erase', { phone: '0539 000 00 01', reason: 'Başvurunun isteği (OpenAPI testi)' });

    await admin.post('/admin/api-clients', '/admin/api-clients', { name: 'OpenAPI testi', contact: 'test', requestsPerMinute: 10 }, 201);
    await admin.get('/admin/api-clients', '/admin/api-clients');
    await admin.get('/admin/deputies', '/admin/deputies');
    await admin.get(`/admin/staff/${STAFF.fenExpert}/oidc-link`, '/admin/staff/{id}/oidc-link');

    for (const [url, path] of [
      ['/open311/v2/discovery.json', '/open311/v2/discovery.{format}'],
      ['/open311/v2/services.json', '/open311/v2/services.{format}'],
      ['/open311/v2/services/ROAD_REPAIR.json', '/open311/v2/services/{service_code}.{format}'],
      ['/open311/v2/requests.json', '/open311/v2/requests.{format}'],
    ]) {
      const res = await stack.http.get(url).expect(200);
      expectDocumented('get', path, 200, res.body);
    }
    const one = await stack.http.get(`/open311/v2/requests/${ticket.number}.json`).expect(200);
    expectDocumented('get', '/open311/v2/requests/{id}.{format}', 200, one.body);
  });
});
