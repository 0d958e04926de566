import { CHANNELS, EVENT_TYPES, OUTCOMES, SEGMENTS, TICKET_STATUSES, TICKET_TYPES } from '../../../../libs/domain/src';
import { arr, bool, described, dt, e, freeObject, int, ndt, nint, nnum, nstr, nullable, num, obj, oneOf, record, str, type ViewOf, type Conforms } from '../common/view-schema';
import type { CreatedTicket } from './intake.service';
import { ACTOR_KINDS, TIMELINE_KINDS } from './history-timeline';
import { COMMAND_ROUTES } from './ticket-command.table';
import type { CitizenTicketView, PlatformTicketView, StaffTicketView } from './ticket-view.mapper';
import type { LinkResent } from './tracking-link-resend.service';

/**
 * The ticket views (ticket-view.mapper.ts) and the other answers of /tickets, as JSON Schemas for
 * the OpenAPI document; the console's client is generated from them (npm run console:api-types).
 */
const location = obj({ district: nstr, neighbourhood: nstr, address: nstr, lat: nnum, lng: nnum });
const actor = obj({ kind: e(['STAFF', 'CITIZEN', 'SYSTEM']), id: nstr });
const timelineEntry = obj({ seq: int, type: e(EVENT_TYPES), at: dt, status: e(TICKET_STATUSES), actor, data: freeObject, texts: record(str) }, ['texts']);
const summary = {
  number: str,
  status: e(TICKET_STATUSES),
  outcome: nullable(e(OUTCOMES)),
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
const approval = nullable(
  obj(
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
  ),
);
const sla = nullable(obj({ totalMs: num, consumedMs: num, runningSince: ndt, announced: arr(num), breached: bool, stopped: bool }));
const legal = nullable(obj({ dueAt: dt, warned: bool, missed: bool, stopped: bool }));

/** The routes under /tickets/:number/ a reader may POST now. */
export const COMMAND_ROUTE_NAMES = Object.keys(COMMAND_ROUTES);

/** StaffTicketView (ticket-view.mapper.ts), with `actions`. */
export const STAFF_TICKET_VIEW = obj(
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
    citizenMessages: described(
      arr(
        obj({
          at: dt,
          channel: e(['SMS', 'WHATSAPP']),
          body: str,
          media: arr(obj({ url: str, contentType: nstr })),
          outcome: e(['PROCESSING', 'CREATED_TICKET', 'ADDED_TO_TICKET', 'ANSWERED_QUESTION']),
        }),
      ),
      'What the citizen wrote over WhatsApp or SMS, oldest first; media by reference (Twilio’s URLs)',
    ),
    citizenUnreachable: described(
      nullable(obj({ at: dt, channel: e(['SMS', 'WHATSAPP']), code: int, reason: str, notificationKey: str })),
      'Set when the provider said the citizen’s number can never be reached: call them instead',
    ),
    citizenRating: described(nullable(obj({ rating: int, comment: nstr, ratedAt: dt })), 'The citizen’s satisfaction rating (1–5) from the tracking page'),
    staffNames: described(record(str), 'The name of every staff member the view names by id (assignee, approvers, timeline actors and the ids in event data), by id'),
    actions: described(arr(e(COMMAND_ROUTE_NAMES)), 'The commands the reader may send now (POST /tickets/:number/<action>), by the domain’s own rules'),
  },
  ['actions'],
);

/** CitizenTicketView: what the citizen (tracking token) reads, and a platform user on a ticket they submitted. */
export const CITIZEN_TICKET_VIEW = obj({ ...summary, timeline: arr(timelineEntry) });

/** PlatformTicketView: a platform user on a ticket they did not submit (their neighbourhood's, a followed one): no personal data. */
const { description: _description, location: _location, ...publicSummary } = summary;
export const PLATFORM_TICKET_VIEW = obj({
  ...publicSummary,
  departmentId: nstr,
  location: described(obj({ district: nstr, neighbourhood: nstr, lat: nnum, lng: nnum }), 'No street address; the position rounded to 3 decimals (~100 m)'),
  timeline: described(arr(timelineEntry), 'The citizen-visible steps; texts only where staff wrote a PUBLIC answer'),
});

