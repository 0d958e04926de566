import { STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

type Event = { type: string; actor: { kind: string; id: string | null }; data: Record<string, unknown>; texts?: Record<string, string> };
const find = (body: { timeline: Event[] }, type: string) => body.timeline.find((e) => e.type === type);

/**
 * The coordination center's corrections — a department returns a misrouted ticket, the center
 * moves it to another department — and the citizen's own commands sent for them by an agent.
 */
describe('routing corrections and commands on the citizen’s behalf', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  describe('return-to-center', () => {
    it('the department’s manager returns a misrouted ticket: TRIAGE, the SLA still running, the reason on the staff timeline only', async () => {
      const ticket = await t.create();
      const assigned = await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
      const res = await t.staff(STAFF.fenManager, ticket.number, 'return-to-center', { reason: 'Bu bir ulaşım konusu, bizim değil.' }).expect(200);
      expect(res.body).toMatchObject({ status: 'TRIAGE', departmentId: null, assigneeId: null });
      // The citizen has been waiting all along: the SLA clock is not paused or restarted.
      expect(res.body.sla.runningSince).not.toBeNull();
      expect(res.body.sla.runningSince).toBe(assigned.body.sla.runningSince);
      expect(res.body.sla.stopped).toBe(false);
      const event = find(res.body, 'RETURNED_TO_CENTER')!;
      expect(event).toMatchObject({ actor: { kind: 'STAFF', id: STAFF.fenManager }, data: { departmentId: 'fen-isleri' }, texts: { reason: 'Bu bir ulaşım konusu, bizim değil.' } });

      const citizen = await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(200);
      expect(JSON.stringify(citizen.body)).not.toContain('ulaşım konusu');
      expect(citizen.body.status).toBe('TRIAGE');

      // The center sends it on to the right department.
      await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'ulasim' }).expect(200);
    });

    it('the assigned expert may return it too; another expert, the center or a blank reason may not', async () => {
      const ticket = await t.toInProgress();
      expect((await t.staff(STAFF.fenExpert2, ticket.number, 'return-to-center', { reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.staff(STAFF.coordinator, ticket.number, 'return-to-center', { reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.staff(STAFF.fenExpert, ticket.number, 'return-to-center', { reason: '  ' }).expect(400)).body.errors[0].field).toBe('reason');
      expect((await t.staff(STAFF.fenExpert, ticket.number, 'return-to-center', {}).expect(400)).body.errors[0].field).toBe('reason');
      const res = await t.staff(STAFF.fenExpert, ticket.number, 'return-to-center', { reason: 'Adres MESKİ bölgesinde.' }).expect(200);
      expect(res.body.status).toBe('TRIAGE');
      expect(find(res.body, 'RETURNED_TO_CENTER')!.data).toMatchObject({ departmentId: 'fen-isleri', previousExpertId: STAFF.fenExpert });
      // Back in triage the department no longer sees it: for its manager it does not exist.
      expect((await t.staff(STAFF.fenManager, ticket.number, 'return-to-center', { reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
    });
  });

  describe('reassign-department', () => {
    it('the center moves a ticket from one department to another, re-categorised, with a note', async () => {
      const ticket = await t.toInProgress();
      const res = await t.staff(STAFF.coordinator, ticket.number, 'reassign-department', { departmentId: 'ulasim', category: 'PUBLIC_TRANSPORT', note: 'Durak sorunu' }).expect(200);
      expect(res.body).toMatchObject({ status: 'IN_DEPARTMENT', departmentId: 'ulasim', assigneeId: null, category: 'PUBLIC_TRANSPORT' });
      expect(find(res.body, 'DEPARTMENT_REASSIGNED')).toMatchObject({
        actor: { kind: 'STAFF', id: STAFF.coordinator },
        data: { departmentId: 'ulasim', previousDepartmentId: 'fen-isleri', previousExpertId: STAFF.fenExpert },
        texts: { note: 'Durak sorunu' },
      });
      await t.staff(STAFF.ulasimHead, ticket.number, 'assign-expert', { expertId: STAFF.ulasimExpert }).expect(200);
      // The citizen sees that it moved, not the internal note.
      const citizen = await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(200);
      expect(citizen.body.timeline.map((e: Event) => e.type)).toContain('DEPARTMENT_REASSIGNED');
      expect(JSON.stringify(citizen.body)).not.toContain('Durak sorunu');
    });

    it('the same reference checks as assign-department (400 naming the field); only the center, only from a department', async () => {
      const ticket = await t.create();
      expect((await t.staff(STAFF.coordinator, ticket.number, 'reassign-department', { departmentId: 'ulasim' }).expect(409)).body.code).toBe('INVALID_TRANSITION');
      await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
      let res = await t.staff(STAFF.coordinator, ticket.number, 'reassign-department', { departmentId: 'nope', category: 'NOPE' }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['departmentId', 'category']);
      res = await t.staff(STAFF.coordinator, ticket.number, 'reassign-department', { departmentId: 'fen-isleri' }).expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_COMMAND', errors: [{ field: 'departmentId' }] });
      expect((await t.staff(STAFF.fenManager, ticket.number, 'reassign-department', { departmentId: 'ulasim' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.eventTypes(ticket.number)).filter((e) => e === 'DEPARTMENT_REASSIGNED')).toHaveLength(0);
    });
  });

  describe('the citizen’s commands sent by the center on their behalf', () => {
    it('an agent withdraws for a citizen who wrote on WhatsApp: recorded as on behalf, with the channel', async () => {
      const ticket = await t.create();
      const res = await t.staff(STAFF.agent, ticket.number, 'withdraw', { channel: 'WHATSAPP' }).expect(200);
      expect(res.body).toMatchObject({ status: 'CLOSED', outcome: 'WITHDRAWN' });
      expect(res.body.requester).toBeDefined(); // staff get the staff view
      expect(find(res.body, 'WITHDRAWN')).toMatchObject({ actor: { kind: 'STAFF', id: STAFF.agent }, data: { onBehalfOfCitizen: true, via: 'WHATSAPP' } });
    });

    it('an agent records the citizen’s answer from a phone call (channel defaults to CALL_CENTER)', async () => {
      const ticket = await t.toInProgress();
      await t.staff(STAFF.fenExpert, ticket.number, 'request-info', { question: 'Kapı numaranız?' }).expect(200);
      const res = await t.staff(STAFF.agent, ticket.number, 'info-provided', { answer: 'No: 12' }).expect(200);
      expect(res.body.status).toBe('IN_PROGRESS');
      expect(find(res.body, 'CITIZEN_INFO_PROVIDED')).toMatchObject({ actor: { kind: 'STAFF', id: STAFF.agent }, data: { onBehalfOfCitizen: true, via: 'CALL_CENTER' }, texts: { answer: 'No: 12' } });
      // The citizen sees their answer, and how it reached us, but not who typed it.
      const citizen = await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(200);
      expect(find(citizen.body, 'CITIZEN_INFO_PROVIDED')).toMatchObject({ actor: { kind: 'STAFF', id: null }, data: { via: 'CALL_CENTER' }, texts: { answer: 'No: 12' } });
    });

    it('a coordinator reopens for a citizen at a contact point', async () => {
      const ticket = await t.toApproved();
      await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Kaldırım onarıldı.' }).expect(200);
      const res = await t.staff(STAFF.coordinator, ticket.number, 'reopen', { reason: 'Taşlar yine yerinden çıktı.', channel: 'CONTACT_POINT' }).expect(200);
      expect(res.body).toMatchObject({ status: 'TRIAGE', reopenCount: 1 });
      expect(find(res.body, 'REOPENED')).toMatchObject({ actor: { kind: 'STAFF', id: STAFF.coordinator }, data: { onBehalfOfCitizen: true, via: 'CONTACT_POINT' }, texts: { reason: 'Taşlar yine yerinden çıktı.' } });
    });

    it('the citizen acts without a channel; a citizen naming one, an unknown channel or staff outside the center are refused', async () => {
      const ticket = await t.create();
      let res = await t.citizen(ticket, 'withdraw', { channel: 'CALL_CENTER' }).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'channel' }] });
      res = await t.staff(STAFF.agent, ticket.number, 'withdraw', { channel: 'PIGEON' }).expect(400);
      expect(res.body.errors[0].field).toBe('channel');
      // An expert may not open a ticket still in triage: for them it does not exist.
      expect((await t.staff(STAFF.fenExpert, ticket.number, 'withdraw').expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.staff(STAFF.auditor, ticket.number, 'withdraw').expect(403)).body.code).toBe('FORBIDDEN');
      await stack.http.post(`/tickets/${ticket.number}/withdraw`).send({}).expect(404);
      res = await t.citizen(ticket, 'withdraw').expect(200);
      expect(res.body.requester).toBeUndefined(); // the citizen's view
      expect(find(res.body, 'WITHDRAWN')).toMatchObject({ actor: { kind: 'CITIZEN' }, data: {} });
    });
  });
});
