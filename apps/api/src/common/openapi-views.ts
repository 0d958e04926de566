import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CHANNELS, EVENT_TYPES, OUTCOMES, SEGMENTS, STAFF_ROLES, TICKET_STATUSES, TICKET_TYPES } from '../../../../libs/domain/src';
import { QUEUES } from '../tickets/listing/list-tickets.dto';
import { COMMAND_ROUTES } from '../tickets/ticket-command.table';

/**
 * JSON Schemas of the views the API answers with, for the OpenAPI document: the console's client
 * is generated from it (npm run console:api-types), so each of these is a type the console
 * compiles against. They describe the TypeScript interfaces named beside each one; the enums
 * come from the same constants.
 */
const str: SchemaObject = { type: 'string' };
const nstr: SchemaObject = { type: 'string', nullable: true };
const dt: SchemaObject = { type: 'string', format: 'date-time' };
const ndt: SchemaObject = { type: 'string', format: 'date-time', nullable: true };
const int: SchemaObject = { type: 'integer' };
const nint: SchemaObject = { type: 'integer', nullable: true };
const bool: SchemaObject = { type: 'boolean' };
const num: SchemaObject = { type: 'number' };
const nnum: SchemaObject = { type: 'number', nullable: true };
const e = (values: readonly string[], nullable = false): SchemaObject => ({ type: 'string', enum: [...values], ...(nullable ? { nullable } : {}) });
const arr = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
const freeObject: SchemaObject = { type: 'object', additionalProperties: true };

/** Every property required (present, possibly null), unless listed as optional. */
function obj(properties: Record<string, SchemaObject>, optional: string[] = [], nullable = false): SchemaObject {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), ...(nullable ? { nullable } : {}) };
}

const scope: SchemaObject = obj(
  { kind: e(['ALL', 'DEPARTMENT', 'NEIGHBOURHOOD', 'OWN_REQUESTS', 'NONE']), departmentId: str, branchId: nstr, district: str, neighbourhood: str },
  ['departmentId', 'branchId', 'district', 'neighbourhood'],
);

/** SignedInUser (identity/auth.service.ts). */
export const SIGNED_IN_USER: SchemaObject = obj({ id: str, name: str, roles: arr(e(STAFF_ROLES)), departmentId: nstr, branchId: nstr, approvalLevel: nint, scope });

/** The answer of POST /auth/login and /auth/refresh. */
export const TOKENS: SchemaObject = obj({ accessToken: str, tokenType: e(['Bearer']), expiresIn: int, refreshToken: str, refreshExpiresIn: int, user: SIGNED_IN_USER });

/** { queues: QueueCount[] } (listing/ticket-listing.service.ts). */
export const QUEUE_COUNTS: SchemaObject = obj({ queues: arr(obj({ queue: e(QUEUES), count: int, more: bool })) });

/** TicketListPage. */
export const TICKET_LIST_PAGE: SchemaObject = obj({
  items: arr(
    obj({
      number: str,
      type: e(TICKET_TYPES),
      category: str,
      channel: e(CHANNELS),
      segment: e(SEGMENTS),
      status: e(TICKET_STATUSES),
      departmentId: nstr,
      assigneeId: nstr,
      district: nstr,
      neighbourhood: nstr,
      receivedAt: dt,
      sla: obj({ dueAt: ndt, percentUsed: nnum, breached: bool }, [], true),
      legalDueAt: ndt,
      approvalLevel: nint,
      reopenCount: int,
    }),
  ),
  nextCursor: nstr,
});

