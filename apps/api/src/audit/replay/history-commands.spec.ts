import { describeCommand, firstMismatch, humanDuration, type RecordedCommand } from './history-commands';
import { summarise, summaryLine, type BatchItem } from './batch-summary';
import type { ReplayVerdict } from './history-replayer';

const rec = (eventId: number, kind: RecordedCommand['kind'], detail: string): RecordedCommand => ({ eventId, kind, detail });

describe('firstMismatch', () => {
  const history = [rec(5, 'timer', '129600000'), rec(6, 'localActivity', 'recordTicketEvents'), rec(8, 'localActivity', 'sendNotification'), rec(20, 'timer', '1000')];

  it('is null when the code asks for what the history holds (or for less: replay stopped early)', () => {
    expect(firstMismatch(history, [{ kind: 'timer', detail: '129600000' }, { kind: 'localActivity', detail: 'recordTicketEvents' }])).toBeNull();
    expect(firstMismatch(history, [])).toBeNull();
  });

  it('compares per kind, so the order across kinds (when each completed) does not count', () => {
    expect(firstMismatch(history, [{ kind: 'localActivity', detail: 'recordTicketEvents' }, { kind: 'timer', detail: '129600000' }])).toBeNull();
  });

  it('names the earliest history event where the code differs', () => {
    expect(firstMismatch(history, [{ kind: 'localActivity', detail: 'recordTicketEvents' }, { kind: 'localActivity', detail: 'pickLeastLoadedExpert' }, { kind: 'timer', detail: '1' }])).toEqual({
      recorded: history[0],
      now: { kind: 'timer', detail: '1' },
    });
    expect(firstMismatch(history, [{ kind: 'localActivity', detail: 'recordTicketEvents' }, { kind: 'localActivity', detail: 'pickLeastLoadedExpert' }])).toEqual({
      recorded: history[2],
      now: { kind: 'localActivity', detail: 'pickLeastLoadedExpert' },
    });
  });

  it('reports a command the history does not hold at all', () => {
    expect(firstMismatch(history, [{ kind: 'signal', detail: 'duplicateMerged' }])).toEqual({ recorded: null, now: { kind: 'signal', detail: 'duplicateMerged' } });
  });
});

describe('describeCommand and humanDuration', () => {
  it('puts commands in words', () => {
    expect(describeCommand({ kind: 'timer', detail: String(2 * 86_400_000) })).toBe('start a timer of 2 d');
    expect(describeCommand({ kind: 'localActivity', detail: 'recordTicketEvents' })).toBe('run the local activity recordTicketEvents');
    expect(describeCommand({ kind: 'signal', detail: 'duplicateMerged' })).toBe('signal another workflow (duplicateMerged)');
    expect(describeCommand({ kind: 'continueAsNew', detail: '' })).toBe('continue as new');
  });

  it('reads durations as people do', () => {
    expect(humanDuration(1000)).toBe('1 s');
    expect(humanDuration(1500)).toBe('1.5 s');
    expect(humanDuration(90_000)).toBe('1.5 min');
    expect(humanDuration(3_600_000)).toBe('1 h');
    expect(humanDuration(129_599_985)).toBe('36.0 h');
  });
});

describe('summarise', () => {
  const verdict = (deterministic: boolean): ReplayVerdict => ({
    workflowId: 'w',
    deterministic,
    runs: 1,
    events: 10,
    auditRows: [],
      lostTaskStarts: [],
    divergence: deterministic ? null : { runId: 'r', eventId: 5, eventType: 'TIMER_STARTED', recorded: null, now: null, text: 'Not deterministic at event 5', engineMessage: '' },
  });

  it('counts outcomes, keeps the first problems in words and reports progress', async () => {
    async function* items(): AsyncGenerator<BatchItem> {
      yield { label: 'a', verdict: verdict(true) };
      yield { label: 'b', verdict: verdict(false) };
      yield { label: 'c', error: 'workflow not found' };
    }
    const seen: number[] = [];
    const summary = await summarise(items(), (done) => seen.push(done));
    expect(seen).toEqual([1, 2, 3]);
    expect(summary).toMatchObject({ tickets: 3, deterministic: 1, diverged: 1, unreadable: 1, runs: 2, events: 20 });
    expect(summary.problems).toEqual(['b: Not deterministic at event 5', 'c: history not readable: workflow not found']);
    expect(summaryLine(summary)).toMatch(/^3 tickets \(2 histories, 20 events\) in [\d.]+ s, [\d.]+ histories\/s: 1 deterministic, 1 diverged, 1 unreadable$/);
  });
});
