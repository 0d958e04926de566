import type { WorkflowHandle } from '@temporalio/client';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { TicketSearchAttributes as SA } from '../libs/temporal/src';
import { STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

/**
 * Every path of the ticket process, server-backed: the real API, the real worker and
 * workflow on the Temporal dev server, the real PostgreSQL. Clocks are configured in seconds.
 */
describe('the ticket process', () => {
  let stack: TestStack;
  let t: TicketDriver;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { REOPEN_WINDOW: '4s', APPROVAL_LEVEL_SLA: '1h', LEGAL_ANSWER_DEADLINE: '30d', LEGAL_DEADLINE_WARNING: '5d' },
    });
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('triage → department → expert → two-level approval → finalize → reopen → second round → close', async () => {
    const ticket = await t.create();

    let res = await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri', note: 'Yol bakım birimine' }).expect(200);
    expect(res.body).toMatchObject({ status: 'IN_DEPARTMENT', departmentId: 'fen-isleri' });

    res = await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    expect(res.body).toMatchObject({ status: 'IN_PROGRESS', assigneeId: STAFF.fenExpert });

    res = await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Ekip gönderildi, kaldırım onarıldı.' }).expect(200);
    expect(res.body).toMatchObject({ status: 'IN_APPROVAL', approvalLevel: 1 });
    expect(res.body.approval.chain).toEqual([
      { level: 1, approverId: STAFF.fenManager },
      { level: 2, approverId: STAFF.fenHead },
    ]);

    // The head cannot jump the queue: level 1 decides first (not now: 409; an outsider gets 403).
    res = await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(409);
    expect(res.body.code).toBe('INVALID_TRANSITION');
    res = await t.staff(STAFF.auditor, ticket.number, 'approve').expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    // Another department's head may not even open it: 404, as for a ticket that does not exist.
    res = await t.staff(STAFF.parkHead, ticket.number, 'approve').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');

    res = await t.staff(STAFF.fenManager, ticket.number, 'approve', { note: 'Uygun' }).expect(200);
    expect(res.body).toMatchObject({ status: 'IN_APPROVAL', approvalLevel: 2 });

    res = await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    expect(res.body.status).toBe('APPROVED');

    // Staff can ask the workflow itself (a Query) when the projection might lag.
    const live = await stack.http.get(`/tickets/${ticket.number}/live`).set('Authorization', await stack.bearer(STAFF.coordinator)).expect(200);
    expect(live.body).toMatchObject({ number: ticket.number, status: 'APPROVED', approval: { round: 1, level: 2 } });
    expect(JSON.stringify(live.body)).not.toContain('Fatma Şen');

    res = await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Kaldırımınız onarılmıştır.' }).expect(200);
    expect(res.body.status).toBe('RESOLVED');
    expect(res.body.reopenUntil).toEqual(expect.any(String));

    // The citizen is not satisfied.
    res = await t.citizen(ticket, 'reopen', { reason: 'Onarım yarım kaldı.' }).expect(200);
    expect(res.body).toMatchObject({ status: 'TRIAGE', reopenCount: 1 });
    expect(res.body.requester).toBeUndefined(); // citizen view

    // Second round, this time the transport department with a single approval level.
    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'ulasim' }).expect(200);
    await t.staff(STAFF.ulasimHead, ticket.number, 'assign-expert', { expertId: STAFF.ulasimExpert }).expect(200);
    res = await t.staff(STAFF.ulasimExpert, ticket.number, 'resolution', { text: 'İkinci ekip tamamladı.' }).expect(200);
    expect(res.body.approval.chain).toEqual([{ level: 1, approverId: STAFF.ulasimHead }]);
    await t.staff(STAFF.ulasimHead, ticket.number, 'approve').expect(200);
    await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Onarım tamamlandı.' }).expect(200);

    // The reopen window (4 s here) runs out: the ticket closes and the workflow completes.
    const closed = await t.waitForStatus(ticket.number, 'CLOSED', 15_000);
    expect(closed).toMatchObject({ outcome: 'RESOLVED', reopenCount: 1 });
    const result = await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).result();
    expect(result).toMatchObject({ number: ticket.number, outcome: 'RESOLVED', rounds: 2 });

    // Reopening after the window is refused.
    res = await t.citizen(ticket, 'reopen', { reason: 'Hâlâ sorun var.' }).expect(409);
    expect(res.body.code).toBe('TICKET_CLOSED');

    const types = await t.eventTypes(ticket.number);
    expect(types).toEqual([
      'RECEIVED',
      'DEPARTMENT_ASSIGNED',
      'EXPERT_ASSIGNED',
      'RESOLUTION_SUBMITTED',
      'APPROVED_AT_LEVEL',
      'APPROVED_AT_LEVEL',
      'RESOLUTION_APPROVED',
      'FINALIZED',
      'REOPENED',
      'DEPARTMENT_ASSIGNED',
      'EXPERT_ASSIGNED',
      'RESOLUTION_SUBMITTED',
      'APPROVED_AT_LEVEL',
      'RESOLUTION_APPROVED',
      'FINALIZED',
      'CLOSED',
    ]);
    // The projection row agrees with the audit trail.
    const [row] = await stack.db.query('SELECT * FROM tickets WHERE number = $1', [ticket.number]);
    expect(row).toMatchObject({ status: 'CLOSED', outcome: 'RESOLVED', reopen_count: 1, department_id: 'ulasim', assignee_id: STAFF.ulasimExpert, last_event_seq: types.length });
    expect(row.closed_at).not.toBeNull();
    const audit = await stack.db.query('SELECT seq, actor_kind, actor_id FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [ticket.id]);
    expect(audit.map((e: { seq: number }) => e.seq)).toEqual(types.map((_, i) => i + 1));
    expect(audit.find((e: { seq: number }) => e.seq === 9)).toMatchObject({ actor_kind: 'CITIZEN', actor_id: null }); // the reopen
    // The audit table is append-only.
    await expect(stack.db.query('UPDATE ticket_events SET type = $1 WHERE ticket_id = $2', ['X', ticket.id])).rejects.toThrow(/append-only|permission denied/);
    await expect(stack.db.query('DELETE FROM ticket_events WHERE ticket_id = $1', [ticket.id])).rejects.toThrow(/append-only|permission denied/);

    // Exactly one SMS per purpose and round, each through its own outbox key.
    const outbox = await t.outbox(ticket.number);
    expect(outbox.map((o) => o.purpose)).toEqual(['RECEIVED', 'RESOLVED', 'REOPENED', 'RESOLVED', 'CLOSED']);
    expect(outbox.every((o) => o.status === 'SENT')).toBe(true);
    expect(new Set(outbox.map((o) => o.notification_key)).size).toBe(outbox.length);
    expect(stack.sms.sent.filter((m) => m.reference.startsWith(`ticket-${ticket.number}:`))).toHaveLength(outbox.length);
    await t.recordHistory('full-lifecycle-with-reopen', ticket.number);
  });

  it('a rejection at level 2 returns the resolution to the expert; the resubmission starts a new round at level 1', async () => {
    const ticket = await t.toInProgress();
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'İlk çözüm.' }).expect(200);
    await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);

    // A reason is required.
    let res = await t.staff(STAFF.fenHead, ticket.number, 'reject-resolution', {}).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);

    res = await t.staff(STAFF.fenHead, ticket.number, 'reject-resolution', { reason: 'Fotoğraf eksik.' }).expect(200);
    expect(res.body).toMatchObject({ status: 'IN_PROGRESS', assigneeId: STAFF.fenExpert });
    const rejected = res.body.timeline.find((e: { type: string }) => e.type === 'RESOLUTION_REJECTED');
    expect(rejected).toMatchObject({ data: { level: 2, round: 1 }, texts: { reason: 'Fotoğraf eksik.' } });

    res = await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Fotoğraflı çözüm.' }).expect(200);
    expect(res.body).toMatchObject({ status: 'IN_APPROVAL', approvalLevel: 1, approval: { round: 2, level: 1 } });
    await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);
    res = await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    expect(res.body.status).toBe('APPROVED');
    await t.recordHistory('rejected-at-level-2-and-resubmitted', ticket.number);
  });

  it('referral: outside our jurisdiction, the citizen is told which institution, and the ticket closes', async () => {
    const ticket = await t.create({ category: 'OTHER', description: 'Sokak lambası yanmıyor.' });
    let res = await t.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'nowhere' }).expect(400);
    expect(res.body.errors[0].field).toBe('institutionId');

    res = await t.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', outcome: 'REFERRED' });
    const outbox = await waitFor(async () => {
      const rows = await t.outbox(ticket.number);
      return rows.length === 2 ? rows : null;
    }, { what: 'the referral SMS' });
    expect(outbox[1].purpose).toBe('REFERRED');
    expect(outbox[1].body).toContain('Toroslar EDAŞ');
    expect(outbox[1].body).toContain('186');
    await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).result();
    await t.recordHistory('referral', ticket.number);
  });

  it('duplicate: the ticket is merged into the surviving one, which records the merge', async () => {
    const survivor = await t.create();
    const duplicate = await t.create();

    let res = await t.staff(STAFF.coordinator, duplicate.number, 'reject', { reason: 'DUPLICATE' }).expect(400);
    expect(res.body.errors[0].field).toBe('duplicateOf');
    res = await t.staff(STAFF.coordinator, duplicate.number, 'reject', { reason: 'DUPLICATE', duplicateOf: '2000-000001' }).expect(400);
    expect(res.body.errors[0].field).toBe('duplicateOf');

    res = await t.staff(STAFF.coordinator, duplicate.number, 'reject', { reason: 'DUPLICATE', duplicateOf: survivor.number }).expect(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', outcome: 'MERGED' });
    await t.waitForEvent(survivor.number, 'DUPLICATE_MERGED');
    const survivorView = await t.view(survivor.number);
    expect(survivorView.timeline.at(-1)).toMatchObject({ type: 'DUPLICATE_MERGED', data: { from: duplicate.number } });
    const outbox = await t.closedOutbox(duplicate.number);
    expect(outbox.map((o) => o.purpose)).toEqual(['RECEIVED', 'MERGED']);
    expect(outbox[1].body).toContain(survivor.number);
    await t.recordHistory('duplicate-merged', duplicate.number);
    await t.recordHistory('duplicate-survivor', survivor.number);
  });

  it('spam is rejected and closed without texting the sender again', async () => {
    const ticket = await t.create();
    const res = await t.staff(STAFF.coordinator, ticket.number, 'reject', { reason: 'SPAM' }).expect(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', outcome: 'REJECTED' });
    expect((await t.closedOutbox(ticket.number)).map((o) => o.purpose)).toEqual(['RECEIVED']);
    await t.recordHistory('rejected-as-spam', ticket.number);
  });

  it('direct answer: an information request is answered on the spot and resolved', async () => {
    const complaint = await t.create();
    let res = await t.staff(STAFF.coordinator, complaint.number, 'answer', { answer: 'x' }).expect(409);
    expect(res.body.code).toBe('INVALID_TRANSITION');

    const info = await t.create({ type: 'INFORMATION', category: 'GENERAL_INFO', description: 'Su faturası nereden ödenir?' });
    res = await t.staff(STAFF.agent, info.number, 'answer', { answer: 'x' }).expect(403);
    res = await t.staff(STAFF.coordinator, info.number, 'answer', { answer: 'MESKİ şubelerinden ve e-Devlet’ten.' }).expect(200);
    expect(res.body.status).toBe('RESOLVED');
    const citizenView = await stack.http.get(`/tickets/${info.number}`).set('X-Tracking-Token', info.token).expect(200);
    expect(citizenView.body.timeline.find((e: { type: string }) => e.type === 'ANSWERED_DIRECTLY').texts.answer).toContain('MESKİ');
    await t.recordHistory('answered-directly', info.number);
  });

  it('withdrawal: the citizen withdraws before resolution; a wrong or missing token is the 404 of an unknown ticket', async () => {
    const ticket = await t.toInProgress();
    await stack.http.post(`/tickets/${ticket.number}/withdraw`).set('X-Tracking-Token', 'wrong').send({}).expect(404);
    await stack.http.post(`/tickets/${ticket.number}/withdraw`).send({}).expect(404);
    const res = await t.citizen(ticket, 'withdraw').expect(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', outcome: 'WITHDRAWN' });
    expect((await t.closedOutbox(ticket.number)).map((o) => o.purpose)).toEqual(['RECEIVED', 'CLOSED']);
    await t.recordHistory('withdrawn', ticket.number);
  });

  it('citizen info: the SLA clock is paused while waiting and resumes on the answer', async () => {
    const ticket = await t.toInProgress();
    let res = await t.staff(STAFF.fenExpert2, ticket.number, 'request-info', { question: 'x' }).expect(403);
    res = await t.staff(STAFF.fenExpert, ticket.number, 'request-info', { question: 'Kapı numaranızı yazar mısınız?' }).expect(200);
    expect(res.body.status).toBe('WAITING_FOR_CITIZEN');
    expect(res.body.sla.runningSince).toBeNull();
    const consumed = res.body.sla.consumedMs;

    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await t.view(ticket.number)).sla.consumedMs).toBe(consumed);

    // The question reached the citizen by SMS, with the link to answer (stored with its token masked).
    const outbox = await t.settledOutbox(ticket.number, 2);
    expect(outbox.map((o) => o.purpose)).toEqual(['RECEIVED', 'INFO_REQUESTED']);
    expect(outbox[1].body).toContain(ticket.trackingUrl.replace(`k=${ticket.token}`, 'k=***'));
    expect(stack.sms.sent.find((m) => m.reference === outbox[1].notification_key)!.body).toContain(ticket.trackingUrl);

    res = await t.citizen(ticket, 'info-provided', { answer: 'No: 12' }).expect(200);
    expect(res.body.status).toBe('IN_PROGRESS');
    const staffView = await t.view(ticket.number);
    expect(staffView.sla.runningSince).not.toBeNull();
    expect(staffView.sla.consumedMs).toBe(consumed);
    expect(staffView.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['CITIZEN_INFO_REQUESTED', 'SLA_PAUSED', 'CITIZEN_INFO_PROVIDED', 'SLA_RESUMED']),
    );
    await t.recordHistory('citizen-info-sla-paused', ticket.number);
  });

  it('least-loaded assignment: a department set to it gets its expert automatically', async () => {
    const ticket = await t.create({ category: 'PARK_MAINTENANCE' });
    const res = await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'park-bahceler' }).expect(200);
    expect(res.body.status).toBe('IN_PROGRESS');
    expect(['expert.park.can', 'expert.park.deniz']).toContain(res.body.assigneeId);
    expect(res.body.timeline.find((e: { type: string }) => e.type === 'EXPERT_ASSIGNED').data).toMatchObject({ automatic: true });
    await t.recordHistory('least-loaded-assignment', ticket.number);
  });

  it('refused commands: wrong state → 409, wrong actor → 403, unknown ticket → 404, and no history event', async () => {
    const ticket = await t.create();
    const before = await t.updateEventCount(ticket.number);
    const textsBefore = Number((await stack.db.query('SELECT count(*)::int AS n FROM ticket_texts WHERE ticket_id = $1', [ticket.id]))[0].n);

    let res = await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'x' }).expect(409);
    expect(res.body).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
    res = await t.staff(STAFF.agent, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await t.staff(STAFF.coordinator, '1999-000000', 'assign-department', { departmentId: 'fen-isleri' }).expect(404);
    await stack.http.post(`/tickets/${ticket.number}/assign-department`).send({ departmentId: 'fen-isleri' }).expect(401);
    res = await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'nope' }).expect(400);
    expect(res.body.errors[0].field).toBe('departmentId');
    res = await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri', extra: 1 }).expect(400);

    // A validator's refusal leaves nothing in the history, and nothing in the audit trail.
    expect(await t.updateEventCount(ticket.number)).toBe(before);
    expect(await t.eventTypes(ticket.number)).toEqual(['RECEIVED']);
    // Nor in ticket_texts: the refused finalize's summary was removed again.
    expect(Number((await stack.db.query('SELECT count(*)::int AS n FROM ticket_texts WHERE ticket_id = $1', [ticket.id]))[0].n)).toBe(textsBefore);
  });

  it('concurrent conflicting commands: exactly one wins', async () => {
    // Two coordinators triage the same ticket at once.
    const ticket = await t.create();
    const results = await Promise.all([
      t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }),
      t.staff(STAFF.coordinator2, ticket.number, 'assign-department', { departmentId: 'ulasim' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const departmentId = (await t.view(ticket.number)).departmentId;
    expect(departmentId).toBe(results.find((r) => r.status === 200)!.body.departmentId);

    // The level-1 approver approves and rejects at the same moment.
    const approvalTicket = await t.toInProgress();
    await t.staff(STAFF.fenExpert, approvalTicket.number, 'resolution', { text: 'Çözüm.' }).expect(200);
    const decisions = await Promise.all([
      t.staff(STAFF.fenManager, approvalTicket.number, 'approve'),
      t.staff(STAFF.fenManager, approvalTicket.number, 'reject-resolution', { reason: 'Eksik.' }),
      t.staff(STAFF.fenManager, approvalTicket.number, 'approve'),
    ]);
    expect(decisions.filter((r) => r.status === 200)).toHaveLength(1);
    // The losers could decide, just not any more: the ticket moved on (409, never 403).
    expect(decisions.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([409, 409]);
    const decided = (await t.eventTypes(approvalTicket.number)).filter((e) => e === 'APPROVED_AT_LEVEL' || e === 'RESOLUTION_REJECTED');
    expect(decided).toHaveLength(1);
    await t.recordHistory('concurrent-approval-decisions', approvalTicket.number);
  });

  it('ten concurrent approvals by one approver: one 200 and nine 409, at the first level as at the last', async () => {
    const ticket = await t.toInProgress();
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Çözüm.' }).expect(200);
    for (const approverId of [STAFF.fenManager, STAFF.fenHead]) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => t.staff(approverId, ticket.number, 'approve')));
      expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    }
    expect((await t.eventTypes(ticket.number)).filter((e) => e === 'APPROVED_AT_LEVEL')).toHaveLength(2);
  });

  it('a thousand refused commands of every kind leave the history length unchanged', async () => {
    const ticket = await t.toInProgress();
    const before = await t.historyLength(ticket.number);
    // Each is refused by the Update validator: wrong state, wrong actor or wrong content.
    const refused: [string, string, Record<string, unknown>][] = [
      [STAFF.coordinator, 'assign-department', { departmentId: 'ulasim' }],
      [STAFF.coordinator, 'refer', { institutionId: 'toroslar-edas' }],
      [STAFF.coordinator, 'reject', { reason: 'SPAM' }],
      [STAFF.coordinator, 'finalize', { summary: 'x' }],
      [STAFF.fenManager, 'approve', {}],
      [STAFF.fenManager, 'reject-resolution', { reason: 'x' }],
      [STAFF.fenExpert2, 'resolution', { text: 'x' }],
      [STAFF.fenExpert2, 'request-info', { question: 'x' }],
      [STAFF.ulasimHead, 'assign-expert', { expertId: STAFF.fenExpert2 }],
      [STAFF.fenManager, 'assign-expert', { expertId: STAFF.ulasimExpert }],
      [STAFF.coordinator, 'info-provided', { answer: 'x' }],
      [STAFF.parkHead, 'return-to-center', { reason: 'x' }],
      [STAFF.fenManager, 'reassign-department', { departmentId: 'ulasim' }],
    ];
    let sent = 0;
    for (let i = 0; sent < 1000; i++) {
      const batch = refused.map(([staffId, route, body]) => t.staff(staffId, ticket.number, route, body));
      const answers = await Promise.all(batch);
      for (const res of answers) expect([400, 403, 404, 409]).toContain(res.status);
      sent += batch.length;
    }
    for (const reopen of [t.citizen(ticket, 'reopen', { reason: 'x' }), t.citizen(ticket, 'info-provided', { answer: 'x' })]) {
      expect((await reopen).status).toBe(409);
    }
    expect(await t.historyLength(ticket.number)).toBe(before);
    expect(await t.eventTypes(ticket.number)).toEqual(['RECEIVED', 'DEPARTMENT_ASSIGNED', 'EXPERT_ASSIGNED']);
  });

  it('notes: internal notes stay internal, citizen notes reach the tracking view', async () => {
    const ticket = await t.toInProgress();
    await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: 'İç not', visibility: 'INTERNAL' }).expect(200);
    await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: 'Ekibimiz yarın sahada.', visibility: 'CITIZEN' }).expect(200);
    await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: 'x', visibility: 'SECRET' }).expect(400);

    // A client retrying with the same X-Request-Id (say after a timeout) applies the command once.
    for (let attempt = 0; attempt < 2; attempt++) {
      await stack.http.post(`/tickets/${ticket.number}/notes`).set('Authorization', await stack.bearer(STAFF.fenExpert)).set('X-Request-Id', `retry-${ticket.number}`).send({ text: 'Tekrar gönderilen not', visibility: 'INTERNAL' }).expect(200);
    }
    expect((await t.eventTypes(ticket.number)).filter((e) => e === 'NOTE_ADDED')).toHaveLength(3);
    const citizen = await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(200);
    const body = JSON.stringify(citizen.body);
    expect(body).toContain('Ekibimiz yarın sahada.');
    expect(body).not.toContain('İç not');
    expect(body).not.toContain(STAFF.fenExpert);
  });
});

