import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { STAFF, TicketDriver, signedIn } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

const ADMIN = 'admin.can';
const FEN_OTHER_MANAGER = 'mgr.fen.seda'; // fen-isleri, branch fen-altyapi: not in expert.fen.ali's chain (hasan → fatma)
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

/**
 * Security review item 10: deputies (vekalet) broke separation of duties. An expert made deputy
 * for their own approver approved their own resolution, and one deputy for two levels approved a
 * whole chain alone. Now the rules refuse both (SEPARATION_OF_DUTIES, 403, in the workflow's
 * Update validator: no trace in the history), and deputies are appointed, listed and revoked by
 * an ADMIN through /admin/deputies (bounded dates, same department, audited) instead of SQL.
 * Real tickets, the real API, the real Temporal.
 */
describe('item 10: deputies and separation of duties', () => {
  let stack: TestStack;
  let t: TicketDriver;
  const created: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  // Each test starts with only the seeded deputy: whatever one left in force (failed or not)
  // would overlap the next one's appointments and change what later suites' accounts may do.
  afterEach(async () => {
    for (const id of created.splice(0)) await signedIn(stack, ADMIN, (http) => http.delete(`/admin/deputies/${id}`)).expect(204);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = {
    create: (body: Record<string, unknown>) => signedIn(stack, ADMIN, (http) => http.post('/admin/deputies').send(body)),
    list: () => signedIn(stack, ADMIN, (http) => http.get('/admin/deputies')),
    revoke: (id: string) => signedIn(stack, ADMIN, (http) => http.delete(`/admin/deputies/${id}`)),
  };

  /** Appoints a deputy through the admin route (in force from now for a week); its id. */
  async function appoint(deputyId: string, principalId: string): Promise<string> {
    const res = await admin.create({ principalId, deputyId, to: inDays(7), reason: 'Yıllık izin' }).expect(201);
    created.push(res.body.id);
    return res.body.id;
  }

  /** A Fen İşleri ticket resolved by expert.fen.ali, waiting for level 1 (mgr.fen.hasan), then level 2 (head.fen.fatma). */
  async function inApproval() {
    const ticket = await t.create();
    await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await t.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    const res = await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
    expect(res.body.approval.chain).toEqual([
      { level: 1, approverId: STAFF.fenManager },
      { level: 2, approverId: STAFF.fenHead },
    ]);
    return ticket;
  }

  const actionsOf = async (staffId: string, number: string): Promise<string[]> => (await t.read(staffId, `/tickets/${number}`).expect(200)).body.actions;
  const acceptedUpdates = async (number: string) =>
    (await stack.client.workflow.getHandle(ticketWorkflowId(number)).fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
  const approvals = (timeline: { type: string; actor: { id: string }; data: { level: number; onBehalfOf: string | null } }[]) =>
    timeline.filter((e) => e.type === 'APPROVED_AT_LEVEL').map((e) => [e.data.level, e.actor.id, e.data.onBehalfOf]);

  it('item 10 (a): an expert made deputy for their own approver cannot approve their own resolution', async () => {
    await appoint(STAFF.fenExpert, STAFF.fenManager);
    const ticket = await inApproval();

    // Not offered, and refused by the workflow's validator: 403, nothing recorded, nothing in the history.
    expect(await actionsOf(STAFF.fenExpert, ticket.number)).not.toContain('approve');
    const updatesBefore = await acceptedUpdates(ticket.number);
    const eventsBefore = await t.eventTypes(ticket.number);
    const refused = await t.staff(STAFF.fenExpert, ticket.number, 'approve').expect(403);
    expect(refused.body).toMatchObject({ code: 'SEPARATION_OF_DUTIES', status: 403 });
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await acceptedUpdates(ticket.number)).toBe(updatesBefore);
    expect(await t.eventTypes(ticket.number)).toEqual(eventsBefore);
    expect((await t.view(ticket.number)).approvalLevel).toBe(1);

    // The approvers approve as before.
    await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);
    const done = await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    expect(done.body.status).toBe('APPROVED');
    expect(approvals(done.body.timeline)).toEqual([
      [1, STAFF.fenManager, null],
      [2, STAFF.fenHead, null],
    ]);
  });

  it('item 10 (b): one person deputy for both levels cannot approve both levels of one round', async () => {
    await appoint(FEN_OTHER_MANAGER, STAFF.fenManager);
    await appoint(FEN_OTHER_MANAGER, STAFF.fenHead);
    const ticket = await inApproval();

    // Level 1 for the absent manager: fine, and the timeline says on whose behalf.
    const first = await t.staff(FEN_OTHER_MANAGER, ticket.number, 'approve').expect(200);
    expect(first.body.approvalLevel).toBe(2);

    // Level 2 for the absent head: the same person again — refused, not offered, no trace.
    expect(await actionsOf(FEN_OTHER_MANAGER, ticket.number)).not.toContain('approve');
    const updatesBefore = await acceptedUpdates(ticket.number);
    const refused = await t.staff(FEN_OTHER_MANAGER, ticket.number, 'approve').expect(403);
    expect(refused.body).toMatchObject({ code: 'SEPARATION_OF_DUTIES' });
    expect(refused.body.detail).toMatch(/level 1 .*same person/);
    expect(await acceptedUpdates(ticket.number)).toBe(updatesBefore);

    // Another pair of eyes decides level 2.
    const done = await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    expect(done.body.status).toBe('APPROVED');
    expect(approvals(done.body.timeline)).toEqual([
      [1, FEN_OTHER_MANAGER, STAFF.fenManager],
      [2, STAFF.fenHead, null],
    ]);
  });

  it('item 10 (c): an ADMIN appoints, lists and revokes deputies (no SQL), every field checked, each change audited', async () => {
    const body = { principalId: STAFF.fenHead, deputyId: FEN_OTHER_MANAGER, from: inDays(1), to: inDays(8), reason: 'Yıllık izin' };

    // Only an ADMIN.
    await stack.http.post('/admin/deputies').send(body).expect(401);
    await signedIn(stack, STAFF.fenHead, (http) => http.post('/admin/deputies').send(body)).expect(403);
    await signedIn(stack, STAFF.fenHead, (http) => http.get('/admin/deputies')).expect(403);

    // 400 naming the field.
    const badRequests: [Record<string, unknown>, string][] = [
      [{ ...body, principalId: undefined }, 'principalId'],
      [{ ...body, deputyId: '' }, 'deputyId'],
      [{ ...body, to: undefined }, 'to'],
      [{ ...body, to: 'next tuesday' }, 'to'],
      [{ ...body, from: '2026-13-01T00:00:00Z' }, 'from'],
      [{ ...body, reason: ' ' }, 'reason'],
      [{ ...body, from: inDays(-1) }, 'from'], // in the past
      [{ ...body, to: body.from }, 'to'], // not after from
      [{ ...body, to: inDays(1 + 91) }, 'to'], // over 90 days
    ];
    for (const [bad, field] of badRequests) {
      const res = await admin.create(bad).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }

    // 404 for unknown staff, 409 for oneself and for another department.
    expect((await admin.create({ ...body, deputyId: 'nobody.here' }).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await admin.create({ ...body, principalId: 'nobody.here' }).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await admin.create({ ...body, deputyId: STAFF.fenHead }).expect(409)).body.code).toBe('DEPUTY_OF_SELF');
    expect((await admin.create({ ...body, deputyId: STAFF.parkHead }).expect(409)).body.code).toBe('DEPUTY_OTHER_DEPARTMENT');
    expect((await admin.create({ ...body, principalId: STAFF.coordinator, deputyId: STAFF.coordinator2 }).expect(409)).body.code).toBe('DEPUTY_OTHER_DEPARTMENT');

    // Created (scheduled: it begins tomorrow), listed.
    const res = await admin.create(body).expect(201);
    created.push(res.body.id);
    expect(res.body).toMatchObject({
      principalId: STAFF.fenHead,
      deputyId: FEN_OTHER_MANAGER,
      departmentId: 'fen-isleri',
      from: body.from,
      to: body.to,
      reason: 'Yıllık izin',
      state: 'SCHEDULED',
      createdBy: ADMIN,
      revokedAt: null,
    });
    const listed = (await admin.list().expect(200)).body;
    expect(listed.find((d: { id: string }) => d.id === res.body.id)).toMatchObject({ principalName: 'Fatma Koç', deputyName: 'Seda Arslan', state: 'SCHEDULED' });
    expect(listed.find((d: { principalId: string }) => d.principalId === 'head.meski.leyla')).toMatchObject({ state: 'IN_FORCE' }); // the seeded one

    // 409 for an overlap: the head has a deputy then; the deputy is away then herself.
    const overlap = await admin.create({ ...body, deputyId: STAFF.fenManager, from: inDays(3), to: inDays(4) }).expect(409);
    expect(overlap.body).toMatchObject({ code: 'DEPUTY_OVERLAP', overlapping: { id: res.body.id } });
    expect((await admin.create({ principalId: STAFF.fenManager, deputyId: STAFF.fenHead, from: inDays(2), to: inDays(3), reason: 'Rapor' }).expect(409)).body.code).toBe('DEPUTY_OVERLAP');

    // An appointment in force now takes effect at once; its revocation too.
    const now = await admin.create({ principalId: STAFF.fenManager, deputyId: STAFF.fenExpert2, to: inDays(2), reason: 'Görev' }).expect(201);
    created.push(now.body.id);
    expect(now.body.state).toBe('IN_FORCE');
    const me = async () => (await signedIn(stack, STAFF.fenExpert2, (http) => http.get('/me')).expect(200)).body.deputies.standingInFor;
    expect((await me()).map((d: { principalId: string }) => d.principalId)).toEqual([STAFF.fenManager]);

    await admin.revoke(now.body.id).expect(204);
    await admin.revoke(now.body.id).expect(204); // twice is fine, and audited once
    expect(await me()).toEqual([]);
    await admin.revoke(res.body.id).expect(204);
    const after = (await admin.list().expect(200)).body;
    expect(after.find((d: { id: string }) => d.id === now.body.id)).toMatchObject({ state: 'REVOKED', revokedBy: ADMIN });
    expect(after.find((d: { id: string }) => d.id === res.body.id)).toMatchObject({ state: 'REVOKED', revokedBy: ADMIN });
    // Once revoked, the dates are free again.
    const again = await admin.create({ ...body, deputyId: STAFF.fenManager, from: inDays(3), to: inDays(4) }).expect(201);
    created.push(again.body.id);
    await admin.revoke(again.body.id).expect(204);

    await admin.revoke('7e1c4f0a-0000-4000-8000-000000000000').expect(404);
    await admin.revoke('not-a-uuid').expect(404);

    // The audit: one row per change, by whom, under which request; never the free-text reason.
    const audit = await stack.db.query(
      `SELECT actor_id, action, subject_id, details, request_id FROM admin_audit WHERE subject_type = 'deputy' AND subject_id = ANY ($1) ORDER BY id`,
      [[res.body.id, now.body.id]],
    );
    expect(audit.map((a: { action: string; subject_id: string }) => [a.action, a.subject_id])).toEqual([
      ['DEPUTY_CREATED', res.body.id],
      ['DEPUTY_CREATED', now.body.id],
      ['DEPUTY_REVOKED', now.body.id],
      ['DEPUTY_REVOKED', res.body.id],
    ]);
    expect(audit.every((a: { actor_id: string; request_id: string | null }) => a.actor_id === ADMIN && a.request_id)).toBe(true);
    expect(audit[0].details).toEqual({ principalId: STAFF.fenHead, deputyId: FEN_OTHER_MANAGER, validFrom: body.from, validTo: body.to });
    expect(JSON.stringify(audit)).not.toContain('Yıllık izin');

    // Append-only for the application role.
    await expect(stack.db.query(`UPDATE admin_audit SET actor_id = 'coord.ayse'`)).rejects.toThrow(/permission denied/);
    await expect(stack.db.query(`DELETE FROM admin_audit`)).rejects.toThrow(/permission denied/);
  });
});