const location = obj({ district: nstr, neighbourhood: nstr, address: nstr, lat: nnum, lng: nnum });
const actor = obj({ kind: e(['STAFF', 'CITIZEN', 'SYSTEM']), id: nstr });
const timelineEntry = obj({ seq: int, type: e(EVENT_TYPES), at: dt, status: e(TICKET_STATUSES), actor, data: freeObject, texts: { type: 'object', additionalProperties: { type: 'string' } } }, ['texts']);
const summary = {
  number: str,
  status: e(TICKET_STATUSES),
  outcome: e(OUTCOMES, true),
  channel: e(CHANNELS),
  type: e(TICKET_TYPES),
  category: str,
  segment: e(SEGMENTS),
  receivedAt: dt,
  resolvedAt: ndt,
  closedAt: ndt,
  reopenCount: int,
  description: str,
  location,
  reopenUntil: ndt,
};
const approval = obj(
  {
    round: int,
    chain: arr(obj({ level: int, approverId: str })),
    level: int,
    levelStartedAt: dt,
    reminderSent: bool,
    escalatedTo: nstr,
    escalated: bool,
    // Who approved each level of this round (separation of duties); absent on rounds from older code.
    approvedBy: arr(obj({ level: int, staffId: str, byEscalation: bool })),
  },
  ['approvedBy'],
  true,
);
const sla = obj({ totalMs: num, consumedMs: num, runningSince: ndt, announced: arr(num), breached: bool, stopped: bool }, [], true);
const legal = obj({ dueAt: dt, warned: bool, missed: bool, stopped: bool }, [], true);

/** The routes under /tickets/:number/ a reader may POST now. */
export const COMMAND_ROUTE_NAMES = Object.keys(COMMAND_ROUTES);

/** StaffTicketView (tickets/ticket-view.mapper.ts), with `actions`. */
export const STAFF_TICKET_VIEW: SchemaObject = obj(
  {
    ...summary,
    id: str,
    language: e(['tr', 'en']),
    requester: obj({ name: str, phone: str, textable: bool }),
    departmentId: nstr,
    assigneeId: nstr,
    approvalLevel: nint,
    approval,
    slaBreached: bool,
    sla,
    legalDeadline: legal,
    round: int,
    workflowStarted: bool,
    lastEventSeq: int,
    timeline: arr(timelineEntry),
    citizenMessages: {
      ...arr(
        obj({
          at: dt,
          channel: e(['SMS', 'WHATSAPP']),
          body: str,
          media: arr(obj({ url: str, contentType: nstr })),
          outcome: e(['PROCESSING', 'CREATED_TICKET', 'ADDED_TO_TICKET', 'ANSWERED_QUESTION']),
        }),
      ),
      description: 'What the citizen wrote over WhatsApp or SMS, oldest first; media by reference (Twilio’s URLs)',
    },
    citizenUnreachable: {
      ...obj({ at: dt, channel: e(['SMS', 'WHATSAPP']), code: int, reason: str, notificationKey: str }, [], true),
      description: 'Set when the provider said the citizen’s number can never be reached: call them instead',
    },
    citizenRating: { ...obj({ rating: int, comment: nstr, ratedAt: dt }, [], true), description: 'The citizen’s satisfaction rating (1–5) from the tracking page' },
    actions: { ...arr(e(COMMAND_ROUTE_NAMES)), description: 'The commands the reader may send now (POST /tickets/:number/<action>), by the domain’s own rules' },
  },
  ['actions'],
);

/** CitizenTicketView: what the citizen (tracking token) reads, and a platform user on a ticket they submitted. */
export const CITIZEN_TICKET_VIEW: SchemaObject = obj({ ...summary, timeline: arr(timelineEntry) });

/** PlatformTicketView: a platform user on a ticket they did not submit (their neighbourhood's, a followed one): no personal data. */
const { description: _description, location: _location, ...publicSummary } = summary;
export const PLATFORM_TICKET_VIEW: SchemaObject = obj({
  ...publicSummary,
  departmentId: nstr,
  location: { ...obj({ district: nstr, neighbourhood: nstr, lat: nnum, lng: nnum }), description: 'No street address; the position rounded to 3 decimals (~100 m)' },
  timeline: { ...arr(timelineEntry), description: 'The citizen-visible steps; texts only where staff wrote a PUBLIC answer' },
});