describe('the ticket clocks', () => {
  let stack: TestStack;
  let t: TicketDriver;

  beforeAll(async () => {
    stack = await startTestStack({ env: { APPROVAL_LEVEL_SLA: '2s', REOPEN_WINDOW: '1h' } });
    t = new TicketDriver(stack);
    // A category whose SLA runs out in three seconds.
    await stack.db.query(
      `INSERT INTO categories (code, name, name_en, institution_id, default_department_id, sla_seconds)
       VALUES ('TEST_FAST', 'Hızlı test', 'Fast test', 'MUNICIPALITY', 'fen-isleri', 3) ON CONFLICT (code) DO NOTHING`,
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('SLA reminders at 50/75/90 % and a breach at 100 %: event, head notified', async () => {
    const ticket = await t.create({ category: 'TEST_FAST' });
    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    const types = await t.waitForEvent(ticket.number, 'SLA_BREACHED', 15_000);
    const marks = await stack.db.query(
      `SELECT e.data->>'percent' AS p FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
        WHERE t.number = $1 AND e.type = 'SLA_THRESHOLD_REACHED' ORDER BY e.seq`,
      [ticket.number],
    );
    expect(marks.map((m: { p: string }) => Number(m.p))).toEqual([50, 75, 90]);
    expect(types.filter((x) => x === 'SLA_BREACHED')).toHaveLength(1);
    const view = await t.view(ticket.number);
    expect(view.slaBreached).toBe(true);
    const notice = await waitFor(async () => (await t.outbox(ticket.number)).find((o) => o.purpose === 'SLA_BREACHED'));
    expect(notice.recipient_phone).toBe('+905550000015'); // head.fen.fatma
    await t.recordHistory('sla-reminders-and-breach', ticket.number);
  });

  it('approval escalation: a level with no decision is reminded, then escalated to the next approver up, who may decide it', async () => {
    const ticket = await t.toInProgress();
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Çözüm.' }).expect(200);
    await t.waitForEvent(ticket.number, 'APPROVAL_ESCALATED', 15_000);
    const view = await t.view(ticket.number);
    expect(view.approval).toMatchObject({ level: 1, escalated: true, escalatedTo: STAFF.fenHead });
    const escalation = view.timeline.find((e: { type: string }) => e.type === 'APPROVAL_ESCALATED');
    expect(escalation.data).toMatchObject({ level: 1, escalatedTo: STAFF.fenHead });
    expect(view.timeline.map((e: { type: string }) => e.type)).toContain('APPROVAL_REMINDER');
    const purposes = (await t.settledOutbox(ticket.number, 3)).map((o) => o.purpose);
    expect(purposes).toEqual(expect.arrayContaining(['APPROVAL_REMINDER', 'APPROVAL_ESCALATED']));

    // The head decides level 1 on the manager's behalf, then level 2 as themself.
    let res = await t.staff(STAFF.fenHead, ticket.number, 'approve', { note: 'Gecikme nedeniyle' }).expect(200);
    expect(res.body.approvalLevel).toBe(2);
    expect(res.body.timeline.filter((e: { type: string }) => e.type === 'APPROVED_AT_LEVEL').at(-1).data).toMatchObject({ level: 1, onBehalfOf: STAFF.fenManager });
    res = await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    expect(res.body.status).toBe('APPROVED');
    await t.recordHistory('approval-escalation', ticket.number);
  });
});

/**
 * TEMPORAL_SEARCH_ATTRIBUTES=live: an operator's Temporal UI queries (docs/operations.md) see
 * the ticket as it is. The other suites run with the default, off.
 */
describe('search attributes kept live', () => {
  let stack: TestStack;
  let t: TicketDriver;

  beforeAll(async () => {
    stack = await startTestStack({ env: { TEMPORAL_SEARCH_ATTRIBUTES: 'live' } });
    t = new TicketDriver(stack);
    // A category whose SLA runs out in two seconds.
    await stack.db.query(
      `INSERT INTO categories (code, name, name_en, institution_id, default_department_id, sla_seconds)
       VALUES ('TEST_FAST_SA', 'Hızlı test', 'Fast test', 'MUNICIPALITY', 'fen-isleri', 2) ON CONFLICT (code) DO NOTHING`,
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const described = (number: string, until: (attrs: Awaited<ReturnType<WorkflowHandle['describe']>>['typedSearchAttributes']) => boolean) =>
    waitFor(async () => {
      const d = await stack.client.workflow.getHandle(ticketWorkflowId(number)).describe();
      return until(d.typedSearchAttributes) ? d : null;
    });

  it('status, department, assignee, channel, category, SLA and reopen count follow the ticket', async () => {
    const ticket = await t.toInProgress();
    const { typedSearchAttributes: attrs } = await described(ticket.number, (a) => a.get(SA.TicketStatus) === 'IN_PROGRESS');
    expect(attrs.get(SA.DepartmentId)).toBe('fen-isleri');
    expect(attrs.get(SA.AssigneeId)).toBe(STAFF.fenExpert);
    expect(attrs.get(SA.Channel)).toBe('CALL_CENTER');
    expect(attrs.get(SA.Category)).toBe('ROAD_REPAIR');
    expect(attrs.get(SA.SlaBreached)).toBe(false);
    expect(attrs.get(SA.ReopenCount)).toBe(0);

    // An operator finds it in Temporal by its search attributes.
    await waitFor(async () => {
      const found = [];
      for await (const wf of stack.client.workflow.list({
        query: `TicketStatus = 'IN_PROGRESS' AND DepartmentId = 'fen-isleri' AND AssigneeId = '${STAFF.fenExpert}' AND WorkflowId = '${ticketWorkflowId(ticket.number)}'`,
      })) found.push(wf.workflowId);
      return found.length === 1;
    }, { what: 'the visibility query to find the ticket in progress' });
  });

  it('a breached SLA sets SlaBreached on the running workflow', async () => {
    const ticket = await t.create({ category: 'TEST_FAST_SA' });
    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    const description = await described(ticket.number, (a) => a.get(SA.SlaBreached) === true);
    expect(description.status.name).toBe('RUNNING');
  });
});
