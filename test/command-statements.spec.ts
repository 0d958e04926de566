import { randomUUID } from 'node:crypto';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { DataSource } from 'typeorm';
import { signedIn, STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * What one command costs the API in SQL: its answer is built from the state the Workflow Update
 * returns and the row read for the access check, so the hot path is that read plus, with an
 * X-Request-Id, the request's record. Only the API's own data source is counted (the worker's
 * activities run in this process too, on a data source of their own).
 */
describe('SQL statements per command', () => {
  let stack: TestStack;
  let t: TicketDriver;
  let counting: DataSource | null = null;
  let statements: string[] = [];
  const original = PostgresQueryRunner.prototype.query;

  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args: Parameters<typeof original>) {
      if (counting && this.connection === counting) statements.push(String(args[0]).replace(/\s+/g, ' '));
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
      return { answer: res.body, issued: statements };
    } finally {
      counting = null;
    }
  }

  /**
   * Every command: the caller's identity (bearer token: the staff row and deputies) and the ticket
   * row for the access check before the Update; after it one statement for the timeline the state
   * does not carry, with the personal-data read log. Beside those: a reference the body names
   * (assign-expert's expert), the texts (finalize's summary; with an X-Request-Id they go with the
   * request's record), and with an X-Request-Id the record taken before and completed after.
   * Before issue 24 these were 8/13 (assign-expert), 8/13 (approve), 9/14 (finalize).
   */
  const commands = [
    {
      name: 'assign-expert',
      staff: STAFF.fenManager,
      body: { expertId: STAFF.fenExpert },
      budget: { plain: 4, withId: 6 },
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
      budget: { plain: 3, withId: 5 },
      prepare: async () => {
        const ticket = await t.toInProgress();
        await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
        return ticket;
      },
    },
    { name: 'finalize', staff: STAFF.coordinator, body: { summary: 'Kaldırım onarıldı.' }, budget: { plain: 4, withId: 5 }, prepare: () => t.toApproved() },
  ];

  for (const command of commands) {
    for (const withId of [false, true]) {
      const budget = withId ? command.budget.withId : command.budget.plain;
      it(`${command.name}${withId ? ' with X-Request-Id' : ''}: at most ${budget} statements, the ticket row read once, the answer as a fresh read shows it`, async () => {
        const ticket = await command.prepare();
        const { answer, issued } = await statementsOf(command.staff, ticket.number, command.name, command.body, withId ? `count-${randomUUID()}` : undefined);
        expect(issued.length).toBeLessThanOrEqual(budget);
        expect(issued.filter((sql) => /\bFROM "?tickets"?\s/.test(sql))).toHaveLength(1);
        // Built from the Update's state and the access read, the answer is what a read afterwards gives.
        const read = await signedIn(stack, command.staff, (http) => http.get(`/tickets/${ticket.number}`)).expect(200);
        expect(answer).toEqual(read.body);
      });
    }
  }
});
