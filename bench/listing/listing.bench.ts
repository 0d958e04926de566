/**
 * bench/listing: the work queues, lists, text search and queue counts against a million tickets.
 *
 *   npm run bench:listing                         (defaults: 1,000,000 tickets, 8 clients, 200 requests per case)
 *   TICKETS=100000 CLIENTS=8 REQUESTS=100 npm run bench:listing
 *   ONLY='search|counts' …   (just the cases whose name matches)
 *   LISTING_DATA_DIR=/tmp/listing-pg npm run bench:listing   (keeps the database; a rerun with the
 *       same TICKETS skips the generation, after running any new migration over the million rows)
 *
 * Starts its own throwaway embedded PostgreSQL, migrates and seeds it (the demo accounts), then
 * generates the tickets straight into PostgreSQL with INSERT … SELECT over generate_series (a
 * realistic mix over two years: all categories, Mersin's 13 districts and their neighbourhoods,
 * statuses skewed to closed), builds the listing indexes (the migration's definitions) after the
 * load, VACUUM ANALYZE. Then it runs the API's own list queries (TicketListingService and its TicketListingRepository, the code
 * behind GET /tickets and GET /queues, with its SQL) as the real accounts, from CLIENTS concurrent
 * clients, bounded loops: each queue's first page and a deep page, text searches, the counts of
 * GET /queues; prints p50/p95/p99 per case and EXPLAIN (ANALYZE, BUFFERS) of the slowest query.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { TicketListingService } from '../../apps/api/src/tickets/listing/ticket-listing.service';
import type { ListTicketsQueryDto } from '../../apps/api/src/tickets/listing/list-tickets.dto';
import type { StaffIdentity } from '../../apps/api/src/identity/identity';
import { loadConfig } from '../../libs/config/src';
import { createDataSource, prepareDatabase } from '../../libs/database/src';
import { MERSIN_DISTRICTS } from '../../libs/database/src/data/mersin-locations';
import { CURRENT_LISTING_INDEXES } from '../../libs/database/src/listing-indexes';
import { TicketListingRepository } from '../../libs/database/src/ticket-listing.repository';
import type { StaffRole } from '../../libs/domain/src';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { byDistanceFromGoal, measureCases, printGoalTable, type LatencyCase } from '../support/latency-cases';

const TICKETS = Number(process.env.TICKETS ?? 1_000_000);
const CLIENTS = Number(process.env.CLIENTS ?? 8);
const REQUESTS = Number(process.env.REQUESTS ?? 200);
const BATCH = 100_000;
const DEEP_PAGES = 40;
/** A case stops after REQUESTS requests or this many seconds, whichever comes first (bounded on a shared machine). */
const CASE_SECONDS = Number(process.env.CASE_SECONDS ?? 15);

const CATEGORIES = ['ROAD_REPAIR', 'INFRASTRUCTURE', 'PARK_MAINTENANCE', 'PUBLIC_TRANSPORT', 'WATER_OUTAGE', 'SEWERAGE', 'GENERAL_INFO', 'OTHER'];
const CATEGORY_DEPARTMENTS = ['fen-isleri', 'fen-isleri', 'park-bahceler', 'ulasim', 'meski-su', 'meski-su', null, null];
const DEPARTMENTS = ['fen-isleri', 'park-bahceler', 'ulasim', 'meski-su'];
const CHAINS: Record<string, string[]> = {
  'fen-isleri': ['mgr.fen.hasan', 'head.fen.fatma'],
  'park-bahceler': ['mgr.park.selin', 'head.park.murat'],
  ulasim: ['head.ulasim.gul'],
  'meski-su': ['mgr.meski.kemal', 'deputy.meski.oya', 'head.meski.leyla'],
};
const SEED_EXPERTS: Record<string, string[]> = {
  'fen-isleri': ['expert.fen.ali', 'expert.fen.zeynep'],
  'park-bahceler': ['expert.park.can', 'expert.park.deniz'],
  ulasim: ['expert.ulasim.burak'],
  'meski-su': ['expert.meski.emre'],
};
const PHRASES = [
  'Yolda büyük bir çukur var', 'Kaldırım taşları yerinden çıkmış', 'Sokak lambası yanmıyor', 'Su kesintisi iki gündür sürüyor',
  'Kanalizasyon taştı', 'Parktaki salıncak kırık', 'Otobüs durağa uğramıyor', 'Çöp konteyneri dolu', 'Ağaç dalları yola sarkmış',
  'Asfalt çökmüş', 'Rögar kapağı açık', 'İstasyon önünde su birikintisi', 'Otobüs seferleri seyrek', 'Yeşil alan bakımsız',
  'Işıklar gece yanmıyor', 'Trafik levhası devrilmiş', 'Boru patlağı var', 'Kaldırıma araç park ediliyor', 'Köprü korkuluğu kırık',
  'Mahallede başıboş köpekler', 'Yağmur suyu ızgarası tıkalı', 'Bisiklet yolu bozuk', 'Hat 29 otobüsü gecikiyor', 'Çeşme akmıyor',
];
const STREETS = ['Atatürk Caddesi', 'Gazi Mustafa Kemal Bulvarı', 'İstiklal Caddesi', 'Çukurova Sokak', '4701. Sokak', 'Adnan Menderes Bulvarı', 'Kuvayi Milliye Caddesi'];
const RESOLUTIONS = ['Çukur asfaltlandı', 'Lamba değiştirildi', 'Arıza giderildi, su verildi', 'Ekip gönderildi, temizlendi', 'Sefer sıklığı artırıldı'];

