import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ContactEntity, type ContactOutcome } from './entities';

/** One entry of the contact log, as callers outside this file name it (the entity stays this file's). */
export type ContactRow = ContactEntity;

/** What the list filters on; `before` is the cursor: the (at, id) of the last entry of the previous page. */
export interface ContactFilter {
  outcome?: ContactOutcome;
  channel?: string;
  recordedBy?: string;
  /** The caller's number, E.164. */
  callerPhone?: string;
  from?: string;
  to?: string;
  before?: [at: string, id: string];
}

/**
 * The contact log (contacts; contact_days is kept by a trigger on it): the only place that reads
 * and writes it (table-owners.spec.ts checks). Two exceptions, each said where it is: the KVKK
 * anonymisation (one statement with its erasure record, personal-data.repository.ts) and the
 * analysis figures' SQL (the analysis store's own statements, analysis.service.ts).
 */
@Injectable()
export class ContactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes one entry, in `manager`'s transaction (the intake's, when the contact made a ticket) or
   * in one of its own: a duplicate also counts on its ticket's list row, and the two go together.
   */
  insert(fields: Omit<ContactEntity, 'id' | 'at'>, manager?: EntityManager): Promise<ContactRow> {
    return manager ? this.write(manager, fields) : this.dataSource.transaction((m) => this.write(m, fields));
  }

  private async write(manager: EntityManager, fields: Omit<ContactEntity, 'id' | 'at'>): Promise<ContactRow> {
    const row = manager.getRepository(ContactEntity).create({ id: randomUUID(), at: new Date(), ...fields });
    await manager.getRepository(ContactEntity).insert(row);
    // A call about an open ticket again: its list row says so (tickets.duplicate_contacts), without a count per row.
    if (row.outcome === 'DUPLICATE_OF_OPEN_TICKET' && row.ticketNumber) {
      await manager.query(`UPDATE tickets SET duplicate_contacts = duplicate_contacts + 1 WHERE number = $1`, [row.ticketNumber]);
    }
    return row;
  }

  /** Up to `take` entries, newest first, after the cursor. */
  list(filter: ContactFilter, take: number): Promise<ContactRow[]> {
    const qb = this.dataSource.getRepository(ContactEntity).createQueryBuilder('c').orderBy('c.at', 'DESC').addOrderBy('c.id', 'DESC').limit(take);
    if (filter.outcome) qb.andWhere('c.outcome = :outcome', { outcome: filter.outcome });
    if (filter.channel) qb.andWhere('c.channel = :channel', { channel: filter.channel });
    if (filter.recordedBy) qb.andWhere('c.recorded_by = :recordedBy', { recordedBy: filter.recordedBy });
    if (filter.callerPhone) qb.andWhere('c.caller_phone = :callerPhone', { callerPhone: filter.callerPhone });
    if (filter.from) qb.andWhere('c.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('c.at < :to', { to: filter.to });
    if (filter.before) {
      const [at, id] = filter.before;
      qb.andWhere('(c.at, c.id) < (:at, :id)', { at, id });
    }
    return qb.getMany();
  }

  /** Every entry of one caller's phone (E.164), oldest first: a data subject's report. */
  ofCaller(phone: string): Promise<Array<Record<string, any>>> {
    return this.dataSource.query(`SELECT id, at, channel, outcome, ticket_number, note, anonymised_at FROM contacts WHERE caller_phone = $1 ORDER BY at, id`, [phone]);
  }
}
