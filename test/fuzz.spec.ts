import fc from 'fast-check';
import type { Response } from 'supertest';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

/**
 * Property-based fuzzing of the whole HTTP surface against the real stack: thousands of
 * generated bodies, path parameters, query strings and headers, mixing valid and invalid values
 * so that many requests get past the first check and reach the deep ones (reference look-ups,
 * the ticket's workflow). Whatever comes in: never a 5xx, every 4xx is problem+json with its
 * status, and a refused request creates nothing (no ticket, no orphan text, no workflow, no
 * ticket number). The routes and their bodies come from the OpenAPI document, so a new route or
 * field is fuzzed without touching this file. Seeded: FUZZ_SEED=<n> replays a run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260601);
const RUNS = { intake: 900, commands: 1500, reads: 800, reference: 100, auth: 200 };

// ---- what the OpenAPI document says about bodies --------------------------------------------

interface Schema {
  type?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
}
interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

const OMIT = Symbol('omit');

/** Control characters (plus a few printable neighbours) to splice into strings. */
const control = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f');
const clean = (s: string) => /\S/.test(s) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

/** Values no field should accept (or only by luck): wrong types, control characters, blank, huge, nested junk. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2 }) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), control, fc.string({ maxLength: 20 })).map(([a, c, b]) => a + c + b) },
  { weight: 2, arbitrary: fc.oneof(fc.double({ noNaN: true }), fc.integer()).map(String) },
  { weight: 2, arbitrary: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null)) },
  { weight: 2, arbitrary: fc.stringMatching(/^[ \t\n\r\u00a0\u2003\u3000]{1,8}$/) },
  // Over every maxLength; now and then over the body limit too (413).
  { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 36_000 }).map((n) => 'ş'.repeat(n)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 }) },
);

/** Bodies a JSON.stringify of an object cannot produce. */
const RAW_BODIES = ['{"__proto__":{"channel":"WEB"}}', '{"constructor":{"prototype":{"x":1}}}', '[]', '[{}]', 'null', '"text"', '7', '{"a":', '{}{}', '\u0000'];

function buildArbitraries(openapi: OpenApi, known: { numbers: string[] }) {
  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
    return ref ? openapi.components.schemas[ref.split('/').pop()!] : schema;
  };

  /** Values that pass validation, and for references, values that exist (so the request goes deeper). */
  const validByName: Record<string, fc.Arbitrary<unknown>> = {
    phone: fc.constantFrom('0532 123 45 67', '+90 (532) 123-4567', '(0324) 123 45 67', '0850 222 12 34', '+49 1512 3456789'),
    category: fc.constantFrom('ROAD_REPAIR', 'WATER_OUTAGE', 'GENERAL_INFO', 'SEWERAGE', 'OTHER'),
    departmentId: fc.constantFrom('fen-isleri', 'park-bahceler', 'ulasim', 'meski-su'),
    institutionId: fc.constantFrom('toroslar-edas'),
    expertId: fc.constantFrom('expert.fen.ali', 'expert.park.can', 'coord.ayse'),
    duplicateOf: fc.constantFrom(...known.numbers, '2026-999999'),
  };
  const text = (example: unknown) =>
    fc.oneof(fc.constant(typeof example === 'string' ? example : 'Bilgi notu'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter(clean));

  const valid = (name: string, raw: Schema): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    if (validByName[name]) return validByName[name];
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.properties) return body(schema);
    if (schema.type === 'number' || schema.type === 'integer') return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    return text(schema.example);
  };

  /** An object along the schema: each field valid, junk or left out; now and then a field nobody asked for. */
  const body = (schema: Schema): fc.Arbitrary<Record<string, unknown>> => {
    const fields = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
      const value = fc.oneof({ arbitrary: valid(name, prop), weight: 6 }, { arbitrary: junk, weight: 1 });
      const omitWeight = schema.required?.includes(name) ? 1 : 6;
      return [name, fc.oneof({ arbitrary: value, weight: 12 }, { arbitrary: fc.constant(OMIT), weight: omitWeight })] as const;
    });
    return fc
      .tuple(fc.record(Object.fromEntries(fields)), fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), junk) }))
      .map(([record, extra]) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(record)) if (v !== OMIT) out[k] = v;
        if (extra) out[extra[0]] = extra[1];
        return out;
      });
  };

  /** What goes on the wire: mostly JSON along the schema, sometimes anything, sometimes not even JSON. */
  const payload = (schema: Schema | undefined): fc.Arbitrary<{ contentType: string; text: string | undefined }> =>
    fc.oneof(
      { weight: 16, arbitrary: (schema ? body(resolve(schema)) : fc.constant({})).map((b) => ({ contentType: 'application/json', text: JSON.stringify(b) })) },
      { weight: 2, arbitrary: fc.anything().map((b) => ({ contentType: 'application/json', text: JSON.stringify(b) })) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((text) => ({ contentType: 'application/json', text })) },
      { weight: 1, arbitrary: fc.string().map((text) => ({ contentType: 'text/plain', text })) },
    );

  /** A path segment for :number, already encoded as it goes on the wire. */
  const numberSegment = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...known.numbers) },
    { weight: 2, arbitrary: fc.stringMatching(/^20\d{2}-\d{6}$/) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...known.numbers), control).map(([n, c]) => encodeURIComponent(n.slice(0, -1) + c)) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 6_000 }).map((n) => '9'.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom('%', '%0', '%00', '%ZZ', '%E0%A4', '%C0%AF', '%2F', '%25', '%FF', '%F0%9F%98', '%7F'), fc.stringMatching(/^[a-z0-9-]{1,4}$/)), { minLength: 1, maxLength: 6 })
        .map((parts) => parts.join('')),
    },
  );

  /** Query-string and header values: sane, junk with control characters, raw percent sequences. */
  const queryValue = fc.oneof(
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
    fc.tuple(fc.string({ maxLength: 10 }), control).map(([s, c]) => encodeURIComponent(s + c)),
    fc.constantFrom('%00', '%ZZ', '%', '%FF', 'tr', 'en', ''),
  );
  /** Who calls: a signed-in staff member, nobody, or a junk Authorization header (`raw:` + the value). */
  const staffHeader = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom<string | undefined>(STAFF.coordinator, undefined) },
    { weight: 1, arbitrary: fc.constantFrom(STAFF.fenManager, 'raw:Bearer nobody', 'raw:Bearer a.b.c', 'raw:Basic Y29vcmQuYXlzZTp0ZWtzaW4tZGVtbw==') },
    { weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((junk) => `raw:${junk}`) },
  );
  const tokenHeader = fc.oneof(fc.constant<'own' | undefined>('own'), fc.constant(undefined), fc.stringMatching(/^[\x21-\x7e]{0,40}$/));

  return { payload, numberSegment, queryValue, staffHeader, tokenHeader };
}

