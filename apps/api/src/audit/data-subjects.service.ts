import { Inject, Injectable, Logger } from '@nestjs/common';
import { ATTACHMENT_STORE, deleteRemovedAttachmentObjects, type AttachmentStore } from '../../../../libs/attachments/src';
import { ContactsRepository, PersonalDataRepository } from '../../../../libs/database/src';
import { AttachmentsRepository } from '../../../../libs/database/src/attachments.repository';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { badRequest } from '../common/problem';
import type { ViewOf } from '../common/view-schema';
import { normalizePhone } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';
import type { TextKind } from '../tickets/ticket-text.kinds';
import type { EraseSubjectDto } from './dto/erase-subject.dto';
import type { EraseAnswer, SUBJECT_REPORT } from './audit-views.schema';
import { erasureView } from './erasure.view';
import { assertAuditor } from './ticket-audit.service';

/** GET /audit/subjects: its type is its schema's (audit-views.schema.ts), one source. */
export type SubjectReport = ViewOf<typeof SUBJECT_REPORT>;
export type SubjectTicket = SubjectReport['tickets'][number];
/** A WhatsApp or SMS message the number sent (inbound_messages), with its media links (kept at Twilio, never fetched). */
export type SubjectMessage = SubjectReport['messages'][number];
/** The citizen's own words on their tickets: answers to information requests and reopen reasons (also when staff typed them on the citizen's behalf). */
export type SubjectText = SubjectReport['texts'][number];
/** A rating the citizen gave one of their tickets, with its comment. */
export type SubjectRating = SubjectReport['ratings'][number];
/** A call of the number in the contact log (the center's calls that made no ticket, and those that did). */
export type SubjectContact = SubjectReport['contacts'][number];

/** Text kinds that are the citizen's own words (the other kinds are staff's). */
export const CITIZEN_OWN_TEXT_KINDS = ['CITIZEN_ANSWER', 'REOPEN_REASON'] as const satisfies readonly TextKind[];
export type CitizenOwnTextKind = (typeof CITIZEN_OWN_TEXT_KINDS)[number];

/**
 * KVKK data-subject requests (Law 6698, art. 11): everything Teksin holds about one phone
 * number, and its early erasure. Both for the auditor only; every listing is written to the
 * personal-data read log, every erasure to data_erasures with who and why.
 */
@Injectable()
export class DataSubjectsService {
  private readonly logger = new Logger('DataSubjects');

  constructor(
    private readonly personalData: PersonalDataRepository,
    private readonly contactLog: ContactsRepository,
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
    private readonly attachments: AttachmentsRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
  ) {}

  async report(phoneInput: string | undefined, identity: StaffIdentity, route: string): Promise<SubjectReport> {
    assertAuditor(identity, 'a data-subject report');
    const phone = this.phone(phoneInput);
    const rows = await this.tickets.ofSubject(phone);
    const ids = rows.map((r) => r.id as string);
    const contacts = await this.contactLog.ofCaller(phone);
    // The citizen's messages: those from the number, and those kept on its tickets.
    const messages = await this.timeline.subjectMessages(phone, ids);
    const texts = await this.timeline.subjectTexts(ids, CITIZEN_OWN_TEXT_KINDS);
    const ratings = await this.timeline.subjectRatings(ids);
    const attachments = await this.attachments.ofTickets(ids);
    const reads = [
      ...ids.map((ticketId) => ({ ticketId, contactId: null, fields: ['name', 'phone', 'description', 'address', 'media', 'messages', 'texts', 'ratings', 'attachments'] })),
      ...contacts.map((c) => ({ ticketId: null, contactId: c.id as string, fields: ['phone', 'note'] })),
    ];
    await this.timeline.logReads(reads.map((read) => ({ ...read, readerId: identity.id, route, requestId: null })));
    // The erasures that name this number's tickets (a contact shows its own anonymisedAt: an
    // erasure record keeps no phone number to find it by).
    const erasures = await this.personalData.erasuresOfTickets(ids);
    return {
      phone,
      tickets: rows.map((r) => ({
        number: r.number,
        status: r.status,
        outcome: r.outcome,
        channel: r.channel,
        type: r.type,
        category: r.category,
        receivedAt: iso(r.received_at)!,
        closedAt: iso(r.closed_at),
        anonymisedAt: iso(r.anonymised_at),
        requesterName: r.requester_name,
        description: r.description,
        address: r.address,
        district: r.district,
        neighbourhood: r.neighbourhood,
        mediaUrl: r.media_url,
        attachments: attachments
          .filter((a) => a.ticketId === r.id)
          .map((a) => ({ id: a.id, kind: a.kind, mediaType: a.mediaType, size: a.size, sha256: a.sha256, addedAt: iso(a.addedAt)!, state: a.state, removedAt: iso(a.removedAt) })),
      })),
      contacts: contacts.map((c) => ({
        at: iso(c.at)!,
        channel: c.channel,
        outcome: c.outcome,
        ticketNumber: c.ticket_number,
        note: c.note,
        anonymisedAt: iso(c.anonymised_at),
      })),
      messages: messages.map((m) => ({
        at: iso(m.received_at)!,
        channel: m.channel,
        body: m.body,
        media: (m.media ?? []).map((x: { url: string; contentType?: string | null }) => ({ url: x.url, contentType: x.contentType ?? null })),
        ticketNumber: m.number,
      })),
      texts: texts.map((x) => ({ at: iso(x.created_at)!, ticketNumber: x.number, kind: x.kind, body: x.body, onBehalf: x.author_kind === 'STAFF' })),
      ratings: ratings.map((r) => ({ ratedAt: iso(r.rated_at)!, ticketNumber: r.number, rating: r.rating, comment: r.comment })),
      erasures: erasures.map(erasureView),
    };
  }

  /**
   * Anonymises the closed tickets of the number and its contacts now, with the reason, each recorded. Open tickets are
   * left alone (their processing still needs the citizen's data: KVKK art. 5(2)(c)) and named, so
   * the erasure can be repeated once they close. The erased tickets' attachments are REMOVED by the
   * same statement and their stored files deleted right after (a failure there is left to the
   * orphan sweep, which finishes it: the erasure itself is done and recorded). The body is validated by EraseSubjectDto (phone
   * normalised to E.164, a reason of 10 to 1000 characters).
   */
  async erase(body: EraseSubjectDto, identity: StaffIdentity): Promise<EraseAnswer> {
    assertAuditor(identity, 'a data-subject erasure');
    const erasure = await this.personalData.anonymiseTicketsOfPhone(body.phone, identity.id, body.reason.trim());
    const contactsErasure = await this.personalData.anonymiseContactsOfPhone(body.phone, identity.id, body.reason.trim());
    if (erasure.attachments) {
      await deleteRemovedAttachmentObjects(this.attachments, this.store).catch((error: unknown) =>
        this.logger.warn(`erasure ${erasure.id}: attachment files not all deleted yet; the attachment sweep finishes it: ${String(error)}`),
      );
    }
    return { erasure: erasureView(erasure), contactsErasure: erasureView(contactsErasure), stillOpen: await this.tickets.openNumbersOf(body.phone) };
  }

  private phone(input: unknown): string {
    const phone = normalizePhone(input);
    if (!phone) throw badRequest('phone', 'a phone number (e.g. 0532 123 45 67 or +905321234567)');
    return phone;
  }
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
