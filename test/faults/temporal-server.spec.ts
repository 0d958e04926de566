/**
 * The production shape (issue 13, Load): the full Temporal server v1.29.1 on PostgreSQL, its
 * schema applied by temporal-sql-tool, one process running frontend, history, matching and worker
 * (scripts/lib/temporal-server.ts; docker-compose.yml's topology without Docker), with the
 * project's API and worker in front. It needs the server binaries, built with Go on first use
 * (about a minute and a half; the Temporal CLI is built the same way) and cached. With
 * TEMPORAL_SERVER=1 every other fault suite runs against that server too.
 */
import { Client as PgClient } from 'pg';
import { ticketWorkflowId } from '../../libs/temporal/src/task-queue';
import { FaultStack, until } from './support/fault-stack';
import { approve, auditIntact, completed, finalize, intake, oneMessagePerKey, phoneOf, projectionMatchesWorkflow, toApproval } from './support/lifecycle';

jest.setTimeout(300_000);

const TICKETS = 4;

describe('production shape: the full Temporal server on PostgreSQL', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await FaultStack.start({ fullServer: true });
    // Live search attributes (off by default): this is where an operator lists tickets by them, on
    // the full server's PostgreSQL visibility store.
    await Promise.all([stack.startApi({ TEMPORAL_SEARCH_ATTRIBUTES: 'live' }), stack.startWorker()]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('runs tickets through their whole process, with their histories in PostgreSQL, and survives a server restart', async () => {
    const phones = Array.from({ length: TICKETS }, (_, i) => phoneOf(7, i));
    const numbers = await Promise.all(phones.map(async (phone) => (await intake(stack, phone)).number));
    await Promise.all(numbers.map((n) => toApproval(stack, n)));

    // The server stops and comes back on the same databases and ports: nothing waiting is lost.
    await stack.stopTemporal();
    await stack.startTemporal();

    await Promise.all(numbers.map((n) => approve(stack, n)));
    await Promise.all(numbers.map((n) => finalize(stack, n)));
    const outcomes = await Promise.all(numbers.map((n) => completed(stack, n)));
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(TICKETS).fill('RESOLVED'));

    const { rows } = await stack.db.query(`SELECT status FROM tickets WHERE number = ANY($1)`, [numbers]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(Array(TICKETS).fill('CLOSED'));
    for (const n of numbers) {
      await projectionMatchesWorkflow(stack, n);
      await auditIntact(stack, n);
    }
    // Received, resolved, closed: three messages per ticket, each sent once.
    const outbox = await oneMessagePerKey(stack, phones);
    expect(outbox).toHaveLength(TICKETS * 3);
    expect(outbox.filter((r) => r.status !== 'SENT')).toEqual([]);

    // It is the full server's PostgreSQL store that holds them (not a dev server's SQLite file):
    // one execution per ticket in `temporal`, one completed row each in `temporal_visibility`
    // (written shortly after the close; the query below waits for it).
    const temporalDb = async (database: string, sql: string) => {
      const client = new PgClient({ connectionString: `postgres://postgres:postgres@127.0.0.1:${stack.pgPort}/${database}` });
      await client.connect();
      try {
        return (await client.query(sql, [numbers.map(ticketWorkflowId)])).rows;
      } finally {
        await client.end();
      }
    };
    const executions = await temporalDb('temporal', `SELECT workflow_id FROM current_executions WHERE workflow_id = ANY($1)`);
    expect(executions).toHaveLength(TICKETS);
    // With TEMPORAL_SEARCH_ATTRIBUTES=live the ticket search attributes answer a visibility query (listing by TicketStatus, as an operator would).
    const ids = numbers.map((n) => `'${ticketWorkflowId(n)}'`).join(', ');
    await until(async () => (await stack.client.workflow.count(`WorkflowId IN (${ids}) AND TicketStatus = 'CLOSED'`)).count === TICKETS, 30_000, 'the visibility store to list the closed tickets');
    const visible = await temporalDb('temporal_visibility', `SELECT status FROM executions_visibility WHERE workflow_id = ANY($1)`);
    expect(visible.map((v: { status: number }) => v.status)).toEqual(Array(TICKETS).fill(2)); // 2 = COMPLETED
  });
});
