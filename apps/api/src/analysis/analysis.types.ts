import type { HotSpots, Summary } from './analysis-views.schema';

/**
 * The figures of the analysis center, as GET /analysis/* answers them. The summary and hot spots
 * are typed by their JSON Schemas (analysis-views.schema.ts): one source. Durations are hours;
 * rates are 0..1, null when their base is empty. How each figure is defined:
 * docs/architecture.md, "Analysis center".
 */
export type { HotSpots, Summary };
export type Count = Summary['volumes']['tickets']['byChannel'][number];
export type Rate = Summary['registration'];
export type Duration = Summary['speed']['toDepartment'];
export type AppliedFilters = Summary['filters'];

export interface DepartmentReport {
  department: { id: string; name: string; nameEn: string; institutionId: string };
  summary: Summary;
  worstCategories: { category: string; tickets: number; breached: number; breachRate: number | null; reopened: number; medianResolutionHours: number | null }[];
  oldestOpen: { number: string; status: string; category: string; receivedAt: string; stageSince: string | null; ageDays: number }[];
  slowestApprovalLevel: ({ level: number } & Duration) | null;
}

/** A table as exported (CSV, XLSX) and shown under each chart. */
export interface Table {
  name: string;
  columns: string[];
  rows: (string | number | null)[][];
}
