import { TICKET_STATUSES } from '../../../../libs/domain/src';
import { arr, described, dt, e, int, ndt, nnum, nstr, nullable, num, obj, str, type ViewOf } from '../common/view-schema';

/** The analysis center's answers: the types of analysis.types.ts are derived from them. */
const count = obj({ key: nstr, count: int });
const rateView = obj({ base: int, count: int, rate: nnum });
const durationView = obj({ count: int, medianHours: nnum, p90Hours: nnum });
const appliedFilters = obj({ institution: nstr, department: nstr, category: nstr, district: nstr, neighbourhood: nstr, channel: nstr, segment: nstr, type: nstr });
const series = <K extends string>(key: K) => arr(obj({ [key]: str, contacts: int, tickets: int } as { [P in K]: typeof str } & { contacts: typeof int; tickets: typeof int }));
const levelDuration = obj({ level: int, count: int, medianHours: nnum, p90Hours: nnum });
export const ANALYSIS_SUMMARY = obj({
  period: obj({ from: dt, to: dt }),
  filters: appliedFilters,
  volumes: obj({
    contacts: obj({ total: int, byChannel: arr(count), byOutcome: arr(count) }),
    tickets: obj({ total: int, byChannel: arr(count), byType: arr(count), byCategory: arr(count), byDepartment: arr(count), byDistrict: arr(count), bySegment: arr(count) }),
    daily: series('day'),
    weekly: series('week'),
  }),
  registration: rateView,
  speed: obj({
    toDepartment: durationView,
    toExpert: durationView,
    toResolution: durationView,
    toClose: durationView,
    approvalLevels: arr(levelDuration),
    sla: obj({ tickets: int, breached: int, compliance: nnum }),
    legal: obj({ due: int, onTime: int, compliance: nnum }),
  }),
  quality: obj({
    reopen: rateView,
    referral: rateView,
    returnToCenter: rateView,
    satisfaction: obj({ ratings: int, average: nnum, satisfied: int, satisfiedShare: nnum }),
    closureCheckNotFixed: rateView,
    stuckNow: int,
  }),
});
export const ANALYSIS_DEPARTMENT_REPORT = obj({
  department: obj({ id: str, name: str, nameEn: str, institutionId: str }),
  summary: ANALYSIS_SUMMARY,
  worstCategories: arr(obj({ category: str, tickets: int, breached: int, breachRate: nnum, reopened: int, medianResolutionHours: nnum })),
  oldestOpen: arr(obj({ number: str, status: e(TICKET_STATUSES), category: str, receivedAt: dt, stageSince: ndt, ageDays: int })),
  slowestApprovalLevel: nullable(obj({ level: int, count: int, medianHours: nnum, p90Hours: nnum })),
});
export const ANALYSIS_HOT_SPOTS = obj({
  week: obj({ from: dt, to: dt }),
  filters: appliedFilters,
  rule: obj({ factor: num, minimum: int, previousWeeks: int }),
  openByPlace: arr(obj({ district: nstr, neighbourhood: nstr, category: str, open: int })),
  surges: arr(
    obj({
      district: nstr,
      neighbourhood: nstr,
      thisWeek: int,
      previousMean: num,
      topCategory: str,
      topCategoryCount: int,
      point: described(
        nullable(obj({ lat: num, lng: num })),
        'Where to put the neighbourhood on a map: the median latitude and longitude of its tickets of the week that have a position (under the same filters), rounded to 3 decimals; null when none has one',
      ),
    }),
  ),
});

export type Summary = ViewOf<typeof ANALYSIS_SUMMARY>;
export type HotSpots = ViewOf<typeof ANALYSIS_HOT_SPOTS>;
