import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../libs/database/src';
import { canOpen, type Reader, type StaffRole, type TicketStatus } from '../libs/domain/src';
import { listingFacts } from '../libs/domain/src/ticket.listing';
import { QUEUE_COUNT_CAP, RELEVANCE_CANDIDATES, TicketListingService } from '../apps/api/src/tickets/listing/ticket-listing.service';
import { signedIn } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { prng } from './support/prng';

/**
 * GET /tickets and GET /queues against generated rows inserted straight into PostgreSQL (no
 * workflows). The expected answers are computed here, in TypeScript, from the generated tickets:
 * scope with the domain's canOpen, queues and filters from their written meaning
 * (docs/architecture.md, "Work queues"). Every generated ticket is received in 2019, a window no
 * other suite's ticket is in: the queries carry from/to for it.
 */

const WINDOW = 'from=2019-01-01T00:00:00Z&to=2020-01-01T00:00:00Z';
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The seeded accounts as the access rules see them (libs/database/src/seed.ts), written out by hand. */
const P = (id: string, roles: StaffRole[], departmentId: string | null) => ({ id, roles, departmentId });
const READERS: Record<string, Reader> = {
  'agent.elif': { ...P('agent.elif', ['AGENT'], null), standsInFor: [], neighbourhood: null },
  'auditor.nur': { ...P('auditor.nur', ['AUDITOR'], null), standsInFor: [], neighbourhood: null },
  'expert.fen.ali': { ...P('expert.fen.ali', ['EXPERT'], 'fen-isleri'), standsInFor: [], neighbourhood: null },
  'expert.fen.zeynep': { ...P('expert.fen.zeynep', ['EXPERT'], 'fen-isleri'), standsInFor: [], neighbourhood: null },
  'mgr.fen.hasan': { ...P('mgr.fen.hasan', ['MANAGER', 'APPROVER'], 'fen-isleri'), standsInFor: [], neighbourhood: null },
  'head.fen.fatma': { ...P('head.fen.fatma', ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], 'fen-isleri'), standsInFor: [], neighbourhood: null },
  'expert.park.can': { ...P('expert.park.can', ['EXPERT'], 'park-bahceler'), standsInFor: [], neighbourhood: null },
  'expert.ulasim.burak': { ...P('expert.ulasim.burak', ['EXPERT'], 'ulasim'), standsInFor: [], neighbourhood: null },
  'deputy.meski.oya': {
    ...P('deputy.meski.oya', ['APPROVER'], 'meski-su'),
    standsInFor: [P('head.meski.leyla', ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], 'meski-su')],
    neighbourhood: null,
  },
  'muhtar.mentes': { ...P('muhtar.mentes', ['MUHTAR'], null), standsInFor: [], neighbourhood: { district: 'Yenişehir', neighbourhood: 'Menteş' } },
  'esnaf.kemal': { ...P('esnaf.kemal', ['TRADESPERSON'], null), standsInFor: [], neighbourhood: null },
  'meclis.hakan': { ...P('meclis.hakan', ['COUNCIL_MEMBER'], null), standsInFor: [], neighbourhood: null },
};

const DEPARTMENTS: Record<string, { category: string; experts: string[]; approvers: string[] }> = {
  'fen-isleri': { category: 'ROAD_REPAIR', experts: ['expert.fen.ali', 'expert.fen.zeynep'], approvers: ['mgr.fen.hasan', 'head.fen.fatma'] },
  'park-bahceler': { category: 'PARK_MAINTENANCE', experts: ['expert.park.can', 'expert.park.deniz'], approvers: ['mgr.park.selin', 'head.park.murat'] },
  ulasim: { category: 'PUBLIC_TRANSPORT', experts: ['expert.ulasim.burak'], approvers: ['head.ulasim.gul'] },
  'meski-su': { category: 'WATER_OUTAGE', experts: ['expert.meski.emre'], approvers: ['mgr.meski.kemal', 'deputy.meski.oya', 'head.meski.leyla'] },
};
const PLACES = [
  ['Yenişehir', 'Menteş'],
  // Another neighbourhood of the muhtar's district: the scope is her neighbourhood, not her district (issue 23's mutant).
  ['Yenişehir', 'Palmiye'],
  ['Mezitli', 'Viranşehir'],
  ['Toroslar', 'Akbelen'],
  ['Tarsus', 'Kızılmurat'],
] as const;
const OPEN: TicketStatus[] = ['RECEIVED', 'TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED'];
const STATUSES: TicketStatus[] = [...OPEN, 'RESOLVED', 'REFERRED', 'CLOSED', 'CLOSED', 'CLOSED'];
const TEXTS = ['Yolda büyük bir Çukur var', 'cukur kapatılmadı', 'ÇUKURLU asfalt', 'Kaldırım taşları kırık', 'İstasyon önünde su birikintisi', 'ISIK yanmıyor', 'Park bakımsız'];

