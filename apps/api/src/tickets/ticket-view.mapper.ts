import type { ApprovalRound, Channel, LegalClock, Outcome, Segment, SlaClock, TicketEventType, TicketState, TicketStatus, TicketType } from '../../../../libs/domain/src';
import type { CitizenUnreachable, InboundMedia, InboundMessageEntity, InboundOutcome, TicketEntity, TicketEventEntity, TicketRatingEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { publicCoordinate } from '../common/public-place';
import { CITIZEN_TEXT_KINDS, PUBLIC_TEXT_KINDS, type TextKind } from './ticket-text.kinds';

/**
 * Events a citizen sees on their ticket (internal steps — expert assignment, approvals,
 * clocks — stay internal). A subset of the domain's event types: renaming one there fails
 * to compile here and in every label table keyed by it.
 */
export const CITIZEN_EVENT_TYPES = [
  'RECEIVED',
  'DEPARTMENT_ASSIGNED',
  'DEPARTMENT_REASSIGNED',
  'REFERRED',
  'REJECTED',
  'MERGED_INTO',
  'ANSWERED_DIRECTLY',
  'CITIZEN_INFO_REQUESTED',
  'CITIZEN_INFO_PROVIDED',
  'NOTE_ADDED',
  'FINALIZED',
  'REOPENED',
  'WITHDRAWN',
  'CLOSED',
] as const satisfies readonly TicketEventType[];
export type CitizenEventType = (typeof CITIZEN_EVENT_TYPES)[number];

/** What of an event's data a citizen sees: no staff ids, no internal references. */
const CITIZEN_DATA_KEYS = ['institutionId', 'reason', 'survivor', 'outcome', 'round', 'category', 'onBehalfOfCitizen', 'via'] as const;
type CitizenDataKey = (typeof CITIZEN_DATA_KEYS)[number];

/** The non-personal facts every view starts with (on its own it is shown to nobody). */
export interface TicketSummary {
  number: string;
  status: TicketStatus;
  outcome: Outcome | null;
  channel: Channel;
  type: TicketType;
  category: string;
  segment: Segment;
  receivedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
}

export interface TicketLocation {
  district: string | null;
  neighbourhood: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
}

export interface CitizenTimelineEntry {
  seq: number;
  type: CitizenEventType;
  at: string;
  status: TicketStatus;
  actor: { kind: TicketEventEntity['actorKind']; id: null };
  data: Partial<Record<CitizenDataKey, unknown>>;
  /** The citizen-facing texts behind the event's *Ref fields (answer, question, summary…). */
  texts?: Record<string, string>;
}

/** The citizen with the ticket's tracking token: their request, its citizen-visible timeline. */
export interface CitizenTicketView extends TicketSummary {
  description: string;
  location: TicketLocation;
  reopenUntil: string | null;
  timeline: CitizenTimelineEntry[];
}

/** A place as the public sees it: the district and neighbourhood, the position rounded (~100 m); never the street address. */
export interface PublicLocation {
  district: string | null;
  neighbourhood: string | null;
  lat: number | null;
  lng: number | null;
}

/**
 * A platform user (muhtar, tradesperson, council member) on a ticket they did not submit — their
 * neighbourhood's, one they follow (libs/domain `seesRequester`): its status and steps, category,
 * place, dates, department and public answers. Not the requester, the description, the address,
 * the exact position, the citizen's own texts, answers written to the citizen alone, notes or
 * staff ids.
 */
export interface PlatformTicketView extends TicketSummary {
  departmentId: string | null;
  location: PublicLocation;
  reopenUntil: string | null;
  /** The citizen-visible steps; `texts` only where staff wrote a PUBLIC answer. */
  timeline: CitizenTimelineEntry[];
}

export interface StaffTimelineEntry {
  seq: number;
  type: TicketEventType;
  at: string;
  status: TicketStatus;
  actor: { kind: TicketEventEntity['actorKind']; id: string | null };
  data: Record<string, unknown>;
  /** Every text behind the event's *Ref fields. */
  texts?: Record<string, string>;
}

/** Staff: everything, including the requester, the clocks and the full timeline. */
export interface StaffTicketView extends Omit<CitizenTicketView, 'timeline'> {
  id: string;
  language: 'tr' | 'en';
  /** `textable`: whether the phone can receive SMS (a Turkish mobile); a landline caller gets no texts. */
  requester: { name: string; phone: string; textable: boolean };
  departmentId: string | null;
  assigneeId: string | null;
  approvalLevel: number | null;
  approval: ApprovalRound | null;
  slaBreached: boolean;
  sla: SlaClock | null;
  legalDeadline: LegalClock | null;
  round: number;
  workflowStarted: boolean;
  lastEventSeq: number;
  timeline: StaffTimelineEntry[];
  /** The commands (route names under /tickets/:number/) the reader may send now; only in a signed-in read. */
  actions?: string[];
  /** What the citizen wrote over WhatsApp or SMS, oldest first; media by reference (Twilio's URLs). */
  citizenMessages: CitizenMessage[];
  /** Set when the provider said the citizen's number can never be reached ("citizen could not be reached by SMS"): call them instead. */
  citizenUnreachable: CitizenUnreachable | null;
  /** The citizen's satisfaction rating from the tracking page (1–5), once, after resolution. */
  citizenRating: { rating: number; comment: string | null; ratedAt: string } | null;
  /** The name of each staff member the view names by id (assignee, approvers, timeline actors, ids in event data): a console shows people by name. */
  staffNames: Record<string, string>;
}

export interface CitizenMessage {
  at: string;
  channel: 'SMS' | 'WHATSAPP';
  body: string;
  media: InboundMedia[];
  /** CREATED_TICKET (the message the ticket was made from), ADDED_TO_TICKET, ANSWERED_QUESTION (sent as the citizen's answer). */
  outcome: InboundOutcome;
}

/** Who reads: staff, or the citizen with the ticket's tracking token (platform users: see PlatformTicketView). */
export type Viewer = 'STAFF' | 'CITIZEN';
export type TicketViewFor<V extends Viewer> = V extends 'STAFF' ? StaffTicketView : CitizenTicketView;

/** What a timeline is built from: the ticket's events, and the texts their *Ref fields name. */
export interface TimelineSource {
  events: TicketEventEntity[];
  texts: TicketTextEntity[];
  /** The citizen's inbound messages on this ticket (staff view only). */
  messages?: InboundMessageEntity[];
  rating?: TicketRatingEntity | null;
  /** Staff names by id (staff view only). */
  staffNames?: Record<string, string>;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** The one mapper from the projection's rows to the typed views. Pure: the query service loads, this shapes. */
export const TicketViewMapper = {
  toCitizen(ticket: TicketEntity, source: TimelineSource): CitizenTicketView {
    return { ...citizenPart(ticket), timeline: citizenTimeline(source, CITIZEN_TEXT_KINDS) };
  },

  toPlatform(ticket: TicketEntity, source: TimelineSource): PlatformTicketView {
    const view = (ticket.workflowView ?? {}) as Partial<TicketState>;
    return {
      ...summary(ticket),
      departmentId: ticket.departmentId,
      location: { district: ticket.district, neighbourhood: ticket.neighbourhood, lat: publicCoordinate(ticket.lat), lng: publicCoordinate(ticket.lng) },
      reopenUntil: view.reopenUntil ?? null,
      timeline: citizenTimeline(source, PUBLIC_TEXT_KINDS),
    };
  },

  toStaff(ticket: TicketEntity, source: TimelineSource): StaffTicketView {
    const texts = textsById(source.texts);
    const view = (ticket.workflowView ?? {}) as Partial<TicketState>;
    return {
      ...citizenPart(ticket),
      id: ticket.id,
      language: ticket.language,
      requester: { name: ticket.requesterName, phone: ticket.requesterPhone, textable: ticket.requesterTextable },
      departmentId: ticket.departmentId,
      assigneeId: ticket.assigneeId,
      approvalLevel: ticket.approvalLevel,
      approval: view.approval ?? null,
      slaBreached: ticket.slaBreached,
      sla: view.sla ?? null,
      legalDeadline: view.legal ?? null,
      round: view.round ?? 1,
      workflowStarted: ticket.workflowStartedAt !== null,
      lastEventSeq: ticket.lastEventSeq,
      timeline: source.events.map((e) => ({
        seq: e.seq,
        type: e.type as TicketEventType,
        at: e.at.toISOString(),
        status: e.status as TicketStatus,
        actor: { kind: e.actorKind, id: e.actorId },
        data: e.data,
        ...resolvedTexts(e.data, texts, () => true),
      })),
      citizenMessages: (source.messages ?? []).map((m) => ({ at: m.receivedAt.toISOString(), channel: m.channel, body: m.body, media: m.media, outcome: m.outcome })),
      citizenUnreachable: ticket.citizenUnreachable ?? null,
      citizenRating: source.rating ? { rating: source.rating.rating, comment: source.rating.comment, ratedAt: source.rating.ratedAt.toISOString() } : null,
      staffNames: source.staffNames ?? {},
    };
  },
};

/** The *Ref values of events: the ids of the texts a timeline needs. */
export const textRefs = (events: TicketEventEntity[]): string[] =>
  events.flatMap((e) => Object.entries(e.data).flatMap(([key, value]) => (key.endsWith('Ref') && typeof value === 'string' ? [value] : [])));

function summary(ticket: TicketEntity): TicketSummary {
  return {
    number: ticket.number,
    status: ticket.status,
    outcome: ticket.outcome,
    channel: ticket.channel,
    type: ticket.type,
    category: ticket.category,
    segment: ticket.segment,
    receivedAt: ticket.receivedAt.toISOString(),
    resolvedAt: iso(ticket.resolvedAt),
    closedAt: iso(ticket.closedAt),
    reopenCount: ticket.reopenCount,
  };
}

function citizenPart(ticket: TicketEntity): Omit<CitizenTicketView, 'timeline'> {
  const view = (ticket.workflowView ?? {}) as Partial<TicketState>;
  return {
    ...summary(ticket),
    description: ticket.description,
    location: { district: ticket.district, neighbourhood: ticket.neighbourhood, address: ticket.address, lat: ticket.lat, lng: ticket.lng },
    reopenUntil: view.reopenUntil ?? null,
  };
}

/** The citizen-visible events, with the texts of the kinds given. */
function citizenTimeline(source: TimelineSource, kinds: readonly TextKind[]): CitizenTimelineEntry[] {
  const texts = textsById(source.texts);
  return source.events.filter(isCitizenEvent).map((e) => ({
    seq: e.seq,
    type: e.type,
    at: e.at.toISOString(),
    status: e.status as TicketStatus,
    actor: { kind: e.actorKind, id: null },
    data: pick(e.data, CITIZEN_DATA_KEYS),
    ...resolvedTexts(e.data, texts, (kind) => kinds.includes(kind)),
  }));
}

function isCitizenEvent(event: TicketEventEntity): event is TicketEventEntity & { type: CitizenEventType } {
  if (!(CITIZEN_EVENT_TYPES as readonly string[]).includes(event.type)) return false;
  return event.type !== 'NOTE_ADDED' || event.data.visibility === 'CITIZEN';
}

const textsById = (texts: TicketTextEntity[]) => new Map(texts.map((t) => [t.id, t]));

/** `{ texts: { note: '…' } }` for the event's *Ref fields the reader may see, or nothing. */
function resolvedTexts(data: Record<string, unknown>, texts: Map<string, TicketTextEntity>, visible: (kind: TextKind) => boolean): { texts?: Record<string, string> } {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    const text = key.endsWith('Ref') && typeof value === 'string' ? texts.get(value) : undefined;
    if (text && visible(text.kind as TextKind)) resolved[key.slice(0, -3)] = text.body;
  }
  return Object.keys(resolved).length ? { texts: resolved } : {};
}

function pick<K extends string>(data: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) if (key in data) out[key] = data[key];
  return out;
}
