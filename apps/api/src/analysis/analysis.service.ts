import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { StaffRole } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem, notFound } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import type { AnalysisFiltersDto, AnalysisQueryDto, HotSpotsQueryDto } from './analysis-query.dto';
import type { AppliedFilters, Count, DepartmentReport, Duration, HotSpots, Rate, Summary } from './analysis.types';

/** Who reads every figure; a department head reads their own department's. */
const ALL_FIGURES: readonly StaffRole[] = ['COORDINATOR', 'AUDITOR', 'ADMIN'];
const MAX_PERIOD_MS = 731 * 86_400_000;
const DEFAULT_PERIOD_MS = 30 * 86_400_000;
/** Local calendar of the center: days and weeks (Monday) are counted in this zone. */
export const ANALYSIS_TIME_ZONE = 'Europe/Istanbul';
const OPEN_STATUSES = `('RECEIVED','TRIAGE','IN_DEPARTMENT','IN_PROGRESS','WAITING_FOR_CITIZEN','IN_APPROVAL','APPROVED')`;
/** Contact outcomes that count as registered: a ticket, or an answer on record (see docs). */
export const REGISTERED_OUTCOMES = ['TICKET_CREATED', 'DUPLICATE_OF_OPEN_TICKET', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE'] as const;
/** The hot-spot rule: this week > FACTOR × the mean of the previous WEEKS weeks, and at least MINIMUM tickets. */
export const SURGE_RULE = { factor: 3, minimum: 5, previousWeeks: 8 } as const;
const WORST_CATEGORIES = 5;
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
const duration = (row: Record<string, unknown>, prefix: string): Duration => ({
  count: int(row[`${prefix}_n`]),
  medianHours: num(row[`${prefix}_p50`]),
  p90Hours: num(row[`${prefix}_p90`]),
});
/** percentile_cont columns of an interval in hours, with the count of rows it is defined for. */
const pct = (expr: string, prefix: string, where = `${expr} IS NOT NULL`) =>
  `count(*) FILTER (WHERE ${where}) AS ${prefix}_n,
   percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}) FILTER (WHERE ${where}) AS ${prefix}_p50,
   percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expr}) FILTER (WHERE ${where}) AS ${prefix}_p90`;
const hours = (later: string, earlier: string) => `(extract(epoch FROM (${later} - ${earlier})) / 3600.0)`;

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
  ) {}

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
    const summary = await this.compute(filters, period, now);
    const p = new Params();
    const where = this.where(filters, period, p);
    const worst = await this.dataSource.query(
      `SELECT t.category, count(*)::int AS tickets, count(*) FILTER (WHERE t.sla_breached)::int AS breached,
              count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours('t.resolved_at', 't.received_at')}) FILTER (WHERE t.resolved_at IS NOT NULL) AS p50
         FROM tickets t WHERE ${where}
        GROUP BY t.category
        ORDER BY count(*) FILTER (WHERE t.sla_breached)::float / count(*) DESC, p50 DESC NULLS LAST, t.category
        LIMIT ${WORST_CATEGORIES}`,
      p.values,
    );
    const p2 = new Params();
    const where2 = this.where(filters, period, p2);
    const oldest = await this.dataSource.query(
      `SELECT t.number, t.status, t.category, t.received_at, t.stage_since FROM tickets t
        WHERE ${where2} AND t.status IN ${OPEN_STATUSES}
        ORDER BY t.received_at, t.id LIMIT ${OLDEST_OPEN}`,
      p2.values,
    );
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
        WHERE ${this.where(filters, null, p)} AND t.status IN ${OPEN_STATUSES} AND t.received_at < ${p.add(weekTo.toISOString())}
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
    const tz = ANALYSIS_TIME_ZONE;
    // Tickets: one pass over the cohort for the projection's own columns.
    const p = new Params();
    const where = this.where(filters, period, p);
    const nowParam = p.add(now.toISOString());
    const legal = p.add(this.config.ticket.legalDeadlineMs / 1000);
    const stuckBefore = p.add(new Date(now.getTime() - this.config.ticket.stuckAfterMs).toISOString());
    const answeredAt = `coalesce(t.resolved_at, t.closed_at)`;
    const [t] = await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE t.sla_breached)::int AS breached,
              count(*) FILTER (WHERE t.resolved_at IS NOT NULL OR t.reopen_count > 0)::int AS resolved_once,
              count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened,
              count(*) FILTER (WHERE t.status = 'REFERRED' OR t.outcome = 'REFERRED')::int AS referred,
              count(*) FILTER (WHERE ${answeredAt} IS NOT NULL OR t.received_at + make_interval(secs => ${legal}) <= ${nowParam}::timestamptz)::int AS legal_due,
              count(*) FILTER (WHERE ${answeredAt} <= t.received_at + make_interval(secs => ${legal}))::int AS legal_on_time,
              count(*) FILTER (WHERE t.status IN ('IN_APPROVAL','IN_PROGRESS') AND (t.status = 'IN_APPROVAL' OR t.assignee_id IS NOT NULL) AND t.stage_since <= ${stuckBefore}::timestamptz)::int AS stuck,
              ${pct(hours('t.resolved_at', 't.received_at'), 'res')},
              ${pct(hours('t.closed_at', 't.received_at'), 'clo')}
         FROM tickets t WHERE ${where}`,
      p.values,
    );

    // The audit rows of the cohort: first assignments, returns to the center, approval decisions.
    const pe = new Params();
    const cohort = `SELECT t.id, t.received_at FROM tickets t WHERE ${this.where(filters, period, pe)}`;
    const [e] = await this.dataSource.query(
      `WITH c AS (${cohort}),
       firsts AS (
         SELECT c.id, c.received_at,
                min(e.at) FILTER (WHERE e.type = 'DEPARTMENT_ASSIGNED') AS dep_at,
                min(e.at) FILTER (WHERE e.type = 'EXPERT_ASSIGNED') AS exp_at,
                bool_or(e.type = 'RETURNED_TO_CENTER') AS returned
           FROM c JOIN ticket_events e ON e.ticket_id = c.id
          WHERE e.type IN ('DEPARTMENT_ASSIGNED','EXPERT_ASSIGNED','RETURNED_TO_CENTER')
          GROUP BY c.id, c.received_at)
       SELECT ${pct(hours('dep_at', 'received_at'), 'dep')},
              ${pct(hours('exp_at', 'received_at'), 'exp')},
              count(*) FILTER (WHERE dep_at IS NOT NULL)::int AS routed,
              count(*) FILTER (WHERE dep_at IS NOT NULL AND returned)::int AS returned
         FROM firsts`,
      pe.values,
    );
    const pa = new Params();
    const levels = await this.dataSource.query(
      `WITH c AS (SELECT t.id FROM tickets t WHERE ${this.where(filters, period, pa)}),
       d AS (
         SELECT e.type, (e.data->>'level')::int AS level,
                ${hours('e.at', 'lag(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.seq)')} AS h
           FROM c JOIN ticket_events e ON e.ticket_id = c.id
          WHERE e.type IN ('RESOLUTION_SUBMITTED','APPROVED_AT_LEVEL','RESOLUTION_REJECTED'))
       SELECT level, ${pct('h', 'lvl')} FROM d
        WHERE type <> 'RESOLUTION_SUBMITTED' AND level IS NOT NULL
        GROUP BY level ORDER BY level`,
      pa.values,
    );

    const pr = new Params();
    const [q] = await this.dataSource.query(
      `WITH c AS (SELECT t.id FROM tickets t WHERE ${this.where(filters, period, pr)})
       SELECT (SELECT count(*)::int FROM ticket_ratings r JOIN c ON c.id = r.ticket_id) AS ratings,
              (SELECT avg(r.rating)::float FROM ticket_ratings r JOIN c ON c.id = r.ticket_id) AS average,
              (SELECT count(*)::int FROM ticket_ratings r JOIN c ON c.id = r.ticket_id WHERE r.rating >= 4) AS satisfied,
              (SELECT count(*)::int FROM closure_checks k JOIN c ON c.id = k.ticket_id WHERE k.answer IS NOT NULL) AS checks,
              (SELECT count(*)::int FROM closure_checks k JOIN c ON c.id = k.ticket_id WHERE k.answer = 'NOT_FIXED') AS not_fixed`,
      pr.values,
    );

    // Volumes by each dimension.
    const pv = new Params();
    const dims: [string, string][] = [['channel', 't.channel'], ['type', 't.type'], ['category', 't.category'], ['department', 't.department_id'], ['district', 't.district'], ['segment', 't.segment']];
    const volumeRows: { dim: string; key: string | null; n: number }[] = await this.dataSource.query(
      `WITH c AS MATERIALIZED (SELECT t.channel, t.type, t.category, t.department_id, t.district, t.segment FROM tickets t WHERE ${this.where(filters, period, pv)})
       ${dims.map(([name, col]) => `SELECT '${name}' AS dim, ${col.replace('t.', '')}::text AS key, count(*)::int AS n FROM c GROUP BY 2`).join(' UNION ALL ')}
       ORDER BY dim, n DESC, key NULLS LAST`,
      pv.values,
    );
    const by = (dim: string): Count[] => volumeRows.filter((r) => r.dim === dim).map((r) => ({ key: r.key, count: int(r.n) }));

    // Contacts: the period and the channel (the contact log knows no department, place or type).
    const pc = new Params();
    const contactWhere = [`k.at >= ${pc.add(period.from.toISOString())}`, `k.at < ${pc.add(period.to.toISOString())}`];
    if (filters.channel) contactWhere.push(`k.channel = ${pc.add(filters.channel)}`);
    const contactRows: { dim: string; key: string; n: number }[] = await this.dataSource.query(
      `WITH k AS MATERIALIZED (SELECT k.channel, k.outcome FROM contacts k WHERE ${contactWhere.join(' AND ')})
       SELECT 'channel' AS dim, channel AS key, count(*)::int AS n FROM k GROUP BY 2
       UNION ALL SELECT 'outcome', outcome, count(*)::int FROM k GROUP BY 2
       ORDER BY dim, n DESC, key`,
      pc.values,
    );
    const contactsBy = (dim: string): Count[] => contactRows.filter((r) => r.dim === dim).map((r) => ({ key: r.key, count: int(r.n) }));
    const contactsTotal = contactsBy('outcome').reduce((s, r) => s + r.count, 0);
    const registered = contactsBy('outcome')
      .filter((r) => (REGISTERED_OUTCOMES as readonly string[]).includes(r.key ?? ''))
      .reduce((s, r) => s + r.count, 0);

    // Daily and weekly series in the center's calendar, every day of the period present.
    const ps = new Params();
    const sFrom = ps.add(period.from.toISOString());
    const sTo = ps.add(period.to.toISOString());
    const ticketCohort = this.where(filters, period, ps);
    const contactChannel = filters.channel ? `AND k.channel = ${ps.add(filters.channel)}` : '';
    const daily: { day: string; contacts: number; tickets: number }[] = await this.dataSource.query(
      `WITH days AS (
         SELECT generate_series((${sFrom}::timestamptz AT TIME ZONE '${tz}')::date, ((${sTo}::timestamptz - interval '1 microsecond') AT TIME ZONE '${tz}')::date, interval '1 day')::date AS day),
       tk AS (SELECT (t.received_at AT TIME ZONE '${tz}')::date AS day, count(*)::int AS n FROM tickets t WHERE ${ticketCohort} GROUP BY 1),
       ck AS (SELECT (k.at AT TIME ZONE '${tz}')::date AS day, count(*)::int AS n FROM contacts k WHERE k.at >= ${sFrom} AND k.at < ${sTo} ${contactChannel} GROUP BY 1)
       SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(ck.n, 0) AS contacts, coalesce(tk.n, 0) AS tickets
         FROM days LEFT JOIN tk ON tk.day = days.day LEFT JOIN ck ON ck.day = days.day ORDER BY days.day`,
      ps.values,
    );
    const weeks = new Map<string, { week: string; contacts: number; tickets: number }>();
    for (const d of daily) {
      const week = mondayOf(d.day);
      const entry = weeks.get(week) ?? { week, contacts: 0, tickets: 0 };
      entry.contacts += int(d.contacts);
      entry.tickets += int(d.tickets);
      weeks.set(week, entry);
    }

    const total = int(t.total);
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      filters,
      volumes: {
        contacts: { total: contactsTotal, byChannel: contactsBy('channel'), byOutcome: contactsBy('outcome') },
        tickets: { total, byChannel: by('channel'), byType: by('type'), byCategory: by('category'), byDepartment: by('department'), byDistrict: by('district'), bySegment: by('segment') },
        daily: daily.map((d) => ({ day: d.day, contacts: int(d.contacts), tickets: int(d.tickets) })),
        weekly: [...weeks.values()],
      },
      registration: rate(contactsTotal, registered),
      speed: {
        toDepartment: duration(e ?? {}, 'dep'),
        toExpert: duration(e ?? {}, 'exp'),
        toResolution: duration(t, 'res'),
        toClose: duration(t, 'clo'),
        approvalLevels: levels.map((r: Record<string, unknown>) => ({ level: int(r.level), ...duration(r, 'lvl') })),
        sla: { tickets: total, breached: int(t.breached), compliance: total > 0 ? (total - int(t.breached)) / total : null },
        legal: { due: int(t.legal_due), onTime: int(t.legal_on_time), compliance: int(t.legal_due) > 0 ? int(t.legal_on_time) / int(t.legal_due) : null },
      },
      quality: {
        reopen: rate(int(t.resolved_once), int(t.reopened)),
        referral: rate(total, int(t.referred)),
        returnToCenter: rate(int(e?.routed), int(e?.returned)),
        satisfaction: {
          ratings: int(q.ratings),
          average: num(q.average),
          satisfied: int(q.satisfied),
          satisfiedShare: int(q.ratings) > 0 ? int(q.satisfied) / int(q.ratings) : null,
        },
        closureCheckNotFixed: rate(int(q.checks), int(q.not_fixed)),
        stuckNow: int(t.stuck),
      },
    };
  }
}

/** The Monday (YYYY-MM-DD) of a calendar day's ISO week. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}
