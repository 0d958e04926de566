import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { anonymiseContactsOfPhone, anonymiseTicketsOfPhone, ERASURE_COLUMNS, PiiReadEntity, toErasureRecord, type ErasureRecord } from '../../../../libs/database/src';
import { badRequest } from '../common/problem';
import { normalizePhone } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';
import type { EraseSubjectDto } from './dto/erase-subject.dto';
import { assertAuditor } from './ticket-audit.service';

export interface SubjectTicket {
  number: string;
  status: string;
  outcome: string | null;
  channel: string;
  type: string;
  category: string;
  receivedAt: string;
  closedAt: string | null;
  anonymisedAt: string | null;
  requesterName: string;
  description: string;
  address: string | null;
  district: string | null;
  neighbourhood: string | null;
}

/** A call of the number in the contact log (the center's calls that made no ticket, and those that did). */
export interface SubjectContact {
  at: string;
  channel: string;
  outcome: string;
  ticketNumber: string | null;
  note: string | null;
  anonymisedAt: string | null;
}

export interface SubjectReport {
  phone: string;
  tickets: SubjectTicket[];
  contacts: SubjectContact[];
  /** The erasures already done for this number's tickets. */
  erasures: ErasureRecord[];
}

/**
 * KVKK data-subject requests (Law 6698, art. 11): everything Teksin holds about one phone
 * number, and its early erasure. Both for the auditor only; every listing is written to the
 * personal-data read log, every erasure to data_erasures with who and why.
 */
@Injectable()
export class DataSubjectsService {
  constructor(private readonly db: DataSource) {}

  async report(phoneInput: string | undefined, identity: StaffIdentity, route: string): Promise<SubjectReport> {
    assertAuditor(identity, 'a data-subject report');
    const phone = this.phone(phoneInput);
    const rows: Record<string, any>[] = await this.db.query(
      `SELECT id, number, status, outcome, channel, type, category, received_at, closed_at, anonymised_at,
              requester_name, description, address, district, neighbourhood
         FROM tickets WHERE requester_phone = $1 ORDER BY received_at, id`,
      [phone],
    );
    const ids = rows.map((r) => r.id as string);
    if (ids.length) {
      await this.db.getRepository(PiiReadEntity).insert(ids.map((ticketId) => ({ ticketId, readerId: identity.id, fields: ['name', 'phone', 'description', 'address'], route, requestId: null })));
    }
    const contacts: Record<string, any>[] = await this.db.query(
      `SELECT at, channel, outcome, ticket_number, note, anonymised_at FROM contacts WHERE caller_phone = $1 ORDER BY at, id`,
      [phone],
    );
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
      })),
      contacts: contacts.map((c) => ({
        at: iso(c.at)!,
        channel: c.channel,
        outcome: c.outcome,
        ticketNumber: c.ticket_number,
        note: c.note,
        anonymisedAt: iso(c.anonymised_at),
      })),
      erasures: erasures.map(toErasureRecord),
    };
  }

  /**
   * Anonymises the closed tickets of the number and its contacts now, with the reason, each recorded. Open tickets are
   * left alone (their processing still needs the citizen's data: KVKK art. 5(2)(c)) and named, so
   * the erasure can be repeated once they close. The body is validated by EraseSubjectDto (phone
   * normalised to E.164, a reason of 10 to 1000 characters).
   */
  async erase(body: EraseSubjectDto, identity: StaffIdentity): Promise<{ erasure: ErasureRecord; contactsErasure: ErasureRecord; stillOpen: string[] }> {
    assertAuditor(identity, 'a data-subject erasure');
    const erasure = await anonymiseTicketsOfPhone(this.db, body.phone, identity.id, body.reason.trim());
    const contactsErasure = await anonymiseContactsOfPhone(this.db, body.phone, identity.id, body.reason.trim());
    const open: { number: string }[] = await this.db.query(`SELECT number FROM tickets WHERE requester_phone = $1 AND closed_at IS NULL ORDER BY received_at`, [body.phone]);
    return { erasure, contactsErasure, stillOpen: open.map((r) => r.number) };
  }

  private phone(input: unknown): string {
    const phone = normalizePhone(input);
    if (!phone) throw badRequest('phone', 'a phone number (e.g. 0532 123 45 67 or +905321234567)');
    return phone;
  }
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
