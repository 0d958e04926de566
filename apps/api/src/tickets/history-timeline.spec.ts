import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyTimeline, withNames, actorIds } from './history-timeline';

const load = (name: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../test/histories/v1', `${name}.json`), 'utf8')));

describe('historyTimeline: the engine history as an auditor reads it', () => {
  it('words every event of a whole lifecycle: start, commands with their actor, local activities, clocks, completion', () => {
    const lines = historyTimeline(load('full-lifecycle-with-reopen'), 'run-1');
    expect(lines[0]).toMatchObject({ kind: 'WORKFLOW_STARTED', type: 'WORKFLOW_EXECUTION_STARTED', eventId: 1, runId: 'run-1', detail: null });
    expect(lines[lines.length - 1].kind).toBe('WORKFLOW_COMPLETED');
    expect(lines.filter((l) => l.kind === 'OTHER')).toEqual([]);

    const accepted = lines.filter((l) => l.kind === 'COMMAND_ACCEPTED');
    expect(accepted.map((l) => l.command)).toEqual(expect.arrayContaining(['assignDepartment', 'assignExpert', 'submitResolution', 'approve', 'finalize', 'reopen']));
    for (const line of accepted) expect(line.actor).toEqual(expect.objectContaining({ kind: expect.stringMatching(/^(STAFF|CITIZEN|SYSTEM)$/), name: null }));
    const staffCommand = accepted.find((l) => l.command === 'assignDepartment')!;
    expect(staffCommand.actor).toEqual({ kind: 'STAFF', id: expect.any(String), name: null });
    // A completion names the command and actor of the Update it finishes.
    const completed = lines.filter((l) => l.kind === 'COMMAND_COMPLETED');
    expect(completed.map((l) => l.command)).toEqual(accepted.map((l) => l.command));
    expect(completed.map((l) => l.actor)).toEqual(accepted.map((l) => l.actor));

    expect(lines.filter((l) => l.kind === 'LOCAL_ACTIVITY').map((l) => l.activity)).toEqual(expect.arrayContaining(['recordTicketEvents', 'sendNotification']));
    const timers = lines.filter((l) => l.kind === 'TIMER_STARTED' || l.kind === 'TIMER_FIRED' || l.kind === 'TIMER_CANCELED');
    expect(timers.length).toBeGreaterThan(0);
    for (const line of timers) expect(line.durationMs).toBeGreaterThan(0);
    expect(lines.filter((l) => l.kind === 'TIMER_FIRED').length).toBeGreaterThan(0);
    expect(lines.find((l) => l.kind === 'COMMAND_ACCEPTED')!.summary).toMatch(/^command \w+ accepted$/);
  });

  it('says continue-as-new, and a signal sent to the ticket a duplicate was merged into', () => {
    const continued = historyTimeline(load('continued-as-new'), 'r');
    expect(continued.filter((l) => l.kind === 'CONTINUED_AS_NEW').map((l) => l.summary)).toEqual(['continued as new']);
    const merged = historyTimeline(load('duplicate-merged'), 'r');
    expect(merged.find((l) => l.kind === 'SIGNAL_SENT')).toMatchObject({ command: 'duplicateMerged', detail: expect.stringMatching(/^ticket-/) });
  });

  it('fills the staff actors’ names, once per id', () => {
    const lines = historyTimeline(load('full-lifecycle-with-reopen'), 'r');
    const ids = [...new Set(actorIds(lines))];
    expect(ids.length).toBeGreaterThan(1);
    const named = withNames(lines, new Map(ids.map((id) => [id, `Name of ${id}`])));
    for (const line of named.filter((l) => l.actor?.kind === 'STAFF')) expect(line.actor!.name).toBe(`Name of ${line.actor!.id}`);
    expect(named.filter((l) => l.actor?.kind === 'CITIZEN').every((l) => l.actor!.name === null && l.actor!.id === null)).toBe(true);
  });
});
