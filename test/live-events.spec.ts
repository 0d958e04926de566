import type { AddressInfo } from 'node:net';
import { DEMO_PASSWORD } from '../libs/database/src/seed';
import { EventStreamClient } from './support/event-stream';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

const MUHTAR = 'muhtar.mentes'; // Yenişehir / Menteş
const REPLAY_LIMIT = 30;
/** After the streams that should hear a change did, how long the others get to (wrongly) hear it too. */
const SETTLE_MS = 500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/**
 * GET /events, the console's live feed, against the real stack: PostgreSQL's NOTIFY from the
 * audit log's trigger, the API's one LISTEN connection, real workflows moving the tickets.
 */
describe('live feed: server-sent events scoped like the lists', () => {
  let stack: TestStack;
  let t: TicketDriver;
  let base: string;
  const open: EventStreamClient[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { LIVE_REPLAY_LIMIT: String(REPLAY_LIMIT), LIVE_HEARTBEAT_INTERVAL: '1s' } });
    t = new TicketDriver(stack);
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await stack?.close();
  });

  const stream = async (staffId: string, lastEventId?: string, authorization?: string) => {
    const s = await EventStreamClient.open(base, authorization ?? (await stack.bearer(staffId)), lastEventId);
    open.push(s);
    return s;
  };
  const ready = async (staffId: string) => {
    const s = await stream(staffId);
    await s.until(`${staffId}'s ready event`, (events) => events.some((e) => e.event === 'ready'));
    return s;
  };
  /** The ticket's audit rows (id, seq) after a seq, from the database: what a stream should carry. */
  const rowsOf = async (number: string, afterSeq = 0, afterId = '0'): Promise<{ id: string; seq: number }[]> =>
    stack.db.query(
      `SELECT e.id::text AS id, e.seq FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $1 AND e.seq > $2 AND e.id > $3::bigint ORDER BY e.id`,
      [number, afterSeq, afterId],
    );
  const lastSeq = async (number: string): Promise<number> => (await rowsOf(number)).at(-1)?.seq ?? 0;
  const latestId = async (): Promise<string> => (await stack.db.query(`SELECT COALESCE(max(id), 0)::text AS id FROM ticket_events`))[0].id;
  const seqs = (s: EventStreamClient, number: string, afterSeq = 0) => s.about(number).map((e) => (e.data as { seq: number }).seq).filter((seq) => seq > afterSeq);

  it('answers with the event-stream headers, a first `ready` event carrying the cursor, and heartbeats', async () => {
    const cursor = await latestId();
    const s = await ready(STAFF.coordinator);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.headers.get('cache-control')).toMatch(/no-cache/);
    expect(s.headers.get('x-accel-buffering')).toBe('no');
    expect(s.events[0]).toEqual({ id: cursor, event: 'ready', data: {} });
    await waitFor(() => s.raw.includes(': heartbeat\n\n'), { timeoutMs: 5_000, what: 'a heartbeat' });
    await s.close();
  });

  it('refuses a caller without a token (401) and a malformed Last-Event-ID (400 naming it)', async () => {
    expect((await stack.http.get('/events')).status).toBe(401);
    const bad = await stream(STAFF.coordinator, 'abc');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.raw).errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID' })]);
  });

  it('a command on a ticket reaches those who may open it and nobody else, without personal data', async () => {
    const mezitli = await t.create(); // Mezitli / Viranşehir: not the muhtar's
    const mentes = await t.create({ location: { district: 'Yenişehir', neighbourhood: 'Menteş' } });
    const [coordinator, fen, ulasim, muhtar] = await Promise.all([STAFF.coordinator, STAFF.fenExpert2, STAFF.ulasimExpert, MUHTAR].map(ready));
    const before = { mezitli: await lastSeq(mezitli.number), mentes: await lastSeq(mentes.number) };

    await t.staff(STAFF.coordinator, mezitli.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await t.staff(STAFF.coordinator, mentes.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await t.waitForStatus(mentes.number, 'IN_DEPARTMENT');
    const expected = { mezitli: (await rowsOf(mezitli.number, before.mezitli)).map((r) => r.seq), mentes: (await rowsOf(mentes.number, before.mentes)).map((r) => r.seq) };
    expect(expected.mezitli.length).toBeGreaterThan(0);

    const heard = (s: EventStreamClient) => ({ mezitli: seqs(s, mezitli.number, before.mezitli), mentes: seqs(s, mentes.number, before.mentes) });
    for (const s of [coordinator, fen]) await s.until('both tickets', () => heard(s).mezitli.length >= expected.mezitli.length && heard(s).mentes.length >= expected.mentes.length);
    await muhtar.until('the Menteş ticket', () => heard(muhtar).mentes.length >= expected.mentes.length);
    await settle();
    expect(heard(coordinator)).toEqual(expected);
    expect(heard(fen)).toEqual(expected);
    expect(heard(muhtar).mentes).toEqual(expected.mentes);
    // Another department's expert and another neighbourhood's muhtar hear nothing of it.
    expect(ulasim.about(mezitli.number)).toEqual([]);
    expect(ulasim.about(mentes.number)).toEqual([]);
    expect(muhtar.about(mezitli.number)).toEqual([]);

    // The event says which ticket changed and how, nothing of the citizen or the staff.
    for (const s of [coordinator, fen, muhtar]) {
      for (const e of s.events.filter((x) => x.event === 'ticket')) expect(Object.keys(e.data as object).sort()).toEqual(['number', 'seq', 'status', 'type']);
      for (const personal of ['Fatma', 'Şen', '532', '765 43 21', 'Kaldırım', STAFF.coordinator]) expect(s.raw).not.toContain(personal);
    }

    // Moved to another department: the department that lost it hears of it (its queues change), so does the new one.
    const moved = await lastSeq(mezitli.number);
    await t.staff(STAFF.coordinator, mezitli.number, 'reassign-department', { departmentId: 'ulasim', category: 'PUBLIC_TRANSPORT' }).expect(200);
    for (const s of [fen, ulasim]) await s.until('the reassignment', () => seqs(s, mezitli.number).some((seq) => seq > moved));
    expect(seqs(muhtar, mezitli.number)).toEqual([]);
  });

  it('a reconnect with Last-Event-ID gets what it missed, each event once, then the live ones', async () => {
    const ticket = await t.create();
    const first = await ready(STAFF.fenExpert2);
    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await first.until('the assignment', () => first.about(ticket.number).length > 0);
    await settle();
    const cursor = first.lastId!;
    await first.close();

    // Missed while away.
    await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    await t.waitForStatus(ticket.number, 'IN_PROGRESS');
    const missed = await rowsOf(ticket.number, 0, cursor);
    expect(missed.length).toBeGreaterThan(0);

    const again = await stream(STAFF.fenExpert2, cursor);
    expect(again.status).toBe(200);
    await again.until('the missed events', () => again.about(ticket.number).length >= missed.length);
    await settle();
    expect(again.about(ticket.number).map((e) => ({ id: e.id, seq: (e.data as { seq: number }).seq }))).toEqual(missed);
    expect(again.events.some((e) => e.event === 'ready' || e.event === 'reset')).toBe(false);
    const ids = again.events.map((e) => BigInt(e.id!));
    expect(ids.every((id, i) => id > BigInt(cursor) && (i === 0 || id > ids[i - 1]))).toBe(true);

    // And live from there on, once.
    const seen = await lastSeq(ticket.number);
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
    await again.until('the resolution', () => seqs(again, ticket.number).some((seq) => seq > seen));
    await t.waitForStatus(ticket.number, 'IN_APPROVAL');
    await settle();
    expect(seqs(again, ticket.number)).toEqual((await rowsOf(ticket.number, 0, cursor)).map((r) => r.seq));
  });

  it('past LIVE_REPLAY_LIMIT missed events, a reconnect is told to refetch everything (`reset`)', async () => {
    while (Number((await stack.db.query(`SELECT count(*) AS n FROM ticket_events`))[0].n) <= REPLAY_LIMIT) await t.create();
    const cursor = await latestId();
    const s = await stream(STAFF.coordinator, '0');
    await s.until('the reset', (events) => events.length > 0);
    expect(s.events[0]).toEqual({ id: cursor, event: 'reset', data: {} });
    expect(s.events.filter((e) => e.event === 'ticket')).toEqual([]);
  });

  it('a revoked session’s stream ends at once, and cannot be reopened', async () => {
    const login = await stack.http.post('/auth/login').send({ username: STAFF.fenExpert2, password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    const authorization = `Bearer ${login.body.accessToken}`;
    const s = await stream(STAFF.fenExpert2, undefined, authorization);
    await s.until('ready', (events) => events.some((e) => e.event === 'ready'));

    await stack.http.post('/auth/logout').set('Authorization', authorization).send({ refreshToken: login.body.refreshToken }).expect(204);
    await Promise.race([s.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream stayed open')), 5_000))]);
    expect(s.events.at(-1)).toEqual({ id: null, event: 'end', data: { reason: 'SESSION_ENDED' } });
    expect((await stream(STAFF.fenExpert2, undefined, authorization)).status).toBe(401);
  });

  it('a stream ends when the access token that opened it expires (the console reconnects with a fresh one)', async () => {
    const short = await startTestStack({ worker: false, env: { ACCESS_TOKEN_TTL: '2s' } });
    try {
      await short.api.listen(0, '127.0.0.1');
      const shortBase = `http://127.0.0.1:${(short.api.getHttpServer().address() as AddressInfo).port}`;
      const opened = Date.now();
      const s = await EventStreamClient.open(shortBase, await short.bearer(STAFF.coordinator));
      open.push(s);
      expect(s.status).toBe(200);
      await Promise.race([s.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream outlived its token')), 6_000))]);
      expect(s.events.at(-1)).toEqual({ id: null, event: 'end', data: { reason: 'TOKEN_EXPIRED' } });
      expect(Date.now() - opened).toBeLessThan(6_000);
    } finally {
      await short.close();
    }
  });
});
