import { randomUUID } from 'node:crypto';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * The analysis facts the triggers of migration AnalysisFacts keep (on the ticket row, and the
 * contact log's daily counts) follow every later write, not only the first: an audit row turned
 * away as a duplicate counts nothing, a closure check answered later, a rating changed, a contact
 * corrected or removed. test/analysis.spec.ts checks the figures read from them.
 */
describe('analysis facts kept by triggers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
  });
  afterAll(() => stack?.close());

  async function ticket(receivedAt: string): Promise<string> {
    const id = randomUUID();
    await stack.db.query(
      `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
         description, status, last_event_seq, received_at, workflow_started_at, updated_at)
       VALUES ($1, $2, $3, sha256(convert_to($3, 'UTF8')), 'WEB', 'REQUEST', 'ROAD_REPAIR', 'CITIZEN', 'Olgu Kişi', '+905320000002', true, 'Olgu verisi', 'IN_APPROVAL', 0, $4, $4, now())`,
      [id, `F${randomUUID().slice(0, 8)}`, randomUUID(), receivedAt],
    );
    return id;
  }
  const events = (id: string, rows: { seq: number; type: string; at: string; data?: object }[]) =>
    stack.db.query(
      `INSERT INTO ticket_events (ticket_id, seq, type, at, actor_kind, actor_id, status, data)
       SELECT $1, s.seq, s.type, s.at, 'SYSTEM', NULL, 'IN_APPROVAL', coalesce(s.data, '{}') FROM jsonb_to_recordset($2::jsonb) AS s(seq int, type text, at timestamptz, data jsonb)
       ON CONFLICT (ticket_id, seq) DO NOTHING`,
      [id, JSON.stringify(rows)],
    );
  const facts = async (id: string) =>
    (
      await stack.db.query(
        `SELECT first_department_at, first_expert_at, returned_to_center, approval_levels, approval_hours, rating, closure_checks_answered, closure_checks_not_fixed
           FROM tickets WHERE id = $1`,
        [id],
      )
    )[0];

  it('milestones and approval decisions from the audit rows, each counted once', async () => {
    const id = await ticket('2026-03-02T08:00:00Z');
    const rows = [
      { seq: 1, type: 'RECEIVED', at: '2026-03-02T08:00:00Z' },
      { seq: 2, type: 'DEPARTMENT_ASSIGNED', at: '2026-03-02T09:00:00Z' },
      { seq: 3, type: 'RETURNED_TO_CENTER', at: '2026-03-02T10:00:00Z' },
      { seq: 4, type: 'DEPARTMENT_ASSIGNED', at: '2026-03-02T11:00:00Z' },
      { seq: 5, type: 'EXPERT_ASSIGNED', at: '2026-03-02T12:00:00Z' },
      { seq: 6, type: 'RESOLUTION_SUBMITTED', at: '2026-03-03T12:00:00Z' },
      { seq: 7, type: 'APPROVAL_REMINDER', at: '2026-03-03T18:00:00Z', data: { level: 1 } },
      { seq: 8, type: 'RESOLUTION_REJECTED', at: '2026-03-04T00:00:00Z', data: { level: 1 } },
      { seq: 9, type: 'RESOLUTION_SUBMITTED', at: '2026-03-04T06:00:00Z' },
      { seq: 10, type: 'APPROVED_AT_LEVEL', at: '2026-03-04T08:00:00Z', data: { level: 1 } },
      { seq: 11, type: 'APPROVED_AT_LEVEL', at: '2026-03-04T11:00:00Z', data: { level: 2 } },
    ];
    await events(id, rows.slice(0, 8));
    // A retried write of rows already recorded, then the rest: the duplicates add nothing.
    await events(id, rows.slice(4));
    expect(await facts(id)).toMatchObject({
      first_department_at: new Date('2026-03-02T09:00:00Z'),
      first_expert_at: new Date('2026-03-02T12:00:00Z'),
      returned_to_center: true,
      approval_levels: [1, 1, 2],
      approval_hours: [12, 2, 3],
    });
  });

  it('ratings and closure checks, including answers given and changed later', async () => {
    const id = await ticket('2026-03-05T08:00:00Z');
    await stack.db.query(`INSERT INTO closure_checks (ticket_id, round, sent_at) VALUES ($1, 1, now()), ($1, 2, now())`, [id]);
    expect(await facts(id)).toMatchObject({ rating: null, closure_checks_answered: 0, closure_checks_not_fixed: 0 });
    await stack.db.query(`UPDATE closure_checks SET answer = 'NOT_FIXED', answered_at = now() WHERE ticket_id = $1 AND round = 1`, [id]);
    await stack.db.query(`UPDATE closure_checks SET answer = 'FIXED', answered_at = now() WHERE ticket_id = $1 AND round = 2`, [id]);
    expect(await facts(id)).toMatchObject({ closure_checks_answered: 2, closure_checks_not_fixed: 1 });
    await stack.db.query(`UPDATE closure_checks SET answer = 'FIXED' WHERE ticket_id = $1 AND round = 1`, [id]);
    expect(await facts(id)).toMatchObject({ closure_checks_answered: 2, closure_checks_not_fixed: 0 });
    await stack.db.query(`INSERT INTO ticket_ratings (ticket_id, rating) VALUES ($1, 2)`, [id]);
    await stack.db.query(`UPDATE ticket_ratings SET rating = 5 WHERE ticket_id = $1`, [id]);
    expect(await facts(id)).toMatchObject({ rating: 5 });
    await stack.db.query(`DELETE FROM ticket_ratings WHERE ticket_id = $1`, [id]);
    expect(await facts(id)).toMatchObject({ rating: null });
  });

  it('the contact log by local day, channel and outcome, through corrections and removals', async () => {
    // 21:30 UTC is 00:30 the next day in Istanbul: the day is the center's.
    const at = '2015-07-14T21:30:00Z'; // in the past, so no other suite's newest-first list sees these
    const count = async () =>
      (
        await stack.db.query(`SELECT day::text, channel, outcome, contacts FROM contact_days WHERE day BETWEEN '2015-07-14' AND '2015-07-15' ORDER BY 1, 2, 3`)
      ).map((r: Record<string, unknown>) => `${r.day} ${r.channel} ${r.outcome} ${r.contacts}`);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) {
      await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome) VALUES ($1, $2, 'agent.elif', 'CALL_CENTER', '+905320000003', 'HUNG_UP')`, [id, at]);
    }
    expect(await count()).toEqual(['2015-07-15 CALL_CENTER HUNG_UP 3']);
    await stack.db.query(`UPDATE contacts SET outcome = 'INFORMATION_GIVEN' WHERE id = $1`, [ids[0]]);
    await stack.db.query(`UPDATE contacts SET caller_phone = NULL WHERE id = $1`, [ids[1]]); // an anonymisation changes no count
    await stack.db.query(`DELETE FROM contacts WHERE id = $1`, [ids[2]]);
    expect(await count()).toEqual(['2015-07-15 CALL_CENTER HUNG_UP 1', '2015-07-15 CALL_CENTER INFORMATION_GIVEN 1']);
    await stack.db.query(`DELETE FROM contacts WHERE id = ANY($1)`, [ids]);
    expect(await count()).toEqual(['2015-07-15 CALL_CENTER HUNG_UP 0', '2015-07-15 CALL_CENTER INFORMATION_GIVEN 0']); // a day's row stays, at zero
  });
});
