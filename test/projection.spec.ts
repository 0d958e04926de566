import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TicketProjectionActivities } from '../activities/ticket-projection.activities';
import type { RecordTicketEventsInput } from '../activities/ticket-activities.contract';
import { createDataSource } from '../libs/database/src';
import type { TicketEvent, TicketState } from '../libs/domain/src';
import { APPROVER_1, approver, cmd, eventsOf, received, run } from '../libs/domain/test/ticket.fixtures';

/**
 * The projection write (`recordTicketEvents`) straight against the real PostgreSQL: the audit
 * trail is appended once per event, and the ticket row only ever moves forward. Temporal may run
 * the activity again (a retry, a replay after a worker crash), and an older batch may arrive
 * after a newer one; neither may take the row back or duplicate an audit row.
 */
describe('recordTicketEvents: the projection only moves forward', () => {
  let db: DataSource;
  let projection: TicketProjectionActivities;

  beforeAll(async () => {
    const url = process.env.TEKSIN_TEST_DATABASE_URL;
    if (!url) throw new Error('TEKSIN_TEST_DATABASE_URL is not set: run the integration tests through jest (global-setup)');
    db = await createDataSource(url, false, 2).initialize();
    projection = new TicketProjectionActivities(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  /**
   * A ticket row as intake writes it (status RECEIVED, last_event_seq 0), and the real machine's
   * decisions for it: open → TRIAGE (seq 1), assignDepartment → IN_DEPARTMENT (2), assignExpert →
   * IN_PROGRESS (3), submitResolution → IN_APPROVAL level 1 (4), approve at level 1 → level 2 (5).
   */
  async function freshTicket() {
    const ticketId = randomUUID();
    const number = `1999-${String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0')}`;
    await db.query(
      `INSERT INTO tickets (id, number, channel, type, category, segment, requester_name, requester_phone,
                            requester_textable, description, received_at, updated_at)
       VALUES ($1, $2, 'CALL_CENTER', 'COMPLAINT', 'ROAD_REPAIR', 'CITIZEN', 'Deniz', '+905320000000', true, 'Çukur.', now(), now())`,
      [ticketId, number],
    );
    const { decisions } = run(received({ ticketId, number, category: 'ROAD_REPAIR' }), [
      [0, cmd.open()],
      [1_000, cmd.assignDepartment()],
      [2_000, cmd.assignExpert()],
      [3_000, cmd.submitResolution()],
      [4_000, cmd.approve(approver(APPROVER_1))],
    ]);
    const views = decisions.map((d) => d.state);
    const events = decisions.flatMap((d) => eventsOf(d.effects));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(views.map((v) => v.status)).toEqual(['TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'IN_APPROVAL', 'IN_APPROVAL']);
    /** The batch of events `from`..`to` (seq), with the view the workflow had after event `viewAfter`. */
    const batch = (from: number, to: number, viewAfter: number = to): RecordTicketEventsInput => ({
      ticketId,
      events: events.filter((e: TicketEvent) => e.seq >= from && e.seq <= to),
      view: views[viewAfter - 1] as TicketState,
    });
    return { ticketId, batch };
  }

  const rowOf = async (ticketId: string) => {
    const [row] = await db.query(
      `SELECT status, last_event_seq, department_id, assignee_id, approval_level, workflow_view->>'status' AS view_status,
              (workflow_view->>'seq')::int AS view_seq
         FROM tickets WHERE id = $1`,
      [ticketId],
    );
    return row;
  };
  const auditOf = async (ticketId: string) =>
    db.query('SELECT seq, type, status, actor_kind, actor_id, at FROM ticket_events WHERE ticket_id = $1 ORDER BY seq, id', [ticketId]);

  it('writes the events and moves the row to the view of the newest event', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    expect(await rowOf(ticketId)).toEqual({
      status: 'IN_PROGRESS',
      last_event_seq: 3,
      department_id: 'dept-roads',
      assignee_id: 'expert-1',
      approval_level: null,
      view_status: 'IN_PROGRESS',
      view_seq: 3,
    });
    expect((await auditOf(ticketId)).map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, 'RECEIVED'],
      [2, 'DEPARTMENT_ASSIGNED'],
      [3, 'EXPERT_ASSIGNED'],
    ]);
  });

  it('an older batch with its stale view (seq 1..2, IN_DEPARTMENT) after seq 3 changes nothing', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    const row = await rowOf(ticketId);
    const audit = await auditOf(ticketId);

    await projection.recordTicketEvents(batch(1, 2));
    expect(await rowOf(ticketId)).toEqual(row);
    expect(row).toMatchObject({ status: 'IN_PROGRESS', last_event_seq: 3, assignee_id: 'expert-1' });
    expect(await auditOf(ticketId)).toEqual(audit);

    // A single old event (seq 1, TRIAGE) is refused just the same.
    await projection.recordTicketEvents(batch(1, 1));
    expect(await rowOf(ticketId)).toEqual(row);
  });

  it('a batch whose newest seq equals last_event_seq does not overwrite the row (only a newer seq moves it)', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    const row = await rowOf(ticketId);

    // Seq 3 again, carrying a different (older) view: the row already holds seq 3 and stays.
    await projection.recordTicketEvents(batch(3, 3, 2));
    expect(await rowOf(ticketId)).toEqual(row);
    await projection.recordTicketEvents(batch(2, 3, 1));
    expect(await rowOf(ticketId)).toEqual(row);
    expect(await auditOf(ticketId)).toHaveLength(3);
  });

  it('the same batch twice (a retried activity) leaves one audit row per event and the same row', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    const row = await rowOf(ticketId);
    const audit = await auditOf(ticketId);

    await projection.recordTicketEvents(batch(1, 3));
    expect(await auditOf(ticketId)).toEqual(audit);
    expect(audit.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(await rowOf(ticketId)).toEqual(row);
  });

  it('a newer batch after them moves the row on, and appends only its own events', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    await projection.recordTicketEvents(batch(1, 2)); // stale, ignored
    await projection.recordTicketEvents(batch(4, 5));
    expect(await rowOf(ticketId)).toEqual({
      status: 'IN_APPROVAL',
      last_event_seq: 5,
      department_id: 'dept-roads',
      assignee_id: 'expert-1',
      approval_level: 2,
      view_status: 'IN_APPROVAL',
      view_seq: 5,
    });
    expect((await auditOf(ticketId)).map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, 'RECEIVED'],
      [2, 'DEPARTMENT_ASSIGNED'],
      [3, 'EXPERT_ASSIGNED'],
      [4, 'RESOLUTION_SUBMITTED'],
      [5, 'APPROVED_AT_LEVEL'],
    ]);
  });

  it('a batch that overlaps the stored events (seq 2..4) appends the new one and moves the row to seq 4', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    await projection.recordTicketEvents(batch(2, 4));
    expect(await rowOf(ticketId)).toMatchObject({ status: 'IN_APPROVAL', last_event_seq: 4, approval_level: 1, view_seq: 4 });
    expect((await auditOf(ticketId)).map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('the audit trail itself refuses to be rewritten: UPDATE and DELETE of an event fail', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    const audit = await auditOf(ticketId);
    // The application role lacks the privilege; the owner role meets the trigger (test/audit-tamper.spec.ts).
    await expect(db.query(`UPDATE ticket_events SET type = 'CLOSED' WHERE ticket_id = $1 AND seq = 3`, [ticketId])).rejects.toThrow(/append-only|permission denied/);
    await expect(db.query('DELETE FROM ticket_events WHERE ticket_id = $1 AND seq = 1', [ticketId])).rejects.toThrow(/append-only|permission denied/);
    expect(await auditOf(ticketId)).toEqual(audit);
  });

  it('an empty batch changes nothing', async () => {
    const { ticketId, batch } = await freshTicket();
    await projection.recordTicketEvents(batch(1, 3));
    const row = await rowOf(ticketId);
    await projection.recordTicketEvents({ ...batch(1, 3, 1), events: [] });
    expect(await rowOf(ticketId)).toEqual(row);
  });
});
