import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What replaces a citizen's personal data once it may no longer be kept (KVKK, Law 6698). */
export const ANONYMISED = '[KVKK: anonimleştirildi]';

export type ErasureKind = 'RETENTION' | 'SUBJECT_REQUEST';

export interface ErasureRecord {
  id: string;
  at: string;
  kind: ErasureKind;
  actorId: string | null;
  reason: string;
  criteria: Record<string, unknown>;
  ticketIds: string[];
  tickets: number;
  texts: number;
  outboxRows: number;
  /** Contact-log entries anonymised (their caller's number and note). */
  contacts: number;
  /** The tickets' attachments made REMOVED (their stored objects are deleted right after: deleteRemovedAttachmentObjects). */
  attachments: number;
  attachmentIds: string[];
}

/**
 * Replaces the personal data of the chosen tickets with the marker, in one statement: the
 * requester's name and phone, the description, the address and exact position, a photo link sent
 * through Open311 (media_url), every free text
 * (notes, resolutions, questions, reasons; the citizen's WhatsApp/SMS messages with their number and
 * media links; a rating's comment), the SMS bodies, recipients and provider errors (a
 * provider's error text can quote the number) in the outbox, and the
 * stored answers of idempotent commands (which quote the ticket), and the tickets' attachments
 * (photos and documents: REMOVED, without the sender's file name; id, kind, size, media type and
 * SHA-256 stay for the audit chain, whose ATTACHED rows name them; the stored objects are deleted
 * by the caller after this statement). What statistics need stays:
 * status, outcome, type, category, channel, segment, district and neighbourhood, department,
 * clocks, dates, the audit rows (which never held personal data) and the Temporal history.
 * The erasure itself is recorded (data_erasures), also when no ticket was chosen.
 * `$1` marker; `chooseSql` selects `id` from tickets, with its own parameters from `$6` on.
 */
function anonymiseSql(chooseSql: string): string {
  return `
    WITH chosen AS (${chooseSql}),
    t AS (
      UPDATE tickets SET requester_name = $1, requester_phone = $1, description = $1,
        address = CASE WHEN address IS NULL THEN NULL ELSE $1 END, lat = NULL, lng = NULL, media_url = NULL,
        resolution_text = CASE WHEN resolution_text IS NULL THEN NULL ELSE $1 END,
        anonymised_at = now()
      FROM chosen WHERE tickets.id = chosen.id AND tickets.anonymised_at IS NULL
      RETURNING tickets.id),
    x AS (UPDATE ticket_texts SET body = $1 WHERE ticket_id IN (SELECT id FROM t) RETURNING 1),
    i AS (UPDATE inbound_messages SET from_phone = $1, body = $1, media = '[]' WHERE ticket_id IN (SELECT id FROM t) RETURNING 1),
    r AS (UPDATE ticket_ratings SET comment = $1 WHERE ticket_id IN (SELECT id FROM t) AND comment IS NOT NULL RETURNING 1),
    o AS (UPDATE sms_outbox SET body = $1, recipient_phone = CASE WHEN recipient_phone IS NULL THEN NULL ELSE $1 END,
             last_error = CASE WHEN last_error IS NULL THEN NULL ELSE $1 END
           WHERE ticket_id IN (SELECT id FROM t) RETURNING 1),
    -- Data-modifying CTEs run whether or not they are referenced.
    c AS (DELETE FROM command_requests WHERE ticket_id IN (SELECT id FROM t) RETURNING 1),
    -- A pending upload of the ticket goes too: it was never shown, and its ticket is closed.
    a AS (UPDATE attachments SET state = 'REMOVED', removed_at = now(), file_name = NULL
           WHERE ticket_id IN (SELECT id FROM t) AND state <> 'REMOVED' RETURNING attachments.id)
    INSERT INTO data_erasures (kind, actor_id, reason, criteria, ticket_ids, tickets, texts, outbox_rows, attachments, attachment_ids)
    SELECT $2, $3, $4, $5::jsonb, COALESCE((SELECT array_agg(id) FROM t), '{}'), (SELECT count(*) FROM t),
           (SELECT count(*) FROM x) + (SELECT count(*) FROM i) + (SELECT count(*) FROM r), (SELECT count(*) FROM o),
           (SELECT count(*) FROM a), COALESCE((SELECT array_agg(id ORDER BY id) FROM a), '{}')
    RETURNING ${ERASURE_COLUMNS}`;
}

/** The columns of a data_erasures row, as toErasureRecord reads them. */
export const ERASURE_COLUMNS = 'id, at, kind, actor_id, reason, criteria, ticket_ids, tickets, texts, outbox_rows, contacts, attachments, attachment_ids';

/**
 * Replaces a contact's personal data (the caller's number, the agent's note) with the marker and
 * records the erasure; outcome, channel and time stay for the figures. `$1` marker; `chooseSql`
 * selects `id` from contacts, with its own parameters from `$6` on.
 */
