import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { signedIn, STAFF } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { prng } from './support/prng';
import { publicCoordinate } from '../apps/api/src/common/public-place';

/**
 * The analysis center's figures (GET /analysis/summary, /departments/:id/report, /hot-spots)
 * over a generated data set inserted straight into PostgreSQL: tickets with their audit rows,
 * ratings, closure checks and contacts, all in the local year 2018 (a window no other suite
 * uses). Every expected figure is computed here in TypeScript from the generated objects, from
 * the definitions in docs/architecture.md ("Analysis center"), not by the service's SQL.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Istanbul is UTC+3 all year since 2016. */
const TZ_OFFSET = 3 * HOUR;
const YEAR_FROM = '2017-12-31T21:00:00.000Z';
const YEAR_TO = '2018-12-31T21:00:00.000Z';
const PERIOD = `from=${YEAR_FROM}&to=${YEAR_TO}`;
const LEGAL_MS = 30 * DAY;
const STUCK_MS = 3 * DAY; // QUEUE_STUCK_AFTER's default, as the test stack runs it

const DEPARTMENTS: Record<string, string[]> = {
  'fen-isleri': ['ROAD_REPAIR'],
  'park-bahceler': ['PARK_MAINTENANCE'],
  ulasim: ['PUBLIC_TRANSPORT'],
  'meski-su': ['WATER_OUTAGE'],
};
const INSTITUTION_OF: Record<string, string> = {
  ROAD_REPAIR: 'MUNICIPALITY',
  PARK_MAINTENANCE: 'MUNICIPALITY',
  PUBLIC_TRANSPORT: 'MUNICIPALITY',
  WATER_OUTAGE: 'WATER_UTILITY',
  GENERAL_INFO: 'MUNICIPALITY',
  OTHER: 'MUNICIPALITY',
};
const PLACES = [
  ['Analiz-Doğu', 'Çarşı'],
  ['Analiz-Doğu', 'İskele'],
  ['Analiz-Batı', 'Bağlar'],
  ['Analiz-Batı', 'Ömür'],
] as const;
const OPEN = ['RECEIVED', 'TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED'];
const CHANNELS = ['CALL_CENTER', 'WEB', 'WHATSAPP', 'CONTACT_POINT'];
const OUTCOMES = ['TICKET_CREATED', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE', 'HUNG_UP', 'DUPLICATE_OF_OPEN_TICKET'];

interface Ev {
  type: string;
  at: number;
  data: Record<string, unknown>;
}
interface Gen {
  id: string;
  number: string;
  status: string;
  outcome: string | null;
  category: string;
  type: string;
  channel: string;
  segment: string;
  departmentId: string | null;
  assigneeId: string | null;
  district: string;
  neighbourhood: string;
  receivedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  slaBreached: boolean;
  reopenCount: number;
  stageSince: number;
  events: Ev[];
  rating: number | null;
  checks: ('FIXED' | 'NOT_FIXED' | null)[];
}
interface Contact {
  at: number;
  channel: string;
  outcome: string;
  ticketNumber: string | null;
}
interface Filters {
  institution?: string;
  department?: string;
  category?: string;
  district?: string;
  neighbourhood?: string;
  channel?: string;
  segment?: string;
  type?: string;
}

/** percentile_cont as the SQL standard defines it: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
const dur = (values: number[]) => ({ count: values.length, medianHours: percentile(values, 0.5), p90Hours: percentile(values, 0.9) });
const rate = (base: number, count: number) => ({ base, count, rate: base ? count / base : null });
const localDay = (ms: number) => new Date(ms + TZ_OFFSET).toISOString().slice(0, 10);
const mondayOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
};
const countBy = <T>(items: T[], key: (t: T) => string | null) => {
  const m = new Map<string | null, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.entries()].map(([k, count]) => ({ key: k, count }));
};
const sortCounts = (c: { key: string | null; count: number }[]) => [...c].sort((a, b) => String(a.key).localeCompare(String(b.key)));

/** Compares numbers with a tolerance (SQL floats), everything else exactly. */
function expectClose(got: unknown, want: unknown, path = '$'): void {
  if (typeof want === 'number' && typeof got === 'number') {
    if (Math.abs(got - want) > 1e-6 * Math.max(1, Math.abs(want))) throw new Error(`${path}: got ${got}, want ${want}`);
    return;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) throw new Error(`${path}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    want.forEach((w, i) => expectClose(got[i], w, `${path}[${i}]`));
    return;
  }
  if (want && typeof want === 'object') {
    if (!got || typeof got !== 'object') throw new Error(`${path}: got ${JSON.stringify(got)}`);
    for (const [k, w] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], w, `${path}.${k}`);
    return;
  }
  if (got !== want) throw new Error(`${path}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

describe('analysis center figures (GET /analysis/*)', () => {
  let stack: TestStack;
  const tickets: Gen[] = [];
  const contacts: Contact[] = [];
  const random = prng(20180101);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const run = randomUUID().slice(0, 6);
  let serial = 0;
  let now = Date.now();

  function generate(receivedAt: number, place?: readonly [string, string], category?: string): Gen {
    const status = pick([...OPEN, 'RESOLVED', 'REFERRED', 'CLOSED', 'CLOSED', 'CLOSED', 'CLOSED']);
    const outcome = status === 'REFERRED' ? null : status === 'CLOSED' ? pick(['RESOLVED', 'RESOLVED', 'RESOLVED', 'REFERRED', 'REJECTED']) : null;
    const routed = !['RECEIVED', 'TRIAGE', 'REFERRED'].includes(status) && outcome !== 'REFERRED' && outcome !== 'REJECTED';
    const departmentId = routed ? (category ? Object.keys(DEPARTMENTS).find((d) => DEPARTMENTS[d].includes(category))! : pick(Object.keys(DEPARTMENTS))) : null;
    const cat = category ?? (departmentId ? DEPARTMENTS[departmentId][0] : pick(['GENERAL_INFO', 'OTHER', 'ROAD_REPAIR']));
    const assigned = routed && status !== 'IN_DEPARTMENT';
    const reachedApproval = assigned && ['IN_APPROVAL', 'APPROVED', 'RESOLVED', 'CLOSED'].includes(status);
    const resolved = status === 'RESOLVED' || (status === 'CLOSED' && outcome === 'RESOLVED');
    const events: Ev[] = [{ type: 'RECEIVED', at: receivedAt, data: {} }];
    let t = receivedAt;
    const later = (maxHours: number) => (t += Math.floor(1 + random() * maxHours * HOUR));
    if (routed) {
      if (random() < 0.2) {
        events.push({ type: 'DEPARTMENT_ASSIGNED', at: later(10), data: { departmentId: 'ulasim' } });
        events.push({ type: 'RETURNED_TO_CENTER', at: later(20), data: { departmentId: 'ulasim' } });
        events.push({ type: 'DEPARTMENT_REASSIGNED', at: later(5), data: { departmentId } });
      } else {
        events.push({ type: 'DEPARTMENT_ASSIGNED', at: later(30), data: { departmentId } });
      }
    }
    if (assigned) events.push({ type: 'EXPERT_ASSIGNED', at: later(48), data: {} });
    if (reachedApproval) {
      const levels = 1 + Math.floor(random() * 3);
      const rounds = random() < 0.25 ? 2 : 1;
      for (let round = 1; round <= rounds; round += 1) {
        events.push({ type: 'RESOLUTION_SUBMITTED', at: later(24), data: { round } });
        const rejectAt = round < rounds ? 1 + Math.floor(random() * levels) : 0;
        for (let level = 1; level <= levels; level += 1) {
          if (random() < 0.3) events.push({ type: 'APPROVAL_REMINDER', at: later(12), data: { level } });
          if (level === rejectAt) {
            events.push({ type: 'RESOLUTION_REJECTED', at: later(30), data: { level, round } });
            break;
          }
          if (status === 'IN_APPROVAL' && round === rounds && level === levels) break;
          events.push({ type: 'APPROVED_AT_LEVEL', at: later(30), data: { level, round } });
        }
      }
    }
    const resolvedAt = resolved ? later(72 * (1 + Math.floor(random() * 20))) : null;
    const closedAt = status === 'CLOSED' ? (resolvedAt ? later(15 * 24) : later(24 * 40)) : status === 'REFERRED' ? null : null;
    const reopenCount = resolved && random() < 0.2 ? 1 + Math.floor(random() * 2) : 0;
    const [district, neighbourhood] = place ?? pick(PLACES);
    serial += 1;
    return {
      id: randomUUID(),
      number: `A${run}-${String(serial).padStart(5, '0')}`,
      status,
      outcome,
      category: cat,
      type: pick(['REQUEST', 'COMPLAINT', 'SUGGESTION']),
      channel: pick(CHANNELS),
      segment: pick(['CITIZEN', 'CITIZEN', 'MUHTAR', 'TRADESPERSON']),
      departmentId,
      assigneeId: assigned ? 'expert.fen.ali' : null,
      district,
      neighbourhood,
      receivedAt,
      resolvedAt,
      closedAt,
      slaBreached: random() < 0.25,
      reopenCount,
      stageSince: now - pick([HOUR, 2 * DAY, 5 * DAY, 40 * DAY]),
      events,
      rating: resolved && random() < 0.5 ? 1 + Math.floor(random() * 5) : null,
      checks: resolved ? Array.from({ length: Math.floor(random() * 3) }, () => pick(['FIXED', 'NOT_FIXED', null] as const)) : [],
    };
  }

  /** A ticket resolved, then reopened by the citizen and back at work: open, resolved_at cleared, reopen count 1. */
  function reopenedAndOpen(receivedAt: number): Gen {
    const g = generate(receivedAt);
    const resolvedAt = g.events[g.events.length - 1].at + 24 * HOUR;
    g.events.push({ type: 'RESOLVED', at: resolvedAt, data: {} }, { type: 'REOPENED', at: resolvedAt + 2 * DAY, data: { reopenCount: 1 } });
    return { ...g, status: pick(['TRIAGE', 'IN_DEPARTMENT']), outcome: null, resolvedAt: null, closedAt: null, reopenCount: 1, rating: null, checks: [] };
  }

  async function insert(g: Gen): Promise<void> {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    await stack.db.query(
      `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
         description, district, neighbourhood, status, outcome, department_id, assignee_id, sla_breached, reopen_count, last_event_seq,
         received_at, workflow_started_at, resolved_at, closed_at, updated_at, stage_since)
       VALUES ($1,$2,$3,sha256(convert_to($3,'UTF8')),$4,$5,$6,$7,'Analiz Kişi','+905320000001',true,'Analiz verisi',$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17,$18,$19,now(),$20)`,
      [g.id, g.number, randomUUID(), g.channel, g.type, g.category, g.segment, g.district, g.neighbourhood, g.status, g.outcome, g.departmentId, g.assigneeId, g.slaBreached,
        g.reopenCount, g.events.length, iso(g.receivedAt), iso(g.resolvedAt), iso(g.closedAt), iso(g.stageSince)],
    );
    await stack.db.query(
      `INSERT INTO ticket_events (ticket_id, seq, type, at, actor_kind, actor_id, status, data)
       SELECT $1, s.seq, s.type, s.at, 'SYSTEM', NULL, 'TRIAGE', s.data FROM jsonb_to_recordset($2::jsonb) AS s(seq int, type text, at timestamptz, data jsonb)`,
      [g.id, JSON.stringify(g.events.map((e, i) => ({ seq: i + 1, type: e.type, at: new Date(e.at).toISOString(), data: e.data })))],
    );
    if (g.rating !== null) await stack.db.query(`INSERT INTO ticket_ratings (ticket_id, rating, rated_at) VALUES ($1, $2, $3)`, [g.id, g.rating, iso(g.resolvedAt)]);
    for (const [i, answer] of g.checks.entries()) {
      await stack.db.query(`INSERT INTO closure_checks (ticket_id, round, sent_at, answer, answered_at) VALUES ($1, $2, $3, $4, $5)`, [g.id, i + 1, iso(g.resolvedAt), answer, answer ? iso(g.resolvedAt) : null]);
    }
    tickets.push(g);
  }

  const matches = (g: Gen, f: Filters) =>
    (!f.institution || INSTITUTION_OF[g.category] === f.institution) &&
    (!f.department || g.departmentId === f.department) &&
    (!f.category || g.category === f.category) &&
    (!f.district || g.district === f.district) &&
    (!f.neighbourhood || g.neighbourhood === f.neighbourhood) &&
    (!f.channel || g.channel === f.channel) &&
    (!f.segment || g.segment === f.segment) &&
    (!f.type || g.type === f.type);

  /** The summary, from the definitions, over the generated objects. */
  function expectedSummary(f: Filters, from = Date.parse(YEAR_FROM), to = Date.parse(YEAR_TO)) {
    const c = tickets.filter((g) => g.receivedAt >= from && g.receivedAt < to && matches(g, f));
    const k = contacts.filter((x) => x.at >= from && x.at < to && (!f.channel || x.channel === f.channel));
    const hours = (a: number, b: number) => (a - b) / HOUR;
    const first = (g: Gen, type: string) => g.events.find((e) => e.type === type)?.at ?? null;
    const levelTimes = new Map<number, number[]>();
    for (const g of c) {
      const decisions = g.events.filter((e) => ['RESOLUTION_SUBMITTED', 'APPROVED_AT_LEVEL', 'RESOLUTION_REJECTED'].includes(e.type));
      decisions.forEach((e, i) => {
        if (i === 0 || e.type === 'RESOLUTION_SUBMITTED') return;
        const level = e.data.level as number;
        levelTimes.set(level, [...(levelTimes.get(level) ?? []), hours(e.at, decisions[i - 1].at)]);
      });
    }
    const daily = new Map<string, { day: string; contacts: number; tickets: number }>();
    for (let d = from; d < to; d += DAY) daily.set(localDay(d), { day: localDay(d), contacts: 0, tickets: 0 });
    c.forEach((g) => (daily.get(localDay(g.receivedAt))!.tickets += 1));
    k.forEach((x) => (daily.get(localDay(x.at))!.contacts += 1));
    const weekly = new Map<string, { week: string; contacts: number; tickets: number }>();
    for (const d of daily.values()) {
      const w = weekly.get(mondayOf(d.day)) ?? { week: mondayOf(d.day), contacts: 0, tickets: 0 };
      w.contacts += d.contacts;
      w.tickets += d.tickets;
      weekly.set(w.week, w);
    }
    const answered = (g: Gen) => g.resolvedAt ?? g.closedAt;
    const legalDue = c.filter((g) => answered(g) !== null || g.receivedAt + LEGAL_MS <= now);
    const routed = c.filter((g) => first(g, 'DEPARTMENT_ASSIGNED') !== null);
    const ratings = c.filter((g) => g.rating !== null).map((g) => g.rating!);
    const checks = c.flatMap((g) => g.checks).filter((a) => a !== null);
    return {
      volumes: {
        contacts: { total: k.length, byChannel: countBy(k, (x) => x.channel), byOutcome: countBy(k, (x) => x.outcome) },
        tickets: {
          total: c.length,
          byChannel: countBy(c, (g) => g.channel),
          byType: countBy(c, (g) => g.type),
          byCategory: countBy(c, (g) => g.category),
          byDepartment: countBy(c, (g) => g.departmentId),
          byDistrict: countBy(c, (g) => g.district),
          bySegment: countBy(c, (g) => g.segment),
        },
        daily: [...daily.values()],
        weekly: [...weekly.values()],
      },
      registration: rate(k.length, k.filter((x) => x.outcome !== 'HUNG_UP').length),
      speed: {
        toDepartment: dur(routed.map((g) => hours(first(g, 'DEPARTMENT_ASSIGNED')!, g.receivedAt))),
        toExpert: dur(c.filter((g) => first(g, 'EXPERT_ASSIGNED') !== null).map((g) => hours(first(g, 'EXPERT_ASSIGNED')!, g.receivedAt))),
        toResolution: dur(c.filter((g) => g.resolvedAt !== null).map((g) => hours(g.resolvedAt!, g.receivedAt))),
        toClose: dur(c.filter((g) => g.closedAt !== null).map((g) => hours(g.closedAt!, g.receivedAt))),
        approvalLevels: [...levelTimes.entries()].sort((a, b) => a[0] - b[0]).map(([level, values]) => ({ level, ...dur(values) })),
        sla: { tickets: c.length, breached: c.filter((g) => g.slaBreached).length, compliance: c.length ? c.filter((g) => !g.slaBreached).length / c.length : null },
        legal: {
          due: legalDue.length,
          onTime: legalDue.filter((g) => answered(g) !== null && answered(g)! <= g.receivedAt + LEGAL_MS).length,
          compliance: legalDue.length ? legalDue.filter((g) => answered(g) !== null && answered(g)! <= g.receivedAt + LEGAL_MS).length / legalDue.length : null,
        },
      },
      quality: {
        reopen: rate(c.filter((g) => g.resolvedAt !== null || g.reopenCount > 0).length, c.filter((g) => g.reopenCount > 0).length),
        referral: rate(c.length, c.filter((g) => g.status === 'REFERRED' || g.outcome === 'REFERRED').length),
        returnToCenter: rate(routed.length, routed.filter((g) => g.events.some((e) => e.type === 'RETURNED_TO_CENTER')).length),
        satisfaction: {
          ratings: ratings.length,
          average: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
          satisfied: ratings.filter((r) => r >= 4).length,
          satisfiedShare: ratings.length ? ratings.filter((r) => r >= 4).length / ratings.length : null,
        },
        closureCheckNotFixed: rate(checks.length, checks.filter((a) => a === 'NOT_FIXED').length),
        stuckNow: c.filter((g) => (g.status === 'IN_APPROVAL' || (g.status === 'IN_PROGRESS' && g.assigneeId !== null)) && g.stageSince <= now - STUCK_MS).length,
      },
    };
  }

  /** The answer, with its count lists in one order (the SQL's ties are by key in its collation). */
  function normalised(body: any) {
    const v = body.volumes;
    for (const part of [v.contacts, v.tickets]) for (const key of Object.keys(part)) if (key.startsWith('by')) part[key] = sortCounts(part[key]);
    return body;
  }
  function normalisedExpected(e: ReturnType<typeof expectedSummary>) {
    const v = e.volumes as any;
    for (const part of [v.contacts, v.tickets]) for (const key of Object.keys(part)) if (key.startsWith('by')) part[key] = sortCounts(part[key]);
    return e;
  }

  const get = (who: string, path: string): Promise<Response> => signedIn(stack, who, (http) => http.get(path));

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    now = Date.now();
    const yearStart = Date.parse(YEAR_FROM);
    for (let i = 0; i < 360; i += 1) {
      // Some on the very first and last instants of the local year, most anywhere in it.
      const at = i === 0 ? yearStart : i === 1 ? Date.parse(YEAR_TO) - 1 : yearStart + Math.floor(random() * 365 * DAY);
      await insert(generate(at));
    }
    // Tickets reopened and not yet resolved again: no resolved_at now, yet resolved once, so they
    // belong to the reopen rate's base (a base of `resolved_at IS NOT NULL` alone would miss them).
    for (let i = 0; i < 4; i += 1) await insert(reopenedAndOpen(yearStart + Math.floor(random() * 300 * DAY)));
    // The hot-spot week (Monday 10 December 2018, Istanbul): a burst in Çarşı, a usual week elsewhere.
    const week = Date.parse('2018-12-09T21:00:00Z');
    for (let i = 0; i < 12; i += 1) await insert(generate(week + Math.floor(random() * 6 * DAY), PLACES[0], 'WATER_OUTAGE'));
    for (let i = 0; i < 6; i += 1) await insert(generate(week + Math.floor(random() * 6 * DAY), PLACES[2], 'ROAD_REPAIR'));
    for (let w = 1; w <= 8; w += 1) for (let i = 0; i < 3; i += 1) await insert(generate(week - w * 7 * DAY + Math.floor(random() * 6 * DAY), PLACES[2]));
    const numbers = tickets.map((g) => g.number);
    for (let i = 0; i < 500; i += 1) {
      const outcome = pick(OUTCOMES);
      const contact: Contact = {
        at: i === 0 ? yearStart : yearStart + Math.floor(random() * 365 * DAY),
        channel: pick(CHANNELS),
        outcome,
        ticketNumber: outcome === 'TICKET_CREATED' || outcome === 'DUPLICATE_OF_OPEN_TICKET' ? pick(numbers) : null,
      };
      await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome, ticket_number) VALUES ($1, $2, 'agent.elif', $3, '+905320000001', $4, $5)`, [
        randomUUID(), new Date(contact.at).toISOString(), contact.channel, contact.outcome, contact.ticketNumber,
      ]);
      contacts.push(contact);
    }
  }, 180_000);

  afterAll(() => stack?.close());

  it.each<[string, Filters]>([
    ['no filter', {}],
    ['a department', { department: 'fen-isleri' }],
    ['an institution', { institution: 'WATER_UTILITY' }],
    ['a channel and a type', { channel: 'WEB', type: 'COMPLAINT' }],
    ['a place and a segment', { district: 'Analiz-Batı', neighbourhood: 'Bağlar', segment: 'CITIZEN' }],
    ['a category', { category: 'ROAD_REPAIR' }],
  ])('summary, %s: every figure equals the one computed from the definitions', async (_name, filters) => {
    const query = new URLSearchParams({ from: YEAR_FROM, to: YEAR_TO, ...filters } as Record<string, string>).toString();
    const res = await get(STAFF.coordinator, `/analysis/summary?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: YEAR_FROM, to: YEAR_TO });
    expect(res.body.filters).toMatchObject(filters);
    expectClose(normalised(res.body), normalisedExpected(expectedSummary(filters)));
  });

  it('summary: a shorter period counts only its own tickets and contacts, every day present', async () => {
    const from = '2018-03-04T21:00:00.000Z';
    const to = '2018-05-17T21:00:00.000Z';
    const res = await get(STAFF.auditor, `/analysis/summary?from=${from}&to=${to}`).then((r) => r);
    expect(res.status).toBe(200);
    expect(res.body.volumes.daily).toHaveLength(74);
    expect(res.body.volumes.weekly[0].week).toBe('2018-03-05');
    expectClose(normalised(res.body), normalisedExpected(expectedSummary({}, Date.parse(from), Date.parse(to))));
  });

  it('department report: the department figures, worst categories, oldest open tickets, slowest level', async () => {
    const res = await get(STAFF.fenHead, `/analysis/departments/fen-isleri/report?${PERIOD}`);
    expect(res.status).toBe(200);
    const own = tickets.filter((g) => g.departmentId === 'fen-isleri');
    expect(res.body.department).toMatchObject({ id: 'fen-isleri', institutionId: 'MUNICIPALITY' });
    expectClose(normalised(res.body.summary), normalisedExpected(expectedSummary({ department: 'fen-isleri' })));
    const cats = [...new Set(own.map((g) => g.category))].map((category) => {
      const of = own.filter((g) => g.category === category);
      return {
        category,
        tickets: of.length,
        breached: of.filter((g) => g.slaBreached).length,
        breachRate: of.filter((g) => g.slaBreached).length / of.length,
        reopened: of.filter((g) => g.reopenCount > 0).length,
        medianResolutionHours: percentile(of.filter((g) => g.resolvedAt !== null).map((g) => (g.resolvedAt! - g.receivedAt) / HOUR), 0.5),
      };
    });
    cats.sort((a, b) => b.breachRate - a.breachRate || (b.medianResolutionHours ?? -1) - (a.medianResolutionHours ?? -1));
    expectClose(res.body.worstCategories, cats.slice(0, 5));
    const oldest = own.filter((g) => OPEN.includes(g.status)).sort((a, b) => a.receivedAt - b.receivedAt).slice(0, 10);
    expect(res.body.oldestOpen.map((o: { number: string }) => o.number)).toEqual(oldest.map((g) => g.number));
    expect(res.body.oldestOpen[0]).toMatchObject({ status: oldest[0].status, category: oldest[0].category, receivedAt: new Date(oldest[0].receivedAt).toISOString() });
    const levels = expectedSummary({ department: 'fen-isleri' }).speed.approvalLevels.filter((l) => l.medianHours !== null);
    const slowest = [...levels].sort((a, b) => b.medianHours! - a.medianHours!)[0];
    expectClose(res.body.slowestApprovalLevel, slowest);
  });

  it('hot spots: open tickets by place and category, and the neighbourhood whose week is far above its usual', async () => {
    const res = await get(STAFF.coordinator, `/analysis/hot-spots?week=2018-12-12T10:00:00Z`);
    expect(res.status).toBe(200);
    expect(res.body.week).toEqual({ from: '2018-12-09T21:00:00.000Z', to: '2018-12-16T21:00:00.000Z' });
    expect(res.body.rule).toEqual({ factor: 3, minimum: 5, previousWeeks: 8 });
    const weekFrom = Date.parse('2018-12-09T21:00:00Z');
    const weekTo = weekFrom + 7 * DAY;
    const open = new Map<string, number>();
    for (const g of tickets.filter((x) => OPEN.includes(x.status) && x.receivedAt < weekTo)) {
      const key = `${g.district}|${g.neighbourhood}|${g.category}`;
      open.set(key, (open.get(key) ?? 0) + 1);
    }
    const mine = res.body.openByPlace.filter((o: { district: string }) => o.district?.startsWith('Analiz-'));
    expect(Object.fromEntries(mine.map((o: any) => [`${o.district}|${o.neighbourhood}|${o.category}`, o.open]))).toEqual(Object.fromEntries(open));
    const surges = PLACES.flatMap(([district, neighbourhood]) => {
      const here = tickets.filter((g) => g.district === district && g.neighbourhood === neighbourhood);
      const thisWeek = here.filter((g) => g.receivedAt >= weekFrom && g.receivedAt < weekTo);
      const previousMean = here.filter((g) => g.receivedAt >= weekFrom - 56 * DAY && g.receivedAt < weekFrom).length / 8;
      if (!(thisWeek.length >= 5 && thisWeek.length > 3 * previousMean)) return [];
      const top = countBy(thisWeek, (g) => g.category).sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)))[0];
      return [{ district, neighbourhood, thisWeek: thisWeek.length, previousMean, topCategory: top.key, topCategoryCount: top.count }];
    });
    expect(surges.map((s) => s.neighbourhood)).toContain('Çarşı');
    expect(surges.map((s) => s.neighbourhood)).not.toContain('Bağlar');
    const got = res.body.surges.filter((s: { district: string }) => s.district?.startsWith('Analiz-'));
    expectClose([...got].sort((a, b) => a.neighbourhood.localeCompare(b.neighbourhood)), [...surges].sort((a, b) => a.neighbourhood.localeCompare(b.neighbourhood)));
  });

  it("hot spots' map: a surging neighbourhood's point is the median of its week's positions, rounded as a public place (never one ticket's pin)", async () => {
    const weekFrom = Date.parse('2018-12-09T21:00:00Z');
    const weekTo = weekFrom + 7 * DAY;
    const [district, neighbourhood] = PLACES[0];
    const inWeek = tickets.filter((g) => g.district === district && g.neighbourhood === neighbourhood && g.receivedAt >= weekFrom && g.receivedAt < weekTo);
    // Positions spread over ~1.5 km, one ticket left without one (not counted).
    const placed = inWeek.slice(1).map((g, i) => ({ id: g.id, lat: 36.8 + ((i * 7) % 13) * 0.00113, lng: 34.6 + ((i * 5) % 11) * 0.00097 }));
    for (const x of placed) await stack.db.query('UPDATE tickets SET lat = $2, lng = $3 WHERE id = $1', [x.id, x.lat.toFixed(6), x.lng.toFixed(6)]);
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = (sorted.length - 1) / 2;
      return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
    };
    const res = await get(STAFF.coordinator, `/analysis/hot-spots?week=2018-12-12T10:00:00Z`);
    const surge = res.body.surges.find((s: { district: string; neighbourhood: string }) => s.district === district && s.neighbourhood === neighbourhood);
    expect(surge.point).toEqual({
      lat: publicCoordinate(median(placed.map((x) => Number(x.lat.toFixed(6))))),
      lng: publicCoordinate(median(placed.map((x) => Number(x.lng.toFixed(6))))),
    });
    // No ticket of that week has a position: no point, rather than a made-up one.
    for (const s of res.body.surges.filter((x: { district: string; neighbourhood: string }) => x.district?.startsWith('Analiz-') && x.neighbourhood !== neighbourhood)) expect(s.point).toBeNull();
  });

  it('exports: CSV of one table and XLSX of every table read back equal to the JSON', async () => {
    const json = (await get(STAFF.coordinator, `/analysis/summary?${PERIOD}`)).body;
    const csv = await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=tickets-by-channel`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('summary-tickets-by-channel.csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('key,count');
    // Without lang (scripts) the values stay codes, as the JSON has them; with lang (the console
    // always sends its language) they are labels: Turkish in Turkish Excel's dialect (`;`), English with `,`.
    const LABELS: Record<string, Record<string, string>> = {
      tr: { CALL_CENTER: 'Çağrı merkezi', WEB: 'Web', WHATSAPP: 'WhatsApp', CONTACT_POINT: 'İrtibat noktası' },
      en: { CALL_CENTER: 'Call center', WEB: 'Web', WHATSAPP: 'WhatsApp', CONTACT_POINT: 'Contact point' },
    };
    const byChannel = json.volumes.tickets.byChannel as { key: string; count: number }[];
    const labelled = (lang: string) => byChannel.map((c) => ({ key: LABELS[lang][c.key], count: c.count }));
    expect(byChannel.map((c) => c.key)).toEqual(expect.arrayContaining(['CALL_CENTER']));
    const parsed = (text: string, separator: string) =>
      text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => ({ key: l.split(separator)[0], count: Number(l.split(separator)[1]) }));
    expect(sortCounts(parsed(csv.text, ','))).toEqual(sortCounts(byChannel.map((c) => ({ key: c.key, count: c.count }))));
    const turkish = await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=tickets-by-channel&lang=tr`);
    expect(sortCounts(parsed(turkish.text, ';'))).toEqual(sortCounts(labelled('tr')));
    const english = await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=tickets-by-channel&lang=en`);
    expect(sortCounts(parsed(english.text, ','))).toEqual(sortCounts(labelled('en')));
    expect((await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=tickets-by-channel&lang=de`)).status).toBe(400);

    const daily = await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=daily`);
    expect(daily.text.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1 + 365);

    const xlsx = await signedIn(stack, STAFF.coordinator, (http) =>
      http
        .get(`/analysis/departments/fen-isleri/report?${PERIOD}&format=xlsx`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        }),
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const report = (await get(STAFF.coordinator, `/analysis/departments/fen-isleri/report?${PERIOD}`)).body;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const names = book.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['tickets-by-channel', 'daily', 'weekly', 'speed', 'approval-levels', 'rates', 'worst-categories', 'oldest-open']));
    const rows = (name: string) => {
      const out: unknown[][] = [];
      book.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows('oldest-open')[0]).toEqual(['number', 'status', 'category', 'received_at', 'stage_since', 'age_days']);
    expect(rows('oldest-open').slice(1).map((r) => r[0])).toEqual(report.oldestOpen.map((o: { number: string }) => o.number));
    expect(rows('daily')).toHaveLength(1 + 365);
    expect(rows('daily').slice(1).reduce((s, r) => s + Number(r[2]), 0)).toBe(report.summary.volumes.tickets.total);
    const ratesSheet = Object.fromEntries(rows('rates').slice(1).map((r) => [r[0], r]));
    expect(ratesSheet.sla_compliance[3]).toBeCloseTo(report.summary.speed.sla.compliance, 9);
  });

  it('lang=tr: the CSV as Turkish Excel reads it (BOM, `;`, decimal commas, Turkish headers), the same figures; the XLSX in Turkish', async () => {
    const json = (await get(STAFF.coordinator, `/analysis/summary?${PERIOD}`)).body;
    const csv = await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=rates&lang=tr`);
    expect(csv.status).toBe(200);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const lines = csv.text.slice(1).trim().split('\r\n').map((l) => l.split(';'));
    expect(lines[0]).toEqual(['Ölçü', 'Taban', 'Sayı', 'Oran']);
    const sla = lines.find((l) => l[0] === 'sla_compliance')!;
    expect(sla[3]).toBe(String(json.speed.sla.compliance).replace('.', ','));
    expect(Number(sla[3].replace(',', '.'))).toBeCloseTo(json.speed.sla.compliance, 9);
    const english = await get(STAFF.coordinator, `/analysis/summary?${PERIOD}&format=csv&table=tickets-by-channel&lang=en`);
    expect(english.text.slice(1).split('\r\n')[0]).toBe('Value,Count');

    const xlsx = await signedIn(stack, STAFF.coordinator, (http) =>
      http
        .get(`/analysis/hot-spots?week=2018-12-12T10:00:00Z&format=xlsx&lang=tr`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        }),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Yere göre açıklar', 'Artışlar']);
    expect((book.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(['İlçe', 'Mahalle', 'Kategori', 'Açık']);
  });

  it('CSV cells a spreadsheet would run as formulas are defused, and quotes are escaped', async () => {
    const { toCsv } = await import('../apps/api/src/analysis/analysis-export');
    expect(toCsv({ name: 'x', columns: ['a', 'b'], rows: [['=1+1', 'a,"b"'], [null, 2]] })).toBe('a,b\r\n\'=1+1,"a,""b"""\r\n,2\r\n');
  });

  it('roles: the center, auditors and admins read everything; a department head only their own; others 403; none 401', async () => {
    for (const who of [STAFF.coordinator, STAFF.auditor, 'admin.can']) {
      expect((await get(who, `/analysis/summary?${PERIOD}&department=park-bahceler`)).status).toBe(200);
      expect((await get(who, `/analysis/departments/ulasim/report?${PERIOD}`)).status).toBe(200);
      expect((await get(who, `/analysis/hot-spots?week=2018-12-12T10:00:00Z`)).status).toBe(200);
    }
    const head = await get(STAFF.fenHead, `/analysis/summary?${PERIOD}`);
    expect(head.status).toBe(200);
    expect(head.body.filters.department).toBe('fen-isleri');
    expect(head.body.volumes.tickets.total).toBe(expectedSummary({ department: 'fen-isleri' }).volumes.tickets.total);
    expect((await get(STAFF.fenHead, `/analysis/summary?${PERIOD}&department=park-bahceler`)).status).toBe(403);
    expect((await get(STAFF.fenHead, `/analysis/departments/park-bahceler/report?${PERIOD}`)).status).toBe(403);
    expect((await get(STAFF.fenHead, `/analysis/hot-spots?department=ulasim`)).status).toBe(403);
    expect((await get(STAFF.fenHead, `/analysis/hot-spots`)).body.filters.department).toBe('fen-isleri');
    for (const who of [STAFF.agent, STAFF.fenExpert, STAFF.fenManager, 'muhtar.mentes']) {
      expect((await get(who, `/analysis/summary?${PERIOD}`)).status).toBe(403);
      expect((await get(who, `/analysis/departments/fen-isleri/report?${PERIOD}`)).status).toBe(403);
    }
    await stack.http.get(`/analysis/summary?${PERIOD}`).expect(401);
  });

  it.each([
    ['from after to', `from=${YEAR_TO}&to=${YEAR_FROM}`, 'from'],
    ['a period over two years', `from=2015-01-01T00:00:00Z&to=2018-01-01T00:00:00Z`, 'to'],
    ['a date that is not one', `from=yesterday`, 'from'],
    ['an unknown channel', `${PERIOD}&channel=FAX`, 'channel'],
    ['an unknown type', `${PERIOD}&type=PRAISE`, 'type'],
    ['an unknown format', `${PERIOD}&format=pdf`, 'format'],
    ['csv without a table', `${PERIOD}&format=csv`, 'table'],
    ['csv of an unknown table', `${PERIOD}&format=csv&table=nope`, 'table'],
    ['a table with json', `${PERIOD}&table=daily`, 'table'],
    ['a language with json', `${PERIOD}&lang=tr`, 'lang'],
    ['an unknown language', `${PERIOD}&format=csv&table=daily&lang=de`, 'lang'],
    ['an overlong district', `${PERIOD}&district=${'x'.repeat(101)}`, 'district'],
  ])('400 naming the field: %s', async (_name, query, field) => {
    const res = await get(STAFF.coordinator, `/analysis/summary?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('404 for an unknown department, 400 for a report whose department filter differs from the path', async () => {
    expect((await get(STAFF.coordinator, `/analysis/departments/no-such-dept/report?${PERIOD}`)).status).toBe(404);
    const res = await get(STAFF.coordinator, `/analysis/departments/fen-isleri/report?${PERIOD}&department=ulasim`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('department');
    expect((await get(STAFF.coordinator, `/analysis/hot-spots?week=nope`)).status).toBe(400);
  });
});
