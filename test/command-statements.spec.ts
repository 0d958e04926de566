import { randomUUID } from 'node:crypto';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { DataSource } from 'typeorm';
import { temporal } from '@temporalio/proto';
import { DEMO_PASSWORD } from '../libs/database/src/seed';
import { ticketWorkflowId } from '../libs/temporal/src';
import { currentRequestId } from '../apps/api/src/common/request-id.middleware';
import { signedIn, STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * What one command costs the API in SQL: its answer is built from the state the Workflow Update
 * returns and the row read for the access check, so the hot path is that read plus, with an
 * X-Request-Id, the request's record. Only the API's own data source is counted (the worker's
 * activities run in this process too, on a data source of their own), and on it only the
 * statements issued within the command's request: the analysis feed's steps run beside it, every
 * second, on the same data source.
 */
describe('SQL statements per command', () => {
  let stack: TestStack;
  let t: TicketDriver;
  let counting: DataSource | null = null;
  /** Each statement with the id of the request it was issued in (undefined: outside any request). */
  let statements: { requestId: string | undefined; sql: string }[] = [];
  const original = PostgresQueryRunner.prototype.query;

  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args: Parameters<typeof original>) {
      if (counting && this.connection === counting) statements.push({ requestId: currentRequestId(), sql: String(args[0]).replace(/\s+/g, ' ') });
      return original.apply(this, args);
    } as typeof original;
  });
  afterAll(async () => {
    PostgresQueryRunner.prototype.query = original;
    await stack?.close();
  });

  /** The command's answer and the statements the API issued for it (signed in beforehand, so the sign-in is not counted). */
  async function statementsOf(staffId: string, number: string, route: string, body: Record<string, unknown>, requestId?: string) {
    await stack.bearer(staffId);
    statements = [];
    counting = stack.db;
    try {
      const res = await signedIn(stack, staffId, (http) => {
        const req = http.post(`/tickets/${number}/${route}`);
        return (requestId ? req.set('X-Request-Id', requestId) : req).send(body);
      }).expect(200);
      const answered = res.headers['x-request-id'];
      return { answer: res.body, issued: statements.filter((s) => s.requestId === answered).map((s) => s.sql) };
    } finally {
      counting = null;
    }
  }

  /**
   * Every command, with or without an X-Request-Id, at most 3: the access read (the caller's live
   * account and deputies in force, the ticket row, the references the body names: assign-expert's
   * expert); the texts (finalize's summary), taken with the request's record when there is an id;
   * after the Update the timeline up to the state it returned, with the personal-data read log and
   * the request's completion. Before issue 24 these were 8/13 (assign-expert), 8/13 (approve),
   * 9/14 (finalize); before the folded access read 4/6, 3/5, 4/5.
   */
  const commands = [
    {
      name: 'assign-expert',
      staff: STAFF.fenManager,
      body: { expertId: STAFF.fenExpert },
      budget: { plain: 3, withId: 3 },
      prepare: async () => {
        const ticket = await t.create();
        await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
        return ticket;
      },
    },
    {
      name: 'approve',
      staff: STAFF.fenManager,
      body: {},
      budget: { plain: 3, withId: 3 },
      prepare: async () => {
        const ticket = await t.toInProgress();
        await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
        return ticket;
      },
    },
    { name: 'finalize', staff: STAFF.coordinator, body: { summary: 'Kaldırım onarıldı.' }, budget: { plain: 3, withId: 3 }, prepare: () => t.toApproved() },
  ];

  for (const command of commands) {
    for (const withId of [false, true]) {
      const budget = withId ? command.budget.withId : command.budget.plain;
      it(`${command.name}${withId ? ' with X-Request-Id' : ''}: at most ${budget} statements, the ticket row read once, the answer as a fresh read shows it`, async () => {
        const ticket = await command.prepare();
        const { answer, issued } = await statementsOf(command.staff, ticket.number, command.name, command.body, withId ? `count-${randomUUID()}` : undefined);
        expect(issued.length).toBeLessThanOrEqual(budget);
        expect(issued.filter((sql) => /\b(?:FROM|JOIN) "?tickets"?\s/.test(sql))).toHaveLength(1);
        // Built from the Update's state and the access read, the answer is what a read afterwards gives.
        const read = await signedIn(stack, command.staff, (http) => http.get(`/tickets/${ticket.number}`)).expect(200);
        expect(answer).toEqual(read.body);
      });
    }
  }

  it('the workflow upserts no search attribute (TEMPORAL_SEARCH_ATTRIBUTES=off, the default): a state change is no visibility write', async () => {
    const ticket = await t.toApproved();
    const handle = stack.client.workflow.getHandle(ticketWorkflowId(ticket.number));
    const { events } = await handle.fetchHistory();
    const { EventType } = temporal.api.enums.v1;
    expect(events?.length).toBeGreaterThan(10);
    expect(events?.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)).toEqual([]);
    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.getAll().filter((pair) => pair.key.name.startsWith('Ticket') || pair.key.name === 'DepartmentId')).toEqual([]);
  });

  /**
   * The access read is the only look-up of the caller's account on a command's hot path: what
   * changed since the token was issued shows on the very next command.
   */
  describe('the access read sees the account as it is now', () => {
    const signIn = async (username: string): Promise<string> =>
      `Bearer ${(await stack.http.post('/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200)).body.accessToken}`;
    const note = (authorization: string, number: string) =>
      stack.http.post(`/tickets/${number}/notes`).set('Authorization', authorization).send({ text: 'Arayan bilgi verdi.', visibility: 'INTERNAL' });

    it('a signed-out session: 401 with the challenge on the next command', async () => {
      const ticket = await t.create();
      const authorization = await signIn(STAFF.agent);
      await note(authorization, ticket.number).expect(200);
      await stack.http.post('/auth/logout').set('Authorization', authorization).send({}).expect(204);
      const refused = await note(authorization, ticket.number).expect(401);
      expect(refused.body.detail).toMatch(/session has ended/);
      expect(refused.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      // Before the ticket is judged: an unknown ticket is the same 401, not a 404.
      await note(authorization, '1999-000000').expect(401);
    });

    it('a deactivated account: 401 on the next command', async () => {
      await stack.db.query(`INSERT INTO staff (id, name, roles, password_hash) SELECT 'test.command.leaving', 'Ayrılacak', '{AGENT}', password_hash FROM staff WHERE id = 'coord.ayse' ON CONFLICT (id) DO NOTHING`);
      const ticket = await t.create();
      const authorization = await signIn('test.command.leaving');
      await note(authorization, ticket.number).expect(200);
      await stack.db.query(`UPDATE staff SET active = false WHERE id = 'test.command.leaving'`);
      await note(authorization, ticket.number).expect(401);
    });

    it('an ended deputyship: the next command is refused, with no new sign-in', async () => {
      const deputyship = randomUUID();
      await stack.db.query(
        `INSERT INTO deputies (id, principal_id, deputy_id, valid_from, valid_to, reason, created_by)
         VALUES ($1, $2, $3, now() - interval '1 minute', now() + interval '1 day', 'Yıllık izin', 'admin.can')`,
        [deputyship, STAFF.fenManager, STAFF.fenExpert2],
      );
      const authorization = await signIn(STAFF.fenExpert2);
      const assign = (number: string) => stack.http.post(`/tickets/${number}/assign-expert`).set('Authorization', authorization).send({ expertId: STAFF.fenExpert });
      const inDepartment = async () => {
        const ticket = await t.create();
        await t.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
        return ticket;
      };
      // Standing in for the manager, the expert assigns …
      const first = await assign((await inDepartment()).number).expect(200);
      expect(first.body.assigneeId).toBe(STAFF.fenExpert);
      // … and once the deputyship is revoked, no longer, with the same token.
      await stack.db.query(`UPDATE deputies SET revoked_at = now(), revoked_by = 'admin.can' WHERE id = $1`, [deputyship]);
      const refused = await assign((await inDepartment()).number).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
    });
  });
});
