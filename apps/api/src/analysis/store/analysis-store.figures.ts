import { OPEN_STATUSES } from '../../../../../libs/domain/src';
import { SqlParams } from '../../../../../libs/database/src/sql-params';
import type { AnalysisFigures, Cohort, FigureRow, Period, SurgeRule, SurgeWeeks, TicketFigureRows } from '../analysis-figures';
import type { AppliedFilters } from '../analysis.types';
import type { AnalysisStore } from './analysis-store';

/**
 * The figures' SQL over the analysis store (DuckDB): the same definitions as docs/architecture.md
 * ("Analysis center") over pre-computed facts, with no time-zone function at query time (instants
 * are epoch ms, durations hours, days integers). Medians and p90s are exact (quantile_cont: the
 * interpolation of PostgreSQL's percentile_cont). Dimensions are codes (analysis-store.schema.ts):
 * a filter compares with a label's code, and an answer's rows get their labels (`label_of`) after
 * grouping, before any ordering by them.
 */
const DIMS = ['channel', 'type', 'category', 'department_id', 'district', 'segment', 'day'] as const;
const dimName = (col: string) => (col === 'department_id' ? 'department' : col);
const pct = (column: string, prefix: string) => `count(${column}) AS ${prefix}_n, quantile_cont(${column}, [0.5, 0.9]) AS ${prefix}_q`;
/** A local day number (days since 1970-01-01) as YYYY-MM-DD. */
export const dayText = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The filters compared with a column of the same dimension (each as its label's code). */
const EQUAL_FILTERS: [keyof AppliedFilters, string][] = [
  ['department', 'department_id'],
  ['category', 'category'],
  ['district', 'district'],
  ['neighbourhood', 'neighbourhood'],
  ['channel', 'channel'],
  ['segment', 'segment'],
  ['type', 'type'],
];

export class StoreFigures implements AnalysisFigures {
  constructor(private readonly store: AnalysisStore) {}

  /** The cohort's WHERE: received in the period (if any), every filter given; an institution as its categories. */
  private where(f: AppliedFilters, period: Period | null, p: SqlParams, institutionCategories: string[] | null): string {
    const c: string[] = [];
    if (period) c.push(`received_ms >= ${p.add(period.from.getTime())}`, `received_ms < ${p.add(period.to.getTime())}`);
    if (f.institution) c.push(`category IN ${this.codeList(institutionCategories!)}`);
    for (const [filter, column] of EQUAL_FILTERS) if (f[filter]) c.push(`${column} = ${p.add(this.code(f[filter]!))}`);
    return c.length ? c.join(' AND ') : 'true';
  }

  /** A label's code, inline: the store's own integer (-1, matching nothing, for a label it has never seen). */
  private code(label: string): number {
    return this.store.codeOf(label);
  }

  /** The codes of some labels as an SQL list (never empty). */
  private codeList(labels: readonly string[]): string {
    return `(${[-1, ...labels.map((l) => this.code(l))].join(', ')})`;
  }

  /** Totals and percentiles, volumes by dimension, approval time per level: three statements at once. */
  async ticketFigures({ filters, period, institutionCategories }: Cohort, now: Date, clocks: { legalMs: number; stuckAfterMs: number }): Promise<TicketFigureRows> {
    const p = new SqlParams();
    const w = this.where(filters, period, p, institutionCategories);
    const base = p.values.length;
    const legal = p.add(clocks.legalMs);
    const nowMs = p.add(now.getTime());
    const stuckBefore = p.add(now.getTime() - clocks.stuckAfterMs);
    const [[totals], volumes, levels] = await Promise.all([
      this.store.read(
        `SELECT count(*) AS total,
                count(*) FILTER (WHERE sla_breached) AS breached,
                count(*) FILTER (WHERE resolved OR reopen_count > 0) AS resolved_once,
                count(*) FILTER (WHERE reopen_count > 0) AS reopened,
                count(*) FILTER (WHERE status = ${this.code('REFERRED')} OR outcome = ${this.code('REFERRED')}) AS referred,
                count(*) FILTER (WHERE answered_ms IS NOT NULL OR received_ms + ${legal} <= ${nowMs}) AS legal_due,
                count(*) FILTER (WHERE answered_ms <= received_ms + ${legal}) AS legal_on_time,
                count(*) FILTER (WHERE status IN ${this.codeList(['IN_APPROVAL', 'IN_PROGRESS'])} AND (status = ${this.code('IN_APPROVAL')} OR has_assignee) AND stage_since_ms <= ${stuckBefore}) AS stuck,
                count(*) FILTER (WHERE routed) AS routed,
                count(*) FILTER (WHERE routed AND returned) AS returned,
                count(rating) AS ratings, avg(rating)::DOUBLE AS average, count(*) FILTER (WHERE rating >= 4) AS satisfied,
                coalesce(sum(checks), 0) AS checks, coalesce(sum(not_fixed), 0) AS not_fixed,
                ${pct('res_h', 'res')}, ${pct('clo_h', 'clo')}, ${pct('dep_h', 'dep')}, ${pct('exp_h', 'exp')}
           FROM ticket_facts WHERE ${w}`,
        p.values,
      ),
      this.store.read(
        `SELECT dim, CASE WHEN dim = 'day' THEN code::VARCHAR ELSE label_of(code) END AS key, n
           FROM (SELECT CASE ${DIMS.map((d) => `WHEN grouping(${d}) = 0 THEN '${dimName(d)}'`).join(' ')} END AS dim,
                        coalesce(${DIMS.join(', ')}) AS code, count(*) AS n
                   FROM ticket_facts WHERE ${w}
                  GROUP BY GROUPING SETS (${DIMS.map((d) => `(${d})`).join(', ')}))
          ORDER BY dim, n DESC, key NULLS LAST`,
        p.values.slice(0, base),
      ),
      this.store.read(
        `SELECT level, ${pct('hours', 'lvl')}
           FROM (SELECT unnest(approval_levels) AS level, unnest(approval_hours) AS hours FROM ticket_facts WHERE ${w})
          GROUP BY level ORDER BY level`,
        p.values.slice(0, base),
      ),
    ]);
    return {
      totals,
      volumes: volumes.map((r) => ({ dim: String(r.dim), key: r.dim === 'day' && r.key !== null ? dayText(Number(r.key)) : (r.key as string | null), n: Number(r.n) })),
      levels,
    };
  }

  /** The contact log by channel, outcome and local day over [from, to) (it knows no department, place or type). */
  async contactFigures(f: AppliedFilters, period: Period): Promise<{ dim: string; key: string; n: number }[]> {
    const p = new SqlParams();
    const c = [`at_ms >= ${p.add(period.from.getTime())}`, `at_ms < ${p.add(period.to.getTime())}`];
    if (f.channel) c.push(`channel = ${p.add(this.code(f.channel))}`);
    const rows = await this.store.read(
      `SELECT dim, CASE WHEN dim = 'day' THEN code::VARCHAR ELSE label_of(code) END AS key, n
         FROM (SELECT CASE WHEN grouping(channel) = 0 THEN 'channel' WHEN grouping(outcome) = 0 THEN 'outcome' ELSE 'day' END AS dim,
                      coalesce(channel, outcome, day) AS code, count(*) AS n
                 FROM contact_facts WHERE ${c.join(' AND ')}
                GROUP BY GROUPING SETS ((channel), (outcome), (day)))
        ORDER BY dim, n DESC, key`,
      p.values,
    );
    return rows.map((r) => ({ dim: String(r.dim), key: r.dim === 'day' ? dayText(Number(r.key)) : String(r.key), n: Number(r.n) }));
  }

  /** A department report's worst categories: breach rate, then median resolution time. */
  worstCategories({ filters, period, institutionCategories }: Cohort, limit: number): Promise<FigureRow[]> {
    const p = new SqlParams();
    return this.store.read(
      `SELECT label_of(category_code) AS category, tickets, breached, reopened, p50
         FROM (SELECT category AS category_code, count(*) AS tickets, count(*) FILTER (WHERE sla_breached) AS breached,
                      count(*) FILTER (WHERE reopen_count > 0) AS reopened, quantile_cont(res_h, 0.5) AS p50
                 FROM ticket_facts WHERE ${this.where(filters, period, p, institutionCategories)}
                GROUP BY category)
        ORDER BY breached::DOUBLE / tickets DESC, p50 DESC NULLS LAST, category
        LIMIT ${Math.floor(limit)}`,
      p.values,
    );
  }

  /** The oldest open tickets of the cohort (number, status, category, received and stage instants as Dates). */
  async oldestOpen({ filters, period, institutionCategories }: Cohort, limit: number): Promise<FigureRow[]> {
    const p = new SqlParams();
    const rows = await this.store.read(
      `SELECT number, label_of(status) AS status, label_of(category) AS category, received_ms, stage_since_ms FROM ticket_facts
        WHERE ${this.where(filters, period, p, institutionCategories)} AND status IN ${this.codeList(OPEN_STATUSES)}
        ORDER BY received_ms, id LIMIT ${Math.floor(limit)}`,
      p.values,
    );
    return rows.map((r) => ({ ...r, received_at: new Date(Number(r.received_ms)), stage_since: r.stage_since_ms === null ? null : new Date(Number(r.stage_since_ms)) }));
  }

  /** Open tickets received before the week's end, by place and category. */
  openByPlace(f: AppliedFilters, institutionCategories: string[] | null, weekTo: Date): Promise<FigureRow[]> {
    const p = new SqlParams();
    return this.store.read(
      `SELECT label_of(d) AS district, label_of(nb) AS neighbourhood, label_of(c) AS category, open
         FROM (SELECT district AS d, neighbourhood AS nb, category AS c, count(*) AS open FROM ticket_facts
                WHERE ${this.where(f, null, p, institutionCategories)} AND status IN ${this.codeList(OPEN_STATUSES)} AND received_ms < ${p.add(weekTo.getTime())}
                GROUP BY district, neighbourhood, category)
        ORDER BY open DESC, district NULLS LAST, neighbourhood NULLS LAST, category
        LIMIT 500`,
      p.values,
    );
  }

  /** Neighbourhoods whose week is above FACTOR × the mean of the previous weeks, with at least MINIMUM tickets, and their top category. */
  surges(f: AppliedFilters, institutionCategories: string[] | null, { historyFrom, weekFrom, weekTo }: SurgeWeeks, rule: SurgeRule): Promise<FigureRow[]> {
    const p = new SqlParams();
    const w = this.where(f, null, p, institutionCategories);
    const from = p.add(weekFrom.getTime());
    return this.store.read(
      `WITH w AS (
         SELECT district, neighbourhood, category, received_ms >= ${from} AS this_week FROM ticket_facts
          WHERE ${w} AND received_ms >= ${p.add(historyFrom.getTime())} AND received_ms < ${p.add(weekTo.getTime())}
       ), place AS (
         SELECT district, neighbourhood, count(*) FILTER (WHERE this_week) AS this_week, count(*) FILTER (WHERE NOT this_week)::DOUBLE / ${rule.previousWeeks} AS previous_mean
           FROM w GROUP BY district, neighbourhood
       ), top AS (
         SELECT DISTINCT ON (district, neighbourhood) district, neighbourhood, category, n
           FROM (SELECT district, neighbourhood, category, label_of(category) AS category_label, count(*) AS n FROM w WHERE this_week GROUP BY district, neighbourhood, category)
          ORDER BY district, neighbourhood, n DESC, category_label
       )
       SELECT label_of(place.district) AS district, label_of(place.neighbourhood) AS neighbourhood, place.this_week, place.previous_mean,
              label_of(top.category) AS top_category, top.n AS top_n
         FROM place JOIN top ON top.district IS NOT DISTINCT FROM place.district AND top.neighbourhood IS NOT DISTINCT FROM place.neighbourhood
        WHERE place.this_week >= ${rule.minimum} AND place.this_week > ${rule.factor} * place.previous_mean
        ORDER BY place.this_week DESC, district NULLS LAST, neighbourhood NULLS LAST`,
      p.values,
    );
  }
}
