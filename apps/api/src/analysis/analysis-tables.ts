import { CODES, type LabelKind, type ValueLabels } from './analysis-labels';
import type { Count, DepartmentReport, HotSpots, Summary, Table } from './analysis.types';

/** Every table behind the summary's charts, as exported and shown under each chart; codes as `labels` gives them (the codes themselves by default). */
export function summaryTables(s: Summary, labels: ValueLabels = CODES): Table[] {
  const counts = (name: string, rows: Count[], kind?: LabelKind): Table => ({ name, columns: ['key', 'count'], rows: rows.map((r) => [kind ? labels(kind, r.key) : r.key, r.count]) });
  const sp = s.speed;
  const q = s.quality;
  return [
    counts('contacts-by-channel', s.volumes.contacts.byChannel, 'channel'),
    counts('contacts-by-outcome', s.volumes.contacts.byOutcome, 'outcome'),
    counts('tickets-by-channel', s.volumes.tickets.byChannel, 'channel'),
    counts('tickets-by-type', s.volumes.tickets.byType, 'type'),
    counts('tickets-by-category', s.volumes.tickets.byCategory, 'category'),
    counts('tickets-by-department', s.volumes.tickets.byDepartment, 'department'),
    counts('tickets-by-district', s.volumes.tickets.byDistrict),
    counts('tickets-by-segment', s.volumes.tickets.bySegment, 'segment'),
    { name: 'daily', columns: ['day', 'contacts', 'tickets'], rows: s.volumes.daily.map((d) => [d.day, d.contacts, d.tickets]) },
    { name: 'weekly', columns: ['week', 'contacts', 'tickets'], rows: s.volumes.weekly.map((d) => [d.week, d.contacts, d.tickets]) },
    {
      name: 'speed',
      columns: ['measure', 'count', 'median_hours', 'p90_hours'],
      rows: (
        [
          ['to_department', sp.toDepartment],
          ['to_expert', sp.toExpert],
          ['to_resolution', sp.toResolution],
          ['to_close', sp.toClose],
        ] as const
      ).map(([name, d]) => [name, d.count, d.medianHours, d.p90Hours]),
    },
    { name: 'approval-levels', columns: ['level', 'decisions', 'median_hours', 'p90_hours'], rows: sp.approvalLevels.map((l) => [l.level, l.count, l.medianHours, l.p90Hours]) },
    {
      name: 'rates',
      columns: ['measure', 'base', 'count', 'rate'],
      rows: [
        ['registration', s.registration.base, s.registration.count, s.registration.rate],
        ['sla_compliance', sp.sla.tickets, sp.sla.tickets - sp.sla.breached, sp.sla.compliance],
        ['legal_compliance', sp.legal.due, sp.legal.onTime, sp.legal.compliance],
        ['reopen', q.reopen.base, q.reopen.count, q.reopen.rate],
        ['referral', q.referral.base, q.referral.count, q.referral.rate],
        ['return_to_center', q.returnToCenter.base, q.returnToCenter.count, q.returnToCenter.rate],
        ['satisfied', q.satisfaction.ratings, q.satisfaction.satisfied, q.satisfaction.satisfiedShare],
        ['closure_check_not_fixed', q.closureCheckNotFixed.base, q.closureCheckNotFixed.count, q.closureCheckNotFixed.rate],
        ['stuck_now', null, q.stuckNow, null],
      ],
    },
  ];
}

export function departmentReportTables(r: DepartmentReport, labels: ValueLabels = CODES): Table[] {
  return [
    ...summaryTables(r.summary, labels),
    {
      name: 'worst-categories',
      columns: ['category', 'tickets', 'breached', 'breach_rate', 'reopened', 'median_resolution_hours'],
      rows: r.worstCategories.map((c) => [labels('category', c.category), c.tickets, c.breached, c.breachRate, c.reopened, c.medianResolutionHours]),
    },
    {
      name: 'oldest-open',
      columns: ['number', 'status', 'category', 'received_at', 'stage_since', 'age_days'],
      rows: r.oldestOpen.map((o) => [o.number, labels('status', o.status), labels('category', o.category), o.receivedAt, o.stageSince, o.ageDays]),
    },
  ];
}

export function hotSpotTables(h: HotSpots, labels: ValueLabels = CODES): Table[] {
  return [
    { name: 'open-by-place', columns: ['district', 'neighbourhood', 'category', 'open'], rows: h.openByPlace.map((o) => [o.district, o.neighbourhood, labels('category', o.category), o.open]) },
    {
      name: 'surges',
      columns: ['district', 'neighbourhood', 'this_week', 'previous_mean', 'top_category', 'top_category_count'],
      rows: h.surges.map((o) => [o.district, o.neighbourhood, o.thisWeek, o.previousMean, labels('category', o.topCategory), o.topCategoryCount]),
    },
  ];
}
