import { foldForSearch, listingFacts, slaPercentUsed } from './ticket.listing';
import type { TicketState } from './ticket.types';

const H = 3_600_000;
const base = (over: Partial<TicketState>): Pick<TicketState, 'status' | 'approval' | 'sla' | 'legal' | 'resolutionRef'> => ({
  resolutionRef: null,
  status: 'IN_PROGRESS',
  approval: null,
  sla: { totalMs: 72 * H, consumedMs: 0, runningSince: '2026-01-01T00:00:00.000Z', announced: [], breached: false, stopped: false },
  legal: { dueAt: '2026-01-31T00:00:00.000Z', warned: false, missed: false, stopped: false },
  ...over,
});

describe('listingFacts', () => {
  it('a running SLA: due when it runs out, at risk from 75 %', () => {
    const f = listingFacts(base({ sla: { totalMs: 100 * H, consumedMs: 10 * H, runningSince: '2026-01-01T00:00:00.000Z', announced: [], breached: false, stopped: false } }));
    expect(f.slaDueAt).toBe('2026-01-04T18:00:00.000Z'); // +90 h
    expect(f.slaRiskAt).toBe('2026-01-03T17:00:00.000Z'); // +65 h
    expect(f.legalDueAt).toBe('2026-01-31T00:00:00.000Z');
    expect(slaPercentUsed(f, Date.parse('2026-01-03T17:00:00.000Z'))).toBe(75);
  });

  it('a paused SLA: no due time; at risk for good when 75 % is already used, never when below', () => {
    const paused = (consumedMs: number) => listingFacts(base({ sla: { totalMs: 100 * H, consumedMs, runningSince: null, announced: [], breached: false, stopped: false } }));
    expect(paused(80 * H)).toMatchObject({ slaDueAt: null, slaRiskAt: '-infinity', slaRunningSince: null });
    expect(paused(50 * H)).toMatchObject({ slaDueAt: null, slaRiskAt: null });
    expect(slaPercentUsed(paused(50 * H), Date.now())).toBe(50);
  });

  it('stopped clocks put nothing at risk', () => {
    const f = listingFacts(
      base({
        sla: { totalMs: 10, consumedMs: 20, runningSince: '2026-01-01T00:00:00.000Z', announced: [], breached: true, stopped: true },
        legal: { dueAt: '2026-01-31T00:00:00.000Z', warned: false, missed: false, stopped: true },
      }),
    );
    expect(f).toMatchObject({ slaDueAt: null, slaRiskAt: null, legalDueAt: null, slaRunningSince: null });
  });

  it('in approval: every approver of the round, and who decides now (the level and whom it escalated to)', () => {
    const approval = {
      round: 1,
      chain: [
        { level: 1, approverId: 'a' },
        { level: 2, approverId: 'b' },
        { level: 3, approverId: 'c' },
      ],
      level: 2,
      levelStartedAt: '2026-01-02T00:00:00.000Z',
      reminderSent: false,
      escalatedTo: 'c',
      escalated: true,
    };
    expect(listingFacts(base({ status: 'IN_APPROVAL', approval }))).toMatchObject({
      approverIds: ['a', 'b', 'c'],
      currentApproverIds: ['b', 'c'],
      approvalLevelSince: '2026-01-02T00:00:00.000Z',
    });
    expect(listingFacts(base({ status: 'APPROVED', approval }))).toMatchObject({ approverIds: ['a', 'b', 'c'], currentApproverIds: [], approvalLevelSince: null });
  });

  it('rejectedBack: working again with a submitted resolution and no approval round (an approver sent it back)', () => {
    const round = { round: 1, chain: [{ level: 1, approverId: 'a' }], level: 1, levelStartedAt: '2026-01-02T00:00:00.000Z', reminderSent: false, escalatedTo: null, escalated: false };
    expect(listingFacts(base({ status: 'IN_PROGRESS', resolutionRef: 'r1' })).rejectedBack).toBe(true);
    expect(listingFacts(base({ status: 'WAITING_FOR_CITIZEN', resolutionRef: 'r1' })).rejectedBack).toBe(true);
    // Never submitted, in approval, approved, or reopened (the resolution cleared): not sent back.
    expect(listingFacts(base({ status: 'IN_PROGRESS', resolutionRef: null })).rejectedBack).toBe(false);
    expect(listingFacts(base({ status: 'IN_APPROVAL', resolutionRef: 'r1', approval: round })).rejectedBack).toBe(false);
    expect(listingFacts(base({ status: 'IN_PROGRESS', resolutionRef: 'r1', approval: round })).rejectedBack).toBe(false);
    expect(listingFacts(base({ status: 'APPROVED', resolutionRef: 'r1' })).rejectedBack).toBe(false);
    expect(listingFacts(base({ status: 'TRIAGE', resolutionRef: 'r1' })).rejectedBack).toBe(false);
  });
});

describe('foldForSearch', () => {
  it.each([
    ['Çukur', 'cukur'],
    ['ÇUKUR', 'cukur'],
    ['İSTASYON', 'istasyon'],
    ['IŞIK', 'isik'],
    ['ışık', 'isik'],
    ['Ağaç dalları', 'agac dallari'],
    ['Şöför Üzgün', 'sofor uzgun'],
  ])('%s → %s', (text, folded) => expect(foldForSearch(text)).toBe(folded));
});