describe('fuzz: no input ever gets a 5xx, every refusal is problem+json, and refusals create nothing', () => {
  let stack: TestStack;
  let tickets: CreatedTicket[];
  beforeAll(async () => {
    stack = await startTestStack();
    const t = new TicketDriver(stack);
    // Tickets in a few states, for the commands to meet real rules.
    tickets = [await t.create(), await t.toInProgress(), await t.create({ type: 'INFORMATION', requester: { name: 'Sabit Hat', phone: '0324 111 22 33' } })];
  });
  afterAll(async () => {
    await stack?.close();
  });

  const footprint = async () => {
    const [row] = await stack.db.query(`SELECT
        (SELECT count(*)::int FROM tickets) AS tickets,
        (SELECT count(*)::int FROM ticket_texts) AS texts,
        (SELECT last_value + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM ticket_number_seq)::int AS "nextNumber",
        now() AS at`);
    return row as { tickets: number; texts: number; nextNumber: number; at: Date };
  };

  it('thousands of generated requests to every route', async () => {
    const openapi = (await stack.http.get('/docs/json').expect(200)).body as OpenApi;
    const tokenOf = new Map(tickets.map((t) => [t.number, t.token]));

    const postBody = (path: string) => openapi.paths[path].post?.requestBody?.content['application/json']?.schema;
    const commandPaths = Object.keys(openapi.paths).filter((p) => /^\/tickets\/\{number\}\/[\w-]+$/.test(p) && openapi.paths[p].post);
    const readPaths = Object.keys(openapi.paths).filter((p) => p.includes('{number}') && openapi.paths[p].get);
    // Not /events: a live stream stays open (it never answers as a whole); test/live-events.spec.ts covers it.
    const referencePaths = Object.keys(openapi.paths).filter((p) => !p.includes('{') && openapi.paths[p].get && !['/health', '/events'].includes(p));
    expect(commandPaths.length).toBeGreaterThanOrEqual(14);
    expect(readPaths).toEqual(expect.arrayContaining(['/tickets/{number}', '/t/{number}']));
    expect(referencePaths).toEqual(expect.arrayContaining(['/categories', '/departments', '/institutions']));

    const statuses: Record<number, number> = {};
    const codes: Record<string, number> = {};
    let sent = 0;
    let created = 0;
    // Ticket workflows only: an accepted link re-send starts a short workflow of its own on the same queue.
    const workflowCount = async () =>
      (await stack.client.workflow.count(`TaskQueue = "${stack.config.temporal.taskQueue}" AND WorkflowType = "ticketWorkflow"`)).count;
    await waitFor(async () => (await workflowCount()) === tickets.length, { what: 'the setup tickets’ workflows to be visible' });
    const before = await footprint();

    /** The invariants every single response must keep. */
    const check = (what: string, res: Response) => {
      sent++;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const where = `${what} → ${res.status} ${res.text?.slice(0, 300)}`;
      if (res.status >= 500) throw new Error(`a 5xx: ${where}`);
      if (res.status >= 400) {
        if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) throw new Error(`not problem+json: ${where}`);
        const problem = JSON.parse(res.text);
        if (problem.status !== res.status) throw new Error(`problem status differs from the HTTP status: ${where}`);
        codes[problem.code] = (codes[problem.code] ?? 0) + 1;
      }
    };
    const send = (method: 'get' | 'post', url: string, headers: { staff?: string; token?: string }, body?: { contentType: string; text: string | undefined }) => {
      let req = stack.http[method](url);
      if (headers.staff) req = req.set('Authorization', authorization(headers.staff));
      if (headers.token !== undefined) req = req.set('X-Tracking-Token', headers.token);
      if (body) req = req.set('Content-Type', body.contentType).send(body.text as string);
      return req;
    };
    const token = (choice: string | undefined, number: string) => (choice === 'own' ? tokenOf.get(number) ?? 'none' : choice);
    // Staff sign in once, up front: the requests then carry their access tokens.
    const bearers = new Map<string, string>();
    for (const id of [STAFF.coordinator, STAFF.fenManager]) bearers.set(id, await stack.bearer(id));
    const authorization = (staff: string) => (staff.startsWith('raw:') ? staff.slice(4) : bearers.get(staff)!);

    fc.configureGlobal({ seed: SEED });
    const started = Date.now();

    const intake = buildArbitraries(openapi, { numbers: [...tokenOf.keys()] });
    await fc.assert(
      fc.asyncProperty(intake.payload(postBody('/tickets')), async (body) => {
        const res = await send('post', '/tickets', {}, body);
        check(`POST /tickets ${body.text?.slice(0, 300)}`, res);
        if (res.status === 201) {
          created++;
          expect(res.body.number).toMatch(/^\d{4}-\d{6}$/);
          tokenOf.set(res.body.number, new URL(res.body.trackingUrl).searchParams.get('k')!);
        }
      }),
      { numRuns: RUNS.intake },
    );

    // The tickets the intake run created join the targets: commands meet fresh tickets in triage.
    const arb = buildArbitraries(openapi, { numbers: [...tokenOf.keys()] });

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commandPaths).chain((path) => fc.tuple(fc.constant(path), arb.payload(postBody(path)))),
        arb.numberSegment,
        arb.staffHeader,
        arb.tokenHeader,
        async ([path, body], number, staff, tokenChoice) => {
          const url = path.replace('{number}', number);
          const res = await send('post', url, { staff, token: token(tokenChoice, number) }, body);
          check(`POST ${url.slice(0, 200)} staff=${staff} ${body.text?.slice(0, 300)}`, res);
        },
      ),
      { numRuns: RUNS.commands },
    );

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...readPaths), arb.numberSegment, arb.staffHeader, arb.tokenHeader, arb.queryValue, arb.queryValue, async (path, number, staff, tokenChoice, k, lang) => {
        const url = path === '/t/{number}'
          ? `/t/${number}?k=${tokenChoice === 'own' ? token('own', number) : k}&lang=${lang}`
          : path.replace('{number}', number);
        const res = await send('get', url, { staff, token: path === '/t/{number}' ? undefined : token(tokenChoice, number) });
        check(`GET ${url.slice(0, 200)} staff=${staff}`, res);
      }),
      { numRuns: RUNS.reads },
    );

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...referencePaths), arb.queryValue, arb.staffHeader, async (path, q, staff) => {
        const res = await send('get', `${path}?q=${q}&lang=${q}`, { staff });
        check(`GET ${path}?q=${q}`, res);
      }),
      { numRuns: RUNS.reference },
    );

    // Last, as a sign-out here may end the session the staff above were using.
    const authPaths = Object.keys(openapi.paths).filter((p) => p.startsWith('/auth/') && openapi.paths[p].post);
    expect(authPaths).toEqual(expect.arrayContaining(['/auth/login', '/auth/refresh', '/auth/logout']));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...authPaths).chain((path) => fc.tuple(fc.constant(path), arb.payload(postBody(path)))),
        arb.staffHeader,
        async ([path, body], staff) => {
          const res = await send('post', path, { staff }, body);
          check(`POST ${path} staff=${staff} ${body.text?.slice(0, 300)}`, res);
        },
      ),
      { numRuns: RUNS.auth },
    );

    const seconds = (Date.now() - started) / 1000;
    const after = await footprint();
    // Only accepted intakes made tickets and took ticket numbers.
    expect(after.tickets - before.tickets).toBe(created);
    expect(after.nextNumber - before.nextNumber).toBe(created);
    // Every text written during the run belongs to an accepted command (a refused one deletes its text).
    const [{ orphans }] = await stack.db.query(
      `SELECT count(*)::int AS orphans FROM ticket_texts x WHERE x.created_at >= $1
         AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = x.ticket_id AND e.data::text LIKE '%' || x.id::text || '%')`,
      [before.at],
    );
    expect(orphans).toBe(0);
    // And only accepted intakes started workflows.
    await waitFor(async () => (await workflowCount()) === tickets.length + created, { what: `${tickets.length + created} workflows on the task queue` });

    console.log(
      `fuzz: seed ${SEED}; ${sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(statuses)}; problem codes ${JSON.stringify(codes)}; ` +
        `${created} tickets created, ${after.texts - before.texts} texts written by accepted commands, 0 by refused requests`,
    );
  }, 300_000);
});
