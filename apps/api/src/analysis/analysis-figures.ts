import type { AppliedFilters } from './analysis.types';

/** A period [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

/** Which tickets a figure counts: its filters, its period, and an institution filter's category codes (null without it). */
export interface Cohort {
  filters: AppliedFilters;
  period: Period;
  institutionCategories: string[] | null;
}

export type FigureRow = Record<string, unknown>;

/** The hot-spot rule: this week > factor × the mean of the previous weeks, and at least `minimum` tickets. */
export interface SurgeRule {
  factor: number;
  minimum: number;
  previousWeeks: number;
}

/** The hot-spot week and the weeks before it it is compared with. */
export interface SurgeWeeks {
  historyFrom: Date;
  weekFrom: Date;
  weekTo: Date;
}

/** What the ticket figures of a cohort come back as: totals and percentiles, volumes by dimension, approval time per level. */
export interface TicketFigureRows {
  totals: FigureRow;
  volumes: { dim: string; key: string | null; n: number }[];
  levels: FigureRow[];
}

/**
 * Where the figures' SQL lives: every statement of the analysis center, one implementation per
 * engine. `StoreFigures` (store/analysis-store.figures.ts, DuckDB) answers the API;
 * `PostgresFigures` (analysis-postgres.figures.ts) is the design it replaced, kept for the
 * minutes a new API process builds its store and as bench/analysis's baseline. Both compute the
 * definitions of docs/architecture.md ("Analysis center"); AnalysisService turns their rows into
 * the answers.
 */
export interface AnalysisFigures {
  ticketFigures(cohort: Cohort, now: Date, clocks: { legalMs: number; stuckAfterMs: number }): Promise<TicketFigureRows>;
  /** The contact log by channel, outcome and local day (YYYY-MM-DD) over the period; of the filters only the channel applies. */
  contactFigures(filters: AppliedFilters, period: Period): Promise<{ dim: string; key: string; n: number }[]>;
  /** Categories by SLA breach rate, then median time to resolution: category, tickets, breached, reopened, p50. */
  worstCategories(cohort: Cohort, limit: number): Promise<FigureRow[]>;
  /** Open tickets of the cohort, oldest first: number, status, category, received_at and stage_since (Dates). */
  oldestOpen(cohort: Cohort, limit: number): Promise<FigureRow[]>;
  /** Open tickets received before `weekTo`, by district, neighbourhood and category: open. */
  openByPlace(filters: AppliedFilters, institutionCategories: string[] | null, weekTo: Date): Promise<FigureRow[]>;
  /** Neighbourhoods surging in the week: district, neighbourhood, this_week, previous_mean, top_category, top_n. */
  surges(filters: AppliedFilters, institutionCategories: string[] | null, weeks: SurgeWeeks, rule: SurgeRule): Promise<FigureRow[]>;
}
