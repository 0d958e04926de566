import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { TicketEntity, TicketEventEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { notFound, unauthorized } from '../common/problem';

/** Who is reading: staff see everything; the citizen (tracking token) their own ticket; others the bare status. */
export type Viewer = 'STAFF' | 'CITIZEN' | 'PUBLIC';

/** Event types a citizen sees on the tracking page (internal steps stay internal). */
const CITIZEN_EVENTS = new Set([
  'RECEIVED',
  'DEPARTMENT_ASSIGNED',
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
]);
/** Text references a citizen may read. */
const CITIZEN_TEXT_KINDS = new Set(['ANSWER', 'QUESTION', 'CITIZEN_ANSWER', 'SUMMARY', 'REOPEN_REASON', 'NOTE_CITIZEN']);

export interface TimelineEntry {
  seq: number;
  type: string;
  at: string;
  status: string;
  actor: { kind: string; id: string | null };
  data: Record<string, unknown>;
  /** The free text behind the event's *Ref fields, resolved for readers allowed to see it. */
  texts?: Record<string, string>;
}

export const tokensMatch = (expected: string, given: string | undefined): boolean => {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Reads tickets from the PostgreSQL projection (rows written by the workflow's activities). */
@Injectable()
export class TicketQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async findRow(number: string): Promise<TicketEntity> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOneBy({ number });
    if (!ticket) throw notFound(`ticket ${number}`);
    return ticket;
  }

  /** 401 unless the token is this ticket's tracking token. */
  async findForCitizen(number: string, token: string | undefined): Promise<TicketEntity> {
    const ticket = await this.findRow(number);
    if (!tokensMatch(ticket.trackingToken, token)) throw unauthorized('a valid tracking token is required (X-Tracking-Token)');
    return ticket;
  }

  async view(number: string, viewer: Viewer, row?: TicketEntity): Promise<Record<string, unknown>> {
    const ticket = row ?? (await this.findRow(number));
    const timeline = viewer === 'PUBLIC' ? [] : await this.timeline(ticket, viewer);
    const base = {
      number: ticket.number,
      status: ticket.status,
      outcome: ticket.outcome,
      channel: ticket.channel,
      type: ticket.type,
      category: ticket.category,
      segment: ticket.segment,
      receivedAt: ticket.receivedAt.toISOString(),
      resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
      closedAt: ticket.closedAt?.toISOString() ?? null,
      reopenCount: ticket.reopenCount,
    };
    if (viewer === 'PUBLIC') return base;
    const view = (ticket.workflowView ?? {}) as Record<string, any>;
    const citizen = {
      ...base,
      description: ticket.description,
      location: { district: ticket.district, neighbourhood: ticket.neighbourhood, address: ticket.address, lat: ticket.lat, lng: ticket.lng },
      reopenUntil: view.reopenUntil ?? null,
      timeline,
    };
    if (viewer === 'CITIZEN') return citizen;
    return {
      ...citizen,
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
    };
  }

  async timeline(ticket: TicketEntity, viewer: Exclude<Viewer, 'PUBLIC'>): Promise<TimelineEntry[]> {
    const events = await this.dataSource.getRepository(TicketEventEntity).find({ where: { ticketId: ticket.id }, order: { seq: 'ASC' } });
    const refs = events.flatMap((e) => Object.entries(e.data).filter(([k, v]) => k.endsWith('Ref') && typeof v === 'string').map(([, v]) => v as string));
    const texts = refs.length ? await this.dataSource.getRepository(TicketTextEntity).findBy({ id: In(refs) }) : [];
    const byId = new Map(texts.map((t) => [t.id, t]));

    return events
      .filter((e) => viewer === 'STAFF' || (CITIZEN_EVENTS.has(e.type) && (e.type !== 'NOTE_ADDED' || e.data.visibility === 'CITIZEN')))
      .map((e) => {
        const resolved: Record<string, string> = {};
        for (const [key, value] of Object.entries(e.data)) {
          const text = key.endsWith('Ref') && typeof value === 'string' ? byId.get(value) : undefined;
          if (text && (viewer === 'STAFF' || CITIZEN_TEXT_KINDS.has(text.kind))) resolved[key.slice(0, -3)] = text.body;
        }
        const actor = viewer === 'STAFF' ? { kind: e.actorKind, id: e.actorId } : { kind: e.actorKind, id: null };
        return {
          seq: e.seq,
          type: e.type,
          at: e.at.toISOString(),
          status: e.status,
          actor,
          data: viewer === 'STAFF' ? e.data : publicData(e.data),
          ...(Object.keys(resolved).length ? { texts: resolved } : {}),
        };
      });
  }
}

/** What of an event's data a citizen sees: no staff ids, no internal references. */
function publicData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['institutionId', 'reason', 'survivor', 'outcome', 'round', 'category']) {
    if (key in data) out[key] = data[key];
  }
  return out;
}
