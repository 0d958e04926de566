import { signedIn, STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * Who may do what to which ticket, through HTTP against the real stack (OWASP API1 object level,
 * API5 function level). The expected statuses are written out by hand from the process and the
 * access rules in docs/architecture.md, independently of the code.
 */

/** One account per kind of caller (the demo seed). */
const WHO = {
  agent: 'agent.elif',
  coordinator: 'coord.mehmet',
  assignee: 'expert.fen.ali',
  colleague: 'expert.fen.zeynep', // same department, not assigned
  manager: 'mgr.fen.hasan', // fen-yol-bakim manager, approval level 1
  head: 'head.fen.fatma', // department head, approval level 2
  otherHead: 'head.park.murat',
  otherExpert: 'expert.ulasim.burak',
  auditor: 'auditor.nur',
  admin: 'admin.can',
  muhtar: 'muhtar.mentes', // Yenişehir / Menteş: the matrix tickets are in her neighbourhood
  tradesperson: 'esnaf.kemal', // neither submitted nor follows the matrix tickets
  council: 'meclis.hakan', // added by the center as a follower of every matrix ticket
} as const;
type Who = keyof typeof WHO;

type Stage = 'TRIAGE' | 'IN_PROGRESS' | 'IN_APPROVAL' | 'APPROVED' | 'RESOLVED' | 'REOPENED';

interface RouteCase {
  stage: Stage;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
  /** Expected status per caller; whoever is not listed gets 404 (may not open the ticket). */
  expect: Partial<Record<Who, number>>;
  /** Accepted commands leave the ticket where the next caller can try the same (notes). */
  keepsStage?: boolean;
}

/**
 * The platform-user row (security review, issue 23): the muhtar of the ticket's neighbourhood and a
 * follower open every matrix ticket — reads answer 200 with the public view, every command is 403
 * (platform users never command a ticket) and the audit history 403. The tradesperson, who neither
 * submitted nor follows it, gets 404 like any outsider.
 */
const PLATFORM_READ = { muhtar: 200, council: 200 } as const;
const PLATFORM_REFUSED = { muhtar: 403, council: 403 } as const;

// Everyone who may open a Fen İşleri ticket in progress: the center, the auditors, the department
// (its experts, managers, head), and the platform users of PLATFORM_*. Other departments may not: 404.
const OPENERS = (status: number, overrides: Partial<Record<Who, number>> = {}): Partial<Record<Who, number>> => ({
  ...PLATFORM_REFUSED,
  agent: status,
  coordinator: status,
  assignee: status,
  colleague: status,
  manager: status,
  head: status,
  auditor: status,
  admin: status,
  ...overrides,
});
// In triage the ticket has no department yet: only the center, the auditors and the platform users see it.
const CENTER = (status: number, overrides: Partial<Record<Who, number>> = {}): Partial<Record<Who, number>> => ({
  ...PLATFORM_REFUSED,
  agent: status,
  coordinator: status,
  auditor: status,
  admin: status,
  ...overrides,
});

const MATRIX: Record<string, RouteCase> = {
  'GET /tickets/:n': { stage: 'IN_PROGRESS', method: 'GET', path: '', expect: OPENERS(200, PLATFORM_READ) },
  'GET /tickets/:n/live': { stage: 'IN_PROGRESS', method: 'GET', path: '/live', expect: OPENERS(200, PLATFORM_READ) },
  // Reopened: back in triage, out of the department's reach — except for the staff who acted on it
  // (the assignee resolved it, the manager and the head approved it: issue 20, item 5); a colleague who did not act: 404.
  'GET /tickets/:n (reopened: every answer and citizen’s text on it)': { stage: 'REOPENED', method: 'GET', path: '', expect: CENTER(200, { ...PLATFORM_READ, assignee: 200, manager: 200, head: 200 }) },
  'GET /tickets/:n/history': { stage: 'IN_PROGRESS', method: 'GET', path: '/history', expect: OPENERS(403, { coordinator: 200, auditor: 200, admin: 200 }) },
  'POST assign-department': { stage: 'TRIAGE', method: 'POST', path: '/assign-department', body: { departmentId: 'fen-isleri' }, expect: CENTER(403, { coordinator: 200 }) },
  'POST refer': { stage: 'TRIAGE', method: 'POST', path: '/refer', body: { institutionId: 'toroslar-edas' }, expect: CENTER(403, { coordinator: 200 }) },
  'POST reject': { stage: 'TRIAGE', method: 'POST', path: '/reject', body: { reason: 'SPAM' }, expect: CENTER(403, { coordinator: 200 }) },
  'POST request-info': { stage: 'IN_PROGRESS', method: 'POST', path: '/request-info', body: { question: 'Kapı no?' }, expect: OPENERS(403, { assignee: 200 }) },
  'POST notes (internal)': { stage: 'IN_PROGRESS', method: 'POST', path: '/notes', body: { text: 'Not', visibility: 'INTERNAL' }, expect: OPENERS(200), keepsStage: true },
  'POST notes (to the citizen)': {
    stage: 'IN_PROGRESS',
    method: 'POST',
    path: '/notes',
    body: { text: 'Ekip yolda', visibility: 'CITIZEN' },
    expect: OPENERS(403, { agent: 200, coordinator: 200, assignee: 200 }),
    keepsStage: true,
  },
  'POST resolution': { stage: 'IN_PROGRESS', method: 'POST', path: '/resolution', body: { text: 'Onarıldı' }, expect: OPENERS(403, { assignee: 200 }) },
  'POST assign-expert': {
    stage: 'IN_PROGRESS',
    method: 'POST',
    path: '/assign-expert',
    body: { expertId: 'expert.fen.zeynep' },
    expect: OPENERS(403, { manager: 200, head: 200 }),
  },
  'POST return-to-center': {
    stage: 'IN_PROGRESS',
    method: 'POST',
    path: '/return-to-center',
    body: { reason: 'Yanlış birim' },
    expect: OPENERS(403, { assignee: 200, manager: 200, head: 200 }),
  },
  'POST reassign-department': {
    stage: 'IN_PROGRESS',
    method: 'POST',
    path: '/reassign-department',
    body: { departmentId: 'ulasim' },
    expect: OPENERS(403, { coordinator: 200 }),
  },
  // In approval the chain (manager, head) decides; the head's turn is level 2: not now (409).
  'POST approve': { stage: 'IN_APPROVAL', method: 'POST', path: '/approve', body: {}, expect: OPENERS(403, { manager: 200, head: 409 }) },
  'POST reject-resolution': {
    stage: 'IN_APPROVAL',
    method: 'POST',
    path: '/reject-resolution',
    body: { reason: 'Eksik' },
    expect: OPENERS(403, { manager: 200, head: 409 }),
  },
  'POST finalize': { stage: 'APPROVED', method: 'POST', path: '/finalize', body: { summary: 'Tamam' }, expect: OPENERS(403, { coordinator: 200 }) },
  // The citizen's own commands, sent by the center for a caller.
  'POST withdraw (for the citizen)': { stage: 'IN_PROGRESS', method: 'POST', path: '/withdraw', body: {}, expect: OPENERS(403, { agent: 200, coordinator: 200 }) },
  'POST reopen (for the citizen)': { stage: 'RESOLVED', method: 'POST', path: '/reopen', body: { reason: 'Hâlâ bozuk' }, expect: OPENERS(403, { agent: 200, coordinator: 200 }) },
};

/** The personal data of every matrix ticket and of the item 1 tickets: none of it may reach a platform user who did not submit the ticket. */
const CITIZEN = {
  name: 'Gülsüm Komşuoğlu',
  phone: '0532 907 65 43',
  description: 'Komşumun bahçesindeki kaçak inşaat gece de sürüyor, Komşuoğlu ailesi olarak şikayetçiyiz.',
  address: 'Kuyumcu Sokak No: 17 Daire 4',
  lat: 36.812345,
  lng: 34.612345,
};
const CITIZEN_TICKET = {
  requester: { name: CITIZEN.name, phone: CITIZEN.phone },
  description: CITIZEN.description,
  location: { district: 'Yenişehir', neighbourhood: 'Menteş', address: CITIZEN.address, lat: CITIZEN.lat, lng: CITIZEN.lng },
};
/** The texts written on a ticket walked to REOPENED: staff's, the citizen's, and the answer written to the citizen alone. */
const TEXTS = {
  triageNote: 'Triaj notu: şikayetçi Gülsüm Hanım',
  question: 'Gülsüm Hanım, kapı numaranızı yazar mısınız?',
  infoAnswer: 'Kapı No: 17, arka bahçe tarafı',
  internalNote: 'İç not: şikayetçi komşusuyla kavgalı',
  citizenNote: 'Gülsüm Hanım, ekibimiz yarın geliyor.',
  resolution: 'Kaçak yapı mühürlendi, tutanak Komşuoğlu adına düzenlendi.',
  summary: 'Sayın Gülsüm Komşuoğlu, şikayet ettiğiniz yapı mühürlendi.',
  ratingComment: 'Komşum hâlâ çalışıyor, Gülsüm',
  reopenReason: 'İnşaat mühüre rağmen sürüyor, Kuyumcu Sokak',
};
/** Whatever a platform user may not read: the citizen's data, every text above, and who of the staff did what. */
const FORBIDDEN_TEXT = [
  CITIZEN.name,
  'Gülsüm',
  'Komşuoğlu',
  '907 65 43',
  '9076543',
  '*****',
  CITIZEN.description,
  'kaçak inşaat',
  CITIZEN.address,
  'Kuyumcu',
  '36.8123',
  '34.6123',
  ...Object.values(TEXTS),
  ...Object.values(STAFF),
  ...['agent.elif', 'coord.mehmet', 'expert.fen.zeynep', 'head.park.murat', 'expert.ulasim.burak', 'auditor.nur', 'admin.can'],
];

/** Where in a JSON body (its path) any forbidden text or the exact coordinates appear, walking every key and value. */
function personalDataIn(body: unknown, path = '$'): string[] {
  if (body === null || body === undefined || typeof body === 'boolean') return [];
  if (typeof body === 'number') return body === CITIZEN.lat || body === CITIZEN.lng ? [`${path} = ${body} (exact position)`] : [];
  if (typeof body === 'string') {
    const digits = body.replace(/\D/g, '');
    return [...FORBIDDEN_TEXT.filter((text) => body.includes(text)), ...(digits.includes('5329076543') ? ['phone'] : [])].map((text) => `${path}: ${text}`);
  }
  if (Array.isArray(body)) return body.flatMap((item, i) => personalDataIn(item, `${path}[${i}]`));
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => [...personalDataIn(key, `${path} key`), ...personalDataIn(value, `${path}.${key}`)]);
}

