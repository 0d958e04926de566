import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ContactsRepository, type ContactRow } from '../../../../libs/database/src/contacts.repository';
import { PiiReadEntity, TicketEntity } from '../../../../libs/database/src/entities';
import { takesCalls as takesCallsRole, type Channel, type StaffRole } from '../../../../libs/domain/src';
import { badRequest, forbiddenProblem } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import { maskPhone } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';
import type { CallerTickets, ContactPage, ContactView, CreateContactDto, ListContactsQueryDto } from './contact.dto';

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
  ) {}

  async create(identity: StaffIdentity, dto: CreateContactDto): Promise<ContactView> {
    if (!takesCallsRole(identity)) throw forbiddenProblem('the contact log is written by those who take calls (AGENT, COORDINATOR)');
    const duplicate = dto.outcome === 'DUPLICATE_OF_OPEN_TICKET';
    if (duplicate && !dto.ticketNumber) throw badRequest('ticketNumber', 'a duplicate call names the open ticket it duplicates');
    if (!duplicate && dto.ticketNumber) throw badRequest('ticketNumber', `only a DUPLICATE_OF_OPEN_TICKET contact names a ticket`);
    if (duplicate) {
      const ticket = await this.dataSource.getRepository(TicketEntity).findOne({ where: { number: dto.ticketNumber }, select: { status: true, number: true } });
      if (!ticket) throw badRequest('ticketNumber', `ticket ${dto.ticketNumber} does not exist`);
      if (DONE.includes(ticket.status)) throw badRequest('ticketNumber', `ticket ${dto.ticketNumber} is not open (${ticket.status})`);
    }
    const row = await this.contacts.insert(this.dataSource.manager, {
      recordedBy: identity.id,
      channel: dto.channel ?? 'CALL_CENTER',
      callerPhone: dto.phone ?? null,
      outcome: dto.outcome,
      ticketNumber: dto.ticketNumber ?? null,
      note: dto.note?.trim() ?? null,
    });
    return toView(row, identity);
  }

  /** Logs the contact that made a ticket, inside the intake's transaction. */
  logTicketCreated(manager: EntityManager, identity: StaffIdentity, ticket: { number: string; channel: Channel; phone: string }): Promise<ContactRow> {
    return this.contacts.insert(manager, { recordedBy: identity.id, channel: ticket.channel, callerPhone: ticket.phone, outcome: 'TICKET_CREATED', ticketNumber: ticket.number, note: null });
  }

  async list(identity: StaffIdentity, query: ListContactsQueryDto): Promise<ContactPage> {
    if (!has(identity, READ_LOG)) throw forbiddenProblem('the contact log is read by the coordination center and the auditors');
    const limit = query.limit ?? 50;
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.contacts.list({ outcome: query.outcome, recordedBy: query.recordedBy, from: query.from, to: query.to, before }, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const items = page.map((row) => toView(row, identity));
    // KVKK: every entry shown with a caller's number or the agent's note is a read of personal data.
    await this.logReads(
      identity,
      'GET /contacts',
      items.flatMap((item) => {
        const fields = [...(item.phone && takesCallsRole(identity) ? ['phone'] : []), ...(item.note ? ['note'] : [])];
        return fields.length ? [{ ticketId: null, contactId: item.id, fields }] : [];
      }),
    );
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /** The caller's tickets, newest first: the agent sees at once whether this call is about one of them. */
  async callerTickets(identity: StaffIdentity, phone: string): Promise<CallerTickets> {
    if (!takesCallsRole(identity)) throw forbiddenProblem('callers are looked up by those who take calls (AGENT, COORDINATOR)');
    const rows = await this.dataSource.getRepository(TicketEntity).find({
      where: { requesterPhone: phone },
      select: { id: true, number: true, status: true, type: true, category: true, receivedAt: true },
      order: { receivedAt: 'DESC' },
      take: 20,
    });
    // KVKK: the look-up tells the agent which tickets this number filed: a read of each one's phone.
    await this.logReads(identity, 'GET /contacts/caller-tickets', rows.map((t) => ({ ticketId: t.id, contactId: null, fields: ['phone'] })));
    return {
      tickets: rows.map((t) => ({ number: t.number, status: t.status, type: t.type, category: t.category, receivedAt: t.receivedAt.toISOString(), open: !DONE.includes(t.status) })),
    };
  }

  /** Writes the reads to the personal-data read log (pii_reads), like every read of a ticket's personal data. */
  private async logReads(identity: StaffIdentity, route: string, reads: Array<Pick<PiiReadEntity, 'ticketId' | 'contactId' | 'fields'>>): Promise<void> {
    if (!reads.length) return;
    const requestId = currentRequestId() ?? null;
    await this.dataSource.getRepository(PiiReadEntity).insert(reads.map((read) => ({ ...read, readerId: identity.id, route, requestId })));
  }
}

function toView(row: ContactRow, reader: StaffIdentity): ContactView {
  const phone = row.callerPhone && !takesCallsRole(reader) ? maskPhone(row.callerPhone) : row.callerPhone;
  return { id: row.id, at: row.at.toISOString(), recordedBy: row.recordedBy, channel: row.channel as Channel, phone, outcome: row.outcome, ticketNumber: row.ticketNumber, note: row.note };
}

const encodeCursor = (row: ContactRow) => Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw badRequest('cursor', 'not a cursor this list gave');
  return [at, id];
}
