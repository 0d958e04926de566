import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { CENTER_TIME_ZONE } from '../../../../libs/database/src/migrations/1765600000000-analysis-facts';
import type { StaffRole } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem, notFound } from '../common/problem';
import { publicCoordinate } from '../common/public-place';
import type { StaffIdentity } from '../identity/identity';
import { CODES, valueLabels, type ValueLabels } from './analysis-labels';
import type { ExportLang } from '../common/spreadsheet';
import type { AnalysisFiltersDto, AnalysisQueryDto, HotSpotsQueryDto } from './analysis-query.dto';
import type { AppliedFilters, Count, DepartmentReport, Duration, HotSpots, Rate, Summary } from './analysis.types';
import type { AnalysisFigures, Cohort, Period } from './analysis-figures';
import { PostgresFigures } from './analysis-postgres.figures';
import { AnalysisFeed } from './store/analysis-feed';
import { AnalysisStore } from './store/analysis-store';
import { StoreFigures } from './store/analysis-store.figures';
import { localDays } from './local-days';

/** Who reads every figure; a department head reads their own department's. */
const ALL_FIGURES: readonly StaffRole[] = ['COORDINATOR', 'AUDITOR', 'ADMIN'];
const MAX_PERIOD_MS = 731 * 86_400_000;
const DEFAULT_PERIOD_MS = 30 * 86_400_000;
/** Local calendar of the center: days and weeks (Monday) are counted in this zone. */
export const ANALYSIS_TIME_ZONE = CENTER_TIME_ZONE;
/** Contact outcomes that count as registered: a ticket, or an answer on record (see docs). */
export const REGISTERED_OUTCOMES = ['TICKET_CREATED', 'DUPLICATE_OF_OPEN_TICKET', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE'] as const;
/** The hot-spot rule: this week > FACTOR × the mean of the previous WEEKS weeks, and at least MINIMUM tickets. */
export const SURGE_RULE = { factor: 3, minimum: 5, previousWeeks: 8 } as const;
const WORST_CATEGORIES = 5;
const OLDEST_OPEN = 10;
/** How long a figure waits for the analysis store's first build before PostgreSQL answers it. */
const STORE_BUILD_WAIT_MS = 5_000;

const rate = (base: number, count: number): Rate => ({ base, count, rate: base > 0 ? count / base : null });
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown): number => Number(v ?? 0);
const duration = (row: Record<string, unknown>, prefix: string): Duration => {
  const [median, p90] = (row[`${prefix}_q`] as (number | null)[] | null) ?? [null, null];
  return { count: int(row[`${prefix}_n`]), medianHours: num(median), p90Hours: num(p90) };
};

/**
 * The analysis center's answers: who may read which figures, the period, and the answer built
 * from the rows of the figures' SQL (AnalysisFigures: the analysis store's, or PostgreSQL's while
 * the store is being built). Never from Temporal. Ticket figures are over the cohort of tickets
 * received in the period; contact figures over the contacts taken in it.
 */
@Injectable()
export class AnalysisService {
  private readonly logger = new Logger(AnalysisService.name);
  private readonly storeFigures: StoreFigures | null;
  private readonly postgresFigures: PostgresFigures;