/** A ticket as the caller may see it: staff the staff view, the citizen the citizen view, platform users the citizen view of their own submissions and the public view of others. */
export const TICKET_VIEW: SchemaObject = { oneOf: [STAFF_TICKET_VIEW, CITIZEN_TICKET_VIEW, PLATFORM_TICKET_VIEW] };

/** CreatedTicket (tickets/intake.service.ts). */
export const CREATED_TICKET: SchemaObject = obj({ number: str, status: str, trackingUrl: str, receivedAt: dt, workflowId: str }, ['trackingUrl']);

/** LinkResent (tickets/tracking-link-resend.service.ts): never the link or its token. */
export const LINK_RESENT: SchemaObject = obj({ number: str, status: e(['SENDING', 'ALREADY_REQUESTED']), to: str, requestedAt: dt, requestedBy: str, notificationKey: str });

export const CATEGORIES: SchemaObject = arr(obj({ code: str, name: str, nameEn: str, institutionId: str, defaultDepartmentId: nstr, slaHours: num }));
export const DEPARTMENTS: SchemaObject = arr(obj({ id: str, name: str, nameEn: str, institutionId: str, institutionName: nstr, assignmentMode: e(['MANUAL', 'LEAST_LOADED']) }));
export const INSTITUTIONS: SchemaObject = arr(obj({ id: str, name: str, nameEn: str, contact: str, description: nstr }));
export const DISTRICTS: SchemaObject = arr(obj({ name: str, neighbourhoods: arr(str) }));
export const EXPERTS: SchemaObject = arr(obj({ id: str, name: str, openTickets: int }));

/** TicketHistory (tickets/ticket-history.service.ts). */
const historyLine = obj({ runId: str, eventId: int, time: ndt, type: str, summary: str });
export const TICKET_HISTORY: SchemaObject = obj({
  workflowId: str,
  runId: str,
  temporalUiUrl: { ...nstr, description: 'The workflow in the Temporal Web UI (TEMPORAL_UI_URL); null when none is configured' },
  runs: arr(obj({ runId: str, timeline: arr(historyLine), history: freeObject })),
  timeline: arr(historyLine),
  history: freeObject,
});

/** The analysis center (analysis/analysis.types.ts). */
const count = obj({ key: nstr, count: int });
const rateView = obj({ base: int, count: int, rate: nnum });
const durationView = obj({ count: int, medianHours: nnum, p90Hours: nnum });
const appliedFilters = obj({ institution: nstr, department: nstr, category: nstr, district: nstr, neighbourhood: nstr, channel: nstr, segment: nstr, type: nstr });
const series = (key: string) => arr(obj({ [key]: str, contacts: int, tickets: int }));
const levelDuration = obj({ level: int, count: int, medianHours: nnum, p90Hours: nnum });
export const ANALYSIS_SUMMARY: SchemaObject = obj({
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
export const ANALYSIS_DEPARTMENT_REPORT: SchemaObject = obj({
  department: obj({ id: str, name: str, nameEn: str, institutionId: str }),
  summary: ANALYSIS_SUMMARY,
  worstCategories: arr(obj({ category: str, tickets: int, breached: int, breachRate: nnum, reopened: int, medianResolutionHours: nnum })),
  oldestOpen: arr(obj({ number: str, status: e(TICKET_STATUSES), category: str, receivedAt: dt, stageSince: ndt, ageDays: int })),
  slowestApprovalLevel: obj({ level: int, count: int, medianHours: nnum, p90Hours: nnum }, [], true),
});
export const ANALYSIS_HOT_SPOTS: SchemaObject = obj({
  week: obj({ from: dt, to: dt }),
  filters: appliedFilters,
  rule: obj({ factor: num, minimum: int, previousWeeks: int }),
  openByPlace: arr(obj({ district: nstr, neighbourhood: nstr, category: str, open: int })),
  surges: arr(obj({ district: nstr, neighbourhood: nstr, thisWeek: int, previousMean: num, topCategory: str, topCategoryCount: int })),
});
