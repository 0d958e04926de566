/**
 * bench/analysis: the analysis center's figures against two years of a big center.
 *
 *   npm run bench:analysis                       (defaults: 1,000,000 tickets, 1,200,000 contacts, 4 clients, 100 requests per case)
 *   TICKETS=20000 CONTACTS=24000 REQUESTS=20 npm run bench:analysis      (a smoke run)
 *   ANALYSIS_DATA_DIR=/tmp/analysis-pg …          (keeps the database: a rerun with the same TICKETS skips the generation)
 *
 * Starts its own throwaway embedded PostgreSQL, migrates and seeds it (the demo organisation),
 * then generates straight into PostgreSQL with INSERT … SELECT over generate_series: tickets
 * spread evenly over 730 days (every category, Mersin's districts, statuses skewed to closed),
 * their audit rows (RECEIVED, DEPARTMENT_ASSIGNED, EXPERT_ASSIGNED, RESOLUTION_SUBMITTED and one
 * APPROVED_AT_LEVEL per level of a 1–3 level chain, a return to the center now and then),
 * contacts (about 86 % registered), ratings and closure checks; the listing indexes are built
 * after the load, then VACUUM ANALYZE. Then it builds the analysis store from PostgreSQL (timed:
 * the rebuild) and runs the API's own AnalysisService twice, side by side in the same run: once
 * without a store (today's design until issue 26, every figure from PostgreSQL) and once with the
 * store (DuckDB, caught up with PostgreSQL before every answer, as the API runs it). Both first
 * answer the same questions at one instant and must agree figure by figure. Each design runs
 * every case from CLIENTS concurrent clients, each request over a random period, and prints
 * p50/p95/p99 against the issue's goals and the ratio of the two designs' p95.
 * DESIGNS=store (or postgres) measures one design only; ANALYSIS_STORE_PATH keeps the store in a
 * file (a rerun feeds it on instead of rebuilding it).
 *
 * Not for the shared development machine beyond a smoke size.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { AnalysisService } from '../../apps/api/src/analysis/analysis.service';
import { AnalysisFeed } from '../../apps/api/src/analysis/store/analysis-feed';
import { AnalysisStore } from '../../apps/api/src/analysis/store/analysis-store';
import type { StaffIdentity } from '../../apps/api/src/identity/identity';
import { loadConfig } from '../../libs/config/src';
import { AnalysisFeedRepository, createDataSource, OrganisationRepository, prepareDatabase } from '../../libs/database/src';
import { MERSIN_DISTRICTS } from '../../libs/database/src/data/mersin-locations';
import { CURRENT_LISTING_INDEXES } from '../../libs/database/src/listing-indexes';
import { ANALYSIS_INDEXES, backfillAnalysisFacts, BACKFILL_CONTACT_DAYS_SQL } from '../../libs/database/src/migrations/1765600000000-analysis-facts';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { measureCases, printGoalTable, type LatencyCase, type LatencyResult } from '../support/latency-cases';

const TICKETS = Number(process.env.TICKETS ?? 1_000_000);
const CONTACTS = Number(process.env.CONTACTS ?? Math.round(TICKETS * 1.2));
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const REQUESTS = Number(process.env.REQUESTS ?? 100);
const CASE_SECONDS = Number(process.env.CASE_SECONDS ?? 30);
const BATCH = 100_000;
const DAY = 86_400_000;

const CATEGORIES = ['ROAD_REPAIR', 'INFRASTRUCTURE', 'PARK_MAINTENANCE', 'PUBLIC_TRANSPORT', 'WATER_OUTAGE', 'SEWERAGE', 'GENERAL_INFO', 'OTHER'];
const CATEGORY_DEPARTMENTS = ['fen-isleri', 'fen-isleri', 'park-bahceler', 'ulasim', 'meski-su', 'meski-su', null, null];
const DEPARTMENTS = ['fen-isleri', 'park-bahceler', 'ulasim', 'meski-su'];
const sqlArray = (values: (string | null)[]) => `(ARRAY[${values.map((v) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`)).join(',')}]::text[])`;
const ANALYSIS_TRIGGERS = [
  ['ticket_events', 'ticket_events_analysis_facts'],
  ['ticket_ratings', 'ticket_ratings_analysis_facts'],
  ['closure_checks', 'closure_checks_analysis_facts'],
  ['contacts', 'contacts_analysis_days'],
  // The analysis store's change log: the store is built from the tables after the load, not fed row by row.
  ['tickets', 'tickets_analysis_change'],
  ['ticket_ratings', 'ticket_ratings_analysis_change'],
  ['closure_checks', 'closure_checks_analysis_change'],
  ['contacts', 'contacts_analysis_change'],
] as const;
const elapsed = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

async function generate(db: DataSource): Promise<void> {
  const places = Object.entries(MERSIN_DISTRICTS).flatMap(([district, names]) => names.map((n) => [district, n]));
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_places (no int PRIMARY KEY, district text, neighbourhood text)`);
  await db.query(`TRUNCATE bench_places`);
  await db.query(`INSERT INTO bench_places SELECT i, d, n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(d, n, i)`, [places.map((p) => p[0]), places.map((p) => p[1])]);
  for (const name of Object.keys({ ...CURRENT_LISTING_INDEXES, ...ANALYSIS_INDEXES })) await db.query(`DROP INDEX IF EXISTS ${name}`);
  // The analysis facts' triggers would update a ticket per audit row loaded; the migration's own
  // backfill computes the same facts in batches after the load.
  for (const [table, trigger] of ANALYSIS_TRIGGERS) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  for (let from = 1; from <= TICKETS; from += BATCH) {
    const to = Math.min(TICKETS, from + BATCH - 1);
    const started = performance.now();
    await db.query(`
      WITH g AS (
        SELECT i, now() - interval '730 days' * (1 - i::float8 / ${TICKETS}) - random() * interval '10 minutes' AS received_at,
          random() AS rs, random() AS ra, random() AS rb, random() AS rc, random() AS rd,
          1 + floor(random() * 8)::int AS cat, 1 + floor(random() * ${places.length})::int AS place
        FROM generate_series(${from}, ${to}) i
      ), s AS (
        SELECT g.*, ${sqlArray(CATEGORIES)}[cat] AS category,
          COALESCE(${sqlArray(CATEGORY_DEPARTMENTS)}[cat], ${sqlArray(DEPARTMENTS)}[1 + floor(rd * 4)::int]) AS dept,
          CASE WHEN received_at < now() - interval '30 days' THEN
            CASE WHEN rs < 0.95 THEN 'CLOSED' WHEN rs < 0.96 THEN 'IN_PROGRESS' WHEN rs < 0.97 THEN 'IN_APPROVAL' WHEN rs < 0.985 THEN 'REFERRED' ELSE 'RESOLVED' END
          ELSE
            CASE WHEN rs < 0.05 THEN 'TRIAGE' WHEN rs < 0.15 THEN 'IN_DEPARTMENT' WHEN rs < 0.40 THEN 'IN_PROGRESS' WHEN rs < 0.55 THEN 'IN_APPROVAL'
                 WHEN rs < 0.70 THEN 'RESOLVED' ELSE 'CLOSED' END
          END AS status
        FROM g
      )
      INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
        description, district, neighbourhood, status, outcome, department_id, assignee_id, sla_breached, reopen_count, last_event_seq,
        received_at, workflow_started_at, resolved_at, closed_at, updated_at, stage_since)
      SELECT gen_random_uuid(), 'B-' || lpad(i::text, 7, '0'), md5(i::text), sha256(convert_to(md5(i::text), 'UTF8')),
        (ARRAY['CALL_CENTER','CALL_CENTER','CALL_CENTER','WEB','WHATSAPP','SOCIAL_MEDIA','CONTACT_POINT'])[1 + floor(ra * 7)::int],
        (ARRAY['REQUEST','COMPLAINT','SUGGESTION','INFORMATION','REPORT','THANKS'])[1 + floor(rb * 6)::int], category,
        CASE WHEN rc < 0.85 THEN 'CITIZEN' WHEN rc < 0.93 THEN 'MUHTAR' WHEN rc < 0.97 THEN 'TRADESPERSON' ELSE 'COUNCIL_MEMBER' END,
        'Vatandaş ' || i, '+90532' || lpad((i % 10000000)::text, 7, '0'), true, 'Bench kaydı ' || i, p.district, p.neighbourhood,
        status, CASE WHEN status = 'CLOSED' THEN CASE WHEN rd < 0.05 THEN 'REFERRED' ELSE 'RESOLVED' END END,
        CASE WHEN status IN ('TRIAGE','REFERRED') THEN NULL ELSE dept END,
        CASE WHEN status IN ('IN_PROGRESS','IN_APPROVAL','RESOLVED','CLOSED') THEN 'expert.fen.ali' END,
        rb < 0.12, CASE WHEN rs > 0.99 THEN 1 ELSE 0 END, 5, received_at, received_at,
        CASE WHEN status IN ('RESOLVED','CLOSED') THEN received_at + (1 + rc * 40) * interval '1 day' END,
        CASE WHEN status = 'CLOSED' THEN received_at + (16 + rc * 40) * interval '1 day' END,
        received_at, received_at + rb * (now() - received_at)
      FROM s JOIN bench_places p ON p.no = s.place`);
    // Their audit rows: seq 1 RECEIVED, 2 DEPARTMENT_ASSIGNED, 3 EXPERT_ASSIGNED, 4 RESOLUTION_SUBMITTED, 5.. one approval per level.
    await db.query(`
      INSERT INTO ticket_events (ticket_id, seq, type, at, actor_kind, actor_id, status, data)
      SELECT t.id, e.seq, e.type, t.received_at + e.after, 'SYSTEM', NULL, t.status, e.data
        FROM tickets t
        CROSS JOIN LATERAL (SELECT 1 + (abs(hashtext(t.number)) % 3) AS levels, (abs(hashtext(t.number || 'h')) % 1000) / 1000.0 AS h) k
        CROSS JOIN LATERAL (
          SELECT 1 AS seq, 'RECEIVED' AS type, interval '0' AS after, '{}'::jsonb AS data
          UNION ALL SELECT 2, 'DEPARTMENT_ASSIGNED', (1 + k.h * 20) * interval '1 hour', jsonb_build_object('departmentId', t.department_id) WHERE t.department_id IS NOT NULL
          UNION ALL SELECT 3, CASE WHEN k.h < 0.04 THEN 'RETURNED_TO_CENTER' ELSE 'EXPERT_ASSIGNED' END, (25 + k.h * 30) * interval '1 hour', '{}'::jsonb WHERE t.assignee_id IS NOT NULL
          UNION ALL SELECT 4, 'RESOLUTION_SUBMITTED', (60 + k.h * 20) * interval '1 hour', '{}'::jsonb WHERE t.status IN ('IN_APPROVAL','RESOLVED','CLOSED') AND t.assignee_id IS NOT NULL
          UNION ALL SELECT 4 + l, 'APPROVED_AT_LEVEL', (80 + l * 10 + k.h * 10) * interval '1 hour', jsonb_build_object('level', l)
            FROM generate_series(1, k.levels) l WHERE t.status IN ('RESOLVED','CLOSED') AND t.assignee_id IS NOT NULL
        ) e
       WHERE t.number BETWEEN 'B-' || lpad('${from}', 7, '0') AND 'B-' || lpad('${to}', 7, '0')`);
    console.log(`  tickets and their events ${from}–${to}: ${elapsed(started)}`);
  }
  await db.query(`INSERT INTO ticket_ratings (ticket_id, rating, rated_at) SELECT id, 1 + floor(random() * 5)::int, resolved_at FROM tickets WHERE resolved_at IS NOT NULL AND random() < 0.1`);
  await db.query(`INSERT INTO closure_checks (ticket_id, round, sent_at, answer, answered_at)
    SELECT id, 1, resolved_at, CASE WHEN random() < 0.15 THEN 'NOT_FIXED' ELSE 'FIXED' END, resolved_at FROM tickets WHERE resolved_at IS NOT NULL AND random() < 0.2`);
  for (let from = 1; from <= CONTACTS; from += BATCH) {
    const to = Math.min(CONTACTS, from + BATCH - 1);
    const started = performance.now();
    await db.query(`
      INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome, ticket_number)
      SELECT gen_random_uuid(), now() - interval '730 days' * (1 - i::float8 / ${CONTACTS}), 'agent.elif',
        (ARRAY['CALL_CENTER','CALL_CENTER','CALL_CENTER','WHATSAPP','CONTACT_POINT'])[1 + floor(random() * 5)::int], '+90532' || lpad((i % 10000000)::text, 7, '0'), o,
        CASE WHEN o IN ('TICKET_CREATED','DUPLICATE_OF_OPEN_TICKET') THEN 'B-' || lpad((1 + (i % ${TICKETS}))::text, 7, '0') END
      FROM (SELECT i, CASE WHEN r < 0.70 THEN 'TICKET_CREATED' WHEN r < 0.80 THEN 'INFORMATION_GIVEN' WHEN r < 0.83 THEN 'REFERRED_ELSEWHERE' WHEN r < 0.86 THEN 'DUPLICATE_OF_OPEN_TICKET' ELSE 'HUNG_UP' END AS o
              FROM (SELECT i, random() AS r FROM generate_series(${from}, ${to}) i) x) y`);
    console.log(`  contacts ${from}–${to}: ${elapsed(started)}`);
  }
  for (const [table, trigger] of ANALYSIS_TRIGGERS) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  const started = performance.now();
  await backfillAnalysisFacts((sql, params) => db.query(sql, params));
  await db.query(BACKFILL_CONTACT_DAYS_SQL);
  console.log(`  analysis facts of every ticket, contacts by day: ${elapsed(started)}`);
  for (const [name, definition] of Object.entries({ ...CURRENT_LISTING_INDEXES, ...ANALYSIS_INDEXES })) await db.query(`CREATE INDEX ${name} ON tickets ${definition}`);
  for (const table of ['tickets', 'ticket_events', 'contacts', 'ticket_ratings', 'closure_checks']) await db.query(`VACUUM ANALYZE ${table}`);
}

/** Two answers equal but for the last bits of a float (sums and interpolations in another order). */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${at}: ${a} ≠ ${b}`];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? [] : [`${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-analysis-'));
  const kept = process.env.ANALYSIS_DATA_DIR;
  const postgres = await startEmbeddedPostgres({ dataDir: kept ?? path.join(work, 'pg'), persistent: Boolean(kept) });
  let db: DataSource | null = null;
  let store: AnalysisStore | null = null;
  let feed: AnalysisFeed | null = null;
  try {
    await prepareDatabase(postgres.url, { seedDemo: true });
    db = await createDataSource(postgres.url).initialize(); // the API's pool (10): a summary reads on two connections at once
    console.log(`load: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}, ${os.cpus().length} cores`);
    const [{ existing }] = await db.query(`SELECT count(*)::int AS existing FROM tickets WHERE number LIKE 'B-%'`);
    const genStarted = performance.now();
    if (existing === TICKETS) console.log(`reusing the ${TICKETS.toLocaleString('en')} tickets of ${kept}`);
    else {
      console.log(`generating ${TICKETS.toLocaleString('en')} tickets and ${CONTACTS.toLocaleString('en')} contacts…`);
      await generate(db);
    }
    const [{ events }] = await db.query(`SELECT count(*)::int AS events FROM ticket_events`);
    console.log(`ready in ${elapsed(genStarted)} (${events.toLocaleString('en')} audit rows)`);

    const config = loadConfig({
      DATABASE_URL: postgres.url,
      ANALYSIS_STORE_PATH: process.env.ANALYSIS_STORE_PATH ?? ':memory:',
      ...(process.env.ANALYSIS_STORE_THREADS ? { ANALYSIS_STORE_THREADS: process.env.ANALYSIS_STORE_THREADS } : {}),
      AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
      TRACKING_TOKEN_SECRET: randomBytes(48).toString('base64url'),
    });
    // The analysis store, built from PostgreSQL as an API process builds it at start, and timed.
    store = new AnalysisStore(config);
    await store.open();
    feed = new AnalysisFeed(new AnalysisFeedRepository(db), store, config);
    const rebuildStarted = performance.now();
    await feed.start();
    console.log(`analysis store (${store.path}) ${feed.lastRebuildMs === null ? 'fed on from its file' : 'built from PostgreSQL'} in ${elapsed(rebuildStarted)}`);

    const organisation = new OrganisationRepository(db);
    const designs = {
      /** Today's design until issue 26: every figure from PostgreSQL (AnalysisService without a store). */
      postgres: new AnalysisService(db, config, organisation),
      /** The analysis store (DuckDB), caught up with PostgreSQL before every answer, as the API runs it. */
      store: new AnalysisService(db, config, organisation, feed, store),
    };
    const coordinator: StaffIdentity = { kind: 'STAFF', id: 'coord.ayse', roles: ['COORDINATOR'], departmentId: null };
    const period = (days = 60, at = Date.now()) => {
      const from = at - 730 * DAY + Math.floor(Math.random() * (730 - days)) * DAY;
      return { from: new Date(from).toISOString(), to: new Date(from + days * DAY).toISOString() };
    };
    const department = () => DEPARTMENTS[Math.floor(Math.random() * 4)];

    // Both designs answer the same: a few random questions at one instant, compared figure by figure.
    const now = new Date();
    const [p1, p2, p3, p4, p5] = [period(60, now.getTime()), period(60, now.getTime()), period(365, now.getTime()), period(60, now.getTime()), period(60, now.getTime())];
    const questions = [
      (s: AnalysisService) => s.summary(coordinator, p1, now),
      (s: AnalysisService) => s.summary(coordinator, { ...p2, department: 'meski-su' }, now),
      (s: AnalysisService) => s.summary(coordinator, { ...p3, channel: 'WHATSAPP', type: 'COMPLAINT' }, now),
      (s: AnalysisService) => s.departmentReport(coordinator, 'fen-isleri', p4, now),
      (s: AnalysisService) => s.hotSpots(coordinator, { week: p5.to }, now),
    ];
    for (const ask of questions) {
      const diff = differences(await ask(designs.postgres), await ask(designs.store));
      if (diff.length) throw new Error(`the designs disagree:\n${diff.slice(0, 20).join('\n')}`);
    }
    console.log(`both designs gave the same ${questions.length} answers, figure by figure`);

    const cases = (s: AnalysisService, goals: Record<string, number>): LatencyCase[] => [
      { name: 'summary, 60 days, whole center', goal: goals.whole, run: () => s.summary(coordinator, period()) },
      { name: 'summary, 60 days, one department', goal: goals.department, run: () => s.summary(coordinator, { ...period(), department: department() }) },
      { name: 'summary, 60 days, WhatsApp complaints', goal: goals.filtered, run: () => s.summary(coordinator, { ...period(), channel: 'WHATSAPP', type: 'COMPLAINT' }) },
      { name: 'department report, 60 days', goal: goals.report, run: () => s.departmentReport(coordinator, department(), period()) },
      { name: 'hot spots, a week', goal: goals.hotSpots, run: () => s.hotSpots(coordinator, { week: period().to }) },
      { name: 'summary, a year, whole center', goal: goals.year, run: () => s.summary(coordinator, period(365)) },
    ];
    const run = { clients: CLIENTS, requests: REQUESTS, seconds: CASE_SECONDS };
    const only = (process.env.DESIGNS ?? 'postgres,store').split(',');
    const results: Record<string, LatencyResult[]> = {};
    if (only.includes('postgres')) {
      console.log(`\ntoday's design (PostgreSQL), ${CLIENTS} concurrent clients`);
      results.postgres = await measureCases(cases(designs.postgres, { whole: 300, department: 300, filtered: 300, report: 500, hotSpots: 300, year: 3000 }), run);
    }
    if (only.includes('store')) {
      console.log(`\nthe analysis store (DuckDB), ${CLIENTS} concurrent clients`);
      results.store = await measureCases(cases(designs.store, { whole: 200, department: 150, filtered: 150, report: 300, hotSpots: 150, year: 3000 }), run);
    }
    console.log(`\n${TICKETS.toLocaleString('en')} tickets, ${CONTACTS.toLocaleString('en')} contacts, ${CLIENTS} concurrent clients\n`);
    for (const [design, r] of Object.entries(results)) {
      console.log(`${design}:`);
      printGoalTable(r);
    }
    if (results.postgres && results.store) {
      console.log(`\n| case | PostgreSQL p95 | store p95 | faster |\n|---|---:|---:|---:|`);
      for (const [i, r] of results.store.entries()) {
        const pg = results.postgres[i];
        console.log(`| ${r.name} | ${pg.p95.toFixed(1)} | ${r.p95.toFixed(1)} | ${(pg.p95 / r.p95).toFixed(1)} × |`);
      }
    }
    console.log(`\nload after: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
  } finally {
    await feed?.onModuleDestroy().catch(() => undefined);
    store?.close();
    await db?.destroy().catch(() => undefined);
    await postgres.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
