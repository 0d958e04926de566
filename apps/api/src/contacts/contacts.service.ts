import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ContactsRepository, type ContactFilter, type ContactRow } from '../../../../libs/database/src/contacts.repository';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import type { PiiReadEntity } from '../../../../libs/database/src/entities';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { takesCalls as takesCallsRole, type Channel, type StaffRole } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import { codeLabel } from '../common/export-labels';
import type { SheetTable } from '../common/spreadsheet';
import { maskPhone } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';
import { CONTACT_EXPORT_MAX, type CallerTickets, type ContactPage, type ContactView, type CreateContactDto, type ListContactsQueryDto } from './contact.dto';

/** Who reads the log: those who take calls (the domain's `takesCalls`), and the auditors. */
const READ_LOG: readonly StaffRole[] = ['AGENT', 'COORDINATOR', 'AUDITOR'];
/** Statuses in which a ticket is no longer open for a caller's new complaint. */
const DONE = ['RESOLVED', 'CLOSED', 'REFERRED', 'REJECTED'];

const has = (identity: StaffIdentity, roles: readonly StaffRole[]) => identity.roles.some((role) => roles.includes(role));
/** A signed-in call taker (the domain's `takesCalls`): they log calls and look callers up. */
export const takesCalls = (identity: StaffIdentity | null): identity is StaffIdentity => identity !== null && takesCallsRole(identity);