function anonymiseContactsSql(chooseSql: string): string {
  return `
    WITH chosen AS (${chooseSql}),
    c AS (
      UPDATE contacts SET caller_phone = CASE WHEN caller_phone IS NULL THEN NULL ELSE $1 END,
        note = CASE WHEN note IS NULL THEN NULL ELSE $1 END, anonymised_at = now()
      FROM chosen WHERE contacts.id = chosen.id AND contacts.anonymised_at IS NULL
      RETURNING contacts.id)
    INSERT INTO data_erasures (kind, actor_id, reason, criteria, ticket_ids, tickets, texts, outbox_rows, contacts)
    SELECT $2, $3, $4, $5::jsonb, '{}', 0, 0, 0, (SELECT count(*) FROM c)
    RETURNING ${ERASURE_COLUMNS}`;
}

/** At most this many tickets per statement, so one run never holds long locks; the job loops. */
export const RETENTION_BATCH = 500;

export const toErasureRecord = (r: Record<string, any>): ErasureRecord => ({
  id: String(r.id),
  at: new Date(r.at).toISOString(),
  kind: r.kind,
  actorId: r.actor_id,
  reason: r.reason,
  criteria: r.criteria,
  ticketIds: r.ticket_ids,
  tickets: r.tickets,
  texts: r.texts,
  outboxRows: r.outbox_rows,
  contacts: r.contacts,
  attachments: r.attachments,
  attachmentIds: r.attachment_ids,
});

/** The erasure record must not keep the number it erased: country code and last two digits only. */
function maskForRecord(phone: string): string {
  return phone.length > 5 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}` : '*****';
}

/**
 * The KVKK anonymisation and its erasure records (data_erasures): the retention job's batches,
 * a data subject's early erasure, and the erasures a report or an audit export names. Each
 * anonymisation is one statement over every table with personal data, so it sits here rather
 * than in each table's repository (table-owners.spec.ts lists it as that exception).
 */
@Injectable()
export class PersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Contacts recorded before `before` and not yet anonymised: one batch, recorded as a RETENTION erasure. */
  async anonymiseExpiredContacts(before: Date, reason: string, batch = RETENTION_BATCH): Promise<ErasureRecord> {
    const choose = `SELECT id FROM contacts WHERE at < $6 AND anonymised_at IS NULL ORDER BY at LIMIT $7 FOR UPDATE SKIP LOCKED`;
    const [row] = await this.dataSource.query(anonymiseContactsSql(choose), [ANONYMISED, 'RETENTION', null, reason, JSON.stringify({ contactsBefore: before.toISOString() }), before, batch]);
    return toErasureRecord(row);
  }

  /** Every contact of one phone number (E.164), early, at the data subject's request. */
  async anonymiseContactsOfPhone(phone: string, actorId: string, reason: string): Promise<ErasureRecord> {
    const choose = `SELECT id FROM contacts WHERE caller_phone = $6 FOR UPDATE`;
    const [row] = await this.dataSource.query(anonymiseContactsSql(choose), [ANONYMISED, 'SUBJECT_REQUEST', actorId, reason, JSON.stringify({ phone: maskForRecord(phone) }), phone]);
    return toErasureRecord(row);
  }

  /** Tickets closed before `closedBefore` and not yet anonymised: one batch, recorded as a RETENTION erasure. */
  async anonymiseExpiredTickets(closedBefore: Date, reason: string, batch = RETENTION_BATCH): Promise<ErasureRecord> {
    const choose = `SELECT id FROM tickets WHERE closed_at < $6 AND anonymised_at IS NULL ORDER BY closed_at LIMIT $7 FOR UPDATE SKIP LOCKED`;
    const [row] = await this.dataSource.query(anonymiseSql(choose), [ANONYMISED, 'RETENTION', null, reason, JSON.stringify({ closedBefore: closedBefore.toISOString() }), closedBefore, batch]);
    return toErasureRecord(row);
  }

  /** The closed tickets of one phone number (E.164), early, at the data subject's request: recorded with who and why. */
  async anonymiseTicketsOfPhone(phone: string, actorId: string, reason: string): Promise<ErasureRecord> {
    const choose = `SELECT id FROM tickets WHERE requester_phone = $6 AND closed_at IS NOT NULL FOR UPDATE`;
    const [row] = await this.dataSource.query(anonymiseSql(choose), [ANONYMISED, 'SUBJECT_REQUEST', actorId, reason, JSON.stringify({ phone: maskForRecord(phone) }), phone]);
    return toErasureRecord(row);
  }

  /** The erasures that name any of the tickets, oldest first (a subject's report, a ticket's audit export). */
  async erasuresOfTickets(ticketIds: string[]): Promise<ErasureRecord[]> {
    if (!ticketIds.length) return [];
    const rows: Record<string, any>[] = await this.dataSource.query(`SELECT ${ERASURE_COLUMNS} FROM data_erasures WHERE ticket_ids && $1::uuid[] ORDER BY at, id`, [ticketIds]);
    return rows.map(toErasureRecord);
  }
}
