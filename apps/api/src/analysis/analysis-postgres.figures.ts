import type { DataSource } from 'typeorm';
import { SqlParams } from '../../../../libs/database/src/sql-params';
import { CENTER_TIME_ZONE } from '../../../../libs/database/src/migrations/1765600000000-analysis-facts';
import { OPEN_STATUSES } from '../../../../libs/domain/src';
import type { AnalysisFigures, Cohort, FigureRow, Period, SurgeRule, SurgeWeeks, TicketFigureRows } from './analysis-figures';
import type { AppliedFilters } from './analysis.types';

/** Sort and hash memory of one figure's statement (see withWorkMemory). */
export const ANALYSIS_WORK_MEM = '64MB';
const TZ = `'${CENTER_TIME_ZONE}'`;
/**
 * The domain's open statuses as a literal SQL list (constant words, no quotes in them), in the
 * form of the partial index tickets_analysis_open_places_idx's predicate, so the planner still uses it.
 */
const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`;
/** The median and p90 (interpolated, one sort for both) of a column of hours, and how many rows have it (NULLs are left out). */
const pct = (column: string, prefix: string) =>
  `count(${column}) AS ${prefix}_n, percentile_cont('{0.5,0.9}'::float8[]) WITHIN GROUP (ORDER BY ${column}) AS ${prefix}_q`;
/** Hours between two instants, as float8 (date_part; extract's numeric arithmetic is several times slower). */
const hours = (later: string, earlier: string) => `(date_part('epoch', ${later} - ${earlier}) / 3600)`;

/** The WHERE clause of the ticket cohort: received in the period (if any), every filter given. */
function where(f: AppliedFilters, period: Period | null, p: SqlParams): string {
  const c: string[] = [];
  if (period) c.push(`t.received_at >= ${p.add(period.from.toISOString())}`, `t.received_at < ${p.add(period.to.toISOString())}`);
  if (f.institution) c.push(`t.category IN (SELECT code FROM categories WHERE institution_id = ${p.add(f.institution)})`);
  if (f.department) c.push(`t.department_id = ${p.add(f.department)}`);
  if (f.category) c.push(`t.category = ${p.add(f.category)}`);
  if (f.district) c.push(`t.district = ${p.add(f.district)}`);
  if (f.neighbourhood) c.push(`t.neighbourhood = ${p.add(f.neighbourhood)}`);
  if (f.channel) c.push(`t.channel = ${p.add(f.channel)}`);
  if (f.segment) c.push(`t.segment = ${p.add(f.segment)}`);
  if (f.type) c.push(`t.type = ${p.add(f.type)}`);
  return c.length ? c.join(' AND ') : 'true';
}

/**
 * The figures computed in PostgreSQL, the design before the analysis store (issue 26): what a
 * figure needs of a ticket is on its row, kept there by the triggers of migration AnalysisFacts,
 * and read through tickets_analysis_received_idx (index-only). It answers while a new API process
 * builds its store, and is bench/analysis's baseline. It reads the tickets and the contact log
 * outside their repositories: the analysis figures' own statements (table-owners.spec.ts).
 */
export class PostgresFigures implements AnalysisFigures {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every ticket figure of the cohort in one statement: totals and percentiles, volumes by
   * dimension, approval time per level. Each of the three reads the cohort from the analysis
   * index. NOT MATERIALIZED: three index scans cost less than storing the cohort once
   * (bench/analysis/RESULTS.md).
   */
  async ticketFigures({ filters, period }: Cohort, now: Date, clocks: { legalMs: number; stuckAfterMs: number }): Promise<TicketFigureRows> {
    const p = new SqlParams();
    const w = where(filters, period, p);
    const nowParam = p.add(now.toISOString());
    const legal = p.add(clocks.legalMs / 1000);
    const stuckBefore = p.add(new Date(now.getTime() - clocks.stuckAfterMs).toISOString());
    const answeredAt = `coalesce(resolved_at, closed_at)`;
    const dims = ['channel', 'type', 'category', 'department_id', 'district', 'segment', 'day'];
    const dimName = (col: string) => (col === 'department_id' ? 'department' : col);
    const [row] = await this.withWorkMemory(
      `WITH c AS NOT MATERIALIZED (
         SELECT t.received_at, (t.received_at AT TIME ZONE ${TZ})::date AS day, t.channel, t.type, t.category, t.department_id,
                t.district, t.segment, t.status, t.outcome, t.sla_breached, t.reopen_count, t.resolved_at, t.closed_at, t.assignee_id,
                t.stage_since, t.first_department_at, t.first_expert_at, t.returned_to_center, t.approval_levels, t.approval_hours,
                t.rating, t.closure_checks_answered, t.closure_checks_not_fixed,
                ${hours('t.resolved_at', 't.received_at')} AS res_h, ${hours('t.closed_at', 't.received_at')} AS clo_h,
                ${hours('t.first_department_at', 't.received_at')} AS dep_h, ${hours('t.first_expert_at', 't.received_at')} AS exp_h
           FROM tickets t WHERE ${w})
       SELECT
         (SELECT to_jsonb(a) FROM (
            SELECT count(*)::int AS total,
                   count(*) FILTER (WHERE sla_breached)::int AS breached,
                   count(*) FILTER (WHERE resolved_at IS NOT NULL OR reopen_count > 0)::int AS resolved_once,
                   count(*) FILTER (WHERE reopen_count > 0)::int AS reopened,
                   count(*) FILTER (WHERE status = 'REFERRED' OR outcome = 'REFERRED')::int AS referred,
                   count(*) FILTER (WHERE ${answeredAt} IS NOT NULL OR received_at + make_interval(secs => ${legal}) <= ${nowParam}::timestamptz)::int AS legal_due,
                   count(*) FILTER (WHERE ${answeredAt} <= received_at + make_interval(secs => ${legal}))::int AS legal_on_time,
                   count(*) FILTER (WHERE status IN ('IN_APPROVAL','IN_PROGRESS') AND (status = 'IN_APPROVAL' OR assignee_id IS NOT NULL) AND stage_since <= ${stuckBefore}::timestamptz)::int AS stuck,
                   count(*) FILTER (WHERE first_department_at IS NOT NULL)::int AS routed,
                   count(*) FILTER (WHERE first_department_at IS NOT NULL AND returned_to_center)::int AS returned,
                   count(rating)::int AS ratings, avg(rating)::float8 AS average, count(*) FILTER (WHERE rating >= 4)::int AS satisfied,
                   coalesce(sum(closure_checks_answered), 0)::int AS checks, coalesce(sum(closure_checks_not_fixed), 0)::int AS not_fixed,
                   ${pct('res_h', 'res')}, ${pct('clo_h', 'clo')}, ${pct('dep_h', 'dep')}, ${pct('exp_h', 'exp')}
              FROM c) a) AS totals,
         (SELECT coalesce(jsonb_agg(v ORDER BY dim, n DESC, key NULLS LAST), '[]') FROM (
            SELECT CASE ${dims.map((d) => `WHEN grouping(${d}) = 0 THEN '${dimName(d)}'`).join(' ')} END AS dim,
                   coalesce(${dims.map((d) => `${d}::text`).join(', ')}) AS key, count(*)::int AS n
              FROM c GROUP BY GROUPING SETS (${dims.map((d) => `(${d})`).join(', ')})) v) AS volumes,
         (SELECT coalesce(jsonb_agg(l ORDER BY level), '[]') FROM (
            SELECT d.level, ${pct('d.hours', 'lvl')}
              FROM (SELECT unnest(approval_levels) AS level, unnest(approval_hours) AS hours FROM c) d GROUP BY d.level) l) AS levels`,
      p.values,
    );
    return { totals: row.totals as FigureRow, volumes: row.volumes as TicketFigureRows['volumes'], levels: row.levels as FigureRow[] };
  }

  /**
   * The contact log's figures. Whole local days come from the daily counts (contact_days, kept by
   * a trigger on contacts); the period's partial first and last days from the rows.
   */
  async contactFigures(filters: AppliedFilters, period: Period): Promise<{ dim: string; key: string; n: number }[]> {
    const p = new SqlParams();
    const from = p.add(period.from.toISOString());
    const to = p.add(period.to.toISOString());
    const channel = filters.channel ? p.add(filters.channel) : null;
    const rowsOf = (alias: string) => (channel ? `AND ${alias}.channel = ${channel}` : '');
    const [row] = await this.withWorkMemory(
      `WITH local AS (SELECT date_trunc('day', ${from}::timestamptz AT TIME ZONE ${TZ}) AS first_day, date_trunc('day', ${to}::timestamptz AT TIME ZONE ${TZ}) AS last_day),
       whole AS (
         -- [first_midnight, last_midnight): the local days wholly inside the period
         SELECT CASE WHEN first_day AT TIME ZONE ${TZ} < ${from}::timestamptz THEN first_day + interval '1 day' ELSE first_day END AS first_midnight, last_day AS last_midnight
           FROM local),
       k AS (
         SELECT d.day, d.channel, d.outcome, d.contacts AS n FROM contact_days d, whole
          WHERE d.day >= whole.first_midnight::date AND d.day < whole.last_midnight::date ${rowsOf('d')}
         UNION ALL
         -- (the bounds as scalar subqueries, so they bound the index scan instead of filtering its rows)
         SELECT (k.at AT TIME ZONE ${TZ})::date, k.channel, k.outcome, 1 FROM contacts k
          WHERE k.at >= ${from} AND k.at < (SELECT least(first_midnight AT TIME ZONE ${TZ}, ${to}::timestamptz) FROM whole) ${rowsOf('k')}
         UNION ALL
         SELECT (k.at AT TIME ZONE ${TZ})::date, k.channel, k.outcome, 1 FROM contacts k
          WHERE k.at >= (SELECT greatest(last_midnight, first_midnight) AT TIME ZONE ${TZ} FROM whole) AND k.at < ${to} ${rowsOf('k')})
       SELECT coalesce(jsonb_agg(v ORDER BY dim, n DESC, key), '[]') AS rows FROM (
         SELECT CASE WHEN grouping(channel) = 0 THEN 'channel' WHEN grouping(outcome) = 0 THEN 'outcome' ELSE 'day' END AS dim,
                coalesce(channel, outcome, to_char(day, 'YYYY-MM-DD')) AS key, sum(n)::int AS n
           FROM k GROUP BY GROUPING SETS ((channel), (outcome), (day))
         HAVING sum(n) > 0) v`,
      p.values,
    );
    return row.rows as { dim: string; key: string; n: number }[];
  }

  worstCategories({ filters, period }: Cohort, limit: number): Promise<FigureRow[]> {
    const p = new SqlParams();
    return this.dataSource.query(
      `SELECT t.category, count(*)::int AS tickets, count(*) FILTER (WHERE t.sla_breached)::int AS breached,
              count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours('t.resolved_at', 't.received_at')}) FILTER (WHERE t.resolved_at IS NOT NULL) AS p50
         FROM tickets t WHERE ${where(filters, period, p)}
        GROUP BY t.category
        ORDER BY count(*) FILTER (WHERE t.sla_breached)::float / count(*) DESC, p50 DESC NULLS LAST, t.category
        LIMIT ${Math.floor(limit)}`,
      p.values,
    );
  }

  oldestOpen({ filters, period }: Cohort, limit: number): Promise<FigureRow[]> {
    const p = new SqlParams();
    return this.dataSource.query(
      `SELECT t.number, t.status, t.category, t.received_at, t.stage_since FROM tickets t
        WHERE ${where(filters, period, p)} AND t.status IN ${OPEN_SQL}
        ORDER BY t.received_at, t.id LIMIT ${Math.floor(limit)}`,
      p.values,
    );
  }

  /** Open tickets received up to the week's end (a past week shows what was open and is still open now). */
  openByPlace(filters: AppliedFilters, _institutionCategories: string[] | null, weekTo: Date): Promise<FigureRow[]> {
    const p = new SqlParams();
    return this.dataSource.query(
      `SELECT t.district, t.neighbourhood, t.category, count(*)::int AS open FROM tickets t
        WHERE ${where(filters, null, p)} AND t.status IN ${OPEN_SQL} AND t.received_at < ${p.add(weekTo.toISOString())}
        GROUP BY t.district, t.neighbourhood, t.category
        ORDER BY count(*) DESC, t.district NULLS LAST, t.neighbourhood NULLS LAST, t.category
        LIMIT 500`,
      p.values,
    );
  }

  surges(filters: AppliedFilters, _institutionCategories: string[] | null, weeks: SurgeWeeks, rule: SurgeRule): Promise<FigureRow[]> {
    const q = new SqlParams();
    const historyFrom = q.add(weeks.historyFrom.toISOString());
    const from = q.add(weeks.weekFrom.toISOString());
    const to = q.add(weeks.weekTo.toISOString());
    return this.dataSource.query(
      `WITH w AS (
         SELECT t.district, t.neighbourhood, t.category, t.received_at >= ${from} AS this_week FROM tickets t
          WHERE ${where(filters, null, q)} AND t.received_at >= ${historyFrom} AND t.received_at < ${to}
       ), place AS (
         SELECT district, neighbourhood, count(*) FILTER (WHERE this_week)::int AS this_week, count(*) FILTER (WHERE NOT this_week)::float / ${rule.previousWeeks} AS previous_mean
           FROM w GROUP BY district, neighbourhood
       ), top AS (
         SELECT DISTINCT ON (district, neighbourhood) district, neighbourhood, category, count(*)::int AS n
           FROM w WHERE this_week GROUP BY district, neighbourhood, category
          ORDER BY district, neighbourhood, count(*) DESC, category
       )
       SELECT place.*, top.category AS top_category, top.n AS top_n FROM place
         JOIN top ON top.district IS NOT DISTINCT FROM place.district AND top.neighbourhood IS NOT DISTINCT FROM place.neighbourhood
        WHERE place.this_week >= ${rule.minimum} AND place.this_week > ${rule.factor} * place.previous_mean
        ORDER BY place.this_week DESC, place.district NULLS LAST, place.neighbourhood NULLS LAST`,
      q.values,
    );
  }

  /**
   * Where each surging neighbourhood is on a map: the median latitude and the median longitude
   * (each on its own) of its tickets received in the week that have a position, under the same
   * filters. The analysis store keeps no coordinates, so this one statement reads the tickets
   * table for the listed places only (index (district, neighbourhood, received_at, id)), whichever
   * engine answered the figures. Places without a district and neighbourhood get no point.
   */
  surgePoints(filters: AppliedFilters, week: Period, places: { district: string; neighbourhood: string }[]): Promise<FigureRow[]> {
    if (places.length === 0) return Promise.resolve([]);
    const p = new SqlParams();
    const districts = p.add(places.map((x) => x.district));
    const neighbourhoods = p.add(places.map((x) => x.neighbourhood));
    return this.dataSource.query(
      `SELECT t.district, t.neighbourhood,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY t.lat::float8) AS lat,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY t.lng::float8) AS lng
         FROM tickets t
        WHERE ${where(filters, week, p)} AND t.lat IS NOT NULL AND t.lng IS NOT NULL
          AND (t.district, t.neighbourhood) IN (SELECT * FROM unnest(${districts}::text[], ${neighbourhoods}::text[]))
        GROUP BY t.district, t.neighbourhood`,
      p.values,
    );
  }

  /**
   * Runs a figure's statement with room to keep a period's cohort and its sorts in memory
   * (ANALYSIS_WORK_MEM; PostgreSQL's default 4 MB would spill a 60-day cohort to disk), for that
   * transaction only.
   */
  private withWorkMemory(sql: string, params: unknown[]): Promise<FigureRow[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL work_mem = '${ANALYSIS_WORK_MEM}'`);
      return m.query(sql, params);
    });
  }
}