/**
 * The contact log: every contact the coordination center takes, with its outcome. A contact that
 * made no ticket is posted here; one that made a ticket is logged by the intake, in the ticket's
 * own transaction (`logTicketCreated`).
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
    private readonly organisation: OrganisationRepository,
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
  ) {}

  async create(identity: StaffIdentity, dto: CreateContactDto): Promise<ContactView> {
    if (!takesCallsRole(identity)) throw forbiddenProblem('the contact log is written by those who take calls (AGENT, COORDINATOR)');
    const duplicate = dto.outcome === 'DUPLICATE_OF_OPEN_TICKET';
    if (duplicate && !dto.ticketNumber) throw badRequest('ticketNumber', 'a duplicate call names the open ticket it duplicates');
    if (!duplicate && dto.ticketNumber) throw badRequest('ticketNumber', `only a DUPLICATE_OF_OPEN_TICKET contact names a ticket`);
    if (duplicate) {
      const ticket = await this.tickets.statusOf(dto.ticketNumber!);
      if (!ticket) throw badRequest('ticketNumber', `ticket ${dto.ticketNumber} does not exist`);
      if (DONE.includes(ticket.status)) throw badRequest('ticketNumber', `ticket ${dto.ticketNumber} is not open (${ticket.status})`);
    }
    // One transaction: a duplicate also counts on its ticket's list row (ContactsRepository.insert).
    const row = await this.dataSource.transaction((manager) => this.contacts.insert(manager, {
      recordedBy: identity.id,
      channel: dto.channel ?? 'CALL_CENTER',
      callerPhone: dto.phone ?? null,
      outcome: dto.outcome,
      ticketNumber: dto.ticketNumber ?? null,
      note: dto.note?.trim() ?? null,
    }));
    return toView(row, identity, (await this.organisation.staffNames([row.recordedBy])).get(row.recordedBy) ?? null);
  }

  /** Logs the contact that made a ticket, inside the intake's transaction. */
  logTicketCreated(manager: EntityManager, identity: StaffIdentity, ticket: { number: string; channel: Channel; phone: string }): Promise<ContactRow> {
    return this.contacts.insert(manager, { recordedBy: identity.id, channel: ticket.channel, callerPhone: ticket.phone, outcome: 'TICKET_CREATED', ticketNumber: ticket.number, note: null });
  }

  async list(identity: StaffIdentity, query: ListContactsQueryDto): Promise<ContactPage> {
    if (!has(identity, READ_LOG)) throw forbiddenProblem('the contact log is read by the coordination center and the auditors');
    if (query.format && query.format !== 'json') throw badRequest('format', 'a download is asked for through ContactsService.export');
    if (query.lang) throw badRequest('lang', 'a language is chosen only for format=csv or xlsx');
    const limit = query.limit ?? 50;
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.contacts.list({ ...filterOf(query), before }, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const items = await this.views(page, identity);
    await this.logReads(identity, 'GET /contacts', readsOf(items, identity, query));
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * Every entry the filters select, newest first, as one table for a CSV or XLSX download (at
   * most CONTACT_EXPORT_MAX: a longer log is asked for in shorter periods). The same access rules
   * as the list (auditors get masked phones), and the same KVKK log: a download of numbers and
   * notes is a read of each one, written to pii_reads before the file leaves.
   */
  async export(identity: StaffIdentity, query: ListContactsQueryDto): Promise<SheetTable> {
    if (!has(identity, READ_LOG)) throw forbiddenProblem('the contact log is read by the coordination center and the auditors');
    if (query.cursor) throw badRequest('cursor', 'a download holds every entry the filters select; it is not paged');
    if (query.limit !== undefined) throw badRequest('limit', 'a download holds every entry the filters select; it is not paged');
    const rows = await this.contacts.list(filterOf(query), CONTACT_EXPORT_MAX + 1);
    if (rows.length > CONTACT_EXPORT_MAX) throw badRequest('from', `more than ${CONTACT_EXPORT_MAX} entries: download a shorter period (from, to)`);
    const items = await this.views(rows, identity);
    await this.logReads(identity, `GET /contacts?format=${query.format}`, readsOf(items, identity, query));
    const lang = query.lang;
    return {
      name: 'contacts',
      columns: ['at', 'channel', 'outcome', 'phone', 'ticket_number', 'recorded_by', 'note'],
      rows: items.map((c) => [c.at, codeLabel('channel', c.channel, lang), codeLabel('outcome', c.outcome, lang), c.phone, c.ticketNumber, c.recordedByName ?? c.recordedBy, c.note]),
    };
  }

  /** The entries as the reader may see them, with the recording staff member's name. */
  private async views(rows: ContactRow[], identity: StaffIdentity): Promise<ContactView[]> {
    const names = await this.organisation.staffNames(rows.map((row) => row.recordedBy));
    return rows.map((row) => toView(row, identity, names.get(row.recordedBy) ?? null));
  }

  /** The caller's tickets, newest first: the agent sees at once whether this call is about one of them. */
  async callerTickets(identity: StaffIdentity, phone: string): Promise<CallerTickets> {
    if (!takesCallsRole(identity)) throw forbiddenProblem('callers are looked up by those who take calls (AGENT, COORDINATOR)');
    const rows = await this.tickets.callerTickets(phone, 20);
    // KVKK: the look-up tells the agent which tickets this number filed: a read of each one's phone.
    await this.logReads(identity, 'GET /contacts/caller-tickets', rows.map((t) => ({ ticketId: t.id, contactId: null, fields: ['phone', 'description'] })));
    return {
      tickets: rows.map((t) => ({ number: t.number, status: t.status, type: t.type, category: t.category, subject: subjectOf(t.description), receivedAt: t.receivedAt.toISOString(), open: !DONE.includes(t.status) })),
    };
  }

  /** Writes the reads to the personal-data read log (pii_reads), like every read of a ticket's personal data. */
  private async logReads(identity: StaffIdentity, route: string, reads: Array<Pick<PiiReadEntity, 'ticketId' | 'contactId' | 'fields'>>): Promise<void> {
    if (!reads.length) return;
    const requestId = currentRequestId() ?? null;
    await this.timeline.logReads(reads.map((read) => ({ ...read, readerId: identity.id, route, requestId })));
  }
}

function toView(row: ContactRow, reader: StaffIdentity, recordedByName: string | null): ContactView {
  const phone = row.callerPhone && !takesCallsRole(reader) ? maskPhone(row.callerPhone) : row.callerPhone;
  return { id: row.id, at: row.at.toISOString(), recordedBy: row.recordedBy, recordedByName, channel: row.channel as Channel, phone, outcome: row.outcome, ticketNumber: row.ticketNumber, note: row.note };
}

function filterOf(query: ListContactsQueryDto): ContactFilter {
  if (query.from && query.to && Date.parse(query.to) <= Date.parse(query.from)) throw badRequest('to', 'to must be after from');
  return { outcome: query.outcome, channel: query.channel, recordedBy: query.recordedBy, callerPhone: query.phone, from: query.from, to: query.to };
}

/**
 * KVKK: every entry shown with a caller's full number or the agent's note is a read of personal
 * data; so is every entry found by searching a number, even with the number masked (the search
 * tells the reader that this number called).
 */
function readsOf(items: ContactView[], identity: StaffIdentity, query: ListContactsQueryDto): Array<Pick<PiiReadEntity, 'ticketId' | 'contactId' | 'fields'>> {
  return items.flatMap((item) => {
    const phoneRead = item.phone !== null && (takesCallsRole(identity) || query.phone !== undefined);
    const fields = [...(phoneRead ? ['phone'] : []), ...(item.note ? ['note'] : [])];
    return fields.length ? [{ ticketId: null, contactId: item.id, fields }] : [];
  });
}

/** The first words of a description, cut at a word within SUBJECT_MAX characters. */
const SUBJECT_MAX = 80;
export function subjectOf(description: string): string {
  const text = description.replace(/\s+/g, ' ').trim();
  if (text.length <= SUBJECT_MAX) return text;
  const cut = text.slice(0, SUBJECT_MAX);
  const space = cut.lastIndexOf(' ');
  return `${space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut}…`;
}

const encodeCursor = (row: ContactRow) => Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw badRequest('cursor', 'not a cursor this list gave');
  return [at, id];
}