interface Generated {
  id: string;
  number: string;
  status: TicketStatus;
  category: string;
  type: string;
  channel: string;
  segment: string;
  departmentId: string | null;
  assigneeId: string | null;
  approverIds: string[];
  level: number;
  escalatedTo: string | null;
  district: string;
  neighbourhood: string;
  description: string;
  address: string | null;
  resolution: string | null;
  receivedAt: string;
  submittedBy: string | null;
  followers: string[];
  /** Percent of the SLA used now, and whether the clock runs. */
  slaUsedPercent: number;
  slaRunning: boolean;
  slaBreached: boolean;
  legalDueInMs: number | null;
  stageAgeMs: number;
  /** As the projection writes them (listingFacts, the contact log). */
  rejectedBack: boolean;
  duplicateContacts: number;
  reopenCount: number;
  /** Set by insert: the SLA's due time (null: paused or stopped). */
  slaDueAt?: string | null;
}

describe('work queues and lists (GET /tickets, GET /queues)', () => {
  let stack: TestStack;
  const tickets: Generated[] = [];
  const run = randomUUID().slice(0, 6);
  let serial = 0;
  const random = prng(20260129);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  function generate(receivedAt?: Date): Generated {
    const status = pick(STATUSES);
    const departmentId = status === 'RECEIVED' || status === 'TRIAGE' ? null : pick(Object.keys(DEPARTMENTS));
    const dept = departmentId ? DEPARTMENTS[departmentId] : null;
    const assigned = dept && ['IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED', 'RESOLVED', 'CLOSED'].includes(status);
    const inApprovalRound = dept && ['IN_APPROVAL', 'APPROVED', 'RESOLVED', 'CLOSED'].includes(status) && random() < 0.8;
    const approverIds = inApprovalRound ? dept.approvers : [];
    const level = approverIds.length ? 1 + Math.floor(random() * approverIds.length) : 1;
    const [district, neighbourhood] = pick(PLACES);
    const segment = pick(['CITIZEN', 'CITIZEN', 'MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER']);
    const submittedBy = segment === 'MUHTAR' ? 'muhtar.mentes' : segment === 'TRADESPERSON' ? 'esnaf.kemal' : segment === 'COUNCIL_MEMBER' ? 'meclis.hakan' : null;
    const followers = ['muhtar.mentes', 'esnaf.kemal', 'meclis.hakan'].filter((u) => u !== submittedBy && random() < 0.1);
    serial += 1;
    return {
      id: randomUUID(),
      number: `L${run}-${String(serial).padStart(5, '0')}`,
      status,
      category: dept?.category ?? pick(['GENERAL_INFO', 'OTHER', 'ROAD_REPAIR']),
      type: pick(['REQUEST', 'COMPLAINT', 'SUGGESTION']),
      channel: pick(['CALL_CENTER', 'WEB', 'WHATSAPP']),
      segment,
      departmentId,
      assigneeId: assigned ? pick(dept.experts) : null,
      approverIds,
      level,
      escalatedTo: status === 'IN_APPROVAL' && approverIds.length > level && random() < 0.3 ? approverIds[level] : null,
      district,
      neighbourhood,
      description: pick(TEXTS),
      address: random() < 0.5 ? pick(['Çukurova Caddesi No 4', 'Gazi Mahallesi 12. Sokak']) : null,
      resolution: status === 'RESOLVED' || status === 'CLOSED' ? pick(['Çukur asfaltlandı', 'Ekip gönderildi']) : null,
      // Some share a received time exactly: the id breaks the tie.
      receivedAt: (receivedAt ?? new Date(Date.UTC(2019, 0, 1) + Math.floor(random() * 360) * DAY + (random() < 0.2 ? 0 : Math.floor(random() * DAY)))).toISOString(),
      submittedBy,
      followers,
      slaUsedPercent: pick([10, 40, 60, 80, 95, 130]),
      slaRunning: random() < 0.7,
      slaBreached: random() < 0.2,
      legalDueInMs: random() < 0.3 ? null : pick([2 * DAY, 4 * DAY, 10 * DAY, 20 * DAY, -DAY]),
      stageAgeMs: pick([HOUR, DAY, 5 * DAY, 10 * DAY]),
      rejectedBack: status === 'IN_PROGRESS' && random() < 0.5,
      duplicateContacts: random() < 0.2 ? 1 + Math.floor(random() * 3) : 0,
      reopenCount: random() < 0.15 ? 1 : 0,
    };
  }

  /** The row as the projection writes it, with the workflow view the access rules read the approval chain from. */
  async function insert(batch: Generated[]): Promise<void> {
    const now = Date.now();
    for (const g of batch) {
      const totalMs = 72 * HOUR;
      const consumed = (totalMs * g.slaUsedPercent) / 100;
      const sla = g.slaRunning
        ? { totalMs, consumedMs: 0, runningSince: new Date(now - consumed).toISOString(), announced: [], breached: g.slaBreached, stopped: false }
        : { totalMs, consumedMs: consumed, runningSince: null, announced: [], breached: g.slaBreached, stopped: false };
      const legal = g.legalDueInMs === null ? { dueAt: new Date(now).toISOString(), warned: false, missed: false, stopped: true } : { dueAt: new Date(now + g.legalDueInMs).toISOString(), warned: false, missed: false, stopped: false };
      const approval = g.approverIds.length
        ? {
            round: 1,
            chain: g.approverIds.map((approverId, i) => ({ level: i + 1, approverId })),
            level: g.level,
            levelStartedAt: new Date(now - g.stageAgeMs).toISOString(),
            reminderSent: false,
            escalatedTo: g.escalatedTo,
            escalated: g.escalatedTo !== null,
          }
        : null;
      const view = { status: g.status, approval, sla, legal };
      const f = listingFacts(view as never);
      await stack.db.query(
        `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
           description, district, neighbourhood, address, status, department_id, assignee_id, approval_level, sla_breached, reopen_count,
           last_event_seq, workflow_view, received_at, workflow_started_at, updated_at, submitted_by,
           approver_ids, current_approver_ids, sla_total_ms, sla_consumed_ms, sla_running_since, sla_due_at, sla_risk_at, legal_due_at, stage_since, resolution_text,
           rejected_back, duplicate_contacts)
         VALUES ($1,$2,$3,sha256(convert_to($3, 'UTF8')),$4,$5,$6,$7,'Deneme Kişi','+905320000000',true,$8,$9,$10,$11,$12,$13,$14,$15,$16,$32,1,$17,$18,$18,now(),$19,
           $20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31)`,
        [
          g.id, g.number, randomUUID(), g.channel, g.type, g.category, g.segment, g.description, g.district, g.neighbourhood, g.address, g.status,
          g.departmentId, g.assigneeId, g.status === 'IN_APPROVAL' ? g.level : null, g.slaBreached, JSON.stringify(view), g.receivedAt, g.submittedBy,
          f.approverIds, f.currentApproverIds, f.slaTotalMs, f.slaConsumedMs, f.slaRunningSince, f.slaDueAt, f.slaRiskAt, f.legalDueAt,
          new Date(now - g.stageAgeMs).toISOString(), g.resolution, g.rejectedBack, g.duplicateContacts, g.reopenCount,
        ],
      );
      g.slaDueAt = f.slaDueAt;
      for (const user of g.followers) {
        await stack.db.query(`INSERT INTO ticket_followers (ticket_id, user_id, added_by) VALUES ($1, $2, 'coord.ayse')`, [g.id, user]);
      }
      tickets.push(g);
    }
  }

  const opens = (reader: Reader, g: Generated) =>
    canOpen(reader, {
      departmentId: g.departmentId,
      assigneeId: g.assigneeId,
      approverIds: g.approverIds,
      district: g.district,
      neighbourhood: g.neighbourhood,
      submittedBy: g.submittedBy,
      followerIds: g.followers,
      // Generated rows have no audit events: nobody acted on them (the acted-on way is covered by test/authorization.spec.ts).
      actorIds: [],
    });
  const positions = (r: Reader) => [r, ...(r.standsInFor ?? [])];
  const isOpen = (g: Generated) => OPEN.includes(g.status);

  /** Each queue's meaning, written from the issue, independent of the SQL. */
  const QUEUE_MEANING: Record<string, (r: Reader, g: Generated) => boolean> = {
    triage: (_r, g) => g.status === 'TRIAGE',
    department: (r, g) =>
      positions(r).some(
        (p) =>
          p.departmentId === g.departmentId &&
          ((g.status === 'IN_DEPARTMENT' && p.roles.some((x) => ['EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD'].includes(x))) ||
            (isOpen(g) && p.roles.some((x) => ['MANAGER', 'DEPARTMENT_HEAD'].includes(x)))),
      ),
    // What waits on the expert (issue 20): not what waits on approvers or the center.
    mine: (r, g) => g.assigneeId === r.id && ['IN_PROGRESS', 'WAITING_FOR_CITIZEN'].includes(g.status),
    approvals: (r, g) =>
      g.status === 'IN_APPROVAL' && g.approverIds.length > 0 && positions(r).some((p) => p.id === g.approverIds[g.level - 1] || p.id === g.escalatedTo),
    'at-risk': (_r, g) => isOpen(g) && (g.slaUsedPercent >= 75 || (g.legalDueInMs !== null && g.legalDueInMs <= 5 * DAY)),
    // QUEUE_STUCK_AFTER is 3 days in the test stack (the default).
    stuck: (_r, g) => (g.status === 'IN_APPROVAL' || (g.status === 'IN_PROGRESS' && g.assigneeId !== null)) && g.stageAgeMs >= 3 * DAY,
    following: (r, g) => g.followers.includes(r.id) || (r.roles.includes('MUHTAR') && g.district === r.neighbourhood?.district && g.neighbourhood === r.neighbourhood?.neighbourhood),
  };

  const newestFirst = (a: Generated, b: Generated) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? 1 : -1) : a.receivedAt < b.receivedAt ? 1 : -1);

  /** Every page of a list, following nextCursor. */
  async function all(staffId: string, query: string, between?: () => Promise<void>): Promise<{ number: string; [k: string]: unknown }[]> {
    const items: { number: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page += 1) {
      const res = await signedIn(stack, staffId, (http) => http.get(`/tickets?${query}${cursor ? `&cursor=${cursor}` : ''}`)).expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return items;
      if (between) await between();
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    await insert(Array.from({ length: 400 }, () => generate()));
  }, 120_000);

  afterAll(() => stack?.close());

  it.each(Object.keys(READERS))('scope: %s lists exactly the tickets canOpen lets them open', async (who) => {
    const got = await all(who, `${WINDOW}&limit=100`);
    const expected = tickets.filter((g) => opens(READERS[who], g)).sort(newestFirst);
    expect(got.map((i) => i.number)).toEqual(expected.map((g) => g.number));
  });

  it('scope: for random readers (roles, departments, deputies, neighbourhoods) the SQL answer equals canOpen', async () => {
    const listing = stack.api.get(TicketListingService);
    const ROLES: StaffRole[] = ['AGENT', 'COORDINATOR', 'EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD', 'AUDITOR', 'ADMIN', 'MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER'];
    const people = [...new Set(Object.values(DEPARTMENTS).flatMap((d) => [...d.experts, ...d.approvers])), 'muhtar.mentes', 'esnaf.kemal', 'meclis.hakan', 'nobody'];
    const position = () => ({ id: pick(people), roles: [pick(ROLES), ...(random() < 0.3 ? [pick(ROLES)] : [])], departmentId: random() < 0.7 ? pick(Object.keys(DEPARTMENTS)) : null });
    for (let i = 0; i < 60; i += 1) {
      const me = position();
      const reader: Reader = {
        ...me,
        standsInFor: random() < 0.3 ? [position()] : [],
        neighbourhood: random() < 0.5 ? (([district, neighbourhood]) => ({ district, neighbourhood }))(pick(PLACES)) : null,
      };
      const numbers: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listing.list({ kind: 'STAFF', ...reader, neighbourhood: reader.neighbourhood }, { from: '2019-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z', limit: 100, cursor });
        numbers.push(...page.items.map((item) => item.number));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect({ reader, numbers: numbers.sort() }).toEqual({ reader, numbers: tickets.filter((g) => opens(reader, g)).map((g) => g.number).sort() });
    }
  });

  it('mutant (issue 23): a muhtar lists her neighbourhood, not her district — alone, with a department role, in every sort', async () => {
    const listing = stack.api.get(TicketListingService);
    const menteş = { district: 'Yenişehir', neighbourhood: 'Menteş' };
    const readers: Reader[] = [
      { id: 'muhtar.mentes', roles: ['MUHTAR'], departmentId: null, standsInFor: [], neighbourhood: menteş },
      // A muhtar who also works in a department: the scope's other branch (department conditions OR her neighbourhood).
      { id: 'muhtar.mentes', roles: ['MUHTAR', 'EXPERT'], departmentId: 'ulasim', standsInFor: [], neighbourhood: menteş },
    ];
    // The generated set has tickets of another neighbourhood of Yenişehir that she may not open.
    expect(tickets.some((g) => g.district === 'Yenişehir' && g.neighbourhood === 'Palmiye' && !opens(readers[0], g))).toBe(true);
    for (const reader of readers) {
      for (const query of [{}, { sort: 'received' as const }, { queue: 'following' as const }, { q: 'çukur', sort: 'relevance' as const }]) {
        const numbers: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listing.list({ kind: 'STAFF', ...reader }, { from: '2019-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z', limit: 100, cursor, ...query });
          numbers.push(...page.items.map((item) => item.number));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const palmiye = tickets.filter((g) => g.neighbourhood === 'Palmiye' && !opens(reader, g)).map((g) => g.number);
        expect({ roles: reader.roles, query, listed: numbers.filter((n) => palmiye.includes(n)) }).toEqual({ roles: reader.roles, query, listed: [] });
      }
    }
  });

  const QUEUE_CASES = Object.keys(READERS).flatMap((who) => Object.keys(QUEUE_MEANING).map((queue) => [who, queue] as const));
  it.each(QUEUE_CASES)('queue: %s, %s', async (who, queue) => {
    const reader = READERS[who];
    const got = await all(who, `${WINDOW}&queue=${queue}&limit=50`);
    const expected = tickets.filter((g) => opens(reader, g) && QUEUE_MEANING[queue](reader, g)).sort(newestFirst);
    expect(got.map((i) => i.number)).toEqual(expected.map((g) => g.number));
  });

  const FILTERS: [string, (g: Generated) => boolean][] = [
    ['status=IN_APPROVAL', (g) => g.status === 'IN_APPROVAL'],
    ['departmentId=fen-isleri', (g) => g.departmentId === 'fen-isleri'],
    ['assigneeId=expert.fen.ali', (g) => g.assigneeId === 'expert.fen.ali'],
    ['category=WATER_OUTAGE', (g) => g.category === 'WATER_OUTAGE'],
    ['type=COMPLAINT', (g) => g.type === 'COMPLAINT'],
    ['channel=WEB', (g) => g.channel === 'WEB'],
    ['segment=MUHTAR', (g) => g.segment === 'MUHTAR'],
    [`district=${encodeURIComponent('Yenişehir')}`, (g) => g.district === 'Yenişehir'],
    [`district=Mezitli&neighbourhood=${encodeURIComponent('Viranşehir')}`, (g) => g.district === 'Mezitli' && g.neighbourhood === 'Viranşehir'],
    ['slaBreached=true', (g) => g.slaBreached],
    ['slaBreached=false', (g) => !g.slaBreached],
  ];
  it.each(FILTERS)('filter %s (center, an expert, a muhtar, a council member)', async (filter, matches) => {
    for (const who of ['agent.elif', 'expert.fen.ali', 'muhtar.mentes', 'meclis.hakan']) {
      const got = await all(who, `${WINDOW}&${filter}&limit=100`);
      const expected = tickets.filter((g) => opens(READERS[who], g) && matches(g)).sort(newestFirst);
      expect(got.map((i) => i.number)).toEqual(expected.map((g) => g.number));
    }
  });

  it.each(['agent.elif', 'muhtar.mentes'])('from/to bound the received time; sort=received is oldest first (%s)', async (who) => {
    const got = await all(who, 'from=2019-03-01T00:00:00Z&to=2019-06-01T00:00:00Z&sort=received&limit=30');
    const expected = tickets
      .filter((g) => opens(READERS[who], g) && g.receivedAt >= '2019-03-01T00:00:00.000Z' && g.receivedAt < '2019-06-01T00:00:00.000Z')
      .sort((a, b) => newestFirst(b, a));
    expect(got.length).toBeGreaterThan(0);
    expect(got.map((i) => i.number)).toEqual(expected.map((g) => g.number));
  });

  it('an item carries what a list row needs, staff ids and clocks hidden from platform users', async () => {
    const staff = await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&queue=approvals&limit=1`)).expect(200);
    const all = await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&status=IN_APPROVAL&limit=1`)).expect(200);
    const item = all.body.items[0];
    const g = tickets.find((t) => t.number === item.number)!;
    expect(staff.body.items).toEqual([]); // the center decides no approvals
    expect(item).toEqual({
      number: g.number,
      type: g.type,
      category: g.category,
      channel: g.channel,
      segment: g.segment,
      status: 'IN_APPROVAL',
      departmentId: g.departmentId,
      assigneeId: g.assigneeId,
      district: g.district,
      neighbourhood: g.neighbourhood,
      // The generated tickets have no position (a queue's map: test/console-map.spec.ts).
      lat: null,
      lng: null,
      receivedAt: g.receivedAt,
      sla: { dueAt: g.slaRunning ? expect.any(String) : null, percentUsed: expect.any(Number), breached: g.slaBreached },
      legalDueAt: g.legalDueInMs === null ? null : expect.any(String),
      approvalLevel: g.approverIds.length ? g.level : null,
      reopenCount: g.reopenCount,
      subject: g.description,
      assigneeName: g.assigneeId ? (await stack.db.query(`SELECT name FROM staff WHERE id = $1`, [g.assigneeId]))[0].name : null,
      flags: { reopened: g.reopenCount > 0, rejectedBack: false, calledAgain: g.duplicateContacts, waitingForCitizen: false },
    });
    expect(Math.abs(item.sla.percentUsed - g.slaUsedPercent)).toBeLessThanOrEqual(1);
    const muhtar = await signedIn(stack, 'muhtar.mentes', (http) => http.get(`/tickets?${WINDOW}&limit=5`)).expect(200);
    for (const row of muhtar.body.items) expect(row).toMatchObject({ assigneeId: null, sla: null, approvalLevel: null, subject: null, assigneeName: null, flags: null, lat: null, lng: null });
    expect(JSON.stringify(muhtar.body)).not.toMatch(/requester|description|address|Deneme/);
  });

  it('rows carry what a worker decides by: subject, assignee by name, flags (reopened, sent back, called again, waiting)', async () => {
    const names = new Map<string, string>((await stack.db.query(`SELECT id, name FROM staff`)).map((r: { id: string; name: string }) => [r.id, r.name]));
    for (const who of ['agent.elif', 'expert.fen.ali', 'mgr.fen.hasan']) {
      const got = await all(who, `${WINDOW}&limit=100`);
      const byNumber = new Map(tickets.map((g) => [g.number, g]));
      expect(got.length).toBeGreaterThan(0);
      for (const item of got) {
        const g = byNumber.get(item.number)!;
        expect({ number: g.number, subject: item.subject, assigneeName: item.assigneeName, flags: item.flags }).toEqual({
          number: g.number,
          subject: g.description,
          assigneeName: g.assigneeId ? (names.get(g.assigneeId) ?? null) : null,
          flags: { reopened: g.reopenCount > 0, rejectedBack: g.rejectedBack, calledAgain: g.duplicateContacts, waitingForCitizen: g.status === 'WAITING_FOR_CITIZEN' },
        });
      }
    }
    // Every flag occurs in the generated set, and the experts of fen-isleri have names.
    const all400 = await all('agent.elif', `${WINDOW}&limit=100`);
    for (const flag of ['reopened', 'rejectedBack', 'waitingForCitizen'] as const) expect(all400.some((i) => (i.flags as Record<string, unknown>)[flag] === true)).toBe(true);
    expect(all400.some((i) => (i.flags as { calledAgain: number }).calledAgain > 0)).toBe(true);
    expect(all400.some((i) => i.assigneeName === 'Ali Çelik')).toBe(true);
  });

  it('a subject is cut at a word after 80 characters; showing it to staff is a read of the description (pii_reads), one row per ticket shown', async () => {
    const [g] = [generate()];
    g.description = 'Menteş Mahallesi 3. Sokak üzerinde geçen haftadan beri kapanmayan büyük bir çukur var, araçlar zarar görüyor ve yayalar yürüyemiyor.';
    g.status = 'TRIAGE';
    g.departmentId = null;
    g.assigneeId = null;
    g.approverIds = [];
    await insert([g]);
    const before = Number((await stack.db.query(`SELECT count(*) FROM pii_reads WHERE reader_id = 'coord.ayse' AND route = 'GET /tickets'`))[0].count);
    const res = await signedIn(stack, 'coord.ayse', (http) => http.get(`/tickets?${WINDOW}&q=${encodeURIComponent('yürüyemiyor')}&limit=5`)).expect(200);
    const item = res.body.items.find((i: { number: string }) => i.number === g.number);
    expect(item.subject).toBe('Menteş Mahallesi 3. Sokak üzerinde geçen haftadan beri kapanmayan büyük bir…');
    const logged = await stack.db.query(`SELECT t.number, p.fields FROM pii_reads p JOIN tickets t ON t.id = p.ticket_id WHERE p.reader_id = 'coord.ayse' AND p.route = 'GET /tickets' ORDER BY p.id DESC LIMIT $1`, [res.body.items.length]);
    expect(logged.map((r: { number: string }) => r.number).sort()).toEqual(res.body.items.map((i: { number: string }) => i.number).sort());
    expect(logged.every((r: { fields: string[] }) => r.fields.join() === 'description')).toBe(true);
    const after = Number((await stack.db.query(`SELECT count(*) FROM pii_reads WHERE reader_id = 'coord.ayse' AND route = 'GET /tickets'`))[0].count);
    expect(after - before).toBe(res.body.items.length);
    // A platform user's rows carry no text: nothing read, nothing logged.
    const muhtarBefore = Number((await stack.db.query(`SELECT count(*) FROM pii_reads WHERE reader_id = 'muhtar.mentes'`))[0].count);
    await signedIn(stack, 'muhtar.mentes', (http) => http.get(`/tickets?${WINDOW}&limit=20`)).expect(200);
    expect(Number((await stack.db.query(`SELECT count(*) FROM pii_reads WHERE reader_id = 'muhtar.mentes'`))[0].count)).toBe(muhtarBefore);
  });

  it('a contact logged as a duplicate of an open ticket counts on its row (called about again)', async () => {
    const g = tickets.find((t) => t.status === 'TRIAGE')!;
    const row = async () => (await all('coord.ayse', `${WINDOW}&status=TRIAGE&limit=100`)).find((i) => i.number === g.number)!;
    const before = (await row()).flags as { calledAgain: number };
    await signedIn(stack, 'agent.elif', (http) => http.post('/contacts').send({ outcome: 'DUPLICATE_OF_OPEN_TICKET', ticketNumber: g.number, phone: '+905321112233' })).expect(201);
    await signedIn(stack, 'agent.elif', (http) => http.post('/contacts').send({ outcome: 'DUPLICATE_OF_OPEN_TICKET', ticketNumber: g.number, phone: '+905321112244' })).expect(201);
    expect(((await row()).flags as { calledAgain: number }).calledAgain).toBe(before.calledAgain + 2);
    g.duplicateContacts += 2;
  });

  const dueOrder = (a: Generated, b: Generated) => {
    const [x, y] = [a.slaDueAt ?? '9999', b.slaDueAt ?? '9999'];
    return x === y ? (a.id < b.id ? -1 : 1) : x < y ? -1 : 1;
  };
  it.each([
    ['coord.ayse', ''],
    ['coord.ayse', '&queue=triage'],
    ['expert.fen.ali', ''],
    ['mgr.fen.hasan', '&queue=department'],
    ['head.fen.fatma', '&status=IN_PROGRESS'],
  ])('sort=deadline: %s%s lists the open tickets, SLA running out first, paused or stopped last, each once across pages', async (who, filter) => {
    const reader = who === 'coord.ayse' ? { ...READERS['agent.elif'], id: 'coord.ayse', roles: ['COORDINATOR', 'AGENT'] as StaffRole[] } : READERS[who];
    const got = await all(who, `${WINDOW}&sort=deadline&limit=3${filter}`);
    const queue = /queue=(\w+)/.exec(filter)?.[1];
    const status = /status=(\w+)/.exec(filter)?.[1];
    const expected = tickets
      .filter((g) => opens(reader, g) && isOpen(g) && (!queue || QUEUE_MEANING[queue](reader, g)) && (!status || g.status === status))
      .sort(dueOrder);
    expect(got.length).toBeGreaterThan(3); // more than one page
    expect(got.map((i) => i.number)).toEqual(expected.map((g) => g.number));
    // Both kinds occur: running clocks first, then the paused ones.
    expect(expected.some((g) => g.slaDueAt) && expected.some((g) => !g.slaDueAt)).toBe(true);
  });

  it('sort=deadline is for staff (400 naming sort for a platform user); its cursor is not another sort’s', async () => {
    const res = await signedIn(stack, 'muhtar.mentes', (http) => http.get(`/tickets?${WINDOW}&sort=deadline`)).expect(400);
    expect(res.body.errors[0].field).toBe('sort');
    const first = await signedIn(stack, 'coord.ayse', (http) => http.get(`/tickets?${WINDOW}&sort=deadline&limit=2`)).expect(200);
    await signedIn(stack, 'coord.ayse', (http) => http.get(`/tickets?${WINDOW}&sort=received&limit=2&cursor=${first.body.nextCursor}`)).expect(400);
    const received = await signedIn(stack, 'coord.ayse', (http) => http.get(`/tickets?${WINDOW}&sort=received&limit=2`)).expect(200);
    await signedIn(stack, 'coord.ayse', (http) => http.get(`/tickets?${WINDOW}&sort=deadline&limit=2&cursor=${received.body.nextCursor}`)).expect(400);
  });

  it.each([
    ['agent.elif', 'queue=triage&sort=received'],
    ['agent.elif', `q=${encodeURIComponent('çukur')}`],
    ['coord.ayse', 'sort=deadline'],
    ['expert.fen.ali', 'queue=mine'],
    ['muhtar.mentes', ''],
    ['meclis.hakan', 'queue=following'],
  ])('the first page says how many the list holds (%s: %s), later pages do not', async (who, query) => {
    const pages: { total: { count: number; more: boolean } | null; items: unknown[] }[] = [];
    let cursor: string | null = null;
    do {
      const res = await signedIn(stack, who, (http) => http.get(`/tickets?${WINDOW}&limit=10${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`)).expect(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor);
    const listed = pages.reduce((n, p) => n + p.items.length, 0);
    expect(pages[0].total).toEqual({ count: listed, more: false });
    expect(pages.slice(1).map((p) => p.total)).toEqual(pages.slice(1).map(() => null));
  });

  it('pagination visits every ticket exactly once while tickets are inserted', async () => {
    const before = tickets.filter((g) => opens(READERS['mgr.fen.hasan'], g)).map((g) => g.number);
    const got = await all('mgr.fen.hasan', `${WINDOW}&limit=7`, () => insert(Array.from({ length: 3 }, () => generate())));
    const numbers = got.map((i) => i.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of before) expect(numbers).toContain(n);
    const ascending = await all('agent.elif', `${WINDOW}&sort=received&limit=9`, () => insert([generate()]));
    expect(new Set(ascending.map((i) => i.number)).size).toBe(ascending.length);
  });

  it('text search is Turkish-aware (çukur finds Çukur, cukur, ÇUKURLU), over description, address and resolution, ranked and paged', async () => {
    const fold = (s: string) => s.replace(/[İIı]/g, 'i').replace(/[Çç]/g, 'c').replace(/[Ğğ]/g, 'g').replace(/[Öö]/g, 'o').replace(/[Şş]/g, 's').replace(/[Üü]/g, 'u').toLowerCase();
    for (const [who, q] of [['agent.elif', 'çukur'], ['expert.fen.ali', 'CUKUR'], ['agent.elif', 'istasyon'], ['agent.elif', 'ışık'], ['esnaf.kemal', 'cukur']] as const) {
      const got = await all(who, `${WINDOW}&q=${encodeURIComponent(q)}&limit=10`);
      const reader = READERS[who];
      const expected = tickets.filter(
        (g) =>
          opens(reader, g) &&
          (!['MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER'].includes(reader.roles[0]) || g.submittedBy === reader.id) &&
          fold(`${g.description} ${g.address ?? ''} ${g.resolution ?? ''}`).includes(fold(q)),
      );
      expect(got.map((i) => i.number).sort()).toEqual(expected.map((g) => g.number).sort());
      expect(new Set(got.map((i) => i.number)).size).toBe(got.length);
    }
    // Ranked: among the RELEVANCE_CANDIDATES most recent matches, a ticket whose text holds the
    // word itself comes before one where it only starts a longer word; the older matches follow,
    // newest first.
    const ranked = await all('agent.elif', `${WINDOW}&q=${encodeURIComponent('çukur')}&limit=100`);
    const byNumber = new Map(tickets.map((t) => [t.number, t]));
    const whole = (n: string) => {
      const g = byNumber.get(n)!;
      return /(^|\s)cukur(\s|$)/.test(fold(`${g.description} ${g.address ?? ''} ${g.resolution ?? ''}`));
    };
    const newestFirst = (a: string, b: string) => byNumber.get(b)!.receivedAt.localeCompare(byNumber.get(a)!.receivedAt);
    expect(ranked.length).toBeGreaterThan(RELEVANCE_CANDIDATES); // both parts are exercised
    const candidates = ranked.slice(0, RELEVANCE_CANDIDATES).map((i) => i.number);
    const older = ranked.slice(RELEVANCE_CANDIDATES).map((i) => i.number);
    const flags = candidates.map(whole);
    expect(flags.includes(true) && flags.includes(false)).toBe(true);
    expect(flags.lastIndexOf(true)).toBeLessThan(flags.indexOf(false));
    const oldestCandidate = [...candidates].sort(newestFirst)[candidates.length - 1];
    expect(older.every((n) => byNumber.get(n)!.receivedAt <= byNumber.get(oldestCandidate)!.receivedAt)).toBe(true);
    expect(older).toEqual([...older].sort(newestFirst));
  });

  it('GET /queues: each queue of the caller with the count its list pages through, up to the cap', async () => {
    let capped = 0;
    for (const who of ['agent.elif', 'expert.fen.ali', 'mgr.fen.hasan', 'deputy.meski.oya', 'muhtar.mentes']) {
      const res = await signedIn(stack, who, (http) => http.get('/queues')).expect(200);
      expect(res.body.queues.length).toBeGreaterThan(0);
      for (const { queue, count, more } of res.body.queues as { queue: string; count: number; more: boolean }[]) {
        const listed = await all(who, `queue=${queue}&limit=100`);
        // A badge counts up to QUEUE_COUNT_CAP, then says "more".
        expect({ queue, count, more }).toEqual({ queue, count: Math.min(listed.length, QUEUE_COUNT_CAP), more: listed.length > QUEUE_COUNT_CAP });
        if (more) capped += 1;
      }
    }
    // The generated set holds queues on both sides of the cap (the center's at-risk queue is over it).
    expect(capped).toBeGreaterThan(0);
    const agent = await signedIn(stack, 'agent.elif', (http) => http.get('/queues')).expect(200);
    expect(agent.body.queues.map((q: { queue: string }) => q.queue)).toEqual(['triage', 'at-risk', 'stuck']);
    const muhtar = await signedIn(stack, 'muhtar.mentes', (http) => http.get('/queues')).expect(200);
    expect(muhtar.body.queues.map((q: { queue: string }) => q.queue)).toEqual(['following']);
  });

  it.each([
    ['queue=everything', 'queue'],
    ['status=OPEN', 'status'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['from=yesterday', 'from'],
    ['slaBreached=yes', 'slaBreached'],
    ['sort=priority', 'sort'],
    ['sort=-deadline', 'sort'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['cursor=%21%21', 'cursor'],
    ['unknown=1', 'unknown'],
    ['status=TRIAGE&status=CLOSED', 'status'],
  ])('400 naming the parameter: %s', async (query, field) => {
    const res = await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${query}`)).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a tampered cursor is 400 naming cursor; a cursor of another sort too', async () => {
    const first = await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&limit=2`)).expect(200);
    const cursor: string = first.body.nextCursor;
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify([parts[0], parts[1], "x' OR 1=1"])).toString('base64url');
    for (const bad of [tampered, cursor.slice(0, -3), `${cursor}AA`]) {
      const res = await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&limit=2&cursor=${bad}`));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('cursor');
    }
    await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&limit=2&sort=received&cursor=${cursor}`)).expect(400);
  });

  it('needs a signed-in caller', async () => {
    await stack.http.get('/tickets').expect(401);
    await stack.http.get('/queues').expect(401);
  });

  describe('security review item 11 — no request may hold a pooled connection for long', () => {
    it('item 11: a search the trigram index cannot serve (no word of 3 letters or digits) is a 400 naming q', async () => {
      for (const q of ['a', 'ç', 'ab', 'su ab', 'a-b-c', '%%%', '__ _', '.. ..']) {
        const res = await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&q=${encodeURIComponent(q)}`));
        expect({ q, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ q, status: 400, fields: ['q'] });
        expect(res.body.errors[0].messages[0]).toMatch(/at least 3 letters or digits/);
      }
      // One searchable word is enough: shorter ones only narrow what it finds.
      for (const q of ['su çukur', 'ışık', 'ÇUK', '2019']) await signedIn(stack, 'agent.elif', (http) => http.get(`/tickets?${WINDOW}&q=${encodeURIComponent(q)}&limit=5`)).expect(200);
    });

    it('item 11: the application role has statement and idle-in-transaction timeouts (SHOW as that role); the owner’s migrations do not', async () => {
      const show = async (db: DataSource) => (await db.query(`SELECT current_user AS role, current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`))[0];
      const app = await show(stack.db);
      expect(app).toEqual({ role: new URL(process.env.TEKSIN_TEST_DATABASE_URL!).username, statement: '15s', idle: '30s' });
      const owner = await createDataSource(process.env.TEKSIN_TEST_OWNER_DATABASE_URL!, false, 1).initialize();
      try {
        const migrations = await show(owner);
        if (process.env.TEKSIN_TEST_OWNER_DATABASE_URL !== process.env.TEKSIN_TEST_DATABASE_URL) expect(migrations.role).not.toBe(app.role);
        expect(migrations).toMatchObject({ statement: '0', idle: '0' });
      } finally {
        await owner.destroy();
      }
    });
  });
});