const PLATFORM_USERS: readonly Who[] = ['muhtar', 'tradesperson', 'council'];

describe('authorization', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const request = (who: Who, c: RouteCase, ticket: CreatedTicket) =>
    signedIn(stack, WHO[who], (http) => (c.method === 'GET' ? http.get(`/tickets/${ticket.number}${c.path}`) : http.post(`/tickets/${ticket.number}${c.path}`).send(c.body)));

  /** A matrix ticket (in the muhtar's neighbourhood, the council member following it) at `stage`. */
  async function ticketAt(stage: Stage): Promise<CreatedTicket> {
    const ticket = await walkedTo(stage);
    await signedIn(stack, STAFF.coordinator, (http) => http.post(`/tickets/${ticket.number}/followers`).send({ userId: WHO.council })).expect(200);
    return ticket;
  }

  async function walkedTo(stage: Stage): Promise<CreatedTicket> {
    switch (stage) {
      case 'TRIAGE':
        return t.create(CITIZEN_TICKET);
      case 'IN_PROGRESS':
        return t.toInProgress(CITIZEN_TICKET);
      case 'IN_APPROVAL': {
        const ticket = await t.toInProgress(CITIZEN_TICKET);
        await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
        return ticket;
      }
      case 'APPROVED':
        return t.toApproved(CITIZEN_TICKET);
      case 'RESOLVED': {
        const ticket = await t.toApproved(CITIZEN_TICKET);
        await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Tamamlandı.' }).expect(200);
        return ticket;
      }
      case 'REOPENED':
        return reopenedWithEveryText();
    }
  }

  /** A ticket with every kind of text on it: staff notes and questions, the citizen's answer, rating comment and reopen reason, a summary to the citizen alone. */
  async function reopenedWithEveryText(): Promise<CreatedTicket> {
    const ticket = await t.create(CITIZEN_TICKET);
    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri', note: TEXTS.triageNote }).expect(200);
    await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    await t.staff(STAFF.fenExpert, ticket.number, 'request-info', { question: TEXTS.question }).expect(200);
    await t.citizen(ticket, 'info-provided', { answer: TEXTS.infoAnswer }).expect(200);
    await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: TEXTS.internalNote, visibility: 'INTERNAL' }).expect(200);
    await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: TEXTS.citizenNote, visibility: 'CITIZEN' }).expect(200);
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: TEXTS.resolution }).expect(200);
    await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);
    await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: TEXTS.summary }).expect(200);
    await stack.http.post(`/t/${ticket.number}/rating`).set('X-Tracking-Token', ticket.token).send({ rating: 2, comment: TEXTS.ratingComment }).expect(201);
    await t.citizen(ticket, 'reopen', { reason: TEXTS.reopenReason }).expect(200);
    return ticket;
  }

  describe.each(Object.entries(MATRIX))('%s', (_route, c) => {
    it('answers each role as the matrix says (404 for whoever may not open the ticket)', async () => {
      const shared = await ticketAt(c.stage);
      const seen: Partial<Record<Who, number>> = {};
      for (const who of Object.keys(WHO) as Who[]) {
        const expected = c.expect[who] ?? 404;
        // An accepted command changes the ticket: each gets a fresh one; refusals share one.
        const ticket = expected < 300 && c.method === 'POST' && !c.keepsStage ? await ticketAt(c.stage) : shared;
        const res = await request(who, c, ticket);
        seen[who] = res.status;
        if (res.status === 404) expect(res.body).toMatchObject({ code: 'NOT_FOUND', detail: `ticket ${ticket.number} was not found` });
        // The platform-user row: whatever the answer, not one personal field, citizen's or staff text, exact position or staff id.
        if (PLATFORM_USERS.includes(who)) expect([who, personalDataIn(res.body)]).toEqual([who, []]);
      }
      const expected = Object.fromEntries((Object.keys(WHO) as Who[]).map((who) => [who, c.expect[who] ?? 404]));
      expect(seen).toEqual(expected);
    });
  });

  describe('staff who acted on a ticket keep reading it (issue 20, item 5)', () => {
    it('after the citizen reopens it, the expert and both approvers still open and list it, a colleague who did not act does not, and commands follow the command rules', async () => {
      const ticket = await t.toApproved();
      await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Tamamlandı.' }).expect(200);
      await t.citizen(ticket, 'reopen', { reason: 'Hâlâ bozuk.' }).expect(200);
      await t.waitForStatus(ticket.number, 'TRIAGE');
      for (const who of [WHO.assignee, WHO.manager, WHO.head]) {
        expect([who, (await t.read(who, `/tickets/${ticket.number}`)).status]).toEqual([who, 200]);
        expect([who, (await t.read(who, `/tickets/${ticket.number}/live`)).status]).toEqual([who, 200]);
        const listed = (await t.read(who, `/tickets?limit=100`).expect(200)).body.items.map((i: { number: string }) => i.number);
        expect([who, listed]).toEqual([who, expect.arrayContaining([ticket.number])]);
      }
      // Same department, never acted on it; another department's head: it does not exist for them.
      for (const who of [WHO.colleague, WHO.otherHead]) {
        expect([who, (await t.read(who, `/tickets/${ticket.number}`)).status]).toEqual([who, 404]);
        const listed = (await t.read(who, `/tickets?limit=100`).expect(200)).body.items.map((i: { number: string }) => i.number);
        expect([who, listed]).toEqual([who, expect.not.arrayContaining([ticket.number])]);
      }
      // Reading is all: their view offers no action, and a command is what it was before (the ticket is out of
      // their reach: 404, as for a ticket they never saw), and changes nothing.
      expect((await t.read(WHO.assignee, `/tickets/${ticket.number}`)).body.actions).toEqual([]);
      const before = await t.eventTypes(ticket.number);
      const note = await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: 'Yeniden bakalım.', visibility: 'INTERNAL' });
      expect(note.status).toBe(404);
      const assign = await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert });
      expect(assign.status).toBe(404);
      expect(await t.eventTypes(ticket.number)).toEqual(before);
      // The center still commands it.
      expect((await t.read(WHO.coordinator, `/tickets/${ticket.number}`)).body.actions).toContain('assign-department');
    });
  });

  describe('object level (BOLA)', () => {
    it('a muhtar opens the tickets of their neighbourhood and no other, without any personal field', async () => {
      const mine = await t.create(CITIZEN_TICKET);
      // Menteş is a neighbourhood of Yenişehir only (intake checks GET /districts): another district's neighbourhood.
      const elsewhere = await t.create({ location: { district: 'Mezitli', neighbourhood: 'Viranşehir' } });
      const res = await t.read(WHO.muhtar, `/tickets/${mine.number}`).expect(200);
      expect(personalDataIn(res.body)).toEqual([]); // no name, phone, description, address, exact position, staff id
      expect(res.body.requester).toBeUndefined();
      expect(res.body.description).toBeUndefined();
      expect(res.body.timeline.every((e: { actor: { id: unknown } }) => e.actor.id === null)).toBe(true);
      await t.read(WHO.muhtar, `/tickets/${elsewhere.number}`).expect(404);
    });

    it('mutant (issue 23): a muhtar’s scope is her neighbourhood, not her district — another neighbourhood of Yenişehir is neither listed nor opened', async () => {
      // Palmiye and Menteş are both neighbourhoods of Yenişehir; the muhtar serves Menteş. (Other suites' Palmiye tickets she
      // submitted or follows may be listed: this one she neither submitted nor follows.)
      const next = await t.toInProgress({ location: { district: 'Yenişehir', neighbourhood: 'Palmiye' }, description: 'Palmiye mahallesindeki başvuru' });
      const place = `district=${encodeURIComponent('Yenişehir')}&neighbourhood=Palmiye`;
      for (const path of [`/tickets?${place}`, `/tickets?${place}&sort=received`, `/tickets?queue=following&${place}`, `/tickets?queue=following&district=${encodeURIComponent('Yenişehir')}&limit=100`]) {
        const res = await t.read(WHO.muhtar, path).expect(200);
        expect([path, res.body.items.map((i: { number: string }) => i.number)]).toEqual([path, expect.not.arrayContaining([next.number])]);
      }
      for (const path of ['', '/live', '/history']) await t.read(WHO.muhtar, `/tickets/${next.number}${path}`).expect(404);
      const follow = await signedIn(stack, WHO.muhtar, (http) => http.post(`/tickets/${next.number}/followers`).send({})).expect(404);
      expect(follow.body.code).toBe('NOT_FOUND');
      // The same ticket moved to Menteş is hers.
      await stack.db.query(`UPDATE tickets SET neighbourhood = 'Menteş' WHERE number = $1`, [next.number]);
      await t.read(WHO.muhtar, `/tickets/${next.number}`).expect(200);
      expect((await t.read(WHO.muhtar, `/tickets?queue=following&district=${encodeURIComponent('Yenişehir')}&neighbourhood=${encodeURIComponent('Menteş')}&limit=100`).expect(200)).body.items.map((i: { number: string }) => i.number)).toContain(
        next.number,
      );
    });

    describe('security review item 1 — platform users read no other citizen’s words', () => {
      let ticket: CreatedTicket;
      let published: CreatedTicket;
      beforeAll(async () => {
        // Filed by phone in the muhtar's neighbourhood, every kind of text on it; the council member follows it.
        ticket = await reopenedWithEveryText();
        await signedIn(stack, STAFF.coordinator, (http) => http.post(`/tickets/${ticket.number}/followers`).send({ userId: WHO.council })).expect(200);
        // Another one of her neighbourhood, finalized with a PUBLIC answer.
        published = await t.toApproved(CITIZEN_TICKET);
        await t.staff(STAFF.coordinator, published.number, 'finalize', { summary: 'Kaldırım taşları yenilendi.', visibility: 'PUBLIC' }).expect(200);
        await signedIn(stack, STAFF.coordinator, (http) => http.post(`/tickets/${published.number}/followers`).send({ userId: WHO.council })).expect(200);
      });

      it.each([
        ['the muhtar of the neighbourhood', WHO.muhtar],
        ['a council member following it', WHO.council],
      ])('%s: GET /tickets/:n, /live, lists, queues, search and the follow answer hold no personal field, citizen’s text or staff id', async (_who, who) => {
        const bodies: [string, unknown][] = [];
        const get = async (path: string) => {
          const res = await t.read(who, path).expect(200);
          bodies.push([path, res.body]);
          return res.body;
        };
        const view = await get(`/tickets/${ticket.number}`);
        expect(await get(`/tickets/${ticket.number}/live`)).toEqual(view);
        const following = await get(`/tickets?queue=following&district=${encodeURIComponent('Yenişehir')}&neighbourhood=${encodeURIComponent('Menteş')}&limit=100`);
        expect(following.items.map((i: { number: string }) => i.number)).toContain(ticket.number);
        const everywhere = await get(`/tickets?district=${encodeURIComponent('Yenişehir')}&limit=100`);
        // Issue 20's row fields: no subject (the description's first words), no staff name, no internal flags.
        for (const item of [...following.items, ...everywhere.items] as { number: string; subject: unknown; assigneeName: unknown; flags: unknown }[]) {
          expect([item.number, item.subject, item.assigneeName, item.flags]).toEqual([item.number, null, null, null]);
        }
        // Nor are their lists ordered by the internal SLA.
        expect((await t.read(who, `/tickets?queue=following&sort=deadline`).expect(400)).body.errors[0].field).toBe('sort');
        await get('/queues');
        // A search for the citizen's words finds nothing of a ticket whose text the reader may not see.
        for (const q of ['kaçak inşaat', 'Kuyumcu', 'mühürlendi', 'Komşuoğlu']) {
          const found = await get(`/tickets?q=${encodeURIComponent(q)}`);
          expect([q, found.items.map((i: { number: string }) => i.number)]).toEqual([q, expect.not.arrayContaining([ticket.number])]);
        }
        const followed = await signedIn(stack, who, (http) => http.post(`/tickets/${ticket.number}/followers`).send({})).expect(200);
        bodies.push(['POST followers', followed.body]);
        for (const [path, body] of bodies) expect([path, personalDataIn(body)]).toEqual([path, []]);

        // What they do see: status, steps, category, place (rounded), dates, department.
        expect(view).toMatchObject({
          number: ticket.number,
          status: 'TRIAGE',
          category: 'ROAD_REPAIR',
          reopenCount: 1,
          departmentId: null,
          location: { district: 'Yenişehir', neighbourhood: 'Menteş', lat: 36.812, lng: 34.612 },
          receivedAt: expect.any(String),
        });
        expect(Object.keys(view.location).sort()).toEqual(['district', 'lat', 'lng', 'neighbourhood']);
        for (const field of ['requester', 'description', 'assigneeId', 'approval', 'sla', 'citizenMessages', 'citizenRating', 'actions']) expect([field, view[field]]).toEqual([field, undefined]);
        expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['RECEIVED', 'DEPARTMENT_ASSIGNED', 'CITIZEN_INFO_REQUESTED', 'CITIZEN_INFO_PROVIDED', 'FINALIZED', 'REOPENED']));
        expect(view.timeline.filter((e: { texts?: unknown }) => e.texts)).toEqual([]);

        // The public answer of the other ticket is theirs to read.
        const answer = await get(`/tickets/${published.number}`);
        expect(answer.timeline.find((e: { type: string }) => e.type === 'FINALIZED').texts).toEqual({ summary: 'Kaldırım taşları yenilendi.' });
        expect(personalDataIn(answer)).toEqual([]);
      });

      it('the submitter reads the full text of their own ticket; the read is logged', async () => {
        const filed = await signedIn(stack, WHO.muhtar, (http) => http.post('/tickets').send({ channel: 'WEB', type: 'REQUEST', category: 'ROAD_REPAIR', ...CITIZEN_TICKET })).expect(201);
        await t.waitForStatus(filed.body.number, 'TRIAGE');
        const own = await t.read(WHO.muhtar, `/tickets/${filed.body.number}`).expect(200);
        expect(own.body).toMatchObject({ description: CITIZEN.description, location: { address: CITIZEN.address, lat: CITIZEN.lat, lng: CITIZEN.lng } });
        const log = await t.read(WHO.auditor, `/audit/pii-reads?ticket=${filed.body.number}`).expect(200);
        expect(log.body).toEqual(expect.arrayContaining([expect.objectContaining({ readerId: WHO.muhtar, fields: ['description', 'address'] })]));
        // Someone else's in the same neighbourhood is the public view; nothing personal is read, nothing logged for them.
        await t.read(WHO.muhtar, `/tickets/${ticket.number}`).expect(200);
        const other = await t.read(WHO.auditor, `/audit/pii-reads?ticket=${ticket.number}`).expect(200);
        expect(other.body.filter((r: { readerId: string }) => r.readerId === WHO.muhtar)).toEqual([]);
      });
    });

    it('security review item 6 — GET /tickets/:n/live gives platform users the view GET /tickets/:n gives them, never the workflow state', async () => {
      const ticket = await t.toInProgress(CITIZEN_TICKET);
      await signedIn(stack, STAFF.coordinator, (http) => http.post(`/tickets/${ticket.number}/followers`).send({ userId: WHO.council })).expect(200);
      for (const who of [WHO.muhtar, WHO.council]) {
        const live = await t.read(who, `/tickets/${ticket.number}/live`).expect(200);
        expect(live.body).toEqual((await t.read(who, `/tickets/${ticket.number}`).expect(200)).body);
        for (const field of ['assigneeId', 'approval', 'sla', 'legal', 'timings', 'round']) expect([who, field, live.body[field]]).toEqual([who, field, undefined]);
        expect([who, personalDataIn(live.body)]).toEqual([who, []]);
      }
      // Staff still get the workflow's own state.
      expect((await t.read(WHO.assignee, `/tickets/${ticket.number}/live`).expect(200)).body).toMatchObject({ assigneeId: STAFF.fenExpert, status: 'IN_PROGRESS' });
      await t.read(WHO.tradesperson, `/tickets/${ticket.number}/live`).expect(404);
    });

    it('a platform user files in their own segment, opens their own submission and nobody else’s', async () => {
      const res = await signedIn(stack, WHO.council, (http) =>
        http.post('/tickets').send({
          channel: 'WEB',
          type: 'REQUEST',
          category: 'ROAD_REPAIR',
          requester: { name: 'Hakan Yalçın', phone: '0555 000 00 53' },
          description: 'Meclis üyesi olarak ilettiğim vatandaş talebi.',
        }),
      ).expect(201);
      const [row] = await stack.db.query('SELECT segment, submitted_by FROM tickets WHERE number = $1', [res.body.number]);
      expect(row).toEqual({ segment: 'COUNCIL_MEMBER', submitted_by: WHO.council });
      await t.read(WHO.council, `/tickets/${res.body.number}`).expect(200);
      await t.read(WHO.tradesperson, `/tickets/${res.body.number}`).expect(404);

      // The body may not choose another segment for them, and an anonymous caller may not claim one.
      const claimed = await signedIn(stack, WHO.tradesperson, (http) =>
        http.post('/tickets').send({ channel: 'WEB', type: 'REQUEST', category: 'ROAD_REPAIR', segment: 'MUHTAR', requester: { name: 'X', phone: '0555 000 00 52' }, description: 'x' }),
      ).expect(400);
      expect(claimed.body.errors[0].field).toBe('segment');
      const anonymous = await stack.http
        .post('/tickets')
        .send({ channel: 'WEB', type: 'REQUEST', category: 'ROAD_REPAIR', segment: 'MUHTAR', requester: { name: 'X', phone: '0555 000 00 52' }, description: 'x' })
        .expect(400);
      expect(anonymous.body.errors[0].field).toBe('segment');
    });

    it('a follower added by the center opens the ticket; a platform user cannot add someone else', async () => {
      const ticket = await t.create();
      await t.read(WHO.council, `/tickets/${ticket.number}`).expect(404);
      await signedIn(stack, WHO.council, (http) => http.post(`/tickets/${ticket.number}/followers`).send({})).expect(404);
      await signedIn(stack, WHO.coordinator, (http) => http.post(`/tickets/${ticket.number}/followers`).send({ userId: WHO.council })).expect(200);
      await t.read(WHO.council, `/tickets/${ticket.number}`).expect(200);
      const res = await signedIn(stack, WHO.coordinator, (http) => http.post(`/tickets/${ticket.number}/followers`).send({ userId: WHO.auditor })).expect(400);
      expect(res.body.errors[0].field).toBe('userId');
      await signedIn(stack, WHO.council, (http) => http.post(`/tickets/${ticket.number}/followers`).send({ userId: WHO.tradesperson })).expect(403);
    });

    it('guessing sequential numbers reveals nothing: every ticket one may not open is the same 404 as one that does not exist', async () => {
      const ticket = await t.create();
      const base = Number(ticket.number.split('-')[1]);
      const year = ticket.number.split('-')[0];
      for (let n = base - 3; n <= base + 3; n++) {
        const number = `${year}-${String(n).padStart(6, '0')}`;
        const res = await t.read(WHO.tradesperson, `/tickets/${number}`).expect(404);
        expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: `ticket ${number} was not found` });
        expect(JSON.stringify(res.body)).not.toMatch(/Fatma|0532|Kaldırım/);
      }
    });

    it('another department’s staff get 404 for every route of the ticket', async () => {
      const ticket = await t.toInProgress();
      for (const path of ['', '/live', '/history']) await t.read(WHO.otherExpert, `/tickets/${ticket.number}${path}`).expect(404);
      const bodies: Record<string, Record<string, unknown>> = {
        notes: { text: 'x', visibility: 'INTERNAL' },
        resolution: { text: 'x' },
        'assign-expert': { expertId: WHO.otherExpert },
        'return-to-center': { reason: 'x' },
        withdraw: {},
      };
      for (const [route, body] of Object.entries(bodies)) {
        const res = await t.staff(WHO.otherHead, ticket.number, route, body);
        expect([route, res.status]).toEqual([route, 404]);
      }
    });

    it('a signed-out token reads nothing', async () => {
      const ticket = await t.create();
      const login = await stack.http.post('/auth/login').send({ username: WHO.coordinator, password: 'teksin-demo' }).expect(200);
      const auth = `Bearer ${login.body.accessToken}`;
      await stack.http.get(`/tickets/${ticket.number}`).set('Authorization', auth).expect(200);
      await stack.http.post('/auth/logout').set('Authorization', auth).send({}).expect(204);
      await stack.http.get(`/tickets/${ticket.number}`).set('Authorization', auth).expect(401);
    });
  });

  describe('personal data', () => {
    it('masks the phone for all but the center and the assigned expert, and logs every read for the auditors', async () => {
      const ticket = await t.toInProgress();
      const full = (await t.read(WHO.coordinator, `/tickets/${ticket.number}`).expect(200)).body.requester.phone;
      expect(full).toBe('+905327654321');
      expect((await t.read(WHO.assignee, `/tickets/${ticket.number}`).expect(200)).body.requester.phone).toBe(full);
      for (const who of [WHO.manager, WHO.colleague, WHO.auditor] as const) {
        const phone = (await t.read(who, `/tickets/${ticket.number}`).expect(200)).body.requester.phone;
        expect(phone).toBe('+90532*****21');
      }

      const log = await t.read(WHO.auditor, `/audit/pii-reads?ticket=${ticket.number}`).expect(200);
      const readers = log.body.map((r: { readerId: string; fields: string[] }) => [r.readerId, r.fields.includes('phone')]);
      expect(readers).toEqual(
        expect.arrayContaining([
          [WHO.coordinator, true],
          [WHO.assignee, true],
          [WHO.manager, false],
          [WHO.colleague, false],
          [WHO.auditor, false],
        ]),
      );
      expect(log.body.every((r: { at: string; route: string }) => r.at && r.route)).toBe(true);
      await t.read(WHO.manager, `/audit/pii-reads?ticket=${ticket.number}`).expect(403);
      await t.read(WHO.auditor, '/audit/pii-reads?ticket=nope').expect(400);
    });
  });

  describe('deputies (vekalet)', () => {
    it('a deputy in force who decided her own level may not decide the absent head’s level too (item 10: separation of duties)', async () => {
      // MESKİ: expert → branch manager (1) → deputy.meski.oya (2) → head.meski.leyla (3), whose deputy is oya this week.
      // A deputy deciding for the absent, with the timeline saying on whose behalf: test/deputies.spec.ts.
      const ticket = await t.create({ category: 'WATER_OUTAGE' });
      await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'meski-su' }).expect(200);
      await t.staff('mgr.meski.kemal', ticket.number, 'assign-expert', { expertId: 'expert.meski.emre' }).expect(200);
      await t.staff('expert.meski.emre', ticket.number, 'resolution', { text: 'Vana değiştirildi.' }).expect(200);
      await t.staff('mgr.meski.kemal', ticket.number, 'approve').expect(200);
      await t.staff('deputy.meski.oya', ticket.number, 'approve').expect(200); // level 2, in her own right
      const refused = await t.staff('deputy.meski.oya', ticket.number, 'approve').expect(403); // level 3, for the head: a second level
      expect(refused.body.code).toBe('SEPARATION_OF_DUTIES');
      const res = await t.staff('head.meski.leyla', ticket.number, 'approve').expect(200);
      expect(res.body.status).toBe('APPROVED');
      const approvals = res.body.timeline.filter((e: { type: string }) => e.type === 'APPROVED_AT_LEVEL');
      expect(approvals.map((e: { actor: { id: string }; data: { level: number; onBehalfOf: string | null } }) => [e.data.level, e.actor.id, e.data.onBehalfOf])).toEqual([
        [1, 'mgr.meski.kemal', null],
        [2, 'deputy.meski.oya', null],
        [3, 'head.meski.leyla', null],
      ]);
    });

    it('outside the dates the same person is refused', async () => {
      await stack.db.query(`UPDATE deputies SET valid_to = now() - interval '1 minute' WHERE deputy_id = 'deputy.meski.oya'`);
      try {
        const ticket = await t.create({ category: 'WATER_OUTAGE' });
        await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'meski-su' }).expect(200);
        await t.staff('mgr.meski.kemal', ticket.number, 'assign-expert', { expertId: 'expert.meski.emre' }).expect(200);
        await t.staff('expert.meski.emre', ticket.number, 'resolution', { text: 'Vana değiştirildi.' }).expect(200);
        await t.staff('mgr.meski.kemal', ticket.number, 'approve').expect(200);
        await t.staff('deputy.meski.oya', ticket.number, 'approve').expect(200);
        const res = await t.staff('deputy.meski.oya', ticket.number, 'approve').expect(409); // her own level passed; not the head
        expect(res.body.code).toBe('INVALID_TRANSITION');
      } finally {
        await stack.db.query(`UPDATE deputies SET valid_to = now() + interval '6 days' WHERE deputy_id = 'deputy.meski.oya'`);
      }
    });
  });
});
