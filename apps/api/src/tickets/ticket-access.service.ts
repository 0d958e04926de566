import { Injectable } from '@nestjs/common';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { canOpen, canReach, isPlatformUser, seesFullPhone, seesRequester, type Reader, type TicketAccessFacts, type TicketState } from '../../../../libs/domain/src';
import { ticketNotFound } from './citizen-token';
import { currentRequestId } from '../common/request-id.middleware';
import { maskPhone } from '../common/turkish-phone';
import { toReader, type StaffIdentity } from '../identity/identity';
import type { CitizenTicketView, PlatformTicketView, StaffTicketView } from './ticket-views.schema';

/**
 * What a signed-in reader gets: staff the staff view (masked as their role requires); platform
 * users the citizen-side view of what they submitted, and the public view of anything else.
 */
export type SignedInView = StaffTicketView | CitizenTicketView | PlatformTicketView;

/** The two views a platform user may get, built only when needed. */
export interface PlatformViews {
  /** The submitter's own ticket: the citizen side, their own words included. */
  citizen: () => Promise<CitizenTicketView>;
  /** Anyone else's: no personal data at all. */
  public: () => Promise<PlatformTicketView>;
}

/**
 * Scoped access to one ticket for a signed-in user (OWASP API1): the rules are the domain's
 * (libs/domain/src/ticket.access.ts); this applies them to the projection row, masks what the
 * role may not read, and logs every read of a citizen's personal data (KVKK).
 */
@Injectable()
export class TicketAccess {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
  ) {}

  /** 404 unless the user may open the ticket: for them, a ticket they may not open does not exist. */
  async assertCanOpen(identity: StaffIdentity, ticket: TicketEntity): Promise<Reader> {
    const reader = toReader(identity);
    const facts = await this.factsFor(reader, ticket);
    // Whom the ticket reaches open it without looking further; otherwise, whether their own commands are in its history.
    if (!canReach(reader, facts) && !canOpen(reader, { ...facts, actorIds: (await this.timeline.hasActor(ticket.id, reader.id)) ? [reader.id] : [] })) {
      throw ticketNotFound(ticket.number);
    }
    return reader;
  }

  /**
   * 404 unless the user reaches the ticket (libs/domain `canReach`): the gate of a command, with the
   * caller's following already read (the command's access read brings it along). Having acted on it
   * keeps it readable, not commandable: a ticket out of reach does not exist for commands.
   */
  assertCanReachKnowing(identity: StaffIdentity, ticket: TicketEntity, followerIds: string[]): Reader {
    const reader = toReader(identity);
    if (!canReach(reader, facts(ticket, followerIds))) throw ticketNotFound(ticket.number);
    return reader;
  }

  /** Whether the reader reaches the ticket (may send it commands), not only reads it. */
  async reaches(reader: Reader, ticket: TicketEntity): Promise<boolean> {
    return canReach(reader, await this.factsFor(reader, ticket));
  }

  /**
   * Narrows a full staff view to what the reader may see, and records which personal data they
   * read. A platform user reads a citizen's words only on a ticket they submitted themselves
   * (libs/domain `seesRequester`); a neighbourhood's or a followed ticket is the public view,
   * which holds no personal data and so is not logged.
   */
  async present(reader: Reader, ticket: TicketEntity, view: StaffTicketView, platform: PlatformViews, route: string): Promise<SignedInView> {
    const shown = await this.narrow(reader, ticket, view, platform);
    const fields = this.personalFields(reader, ticket);
    if (fields) await this.logRead(reader, ticket, fields, route);
    return shown;
  }

  /** `present` without the log: for a caller who wrote the read log entry in a statement of its own (a command's answer). */
  async narrow(reader: Reader, ticket: TicketEntity, view: StaffTicketView, platform: PlatformViews): Promise<SignedInView> {
    if (isPlatformUser(reader)) return seesRequester(reader, ticket) ? platform.citizen() : platform.public();
    return seesFullPhone(reader, ticket) ? view : { ...view, requester: { ...view.requester, phone: maskPhone(view.requester.phone) } };
  }

  /** The personal data the reader's view of the ticket shows (what the read log records); null for a view without any. */
  personalFields(reader: Reader, ticket: TicketEntity): string[] | null {
    const address = ticket.address ? ['address'] : [];
    if (isPlatformUser(reader)) return seesRequester(reader, ticket) ? ['description', ...address] : null;
    return ['name', ...(seesFullPhone(reader, ticket) ? ['phone'] : []), 'description', ...address];
  }

  /** The access facts of the ticket for this reader: following matters only to platform users, so only they cost a look-up. */
  private async factsFor(reader: Reader, ticket: TicketEntity): Promise<Omit<TicketAccessFacts, 'actorIds'>> {
    return facts(ticket, isPlatformUser(reader) ? await this.tickets.followerIdsOf(ticket.id, reader.id) : []);
  }

  private async logRead(reader: Reader, ticket: TicketEntity, fields: string[], route: string): Promise<void> {
    await this.timeline.logRead(ticket.id, { readerId: reader.id, fields, route, requestId: currentRequestId() ?? null });
  }
}

/** What the access rules need of a ticket: its row, and who of the caller's ids follow it (whether the reader acted on it is asked only when needed). */
function facts(ticket: TicketEntity, followerIds: string[]): Omit<TicketAccessFacts, 'actorIds'> {
  const approval = (ticket.workflowView as Partial<TicketState> | null)?.approval;
  return {
    departmentId: ticket.departmentId,
    assigneeId: ticket.assigneeId,
    approverIds: approval?.chain.map((step) => step.approverId) ?? [],
    district: ticket.district,
    neighbourhood: ticket.neighbourhood,
    submittedBy: ticket.submittedBy,
    followerIds,
  };
}
