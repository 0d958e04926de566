import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { CENTER_TIME_ZONE } from '../../../../libs/database/src/migrations/1765600000000-analysis-facts';
import { OPEN_STATUSES, type StaffRole } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem, notFound } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import { CODES, valueLabels, type ValueLabels } from './analysis-labels';
import type { ExportLang } from '../common/spreadsheet';
import type { AnalysisFiltersDto, AnalysisQueryDto, HotSpotsQueryDto } from './analysis-query.dto';
import type { AppliedFilters, Count, DepartmentReport, Duration, HotSpots, Rate, Summary } from './analysis.types';

/** Who reads every figure; a department head reads their own department's. */
const ALL_FIGURES: readonly StaffRole[] = ['COORDINATOR', 'AUDITOR', 'ADMIN'];
const MAX_PERIOD_MS = 731 * 86_400_000;
const DEFAULT_PERIOD_MS = 30 * 86_400_000;
/** Local calendar of the center: days and weeks (Monday) are counted in this zone. */
export const ANALYSIS_TIME_ZONE = CENTER_TIME_ZONE;
/**
 * The domain's open statuses as a literal SQL list (constant words, no quotes in them), in the
 * form of the partial index tickets_analysis_open_places_idx's predicate, so the planner still uses it.
 */
const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`;
/** Contact outcomes that count as registered: a ticket, or an answer on record (see docs). */
export const REGISTERED_OUTCOMES = ['TICKET_CREATED', 'DUPLICATE_OF_OPEN_TICKET', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE'] as const;
/** The hot-spot rule: this week > FACTOR × the mean of the previous WEEKS weeks, and at least MINIMUM tickets. */
export const SURGE_RULE = { factor: 3, minimum: 5, previousWeeks: 8 } as const;
const WORST_CATEGORIES = 5;
/** Sort and hash memory of one figure's statement (see withWorkMemory). */
export const ANALYSIS_WORK_MEM = '64MB';
const OLDEST_OPEN = 10;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const rate = (base: number, count: number): Rate => ({ base, count, rate: base > 0 ? count / base : null });
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown): number => Number(v ?? 0);
const duration = (row: Record<string, unknown>, prefix: string): Duration => {
  const [median, p90] = (row[`${prefix}_q`] as (number | null)[] | null) ?? [null, null];
  return { count: int(row[`${prefix}_n`]), medianHours: num(median), p90Hours: num(p90) };
};
/** The median and p90 (interpolated, one sort for both) of a column of hours, and how many rows have it (NULLs are left out). */
const pct = (column: string, prefix: string) =>
  `count(${column}) AS ${prefix}_n, percentile_cont('{0.5,0.9}'::float8[]) WITHIN GROUP (ORDER BY ${column}) AS ${prefix}_q`;
/** Hours between two instants, as float8 (date_part; extract's numeric arithmetic is several times slower). */
const hours = (later: string, earlier: string) => `(date_part('epoch', ${later} - ${earlier}) / 3600)`;

/**
 * The analysis center's figures, computed in PostgreSQL from the projection (tickets), the audit
 * rows (ticket_events), the contact log, ratings and closure checks: never from Temporal.
 * Ticket figures are over the cohort of tickets received in the period; contact figures over the
 * contacts taken in it.
 */
@Injectable()
export class AnalysisService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organisation: OrganisationRepository,
  ) {}

  /** How an export writes its codes: as labels in `lang` (Turkish by default) for csv and xlsx; the codes for json. */
  /** How an export writes codes: as labels in `lang` (the console always asks), as the codes themselves without it (scripts). */
  async exportLabels(query: { format?: string; lang?: ExportLang }): Promise<ValueLabels> {
    if (!query.format || query.format === 'json' || !query.lang) return CODES;
    const [categories, departments] = await Promise.all([
      this.organisation.allCategories(),
      this.organisation.departments(),
    ]);
    return valueLabels(query.lang, { categories, departments: departments.map((d) => ({ code: d.id, name: d.name, nameEn: d.nameEn })) });
  }

  async summary(identity: StaffIdentity, query: AnalysisQueryDto, now = new Date()): Promise<Summary> {
    const filters = this.authorize(identity, query, 'department');
    return this.compute(filters, this.period(query, now), now);
  }

  async departmentReport(identity: StaffIdentity, departmentId: string, query: AnalysisQueryDto, now = new Date()): Promise<DepartmentReport> {
    if (departmentId.length > 64) throw badRequest('id', 'a department id is at most 64 characters');
    if (query.department !== undefined && query.department !== departmentId) throw badRequest('department', 'the report is of the department in the path');
    const filters = this.authorize(identity, { ...query, department: departmentId }, 'id');
    const [department] = await this.dataSource.query(`SELECT id, name, name_en, institution_id FROM departments WHERE id = $1`, [departmentId]);
    if (!department) throw notFound(`department ${departmentId}`);
    const period = this.period(query, now);
    const p = new Params();
    const where = this.where(filters, period, p);
    const [summary, worst, oldest] = await Promise.all([
      this.compute(filters, period, now),
      this.dataSource.query(
        `SELECT t.category, count(*)::int AS tickets, count(*) FILTER (WHERE t.sla_breached)::int AS breached,
                count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours('t.resolved_at', 't.received_at')}) FILTER (WHERE t.resolved_at IS NOT NULL) AS p50
           FROM tickets t WHERE ${where}
          GROUP BY t.category
          ORDER BY count(*) FILTER (WHERE t.sla_breached)::float / count(*) DESC, p50 DESC NULLS LAST, t.category
          LIMIT ${WORST_CATEGORIES}`,
        p.values,
      ),
      this.dataSource.query(
        `SELECT t.number, t.status, t.category, t.received_at, t.stage_since FROM tickets t
          WHERE ${where} AND t.status IN ${OPEN_SQL}
          ORDER BY t.received_at, t.id LIMIT ${OLDEST_OPEN}`,
        p.values,
      ),
    ]);
    const slowest = [...summary.speed.approvalLevels].filter((l) => l.medianHours !== null).sort((a, b) => b.medianHours! - a.medianHours! || a.level - b.level)[0] ?? null;
    return {
      department: { id: department.id, name: department.name, nameEn: department.name_en, institutionId: department.institution_id },
      summary,
      worstCategories: worst.map((r: Record<string, unknown>) => ({
        category: String(r.category),
        tickets: int(r.tickets),
        breached: int(r.breached),
        breachRate: int(r.tickets) > 0 ? int(r.breached) / int(r.tickets) : null,
        reopened: int(r.reopened),
        medianResolutionHours: num(r.p50),
      })),
      oldestOpen: oldest.map((r: Record<string, unknown>) => ({
        number: String(r.number),
        status: String(r.status),
        category: String(r.category),
        receivedAt: (r.received_at as Date).toISOString(),
        stageSince: r.stage_since ? (r.stage_since as Date).toISOString() : null,
        ageDays: Math.floor((now.getTime() - (r.received_at as Date).getTime()) / 86_400_000),
      })),
      slowestApprovalLevel: slowest,
    };
  }

  async hotSpots(identity: StaffIdentity, query: HotSpotsQueryDto, now = new Date()): Promise<HotSpots> {
    const filters = this.authorize(identity, query, 'department');
    const at = query.week ? new Date(query.week) : now;
    const [w] = await this.dataSource.query(
      `SELECT (date_trunc('week', $1::timestamptz AT TIME ZONE '${ANALYSIS_TIME_ZONE}') AT TIME ZONE '${ANALYSIS_TIME_ZONE}') AS week_from,
              ((date_trunc('week', $1::timestamptz AT TIME ZONE '${ANALYSIS_TIME_ZONE}') + interval '7 days') AT TIME ZONE '${ANALYSIS_TIME_ZONE}') AS week_to,
              ((date_trunc('week', $1::timestamptz AT TIME ZONE '${ANALYSIS_TIME_ZONE}') - interval '${SURGE_RULE.previousWeeks * 7} days') AT TIME ZONE '${ANALYSIS_TIME_ZONE}') AS history_from`,
      [at.toISOString()],
    );
    const weekFrom = w.week_from as Date;
    const weekTo = w.week_to as Date;
    // Open tickets received up to the week's end (a past week shows what was open and is still open now).
    const p = new Params();
    const open = await this.dataSource.query(
      `SELECT t.district, t.neighbourhood, t.category, count(*)::int AS open FROM tickets t
        WHERE ${this.where(filters, null, p)} AND t.status IN ${OPEN_SQL} AND t.received_at < ${p.add(weekTo.toISOString())}
        GROUP BY t.district, t.neighbourhood, t.category
        ORDER BY count(*) DESC, t.district NULLS LAST, t.neighbourhood NULLS LAST, t.category
        LIMIT 500`,
      p.values,
    );
    const q = new Params();
    const historyFrom = q.add((w.history_from as Date).toISOString());
    const from = q.add(weekFrom.toISOString());
    const to = q.add(weekTo.toISOString());
    const surges = await this.dataSource.query(
      `WITH w AS (
         SELECT t.district, t.neighbourhood, t.category, t.received_at >= ${from} AS this_week FROM tickets t
          WHERE ${this.where(filters, null, q)} AND t.received_at >= ${historyFrom} AND t.received_at < ${to}
       ), place AS (
         SELECT district, neighbourhood, count(*) FILTER (WHERE this_week)::int AS this_week, count(*) FILTER (WHERE NOT this_week)::float / ${SURGE_RULE.previousWeeks} AS previous_mean
           FROM w GROUP BY district, neighbourhood
       ), top AS (
         SELECT DISTINCT ON (district, neighbourhood) district, neighbourhood, category, count(*)::int AS n
           FROM w WHERE this_week GROUP BY district, neighbourhood, category
          ORDER BY district, neighbourhood, count(*) DESC, category
       )
       SELECT place.*, top.category AS top_category, top.n AS top_n FROM place
         JOIN top ON top.district IS NOT DISTINCT FROM place.district AND top.neighbourhood IS NOT DISTINCT FROM place.neighbourhood
        WHERE place.this_week >= ${SURGE_RULE.minimum} AND place.this_week > ${SURGE_RULE.factor} * place.previous_mean
        ORDER BY place.this_week DESC, place.district NULLS LAST, place.neighbourhood NULLS LAST`,
      q.values,
    );
    return {
      week: { from: weekFrom.toISOString(), to: weekTo.toISOString() },
      filters,
      rule: { ...SURGE_RULE },
      openByPlace: open.map((r: Record<string, unknown>) => ({ district: (r.district as string) ?? null, neighbourhood: (r.neighbourhood as string) ?? null, category: String(r.category), open: int(r.open) })),
      surges: surges.map((r: Record<string, unknown>) => ({
        district: (r.district as string) ?? null,
        neighbourhood: (r.neighbourhood as string) ?? null,
        thisWeek: int(r.this_week),
        previousMean: Number(r.previous_mean),
        topCategory: String(r.top_category),
        topCategoryCount: int(r.top_n),
      })),
    };
  }

  /** The filters the reader may use: the center and auditors anything, a department head their department only. */
  private authorize(identity: StaffIdentity, query: AnalysisFiltersDto, departmentField: string): AppliedFilters {
    const filters: AppliedFilters = {
      institution: query.institution ?? null,
      department: query.department ?? null,
      category: query.category ?? null,
      district: query.district ?? null,
      neighbourhood: query.neighbourhood ?? null,
      channel: query.channel ?? null,
      segment: query.segment ?? null,
      type: query.type ?? null,
    };
    if (identity.roles.some((r) => ALL_FIGURES.includes(r))) return filters;
    if (identity.roles.includes('DEPARTMENT_HEAD') && identity.departmentId) {
      if (filters.department === null) return { ...filters, department: identity.departmentId };
      if (filters.department === identity.departmentId) return filters;
      throw forbiddenProblem(`a department head reads the figures of their own department (${identity.departmentId}), not ${departmentField === 'id' ? 'this one' : filters.department}`);
    }
    throw forbiddenProblem('the figures are read by coordinators, auditors, administrators and department heads');
  }

  private period(query: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from.getTime() >= to.getTime()) throw badRequest('from', 'the period must start before it ends (from < to)');
    if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw badRequest('to', 'a period is at most 731 days (two years)');
    return { from, to };
  }

  /** The WHERE clause of the ticket cohort: received in the period (if any), every filter given. */
  private where(f: AppliedFilters, period: { from: Date; to: Date } | null, p: Params): string {
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

  private async compute(filters: AppliedFilters, period: { from: Date; to: Date }, now: Date): Promise<Summary> {
    // The ticket cohort and the contact log are read at the same time, on two connections.
    const [{ totals: t, volumes: volumeRows, levels }, contacts] = await Promise.all([this.ticketFigures(filters, period, now), this.contactFigures(filters, period)]);
    const by = (dim: string): Count[] => volumeRows.filter((r) => r.dim === dim).map((r) => ({ key: r.key, count: int(r.n) }));
    const contactsBy = (dim: string): Count[] => contacts.rows.filter((r) => r.dim === dim).map((r) => ({ key: r.key, count: int(r.n) }));
    const contactsTotal = contactsBy('outcome').reduce((s, r) => s + r.count, 0);
    const registered = contactsBy('outcome')
      .filter((r) => (REGISTERED_OUTCOMES as readonly string[]).includes(r.key ?? ''))
      .reduce((s, r) => s + r.count, 0);

    // Daily and weekly series in the center's calendar, every day of the period present.
    const ticketsOn = new Map(by('day').map((r) => [r.key, r.count]));
    const contactsOn = new Map(contactsBy('day').map((r) => [r.key, r.count]));
    const daily = contacts.days.map((day) => ({ day, contacts: contactsOn.get(day) ?? 0, tickets: ticketsOn.get(day) ?? 0 }));
    const weeks = new Map<string, { week: string; contacts: number; tickets: number }>();
    for (const d of daily) {
      const week = mondayOf(d.day);
      const entry = weeks.get(week) ?? { week, contacts: 0, tickets: 0 };
      entry.contacts += d.contacts;
      entry.tickets += d.tickets;
      weeks.set(week, entry);
    }

    const total = int(t.total);
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      filters,
      volumes: {
        contacts: { total: contactsTotal, byChannel: contactsBy('channel'), byOutcome: contactsBy('outcome') },
        tickets: { total, byChannel: by('channel'), byType: by('type'), byCategory: by('category'), byDepartment: by('department'), byDistrict: by('district'), bySegment: by('segment') },
        daily,
        weekly: [...weeks.values()],
      },
      registration: rate(contactsTotal, registered),
      speed: {
        toDepartment: duration(t, 'dep'),
        toExpert: duration(t, 'exp'),
        toResolution: duration(t, 'res'),
        toClose: duration(t, 'clo'),
        approvalLevels: levels.map((r) => ({ level: int(r.level), ...duration(r, 'lvl') })),
        sla: { tickets: total, breached: int(t.breached), compliance: total > 0 ? (total - int(t.breached)) / total : null },
        legal: { due: int(t.legal_due), onTime: int(t.legal_on_time), compliance: int(t.legal_due) > 0 ? int(t.legal_on_time) / int(t.legal_due) : null },
      },
      quality: {
        reopen: rate(int(t.resolved_once), int(t.reopened)),
        referral: rate(total, int(t.referred)),
        returnToCenter: rate(int(t.routed), int(t.returned)),
        satisfaction: {
          ratings: int(t.ratings),
          average: num(t.average),
          satisfied: int(t.satisfied),
          satisfiedShare: int(t.ratings) > 0 ? int(t.satisfied) / int(t.ratings) : null,
        },
        closureCheckNotFixed: rate(int(t.checks), int(t.not_fixed)),
        stuckNow: int(t.stuck),
      },
    };
  }

  /**
   * Every ticket figure of the cohort in one statement: totals and percentiles, volumes by
   * dimension, approval time per level. Each of the three reads the cohort from the analysis
   * index (tickets_analysis_received_idx, index-only: each ticket's milestones, approval
   * decisions, rating and closure checks are kept on its row by the triggers of migration
   * AnalysisFacts). NOT MATERIALIZED: three index scans cost less than storing the cohort once
   * (bench/analysis/RESULTS.md).
   */
  private async ticketFigures(filters: AppliedFilters, period: { from: Date; to: Date }, now: Date) {
    const p = new Params();
    const where = this.where(filters, period, p);
    const nowParam = p.add(now.toISOString());
    const legal = p.add(this.config.ticket.legalDeadlineMs / 1000);
    const stuckBefore = p.add(new Date(now.getTime() - this.config.ticket.stuckAfterMs).toISOString());
    const answeredAt = `coalesce(resolved_at, closed_at)`;
    const dims = ['channel', 'type', 'category', 'department_id', 'district', 'segment', 'day'];
    const dimName = (col: string) => (col === 'department_id' ? 'department' : col);
    const [row] = await this.withWorkMemory(
        `WITH c AS NOT MATERIALIZED (
           SELECT t.received_at, (t.received_at AT TIME ZONE '${ANALYSIS_TIME_ZONE}')::date AS day, t.channel, t.type, t.category, t.department_id,
                  t.district, t.segment, t.status, t.outcome, t.sla_breached, t.reopen_count, t.resolved_at, t.closed_at, t.assignee_id,
                  t.stage_since, t.first_department_at, t.first_expert_at, t.returned_to_center, t.approval_levels, t.approval_hours,
                  t.rating, t.closure_checks_answered, t.closure_checks_not_fixed,
                  ${hours('t.resolved_at', 't.received_at')} AS res_h, ${hours('t.closed_at', 't.received_at')} AS clo_h,
                  ${hours('t.first_department_at', 't.received_at')} AS dep_h, ${hours('t.first_expert_at', 't.received_at')} AS exp_h
             FROM tickets t WHERE ${where})
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
    return {
      totals: row.totals as Record<string, unknown>,
      volumes: row.volumes as { dim: string; key: string | null; n: number }[],
      levels: row.levels as Record<string, unknown>[],
    };
  }

  /**
   * The contact log's figures (by channel, outcome and day: it knows no department, place or
   * type) and the period's days. Whole local days come from the daily counts (contact_days, kept
   * by a trigger on contacts); the period's partial first and last days from the rows. This SQL
   * reads the contact log outside its repository (contacts.repository.ts): it is the analysis
   * store's own statement, to be redesigned with it.
   */
  private async contactFigures(filters: AppliedFilters, period: { from: Date; to: Date }) {
    const tz = `'${ANALYSIS_TIME_ZONE}'`;
    const p = new Params();
    const from = p.add(period.from.toISOString());
    const to = p.add(period.to.toISOString());
    const channel = filters.channel ? p.add(filters.channel) : null;
    const rowsOf = (alias: string) => (channel ? `AND ${alias}.channel = ${channel}` : '');
    const [row] = await this.withWorkMemory(
      `WITH local AS (SELECT date_trunc('day', ${from}::timestamptz AT TIME ZONE ${tz}) AS first_day, date_trunc('day', ${to}::timestamptz AT TIME ZONE ${tz}) AS last_day),
       whole AS (
         -- [first_midnight, last_midnight): the local days wholly inside the period
         SELECT CASE WHEN first_day AT TIME ZONE ${tz} < ${from}::timestamptz THEN first_day + interval '1 day' ELSE first_day END AS first_midnight, last_day AS last_midnight
           FROM local),
       k AS (
         SELECT d.day, d.channel, d.outcome, d.contacts AS n FROM contact_days d, whole
          WHERE d.day >= whole.first_midnight::date AND d.day < whole.last_midnight::date ${rowsOf('d')}
         UNION ALL
         -- (the bounds as scalar subqueries, so they bound the index scan instead of filtering its rows)
         SELECT (k.at AT TIME ZONE ${tz})::date, k.channel, k.outcome, 1 FROM contacts k
          WHERE k.at >= ${from} AND k.at < (SELECT least(first_midnight AT TIME ZONE ${tz}, ${to}::timestamptz) FROM whole) ${rowsOf('k')}
         UNION ALL
         SELECT (k.at AT TIME ZONE ${tz})::date, k.channel, k.outcome, 1 FROM contacts k
          WHERE k.at >= (SELECT greatest(last_midnight, first_midnight) AT TIME ZONE ${tz} FROM whole) AND k.at < ${to} ${rowsOf('k')})
       SELECT
         (SELECT coalesce(jsonb_agg(v ORDER BY dim, n DESC, key), '[]') FROM (
            SELECT CASE WHEN grouping(channel) = 0 THEN 'channel' WHEN grouping(outcome) = 0 THEN 'outcome' ELSE 'day' END AS dim,
                   coalesce(channel, outcome, to_char(day, 'YYYY-MM-DD')) AS key, sum(n)::int AS n
              FROM k GROUP BY GROUPING SETS ((channel), (outcome), (day))
            HAVING sum(n) > 0) v) AS rows,
         (SELECT jsonb_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d)
            FROM generate_series((${from}::timestamptz AT TIME ZONE ${tz})::date, ((${to}::timestamptz - interval '1 microsecond') AT TIME ZONE ${tz})::date, interval '1 day') d) AS days`,
      p.values,
    );
    return { rows: row.rows as { dim: string; key: string; n: number }[], days: row.days as string[] };
  }

  /**
   * Runs a figure's statement with room to keep a period's cohort and its sorts in memory
   * (ANALYSIS_WORK_MEM; PostgreSQL's default 4 MB would spill a 60-day cohort to disk), for that
   * transaction only.
   */
  private withWorkMemory(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL work_mem = '${ANALYSIS_WORK_MEM}'`);
      return m.query(sql, params);
    });
  }
}

/** The Monday (YYYY-MM-DD) of a calendar day's ISO week. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}