  /** Without a feed and store (bench/analysis's baseline), every figure comes from PostgreSQL. */
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organisation: OrganisationRepository,
    // Named explicitly: a `T | null` parameter's emitted type is Object, which Nest cannot resolve.
    @Optional() @Inject(AnalysisFeed) private readonly feed: AnalysisFeed | null = null,
    @Optional() @Inject(AnalysisStore) store: AnalysisStore | null = null,
  ) {
    this.storeFigures = store ? new StoreFigures(store) : null;
    this.postgresFigures = new PostgresFigures(dataSource);
  }

  /**
   * Where this answer's figures come from: the analysis store once it is built and has taken in
   * what PostgreSQL committed before this call; PostgreSQL while the store is being built (after
   * STORE_BUILD_WAIT_MS) or if it failed.
   */
  private async figures(): Promise<AnalysisFigures> {
    if (!this.feed || !this.storeFigures) return this.postgresFigures;
    // A store being built for a short while (a small center, or a store kept in a file) is worth waiting for.
    if (!this.feed.ready && this.feed.started) await Promise.race([this.feed.started, new Promise((r) => setTimeout(r, STORE_BUILD_WAIT_MS).unref())]);
    if (!this.feed.ready) return this.postgresFigures;
    try {
      await this.feed.catchUpForRead();
      return this.feed.ready ? this.storeFigures : this.postgresFigures;
    } catch (error) {
      this.logger.warn(`analysis store behind, figures from PostgreSQL: ${(error as Error).message}`);
      return this.postgresFigures;
    }
  }

  /** The cohort of a period and filters; an institution as its categories' codes (the store keeps the category, not its institution). */
  private async cohort(filters: AppliedFilters, period: Period): Promise<Cohort> {
    if (!filters.institution) return { filters, period, institutionCategories: null };
    const codes = (await this.organisation.allCategories()).filter((c) => c.institutionId === filters.institution).map((c) => c.code);
    return { filters, period, institutionCategories: codes };
  }

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
    const [figures, cohort] = await Promise.all([this.figures(), this.cohort(filters, this.period(query, now))]);
    return this.compute(figures, cohort, now);
  }

  async departmentReport(identity: StaffIdentity, departmentId: string, query: AnalysisQueryDto, now = new Date()): Promise<DepartmentReport> {
    if (departmentId.length > 64) throw badRequest('id', 'a department id is at most 64 characters');
    if (query.department !== undefined && query.department !== departmentId) throw badRequest('department', 'the report is of the department in the path');
    const filters = this.authorize(identity, { ...query, department: departmentId }, 'id');
    const department = await this.organisation.findDepartment(departmentId);
    if (!department) throw notFound(`department ${departmentId}`);
    const [figures, cohort] = await Promise.all([this.figures(), this.cohort(filters, this.period(query, now))]);
    const [summary, worst, oldest] = await Promise.all([
      this.compute(figures, cohort, now),
      figures.worstCategories(cohort, WORST_CATEGORIES),
      figures.oldestOpen(cohort, OLDEST_OPEN),
    ]);
    const slowest = [...summary.speed.approvalLevels].filter((l) => l.medianHours !== null).sort((a, b) => b.medianHours! - a.medianHours! || a.level - b.level)[0] ?? null;
    return {
      department: { id: department.id, name: department.name, nameEn: department.nameEn, institutionId: department.institutionId },
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
    const [figures, { institutionCategories }] = await Promise.all([this.figures(), this.cohort(filters, { from: weekFrom, to: weekTo })]);
    const [open, surges] = await Promise.all([
      figures.openByPlace(filters, institutionCategories, weekTo),
      figures.surges(filters, institutionCategories, { historyFrom: w.history_from as Date, weekFrom, weekTo }, SURGE_RULE),
    ]);
    const places = surges.flatMap((r) => (r.district && r.neighbourhood ? [{ district: String(r.district), neighbourhood: String(r.neighbourhood) }] : []));
    const points = await this.postgresFigures.surgePoints(filters, { from: weekFrom, to: weekTo }, places);
    return this.hotSpotsAnswer(weekFrom, weekTo, filters, open, surges, points);
  }

  private hotSpotsAnswer(weekFrom: Date, weekTo: Date, filters: AppliedFilters, open: Record<string, unknown>[], surges: Record<string, unknown>[], points: Record<string, unknown>[]): HotSpots {
    // Rounded as a public position is (~100 m): a neighbourhood's marker, never one ticket's pin.
    const pointOf = (district: unknown, neighbourhood: unknown) => {
      const p = points.find((x) => x.district === district && x.neighbourhood === neighbourhood);
      return p ? { lat: publicCoordinate(Number(p.lat))!, lng: publicCoordinate(Number(p.lng))! } : null;
    };
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
        point: pointOf(r.district, r.neighbourhood),
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

  private period(query: { from?: string; to?: string }, now: Date): Period {
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from.getTime() >= to.getTime()) throw badRequest('from', 'the period must start before it ends (from < to)');
    if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw badRequest('to', 'a period is at most 731 days (two years)');
    return { from, to };
  }

  private async compute(figures: AnalysisFigures, cohort: Cohort, now: Date): Promise<Summary> {
    const { filters, period } = cohort;
    // The ticket cohort and the contact log are read at the same time (on two connections in PostgreSQL).
    const [{ totals: t, volumes: volumeRows, levels }, contactRows] = await Promise.all([
      figures.ticketFigures(cohort, now, { legalMs: this.config.ticket.legalDeadlineMs, stuckAfterMs: this.config.ticket.stuckAfterMs }),
      figures.contactFigures(filters, period),
    ]);
    const contacts = { rows: contactRows, days: localDays(period.from, period.to, ANALYSIS_TIME_ZONE) };
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
}

/** The Monday (YYYY-MM-DD) of a calendar day's ISO week. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}