const sqlArray = (values: (string | null)[]) => `(ARRAY[${values.map((v) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`)).join(',')}]::text[])`;

async function generate(db: DataSource): Promise<void> {
  // Reference tables for the generator only.
  const places = Object.entries(MERSIN_DISTRICTS).flatMap(([district, names]) => names.map((n) => [district, n]));
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_places (no int PRIMARY KEY, district text, neighbourhood text)`);
  await db.query(`TRUNCATE bench_places`);
  await db.query(`INSERT INTO bench_places SELECT i, d, n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(d, n, i)`, [places.map((p) => p[0]), places.map((p) => p[1])]);
  // More experts than the seed's: 20 per department, the seeded ones among them.
  const experts: string[][] = DEPARTMENTS.map((d) => [...SEED_EXPERTS[d], ...Array.from({ length: 20 - SEED_EXPERTS[d].length }, (_, i) => `bench.expert.${d}.${i}`)]);
  for (const [i, d] of DEPARTMENTS.entries()) {
    await db.query(
      `INSERT INTO staff (id, name, roles, department_id) SELECT x, x, '{EXPERT}', $2 FROM unnest($1::text[]) x ON CONFLICT (id) DO NOTHING`,
      [experts[i].filter((e) => e.startsWith('bench.')), d],
    );
  }
  for (const name of [...Object.keys(CURRENT_LISTING_INDEXES), 'tickets_search_trgm_idx']) await db.query(`DROP INDEX IF EXISTS ${name}`);
  const placeCount = places.length;
  for (let from = 1; from <= TICKETS; from += BATCH) {
    const to = Math.min(TICKETS, from + BATCH - 1);
    const started = performance.now();
    await db.query(
      `
      WITH g AS (
        SELECT i, now() - interval '730 days' * (1 - i::float8 / ${TICKETS}) - random() * interval '10 minutes' AS received_at,
          random() AS rs, random() AS ra, random() AS rb, random() AS rc, random() AS rd, random() AS re,
          1 + floor(random() * 8)::int AS cat, 1 + floor(random() * ${placeCount})::int AS place
        FROM generate_series(${from}, ${to}) i
      ), s AS (
        SELECT g.*, ${sqlArray(CATEGORIES)}[cat] AS category,
          COALESCE(${sqlArray(CATEGORY_DEPARTMENTS)}[cat], ${sqlArray(DEPARTMENTS)}[1 + floor(rd * 4)::int]) AS dept,
          CASE WHEN received_at < now() - interval '30 days' THEN
            CASE WHEN rs < 0.985 THEN 'CLOSED' WHEN rs < 0.988 THEN 'IN_PROGRESS' WHEN rs < 0.991 THEN 'IN_APPROVAL'
                 WHEN rs < 0.993 THEN 'WAITING_FOR_CITIZEN' WHEN rs < 0.995 THEN 'IN_DEPARTMENT' WHEN rs < 0.998 THEN 'REFERRED' ELSE 'RESOLVED' END
          ELSE
            CASE WHEN rs < 0.05 THEN 'TRIAGE' WHEN rs < 0.15 THEN 'IN_DEPARTMENT' WHEN rs < 0.40 THEN 'IN_PROGRESS' WHEN rs < 0.45 THEN 'WAITING_FOR_CITIZEN'
                 WHEN rs < 0.55 THEN 'IN_APPROVAL' WHEN rs < 0.58 THEN 'APPROVED' WHEN rs < 0.70 THEN 'RESOLVED' WHEN rs < 0.71 THEN 'RECEIVED' ELSE 'CLOSED' END
          END AS status
        FROM g
      ), t AS (
        SELECT s.*, p.district, p.neighbourhood,
          CASE WHEN status IN ('RECEIVED','TRIAGE') THEN NULL ELSE dept END AS department_id,
          status IN ('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED') AS open,
          CASE ${DEPARTMENTS.map((d) => `WHEN dept = '${d}' THEN ${sqlArray(CHAINS[d])}`).join(' ')} END AS chain,
          CASE ${DEPARTMENTS.map((d, i) => `WHEN dept = '${d}' THEN ${sqlArray(experts[i])}`).join(' ')} END AS experts
        FROM s JOIN bench_places p ON p.no = s.place
      ), u AS (
        SELECT t.*,
          CASE WHEN status IN ('IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED','RESOLVED','CLOSED') THEN experts[1 + floor(rb * 20)::int] END AS assignee_id,
          CASE WHEN status = 'IN_APPROVAL' OR (status IN ('APPROVED','RESOLVED','CLOSED') AND ra < 0.7) THEN chain ELSE '{}'::text[] END AS approvers,
          CASE WHEN rc < 0.85 THEN 'CITIZEN' WHEN rc < 0.93 THEN 'MUHTAR' WHEN rc < 0.97 THEN 'TRADESPERSON' ELSE 'COUNCIL_MEMBER' END AS segment
        FROM t
      )
      INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
        description, district, neighbourhood, address, status, outcome, department_id, assignee_id, approval_level, sla_breached, reopen_count,
        last_event_seq, received_at, workflow_started_at, resolved_at, closed_at, updated_at, submitted_by,
        approver_ids, current_approver_ids, sla_total_ms, sla_consumed_ms, sla_running_since, sla_due_at, sla_risk_at, legal_due_at, stage_since, resolution_text)
      SELECT gen_random_uuid(), 'B-' || lpad(i::text, 7, '0'), md5(i::text), sha256(convert_to(md5(i::text), 'UTF8')), (ARRAY['CALL_CENTER','WEB','WHATSAPP','EMAIL','WALK_IN'])[1 + floor(ra * 5)::int],
        (ARRAY['REQUEST','COMPLAINT','SUGGESTION','INFORMATION','REPORT','THANKS'])[1 + floor(rb * 6)::int], category, segment,
        'Vatandaş ' || i, '+90532' || lpad((i % 10000000)::text, 7, '0'), true,
        ${sqlArray(PHRASES)}[1 + floor(rd * ${PHRASES.length})::int] || '. ' || ${sqlArray(PHRASES)}[1 + floor(re * ${PHRASES.length})::int] || ' (kayıt ' || i || ')',
        district, neighbourhood,
        CASE WHEN re < 0.6 THEN ${sqlArray(STREETS)}[1 + floor(rc * ${STREETS.length})::int] || ' No ' || (i % 200) END,
        status, CASE WHEN status = 'CLOSED' THEN 'RESOLVED' END, department_id, assignee_id,
        CASE WHEN status = 'IN_APPROVAL' THEN 1 + floor(ra * cardinality(chain))::int END,
        CASE WHEN open THEN received_at + interval '72 hours' < now() ELSE rd < 0.1 END, CASE WHEN rs > 0.999 THEN 1 ELSE 0 END,
        5, received_at, received_at,
        CASE WHEN NOT open THEN received_at + interval '3 days' END, CASE WHEN status = 'CLOSED' THEN received_at + interval '18 days' END,
        received_at + interval '1 hour',
        CASE WHEN segment = 'MUHTAR' THEN CASE WHEN district = 'Yenişehir' AND neighbourhood = 'Menteş' THEN 'muhtar.mentes' ELSE 'bench.muhtar.' || place END
             WHEN segment = 'TRADESPERSON' THEN CASE WHEN i % 50 = 0 THEN 'esnaf.kemal' ELSE 'bench.esnaf.' || (i % 500) END
             WHEN segment = 'COUNCIL_MEMBER' THEN CASE WHEN i % 20 = 0 THEN 'meclis.hakan' ELSE 'bench.meclis.' || (i % 60) END END,
        approvers,
        CASE WHEN status = 'IN_APPROVAL' THEN ARRAY[chain[1 + floor(ra * cardinality(chain))::int]] ELSE '{}'::text[] END,
        259200000, 0,
        CASE WHEN open AND status <> 'WAITING_FOR_CITIZEN' THEN received_at END,
        CASE WHEN open AND status <> 'WAITING_FOR_CITIZEN' THEN received_at + interval '72 hours' END,
        CASE WHEN open AND status <> 'WAITING_FOR_CITIZEN' THEN received_at + interval '54 hours' END,
        CASE WHEN open THEN received_at + interval '30 days' END,
        CASE WHEN open THEN received_at + rb * (now() - received_at) END,
        CASE WHEN status IN ('RESOLVED','CLOSED') AND rd < 0.5 THEN ${sqlArray(RESOLUTIONS)}[1 + floor(ra * ${RESOLUTIONS.length})::int] END
      FROM u`,
    );
    console.log(`  tickets ${from}–${to}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  // Platform users follow some tickets: the muhtar and the council member 2,000 each.
  await db.query(`INSERT INTO ticket_followers (ticket_id, user_id, added_by)
    SELECT id, u, 'coord.ayse' FROM (SELECT id FROM tickets TABLESAMPLE SYSTEM (1) LIMIT 2000) t, unnest(ARRAY['muhtar.mentes','meclis.hakan']) u ON CONFLICT DO NOTHING`);
  for (const [name, definition] of Object.entries(CURRENT_LISTING_INDEXES)) {
    const started = performance.now();
    await db.query(`CREATE INDEX ${name} ON tickets ${definition}`);
    console.log(`  index ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await db.query('VACUUM ANALYZE tickets');
  await db.query('VACUUM ANALYZE ticket_followers');
}

/** The issue's goals, p95 in ms: a queue page, a text search, the counts of GET /queues. */
const GOAL = { page: 20, search: 100, count: 50 };

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-listing-'));
  const kept = process.env.LISTING_DATA_DIR;
  const postgres = await startEmbeddedPostgres({ dataDir: kept ?? path.join(work, 'pg'), persistent: Boolean(kept) });
  let db: DataSource | null = null;
  try {
    await prepareDatabase(postgres.url, { seedDemo: true });
    db = await createDataSource(postgres.url, false, CLIENTS + 2).initialize();
    console.log(`load: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}, ${os.cpus().length} cores`);
    console.log(`generating ${TICKETS.toLocaleString('en')} tickets…`);
    const genStarted = performance.now();
    const [{ existing }] = await db.query(`SELECT count(*)::int AS existing FROM tickets WHERE number LIKE 'B-%'`);
    if (existing === TICKETS) console.log(`reusing the ${TICKETS.toLocaleString('en')} tickets of ${kept}`);
    else await generate(db);
    const genSeconds = (performance.now() - genStarted) / 1000;
    const [{ open }] = await db.query(`SELECT count(*) FILTER (WHERE status NOT IN ('CLOSED','RESOLVED','REFERRED','REJECTED'))::int AS open FROM tickets`);
    console.log(`generated in ${genSeconds.toFixed(0)} s (${open.toLocaleString('en')} open)`);

    // The service with a recording data source: the SQL of each case, for EXPLAIN.
    const lastSql = new Map<string, { sql: string; params: unknown[] }>();
    let current = '';
    // The page's statement is what EXPLAIN shows: not the count beside it, nor the page's names and read log after it.
    const explained = (sql: string) => !/^\s*(WITH logged|SELECT count\(\*\)::int AS n FROM \(SELECT 1)/.test(sql);
    const recording = {
      query: (sql: string, params: unknown[]) => (explained(sql) && lastSql.set(current, { sql, params }), db!.query(sql, params)),
    } as unknown as DataSource;
    const service = new TicketListingService(new TicketListingRepository(recording), loadConfig({ DATABASE_URL: postgres.url, AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'), TRACKING_TOKEN_SECRET: randomBytes(48).toString('base64url') }));

    const accounts = (await db.query(`SELECT id, roles, department_id, district, neighbourhood FROM staff WHERE id NOT LIKE 'bench.%'`)) as {
      id: string;
      roles: StaffRole[];
      department_id: string | null;
      district: string | null;
      neighbourhood: string | null;
    }[];
    const who = (id: string): StaffIdentity => {
      const a = accounts.find((x) => x.id === id)!;
      const leyla = accounts.find((x) => x.id === 'head.meski.leyla')!;
      return {
        kind: 'STAFF',
        id,
        roles: a.roles,
        departmentId: a.department_id,
        standsInFor: id === 'deputy.meski.oya' ? [{ id: leyla.id, roles: leyla.roles, departmentId: leyla.department_id }] : [],
        neighbourhood: a.district && a.neighbourhood ? { district: a.district, neighbourhood: a.neighbourhood } : null,
      };
    };
    const deepCursor = async (identity: StaffIdentity, query: ListTicketsQueryDto): Promise<string | undefined> => {
      let cursor: string | undefined;
      for (let i = 0; i < DEEP_PAGES; i += 1) {
        const page = await service.list(identity, { ...query, cursor });
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return cursor;
    };
    const pages: [string, string, ListTicketsQueryDto][] = [
      ['center: triage', 'coord.ayse', { queue: 'triage' }],
      ['center: triage, deadline nearest first', 'coord.ayse', { queue: 'triage', sort: 'deadline' }],
      ['center: all open, deadline nearest first', 'coord.ayse', { sort: 'deadline' }],
      ['center: at-risk', 'coord.ayse', { queue: 'at-risk' }],
      ['center: stuck', 'coord.ayse', { queue: 'stuck' }],
      ['center: all tickets', 'coord.ayse', {}],
      ['center: district Tarsus, closed', 'coord.ayse', { district: 'Tarsus', status: 'CLOSED' }],
      ['manager: department', 'mgr.fen.hasan', { queue: 'department' }],
      ['manager: approvals', 'mgr.fen.hasan', { queue: 'approvals' }],
      ['expert: mine', 'expert.fen.ali', { queue: 'mine' }],
      ['expert: mine, deadline nearest first', 'expert.fen.ali', { queue: 'mine', sort: 'deadline' }],
      ['expert: department', 'expert.fen.ali', { queue: 'department' }],
      ['expert: at-risk', 'expert.fen.ali', { queue: 'at-risk' }],
      ['expert: all their tickets', 'expert.fen.ali', {}],
      ['deputy: approvals', 'deputy.meski.oya', { queue: 'approvals' }],
      ['muhtar: following', 'muhtar.mentes', { queue: 'following' }],
      ['council member: all theirs', 'meclis.hakan', {}],
    ];
    const cases: LatencyCase[] = [];
    for (const [name, id, query] of pages) {
      const identity = who(id);
      cases.push({ name: `${name} — first page`, goal: GOAL.page, run: () => service.list(identity, query) });
      const cursor = await deepCursor(identity, query);
      if (cursor) cases.push({ name: `${name} — page ${DEEP_PAGES + 1}`, goal: GOAL.page, run: () => service.list(identity, { ...query, cursor }) });
    }
    for (const [name, id, q] of [
      ['search "çukur" (center)', 'coord.ayse', 'çukur'],
      ['search "su kesintisi" (center)', 'coord.ayse', 'su kesintisi'],
      ['search "ISIK" (expert, scoped)', 'expert.fen.ali', 'ISIK'],
      ['search "rögar" in Yenişehir (center)', 'coord.ayse', 'rögar'],
    ] as const) {
      const identity = who(id);
      const query: ListTicketsQueryDto = name.includes('Yenişehir') ? { q, district: 'Yenişehir' } : { q };
      cases.push({ name, goal: GOAL.search, run: () => service.list(identity, query) });
    }
    for (const id of ['coord.ayse', 'mgr.fen.hasan', 'expert.fen.ali', 'deputy.meski.oya', 'muhtar.mentes']) {
      const identity = who(id);
      cases.push({ name: `GET /queues counts: ${id}`, goal: GOAL.count, run: () => service.queues(identity) });
    }

    // ONLY=<regex>: run just the matching cases (while working on one query).
    const only = process.env.ONLY ? new RegExp(process.env.ONLY, 'i') : null;
    if (only) cases.splice(0, cases.length, ...cases.filter((c) => only.test(c.name)));
    const results = await measureCases(cases, { clients: CLIENTS, requests: REQUESTS, seconds: CASE_SECONDS, onCase: (name) => (current = name) });

    console.log('');
    printGoalTable(results);

    // The slowest against its goal first, then the next ones (EXPLAIN_COUNT, default 3).
    const slowest = byDistanceFromGoal(results).slice(0, Number(process.env.EXPLAIN_COUNT ?? 3));
    for (const [i, r] of slowest.entries()) {
      const recorded = lastSql.get(r.name)!;
      const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${recorded.sql}`, recorded.params)) as { 'QUERY PLAN': string }[];
      console.log(`\n${i === 0 ? 'slowest' : `slow #${i + 1}`} against its goal: ${r.name} (p95 ${r.p95.toFixed(1)} ms)\n${recorded.sql}\nparams ${JSON.stringify(recorded.params)}\n`);
      console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
    }
    console.log(`\nload after: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
  } finally {
    await db?.destroy().catch(() => undefined);
    await postgres.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
