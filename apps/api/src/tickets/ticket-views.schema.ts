import { ATTACHMENT_KINDS, CHANNELS, EVENT_TYPES, OUTCOMES, SEGMENTS, TICKET_STATUSES, TICKET_TYPES } from '../../../../libs/domain/src';
import { arr, bool, described, dt, e, freeObject, int, ndt, nint, nnum, nstr, nullable, num, obj, oneOf, record, str, type ViewOf } from '../common/view-schema';
import { ACTOR_KINDS, TIMELINE_KINDS } from './history-timeline';
import { COMMAND_ROUTES } from './ticket-command.table';
import { CITIZEN_EVENT_TYPES } from './ticket-view.mapper';

/**
 * The ticket views (built by ticket-view.mapper.ts) and the other answers of /tickets, as JSON
 * Schemas for the OpenAPI document; the console's client is generated from them (npm run
 * console:api-types) and the server's types are derived from them (`ViewOf`): one source.
 */
const location = obj({ district: nstr, neighbourhood: nstr, address: nstr, lat: nnum, lng: nnum });
const actor = obj({ kind: e(['STAFF', 'CITIZEN', 'SYSTEM']), id: nstr });
const texts = described(record(str), 'The texts behind the event’s *Ref fields the reader may see (answer, question, summary…), by the field’s name without Ref');
const timelineEntry = obj({ seq: int, type: e(EVENT_TYPES), at: dt, status: e(TICKET_STATUSES), actor, data: freeObject, texts }, ['texts']);
/** The citizen-visible steps: only the events a citizen sees, no staff id (`actor.id` null), only the citizen's keys of `data`. */
const citizenTimelineEntry = obj({ seq: int, type: e(CITIZEN_EVENT_TYPES), at: dt, status: e(TICKET_STATUSES), actor, data: freeObject, texts }, ['texts']);
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

/** The staff view (TicketViewMapper.toStaff), with `actions` in a signed-in read. */
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
    attachments: described(
      arr(obj({ id: str, kind: e(ATTACHMENT_KINDS), sha256: str, addedAt: dt, addedBy: actor })),
      'The files recorded on the ticket (its ATTACHED events), oldest first: an approver sees the expert’s BEFORE/AFTER photos beside the resolution. Their type, size and file URLs: GET /tickets/:number/attachments',
    ),
    actions: described(arr(e(COMMAND_ROUTE_NAMES)), 'The commands the reader may send now (POST /tickets/:number/<action>), by the domain’s own rules'),
    attachKinds: described(arr(e(ATTACHMENT_KINDS)), 'The kinds of file the reader may attach now (POST /tickets/:number/attachments), by the domain’s own rules'),
  },
  ['actions', 'attachKinds'],
);

/** CitizenTicketView: what the citizen (tracking token) reads, and a platform user on a ticket they submitted. */
export const CITIZEN_TICKET_VIEW = obj({ ...summary, timeline: arr(citizenTimelineEntry) });

/** PlatformTicketView: a platform user on a ticket they did not submit (their neighbourhood's, a followed one): no personal data. */
const { description: _description, location: _location, ...publicSummary } = summary;
export const PLATFORM_TICKET_VIEW = obj({
  ...publicSummary,
  departmentId: nstr,
  location: described(obj({ district: nstr, neighbourhood: nstr, lat: nnum, lng: nnum }), 'No street address; the position rounded to 3 decimals (~100 m)'),
  timeline: described(arr(citizenTimelineEntry), 'The citizen-visible steps; texts only where staff wrote a PUBLIC answer'),
});

/** A ticket as the caller may see it: staff the staff view, the citizen the citizen view, platform users the citizen view of their own submissions and the public view of others. */
export const TICKET_VIEW = oneOf(STAFF_TICKET_VIEW, CITIZEN_TICKET_VIEW, PLATFORM_TICKET_VIEW);

/** The answer of POST /tickets (intake.service.ts). */
export const CREATED_TICKET = obj(
  {
    number: str,
    status: str,
    // The link carries the citizen's own rights (rate, answer the closure check, reopen, withdraw): it goes to the requester's number by SMS only.
    trackingUrl: described(str, 'The citizen’s tracking link (with its token), for an anonymous caller only; a signed-in caller never gets it (re-sent by SMS with POST /tickets/:number/resend-link)'),
    receivedAt: dt,
    workflowId: str,
  },
  ['trackingUrl'],
);

/** The answer of POST /tickets/:number/resend-link (tracking-link-resend.service.ts): never the link or its token. */
export const LINK_RESENT = obj({
  number: str,
  status: described(e(['SENDING', 'ALREADY_REQUESTED']), 'SENDING: this request asked for the SMS; ALREADY_REQUESTED: a re-send within LINK_RESEND_WINDOW did, and it is the one that goes'),
  to: described(str, 'The number on file, masked (the SMS goes there and nowhere else)'),
  requestedAt: dt,
  requestedBy: described(str, 'The staff id of who asked for the re-send that goes'),
  requestedByName: described(nstr, 'Their name, as the console shows it (null: the account no longer exists)'),
  notificationKey: described(str, 'The outbox row’s key: ticket-<number>:LINK_RESENT:<re-send id>'),
});

/** One line of a ticket's engine history read as a timeline (history-timeline.ts). */
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
/** GET /tickets/:number/history (ticket-history.service.ts): the legal record, every run oldest first. */
export const TICKET_HISTORY = obj({
  workflowId: str,
  runId: str,
  temporalUiUrl: described(nstr, 'The workflow in the Temporal Web UI (TEMPORAL_UI_URL); null when none is configured'),
  runs: described(arr(obj({ runId: str, timeline: arr(historyLine), history: freeObject })), 'Every run, oldest first (several when the ticket continued as new)'),
  timeline: described(arr(historyLine), 'The readable timeline of all runs'),
  history: described(freeObject, 'The current run’s replayable history (`temporal workflow show --output json` format)'),
});

/** POST /tickets/:number/followers. */
export const FOLLOWING = obj({ number: str, userId: str, following: bool });
export type Following = ViewOf<typeof FOLLOWING>;

/** GET /tickets/:number/live: the workflow's own state (the getTicket Query) for staff; a platform user the view GET /tickets/:number gives them. */
export const TICKET_LIVE = described(freeObject, 'The ticket workflow’s state as its getTicket Query answers (workflows/), or for a platform user their view of GET /tickets/:number');

export type StaffTicketView = ViewOf<typeof STAFF_TICKET_VIEW>;
export type CitizenTicketView = ViewOf<typeof CITIZEN_TICKET_VIEW>;
export type PlatformTicketView = ViewOf<typeof PLATFORM_TICKET_VIEW>;
export type CreatedTicket = ViewOf<typeof CREATED_TICKET>;
export type LinkResent = ViewOf<typeof LINK_RESENT>;
export type HistoryLine = ViewOf<typeof historyLine>;
export type TicketHistory = ViewOf<typeof TICKET_HISTORY>;
