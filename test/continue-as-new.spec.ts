import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

/**
 * A ticket with a long life (many notes, many rounds) must not grow one history without
 * bound: past the limit the workflow continues as new, carrying its compact state, and the
 * ticket goes on as if nothing happened. The limit is lowered here so a few commands cross it.
 */
describe('continue-as-new on a long-lived ticket', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { TICKET_HISTORY_LIMIT: '60' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('rolls over to a new run and keeps the ticket, its clocks and its audit sequence intact', async () => {
    const t = new TicketDriver(stack);
    const ticket = await t.toInProgress();
    const handle = stack.client.workflow.getHandle(ticketWorkflowId(ticket.number));
    const firstRunId = (await handle.describe()).runId;

    for (let i = 0; i < 12; i++) {
      await t.staff(STAFF.fenExpert, ticket.number, 'notes', { text: `Saha notu ${i + 1}`, visibility: 'INTERNAL' }).expect(200);
    }
    const rolled = await waitFor(async () => {
      const d = await handle.describe();
      return d.runId !== firstRunId ? d : null;
    }, { what: 'the workflow to continue as new' });
    expect(rolled.status.name).toBe('RUNNING');

    // The carried-over ticket still obeys its rules and finishes its process.
    await t.staff(STAFF.fenHead, ticket.number, 'resolution', { text: 'x' }).expect(403);
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Bitti.' }).expect(200);
    await t.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);
    await t.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    const res = await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Tamam.' }).expect(200);
    expect(res.body.status).toBe('RESOLVED');

    const seqs: number[] = (await stack.db.query('SELECT seq FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [ticket.id])).map((r: { seq: number }) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // dense, no duplicates, no gaps across runs
    const purposes = (await t.settledOutbox(ticket.number, 2)).map((o) => o.purpose);
    expect(purposes).toEqual(['RECEIVED', 'RESOLVED']);
    // The auditor gets every run, oldest first, each replayable. (Finalizing may itself have
    // rolled the ticket over: let the newest run take its first workflow task, since a history
    // of nothing but its start event has nothing to replay.)
    await waitFor(async () => ((await t.historyLength(ticket.number)) > 2 ? true : null), { what: 'the newest run to start' });
    const audit = await stack.http.get(`/tickets/${ticket.number}/history`).set('Authorization', await stack.bearer('auditor.nur')).expect(200);
    expect(audit.body.runs.length).toBeGreaterThanOrEqual(2);
    expect(audit.body.runs[0].runId).toBe(firstRunId);
    expect(audit.body.runs.at(-1).runId).toBe(audit.body.runId);
    for (const run of audit.body.runs) {
      await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEKSIN_TEST_WORKFLOW_BUNDLE! } }, historyFromJSON(run.history), run.runId)).resolves.toBeUndefined();
    }
    expect(audit.body.timeline.filter((l: { summary: string }) => l.summary === 'continued as new').length).toBe(audit.body.runs.length - 1);

    // Every run replays for the auditor, and the audit rows of all runs form one intact chain.
    const auditor = await stack.bearer('auditor.nur');
    const replay = await stack.http.post(`/audit/tickets/${ticket.number}/replay`).set('Authorization', auditor).expect(200);
    expect(replay.body).toMatchObject({ verdict: 'deterministic', runs: audit.body.runs.length });
    const verify = await stack.http.get(`/audit/tickets/${ticket.number}/verify`).set('Authorization', auditor).expect(200);
    expect(verify.body).toMatchObject({ intact: true, findings: [], rows: seqs.length });

    // The first run: its history ends with the continue-as-new command.
    await t.recordHistory('continued-as-new', ticket.number, firstRunId);
  });
});