/** A ticket as the caller may see it: staff the staff view, the citizen the citizen view, platform users the citizen view of their own submissions and the public view of others. */
export const TICKET_VIEW = oneOf(STAFF_TICKET_VIEW, CITIZEN_TICKET_VIEW, PLATFORM_TICKET_VIEW);

/** CreatedTicket (intake.service.ts). */
export const CREATED_TICKET = obj({ number: str, status: str, trackingUrl: str, receivedAt: dt, workflowId: str }, ['trackingUrl']);

/** LinkResent (tracking-link-resend.service.ts): never the link or its token. */
export const LINK_RESENT = obj({ number: str, status: e(['SENDING', 'ALREADY_REQUESTED']), to: str, requestedAt: dt, requestedBy: str, notificationKey: str });

/** TicketHistory (ticket-history.service.ts). */
const historyLine = obj({
  runId: str,
  eventId: described(int, 'The event’s id in its run: its raw JSON is the event of that id in the run’s `history.events`'),
  time: ndt,
  type: described(str, 'Temporal’s event type without EVENT_TYPE_'),
  summary: described(str, 'One English line (the console words `kind` in its own language)'),
  kind: described(e(TIMELINE_KINDS), 'What happened, one kind per sentence; ENGINE_STEP is the engine’s own bookkeeping (workflow tasks, markers, search attributes)'),
  command: described(nstr, 'The Update (command) on COMMAND_* lines: approve, assignDepartment…; the signal on SIGNAL_SENT'),
  actor: described(nullable(obj({ kind: e(ACTOR_KINDS), id: nstr, name: described(nstr, 'The staff member’s name') })), 'Who sent the command (COMMAND_* lines)'),
  activity: described(nstr, 'The activity type on ACTIVITY_* and LOCAL_ACTIVITY lines'),
  durationMs: described(nint, 'A timer’s duration (TIMER_* lines)'),
  detail: described(nstr, 'The signal’s name (SIGNAL), the signalled workflow (SIGNAL_SENT), a failure’s message (*_FAILED, COMMAND_REFUSED), the previous run (WORKFLOW_STARTED of a continued run)'),
});
export const TICKET_HISTORY = obj({
  workflowId: str,
  runId: str,
  temporalUiUrl: described(nstr, 'The workflow in the Temporal Web UI (TEMPORAL_UI_URL); null when none is configured'),
  runs: arr(obj({ runId: str, timeline: arr(historyLine), history: freeObject })),
  timeline: arr(historyLine),
  history: freeObject,
});

/** POST /tickets/:number/followers. */
export const FOLLOWING = obj({ number: str, userId: str, following: bool });
export type Following = ViewOf<typeof FOLLOWING>;

/** GET /tickets/:number/live: the workflow's own state (the getTicket Query) for staff; a platform user the view GET /tickets/:number gives them. */
export const TICKET_LIVE = described(freeObject, 'The ticket workflow’s state as its getTicket Query answers (workflows/), or for a platform user their view of GET /tickets/:number');

// The mapper's and services' interfaces, checked against the schemas by the compiler.
type _Staff = Conforms<StaffTicketView, ViewOf<typeof STAFF_TICKET_VIEW>>;
type _Citizen = Conforms<CitizenTicketView, ViewOf<typeof CITIZEN_TICKET_VIEW>>;
type _Platform = Conforms<PlatformTicketView, ViewOf<typeof PLATFORM_TICKET_VIEW>>;
type _Created = Conforms<CreatedTicket, ViewOf<typeof CREATED_TICKET>>;
type _LinkResent = Conforms<LinkResent, ViewOf<typeof LINK_RESENT>>;
