import type { TicketState, TicketStatus } from './ticket.types';

/**
 * What the work queues and lists need of a ticket, as plain columns of its projection row (so a
 * list never parses the workflow's JSON view). Pure: the projection activity writes these with
 * the rest of the row.
 */

/** Statuses with work still pending (the queues' "open"). */
export const OPEN_STATUSES = ['RECEIVED', 'TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED'] as const satisfies readonly TicketStatus[];

/** SLA percentage from which a ticket is "at risk". */
export const AT_RISK_SLA_PERCENT = 75;
/** A legal answer deadline closer than this makes a ticket "at risk". */
export const AT_RISK_LEGAL_MS = 5 * 24 * 3_600_000;

export interface ListingFacts {
  /** Every approver of the current approval round (the read-access rules). */
  approverIds: string[];
  /** Who may decide now: the current level's approver and whoever it escalated to. */
  currentApproverIds: string[];
  slaTotalMs: number | null;
  slaConsumedMs: number | null;
  /** Null while the clock is paused or stopped. */
  slaRunningSince: string | null;
  /** When the SLA runs out if it keeps running; null while paused or stopped. */
  slaDueAt: string | null;
  /** From when the ticket is at risk by its SLA (75 % used); -infinity when already there while paused; null: never (stopped, or paused below). */
  slaRiskAt: string | null;
  /** The legal answer deadline while it runs (null once stopped). */
  legalDueAt: string | null;
  /** When the current approval level started (in approval); other stages are stamped by the projection. */
  approvalLevelSince: string | null;
  /**
   * Back with the expert because an approver rejected the resolution: working again (in
   * progress or waiting for the citizen) with a submitted resolution and no approval round. A
   * reopen clears the resolution, so a reopened ticket is not flagged until rejected again.
   */
  rejectedBack: boolean;
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

export function listingFacts(view: Pick<TicketState, 'status' | 'approval' | 'sla' | 'legal'> & Partial<Pick<TicketState, 'resolutionRef'>>): ListingFacts {
  const approval = view.approval;
  const current = approval && view.status === 'IN_APPROVAL' ? approval.chain[approval.level - 1]?.approverId : undefined;
  const sla = view.sla;
  const running = sla && !sla.stopped && sla.runningSince ? sla.runningSince : null;
  const riskMs = sla ? (sla.totalMs * AT_RISK_SLA_PERCENT) / 100 - sla.consumedMs : 0;
  return {
    approverIds: approval?.chain.map((step) => step.approverId) ?? [],
    currentApproverIds: view.status === 'IN_APPROVAL' ? [...new Set([current, approval?.escalatedTo].filter((id): id is string => !!id))] : [],
    slaTotalMs: sla?.totalMs ?? null,
    slaConsumedMs: sla?.consumedMs ?? null,
    slaRunningSince: running,
    slaDueAt: running ? plus(running, sla.totalMs - sla.consumedMs) : null,
    slaRiskAt: !sla || sla.stopped ? null : running ? plus(running, riskMs) : riskMs <= 0 ? '-infinity' : null,
    legalDueAt: view.legal && !view.legal.stopped ? view.legal.dueAt : null,
    approvalLevelSince: view.status === 'IN_APPROVAL' && approval ? approval.levelStartedAt : null,
    rejectedBack: (view.status === 'IN_PROGRESS' || view.status === 'WAITING_FOR_CITIZEN') && !approval && !!view.resolutionRef,
  };
}

/** Percent of the SLA used at `now` (rounded down), from the row's clock columns. */
export function slaPercentUsed(facts: Pick<ListingFacts, 'slaTotalMs' | 'slaConsumedMs' | 'slaRunningSince'>, now: number): number | null {
  if (!facts.slaTotalMs) return null;
  const used = (facts.slaConsumedMs ?? 0) + (facts.slaRunningSince ? Math.max(0, now - Date.parse(facts.slaRunningSince)) : 0);
  return Math.floor((used * 100) / facts.slaTotalMs);
}

/**
 * Folds text for Turkish-aware search: İ/I/ı and every Turkish letter with a diacritic to its
 * plain lower-case ASCII letter, so "çukur", "Çukur" and "cukur" are one word. The SQL function
 * teksin_fold (migration TicketListing) does the same, for the index.
 */
export function foldForSearch(text: string): string {
  const from = 'İIıÇçĞğÖöŞşÜüÂâÎîÛû';
  const to = 'iiiccggoossuuaaiiuu';
  let out = '';
  for (const ch of text) {
    const i = from.indexOf(ch);
    out += i >= 0 ? to[i] : ch;
  }
  return out.toLowerCase();
}
