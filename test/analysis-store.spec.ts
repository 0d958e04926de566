import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisFeedRepository } from '../libs/database/src/analysis-feed.repository';
import { AnalysisFeed } from '../apps/api/src/analysis/store/analysis-feed';
import { AnalysisStore } from '../apps/api/src/analysis/store/analysis-store';
import { CONTACT_FACT_COLUMNS, STORE_TABLES, STORE_VERSION, TICKET_FACT_COLUMNS } from '../apps/api/src/analysis/store/analysis-store.schema';
import { signedIn, STAFF } from './support/ticket-driver';
import { startTestStack, testConfig, type TestStack } from './support/test-stack';

/**
 * The analysis store (issue 26): an embedded DuckDB fed from PostgreSQL's logs. It is derived
 * (rebuilt from PostgreSQL when deleted), holds no personal data, follows new audit rows within
 * seconds at 10 a second, and a feed killed in the middle of a batch neither loses nor doubles a
 * ticket or a contact (its position is written with the facts, in one transaction).
 */
describe('analysis store (DuckDB, fed from PostgreSQL)', () => {
  let stack: TestStack;
  let feed: AnalysisFeed;
  let store: AnalysisStore;
  const marker = `Gizli${randomUUID().slice(0, 8)}`;
  const phone = `+90532${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    feed = stack.api.get(AnalysisFeed);
    store = stack.api.get(AnalysisStore);
    for (let i = 0; i < 200 && !feed.ready; i += 1) await new Promise((r) => setTimeout(r, 100));
  }, 60_000);
  afterAll(() => stack?.close());

  /** A ticket with personal data (name, phone, text, address) and its first audit rows, received at `at`. */
  async function ticket(at: string, events = ['RECEIVED', 'DEPARTMENT_ASSIGNED']): Promise<string> {
    const id = randomUUID();
    await stack.db.query(
      `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
         description, address, district, neighbourhood, status, department_id, last_event_seq, received_at, workflow_started_at, updated_at)
       VALUES ($1, $2, $3, sha256(convert_to($3, 'UTF8')), 'WEB', 'COMPLAINT', 'ROAD_REPAIR', 'CITIZEN', $4, $5, true, $6, $7, 'Depo-İlçe', 'Depo-Mahalle', 'IN_DEPARTMENT', 'fen-isleri', $8, $9, $9, now())`,
      [id, `S${randomUUID().slice(0, 8)}`, randomUUID(), `${marker} Ad`, phone, `${marker} metin`, `${marker} Sokak 5`, events.length, at],
    );
    await stack.db.query(
      `INSERT INTO ticket_events (ticket_id, seq, type, at, actor_kind, actor_id, status, data)
       SELECT $1, s.seq, s.type, $3::timestamptz + s.seq * interval '1 hour', 'SYSTEM', NULL, 'IN_DEPARTMENT', '{"departmentId":"fen-isleri"}'::jsonb
         FROM unnest($2::text[]) WITH ORDINALITY AS s(type, seq)`,
      [id, events, at],
    );
    return id;
  }
  const inStore = async (id: string) => (await store.read(`SELECT * FROM ticket_facts_labelled WHERE id = $1`, [id]));
  const pgFacts = async (ids: string[]) =>
    stack.api.get(AnalysisFeedRepository).inSnapshot((reader) => reader.ticketFacts(ids));

  it('is built from PostgreSQL at start and answers the figures (not PostgreSQL)', async () => {
    expect(feed.ready).toBe(true);
    const id = await ticket('2017-03-01T09:00:00Z');
    const res = await signedIn(stack, STAFF.coordinator, (http) => http.get(`/analysis/summary?from=2017-02-28T21:00:00Z&to=2017-03-01T21:00:00Z&district=Depo-İlçe`));
    expect(res.status).toBe(200);
    expect(res.body.volumes.tickets.total).toBe(1);
    const [row] = await inStore(id);
    expect(row).toMatchObject({ id, district: 'Depo-İlçe', department_id: 'fen-isleri', dep_h: 2, routed: true });
  });

  it('takes in a ticket recorded without any audit row yet (its workflow not started), as PostgreSQL counts it', async () => {
    const id = await ticket('2017-03-05T09:00:00Z', []);
    const res = await signedIn(stack, STAFF.coordinator, (http) => http.get(`/analysis/summary?from=2017-03-04T21:00:00Z&to=2017-03-05T21:00:00Z&district=Depo-İlçe`));
    expect(res.body.volumes.tickets.total).toBe(1);
    expect(await inStore(id)).toHaveLength(1);
  });

  it('a second process pointed at a store file another process holds keeps its own store in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teksin-analysis-lock-'));
    const path = join(dir, 'analysis.duckdb');
    const holder = spawn(process.execPath, ['-e', `
      require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)}).then(async (db) => { await db.connect(); console.log('holding'); setTimeout(() => undefined, 60000); });
    `], { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
        holder.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
      });
      const second = new AnalysisStore(testConfig({ ANALYSIS_STORE_PATH: path }));
      await second.open();
      try {
        expect(second.path).toBe(':memory:');
        expect(await second.positions()).toEqual({});
      } finally {
        second.close();
      }
    } finally {
      holder.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a store file of an earlier version (dimensions as text) is dropped and built anew, its columns codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teksin-analysis-v1-'));
    const path = join(dir, 'analysis.duckdb');
    try {
      const old = spawnSync(process.execPath, ['-e', `
        require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)}).then(async (db) => {
          const c = await db.connect();
          await c.run("CREATE TABLE ticket_facts (id VARCHAR, channel VARCHAR, district VARCHAR)");
          await c.run("INSERT INTO ticket_facts VALUES ('t1', 'WEB', 'Depo-İlçe')");
          await c.run("CREATE TABLE store_meta (version INTEGER NOT NULL)");
          await c.run("INSERT INTO store_meta VALUES (1)");
          c.closeSync(); db.closeSync();
        });
      `], { cwd: join(__dirname, '..'), encoding: 'utf8' });
      expect(old.status).toBe(0);
      const upgraded = new AnalysisStore(testConfig({ ANALYSIS_STORE_PATH: path }));
      await upgraded.open();
      try {
        expect(upgraded.path).toBe(path);
        expect(await upgraded.read(`SELECT max(version) AS version FROM store_meta`)).toEqual([{ version: STORE_VERSION }]);
        expect(await upgraded.read(`SELECT count(*) AS n FROM ticket_facts`)).toEqual([{ n: 0 }]);
        const types = await upgraded.read(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ticket_facts' AND column_name IN ('channel', 'district') ORDER BY column_name`);
        expect(types).toEqual([{ column_name: 'channel', data_type: 'INTEGER' }, { column_name: 'district', data_type: 'INTEGER' }]);
        expect(await upgraded.positions()).toEqual({});
      } finally {
        upgraded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a row that commits after a higher id was read, and before a reader asks, is in the store when the reader gets its figures', async () => {
    // Each on a day of its own: contacts of one day, channel and outcome share a contact_days row (and its lock).
    const contact = (id: string, day: number) =>
      `INSERT INTO contacts (id, at, recorded_by, channel, outcome) VALUES ('${id}', '2017-03-${String(day).padStart(2, '0')}T10:00:00Z', 'agent.elif', 'WEB', 'INFORMATION_GIVEN')`;
    const late = randomUUID();
    const early = randomUUID();
    const slow = stack.db.createQueryRunner();
    const other = stack.db.createQueryRunner();
    let calls = 0;
    // In the step after the build, between the feed's read of the last ids and its snapshot: `late`
    // takes an id in a transaction still open, `early` takes the next one and commits.
    class Interleaved extends AnalysisFeedRepository {
      override async lastIds() {
        const ids = await super.lastIds();
        calls += 1;
        if (calls === 2) {
          await slow.startTransaction();
          await slow.query(contact(late, 6));
          await stack.db.query(contact(early, 7));
        }
        return ids;
      }
    }
    const own = new AnalysisStore(testConfig());
    await own.open();
    const feed2 = new AnalysisFeed(new Interleaved(stack.db), own, stack.config);
    try {
      await feed2.catchUp(); // the build
      await feed2.catchUp(); // a step, with the interleaving above
      expect(calls).toBe(2);
      await slow.commitTransaction();
      // Another writer still running when the reader asks, and a later one done: the horizon is not quiet.
      await other.startTransaction();
      await other.query(contact(randomUUID(), 8));
      await stack.db.query(contact(randomUUID(), 9));
      await feed2.catchUp();
      const [{ n }] = await own.read(`SELECT count(*) AS n FROM contact_facts WHERE id IN ($1, $2)`, [late, early]);
      expect(n).toBe(2);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      if (other.isTransactionActive) await other.rollbackTransaction();
      await slow.release();
      await other.release();
      await feed2.onModuleDestroy();
      own.close();
    }
  });

  it('a lone writer still running during a step (the newest transaction, none after it done) is not passed over', async () => {
    const lone = randomUUID();
    const writer = stack.db.createQueryRunner();
    const own = new AnalysisStore(testConfig());
    await own.open();
    const feed2 = new AnalysisFeed(new AnalysisFeedRepository(stack.db), own, stack.config);
    try {
      await feed2.catchUp(); // the build
      await writer.startTransaction();
      await writer.query(`INSERT INTO contacts (id, at, recorded_by, channel, outcome) VALUES ($1, '2017-03-10T10:00:00Z', 'agent.elif', 'WEB', 'HUNG_UP')`, [lone]);
      await feed2.catchUp(); // its id is handed out, its row not visible
      await writer.commitTransaction();
      await feed2.catchUp();
      await feed2.catchUp();
      expect((await own.read(`SELECT count(*) AS n FROM contact_facts WHERE id = $1`, [lone]))[0].n).toBe(1);
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
      await feed2.onModuleDestroy();
      own.close();
    }
  });

  it('holds no personal data: no name, phone, text or street address in any table, and only the facts columns', async () => {
    const id = await ticket('2017-03-02T09:00:00Z');
    await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome, note) VALUES ($1, '2017-03-02T10:00:00Z', 'agent.elif', 'CALL_CENTER', $2, 'HUNG_UP', $3)`, [
      randomUUID(), phone, `${marker} not`,
    ]);
    await feed.catchUp();
    expect(await inStore(id)).toHaveLength(1);
    const columns = await store.read(`SELECT table_name, column_name FROM information_schema.columns ORDER BY table_name, column_name`);
    const of = (table: string) => columns.filter((c) => c.table_name === table).map((c) => c.column_name).sort();
    expect(of('ticket_facts')).toEqual(Object.keys(TICKET_FACT_COLUMNS).sort());
    expect(of('contact_facts')).toEqual(Object.keys(CONTACT_FACT_COLUMNS).sort());
    expect(of('labels')).toEqual(['code', 'label']);
    expect(of('ticket_facts').concat(of('contact_facts')).filter((c) => /name|phone|description|text|address|note|comment/i.test(String(c)))).toEqual([]);
    // The labels are the dimensions' values (channels, categories, departments, districts, neighbourhoods, statuses): never a citizen's words.
    expect(await store.read(`SELECT label FROM labels WHERE label IN ('Depo-İlçe', 'Depo-Mahalle', 'ROAD_REPAIR', 'fen-isleri', 'CALL_CENTER', 'HUNG_UP') ORDER BY label`)).toHaveLength(6);
    for (const table of [...STORE_TABLES, 'ticket_facts_labelled', 'contact_facts_labelled']) {
      const dump = JSON.stringify(await store.read(`SELECT * FROM ${table}`));
      expect(dump).not.toContain(marker);
      expect(dump).not.toContain(phone);
      expect(dump).not.toContain(phone.slice(3));
    }
  });

  it('freshness: at 10 audit rows a second, each is in the store within 5 s, with no reader asking it to catch up', async () => {
    const lags: number[] = [];
    const waiting = new Map<string, number>();
    const started = Date.now();
    let polling = false;
    const poll = setInterval(async () => {
      if (polling) return;
      polling = true;
      for (const [id, at] of [...waiting]) {
        if ((await inStore(id)).length) {
          lags.push(Date.now() - at);
          waiting.delete(id);
        }
      }
      polling = false;
    }, 100);
    try {
      for (let i = 0; i < 50; i += 1) {
        const id = await ticket('2017-03-03T09:00:00Z', ['RECEIVED']);
        waiting.set(id, Date.now());
        await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * 100 - Date.now())));
      }
      for (let i = 0; i < 80 && waiting.size; i += 1) await new Promise((r) => setTimeout(r, 100));
    } finally {
      clearInterval(poll);
    }
    expect(waiting.size).toBe(0);
    expect(lags).toHaveLength(50);
    expect(Math.max(...lags)).toBeLessThanOrEqual(5_000);
  }, 30_000);

  it('derived: emptied and rebuilt from PostgreSQL, it answers the same figures', async () => {
    const query = `/analysis/summary?from=2017-01-01T00:00:00Z&to=2017-06-01T00:00:00Z`;
    const before = (await signedIn(stack, STAFF.coordinator, (http) => http.get(query))).body;
    const [{ n }] = await store.read(`SELECT count(*) AS n FROM ticket_facts`);
    await store.clear();
    expect((await store.read(`SELECT count(*) AS n FROM ticket_facts`))[0].n).toBe(0);
    await feed.rebuild();
    expect(feed.lastRebuildMs).not.toBeNull();
    expect((await store.read(`SELECT count(*) AS n FROM ticket_facts`))[0].n).toBe(n);
    const after = (await signedIn(stack, STAFF.coordinator, (http) => http.get(query))).body;
    expect(after).toEqual(before);
    expect(before.volumes.tickets.total).toBeGreaterThanOrEqual(52);
  });

  it('a feed killed in the middle of a batch loses nothing and doubles nothing: its position is written with the facts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teksin-analysis-store-'));
    const path = join(dir, 'analysis.duckdb');
    const child = (crash: boolean) =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'support', 'analysis-feed-child.ts')], {
        env: { ...process.env, FEED_CHILD_DATABASE_URL: stack.config.databaseUrl, FEED_CHILD_STORE: path, FEED_CHILD_CRASH: crash ? '1' : '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
    try {
      const built = child(false);
      expect(built.status).toBe(0);
      const ids: string[] = [];
      for (let i = 0; i < 30; i += 1) ids.push(await ticket('2017-03-04T09:00:00Z', ['RECEIVED', 'DEPARTMENT_ASSIGNED', 'EXPERT_ASSIGNED']));
      const contact = randomUUID();
      await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, outcome) VALUES ($1, '2017-03-04T10:00:00Z', 'agent.elif', 'WEB', 'INFORMATION_GIVEN')`, [contact]);
      const crashed = child(true);
      expect(crashed.signal).toBe('SIGKILL');
      expect(crashed.stdout).toContain('killed mid-batch with 30 tickets written');

      const config = testConfig({ ANALYSIS_STORE_PATH: path });
      const kept = new AnalysisStore(config);
      await kept.open();
      try {
        const count = async () => (await kept.read(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ticket_facts WHERE id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))`, [JSON.stringify(ids)]))[0];
        expect(await count()).toEqual({ n: 0, ids: 0 });
        const recovered = new AnalysisFeed(stack.api.get(AnalysisFeedRepository), kept, config);
        expect(recovered.lastRebuildMs).toBeNull();
        await recovered.catchUp();
        await recovered.catchUp();
        expect(recovered.lastRebuildMs).toBeNull(); // fed on from its stored position, not rebuilt
        expect(await count()).toEqual({ n: 30, ids: 30 });
        expect((await kept.read(`SELECT count(*) AS n FROM contact_facts WHERE id = $1`, [contact]))[0].n).toBe(1);
        const stored = await kept.read(`SELECT id, dep_h, exp_h, received_ms FROM ticket_facts WHERE id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]'))) ORDER BY id`, [JSON.stringify(ids)]);
        const expected = (await pgFacts(ids)).sort((a, b) => a.id.localeCompare(b.id)).map((f) => ({ id: f.id, dep_h: f.dep_h, exp_h: f.exp_h, received_ms: f.received_ms }));
        expect(stored).toEqual(expected);
        const [{ position }] = await kept.read(`SELECT position FROM feed_position WHERE source = 'events'`);
        const [{ max }] = await stack.db.query(`SELECT max(id)::float8 AS max FROM ticket_events`);
        expect(position).toBeGreaterThanOrEqual(max);
        await recovered.onModuleDestroy();
      } finally {
        kept.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
