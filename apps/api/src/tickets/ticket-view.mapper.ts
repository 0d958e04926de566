import type { AttachmentKind, TicketEventType, TicketState, TicketStatus } from '../../../../libs/domain/src';
import type { InboundMessageEntity, TicketEntity, TicketEventEntity, TicketRatingEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { publicCoordinate } from '../common/public-place';
import { CITIZEN_TEXT_KINDS, PUBLIC_TEXT_KINDS, type TextKind } from './ticket-text.kinds';
import type { CitizenTicketView, PlatformTicketView, StaffTicketView } from './ticket-views.schema';

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

// The views' types are their schemas' (ticket-views.schema.ts): one source for the document and the code.
/** The non-personal facts every view starts with (on its own it is shown to nobody). */
type TicketSummary = Omit<PlatformTicketView, 'departmentId' | 'location' | 'reopenUntil' | 'timeline'>;
type CitizenTimelineEntry = CitizenTicketView['timeline'][number];

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
      // From the timeline already read: no statement of its own.
      attachments: source.events
        .filter((e) => e.type === 'ATTACHED')
        .map((e) => ({
          id: String(e.data.attachmentId),
          kind: e.data.kind as AttachmentKind,
          sha256: String(e.data.sha256),
          addedAt: e.at.toISOString(),
          addedBy: { kind: e.actorKind, id: e.actorId },
        })),
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
