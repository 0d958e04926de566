/**
 * The figures of the analysis center, as GET /analysis/* answers them (the JSON Schemas beside
 * them are in analysis-views.schema.ts). Durations are hours; rates are 0..1, null when their base
 * is empty. How each figure is defined: docs/architecture.md, "Analysis center".
 */
export interface Count {
  key: string | null;
  count: number;
}

export interface Rate {
  base: number;
  count: number;
  rate: number | null;
}

export interface Duration {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface AppliedFilters {
  institution: string | null;
  department: string | null;
  category: string | null;
  district: string | null;
  neighbourhood: string | null;
  channel: string | null;
  segment: string | null;
  type: string | null;
}

export interface Summary {
  period: { from: string; to: string };
  filters: AppliedFilters;
  volumes: {
    contacts: { total: number; byChannel: Count[]; byOutcome: Count[] };
    tickets: { total: number; byChannel: Count[]; byType: Count[]; byCategory: Count[]; byDepartment: Count[]; byDistrict: Count[]; bySegment: Count[] };
    daily: { day: string; contacts: number; tickets: number }[];
    weekly: { week: string; contacts: number; tickets: number }[];
  };
  registration: Rate;
  speed: {
    toDepartment: Duration;
    toExpert: Duration;
    toResolution: Duration;
    toClose: Duration;
    approvalLevels: ({ level: number } & Duration)[];
    sla: { tickets: number; breached: number; compliance: number | null };
    legal: { due: number; onTime: number; compliance: number | null };
  };
  quality: {
    reopen: Rate;
    referral: Rate;
    returnToCenter: Rate;
    satisfaction: { ratings: number; average: number | null; satisfied: number; satisfiedShare: number | null };
    closureCheckNotFixed: Rate;
    stuckNow: number;
  };
}

export interface DepartmentReport {
  department: { id: string; name: string; nameEn: string; institutionId: string };
  summary: Summary;
  worstCategories: { category: string; tickets: number; breached: number; breachRate: number | null; reopened: number; medianResolutionHours: number | null }[];
  oldestOpen: { number: string; status: string; category: string; receivedAt: string; stageSince: string | null; ageDays: number }[];
  slowestApprovalLevel: ({ level: number } & Duration) | null;
}

export interface HotSpots {
  week: { from: string; to: string };
  filters: AppliedFilters;
  rule: { factor: number; minimum: number; previousWeeks: number };
  openByPlace: { district: string | null; neighbourhood: string | null; category: string; open: number }[];
  surges: { district: string | null; neighbourhood: string | null; thisWeek: number; previousMean: number; topCategory: string; topCategoryCount: number }[];
}

/** A table as exported (CSV, XLSX) and shown under each chart. */
export interface Table {
  name: string;
  columns: string[];
  rows: (string | number | null)[][];
}
