import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { anonymiseContactsOfPhone, anonymiseTicketsOfPhone, ContactsRepository, ERASURE_COLUMNS, PiiReadEntity, toErasureRecord } from '../../../../libs/database/src';
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
  constructor(
    private readonly db: DataSource,
    private readonly contactLog: ContactsRepository,
  ) {}

  async report(phoneInput: string | undefined, identity: StaffIdentity, route: string): Promise<SubjectReport> {
    assertAuditor(identity, 'a data-subject report');
    const phone = this.phone(phoneInput);
    const rows: Record<string, any>[] = await this.db.query(
      `SELECT id, number, status, outcome, channel, type, category, received_at, closed_at, anonymised_at,
              requester_name, description, address, district, neighbourhood, media_url
         FROM tickets WHERE requester_phone = $1 ORDER BY received_at, id`,
      [phone],
    );
    const ids = rows.map((r) => r.id as string);
    const contacts = await this.contactLog.ofCaller(phone);
    // The citizen's messages: those from the number, and those kept on its tickets.
    const messages: Record<string, any>[] = await this.db.query(
      `SELECT m.received_at, m.channel, m.body, m.media, t.number
         FROM inbound_messages m LEFT JOIN tickets t ON t.id = m.ticket_id
        WHERE m.from_phone = $1 OR m.ticket_id = ANY($2::uuid[]) ORDER BY m.received_at, m.message_sid`,
      [phone, ids],
    );
    const texts: Record<string, any>[] = ids.length
      ? await this.db.query(
          `SELECT x.created_at, t.number, x.kind, x.body, x.author_kind FROM ticket_texts x JOIN tickets t ON t.id = x.ticket_id
            WHERE x.ticket_id = ANY($1::uuid[]) AND x.kind = ANY($2::text[]) ORDER BY x.created_at, x.id`,
          [ids, CITIZEN_OWN_TEXT_KINDS],
        )
      : [];
    const ratings: Record<string, any>[] = ids.length
      ? await this.db.query(
          `SELECT r.rated_at, t.number, r.rating, r.comment FROM ticket_ratings r JOIN tickets t ON t.id = r.ticket_id
            WHERE r.ticket_id = ANY($1::uuid[]) ORDER BY r.rated_at, t.number`,
          [ids],
        )
      : [];
    const reads = [
      ...ids.map((ticketId) => ({ ticketId, contactId: null, fields: ['name', 'phone', 'description', 'address', 'media', 'messages', 'texts', 'ratings'] })),
      ...contacts.map((c) => ({ ticketId: null, contactId: c.id as string, fields: ['phone', 'note'] })),
    ];
    if (reads.length) await this.db.getRepository(PiiReadEntity).insert(reads.map((read) => ({ ...read, readerId: identity.id, route, requestId: null })));
    // The erasures that name this number's tickets (a contact shows its own anonymisedAt: an
    // erasure record keeps no phone number to find it by).
    const erasures: Record<string, any>[] = ids.length
      ? await this.db.query(`SELECT ${ERASURE_COLUMNS} FROM data_erasures WHERE ticket_ids && $1::uuid[] ORDER BY at, id`, [ids])
      : [];
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
      erasures: erasures.map((row) => erasureView(toErasureRecord(row))),
    };
  }

  /**
   * Anonymises the closed tickets of the number and its contacts now, with the reason, each recorded. Open tickets are
   * left alone (their processing still needs the citizen's data: KVKK art. 5(2)(c)) and named, so
   * the erasure can be repeated once they close. The body is validated by EraseSubjectDto (phone
   * normalised to E.164, a reason of 10 to 1000 characters).
   */
  async erase(body: EraseSubjectDto, identity: StaffIdentity): Promise<EraseAnswer> {
    assertAuditor(identity, 'a data-subject erasure');
    const erasure = await anonymiseTicketsOfPhone(this.db, body.phone, identity.id, body.reason.trim());
    const contactsErasure = await anonymiseContactsOfPhone(this.db, body.phone, identity.id, body.reason.trim());
    const open: { number: string }[] = await this.db.query(`SELECT number FROM tickets WHERE requester_phone = $1 AND closed_at IS NULL ORDER BY received_at`, [body.phone]);
    return { erasure: erasureView(erasure), contactsErasure: erasureView(contactsErasure), stillOpen: open.map((r) => r.number) };
  }

  private phone(input: unknown): string {
    const phone = normalizePhone(input);
    if (!phone) throw badRequest('phone', 'a phone number (e.g. 0532 123 45 67 or +905321234567)');
    return phone;
  }
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
