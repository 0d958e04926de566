import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HISTORY_GENERATION, STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

const HISTORIES = path.join(__dirname, 'histories');
/** Every recorded history, from every generation of the workflow code (one folder each). */
const recorded = (fs.readdirSync(HISTORIES, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.json'))
  .sort();

const load = (file: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')));
const currentCode = () => ({ workflowBundle: { codePath: process.env.TEKSIN_TEST_WORKFLOW_BUNDLE! } });

/**
 * The Temporal history is the legal record. Every recorded ticket history (test/histories,
 * made with `npm run histories:record` from the process scenarios) must replay against the
 * current workflow code: a change that would break running tickets fails here, not in
 * production. A workflow change that alters commands goes behind patched() and keeps these green.
 */
describe('replaying recorded ticket histories', () => {
  it('has recorded histories of the process paths', () => {
    const current = recorded.filter((f) => f.startsWith(`${HISTORY_GENERATION}/`)).map((f) => path.basename(f));
    expect(current).toEqual(
      expect.arrayContaining([
        'full-lifecycle-with-reopen.json',
        'rejected-at-level-2-and-resubmitted.json',
        'referral.json',
        'duplicate-merged.json',
        'answered-directly.json',
        'withdrawn.json',
        'citizen-info-sla-paused.json',
        'sla-reminders-and-breach.json',
        'approval-escalation.json',
        'concurrent-approval-decisions.json',
        'continued-as-new.json',
      ]),
    );
  });

  it.each(recorded)('%s replays against the current workflow code', async (file) => {
    await expect(Worker.runReplayHistory(currentCode(), load(file), file)).resolves.toBeUndefined();
  });

  describe('negative control: a deliberately changed workflow', () => {
    let changedBundle: { code: string };
    beforeAll(async () => {
      changedBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./support/changed-workflow'), logger: silent });
    });

    it.each(recorded)('%s fails to replay against it', async (file) => {
      await expect(Worker.runReplayHistory({ workflowBundle: changedBundle }, load(file), file)).rejects.toMatchObject({ name: 'DeterminismViolationError' });
    });
  });
});

describe('an auditor replays a live ticket from the API', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('GET /tickets/:number/history gives a readable timeline and JSON that replays', async () => {
    const t = new TicketDriver(stack);
    const ticket = await t.toApproved();
    await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Tamamlandı.' }).expect(200);

    await stack.http.get(`/tickets/${ticket.number}/history`).expect(401);
    await stack.http.get(`/tickets/${ticket.number}/history`).set('Authorization', await stack.bearer(STAFF.fenExpert)).expect(403);
    const res = await stack.http.get(`/tickets/${ticket.number}/history`).set('Authorization', await stack.bearer('auditor.nur')).expect(200);
    expect(res.body.workflowId).toBe(`ticket-${ticket.number}`);
    const summaries = res.body.timeline.map((l: { summary: string }) => l.summary);
    expect(summaries[0]).toMatch(/^ticket workflow started/);
    for (const command of ['assignDepartment', 'assignExpert', 'submitResolution', 'approve', 'finalize']) {
      expect(summaries).toContain(`command ${command} accepted`);
    }
    // Each local activity by its name (the projection, the SMS): the timeline says which one ran.
    expect(summaries).toContain('local activity recordTicketEvents completed');
    expect(summaries).toContain('local activity sendNotification completed');

    await expect(Worker.runReplayHistory(currentCode(), historyFromJSON(res.body.history), res.body.workflowId)).resolves.toBeUndefined();
  });
});

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
