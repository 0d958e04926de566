import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { STAFF_PURPOSES } from '../../sms/src/notification-templates';
import { SmsOutboxEntity } from './entities';

/*
 * The SMS outbox (sms_outbox): the only place that reads and writes it (table-owners.spec.ts
 * checks), so the claims that make "a retry never texts twice" are all in one file. The KVKK
 * anonymisation is the exception: one statement over every table with a citizen's data
 * (personal-data.repository.ts).
 *
 * Twilio's delivery reports on the outbox row (from the status webhook and from the worker
 * asking Twilio about an UNCERTAIN row) only ever move a row forward:
 * queued → sending → sent → delivered | undelivered | failed (→ read, WhatsApp, after delivered).
 * A late, repeated or out-of-order report is ignored in one conditional UPDATE, so two reports
 * arriving at once on two API instances cannot take a row back either.
 */

/** Twilio's message status words, ranked. Unknown words are ignored. */
export const DELIVERY_RANK: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};

/** Final words after which nothing but nothing moves the row (`read` follows `delivered` only). */
const DEAD_ENDS = ['undelivered', 'failed', 'canceled'];

/**
 * Twilio error codes that say the citizen's number will never get our messages, so staff must
 * reach them another way: invalid or non-mobile number, opted out (STOP), blocked or unknown
 * handset, landline. 30003 (handset switched off or out of coverage), 30007 (carrier filtering)
 * and 30008 (unknown) are not: they say nothing lasting about the citizen.
 */
export const PERMANENT_FAILURE_CODES: Readonly<Record<number, string>> = {
  21211: 'invalid number',
  21214: 'invalid number',
  21612: 'number cannot be reached from this sender',
  21614: 'not a mobile number',
  21610: 'opted out (STOP)',
  30004: 'messages blocked by the recipient',
  30005: 'unknown or inactive number',
  30006: 'landline or unreachable carrier',
  63003: 'no WhatsApp account on this number',
  63024: 'invalid WhatsApp recipient',
};

export const CITIZEN_UNREACHABLE = 'citizen could not be reached by SMS';

export interface DeliveryReport {
  /** The outbox row the StatusCallback URL named (`?o=<id>`), when it did. */
  outboxId: string | null;
  providerMessageId: string;
  status: string;
  errorCode: number | null;
}

export type DeliveryOutcome = 'UPDATED' | 'IGNORED';

const rankSql = (column: string) =>
  `CASE ${column} ${Object.entries(DELIVERY_RANK)
    .map(([word, rank]) => `WHEN '${word}' THEN ${rank}`)
    .join(' ')} ELSE 0 END`;

/**
 * What a message needs of its ticket: who is written to, in which language and channel, whether
 * the acknowledgement cap applies, and the nonce its tracking link is derived from. Read in one
 * narrow statement: a message never needs the ticket's texts or its workflow view.
 */
export interface MessageTicket {
  id: string;
  number: string;
  language: 'tr' | 'en';
  channel: string;
  requesterPhone: string | null;
  requesterTextable: boolean;
  recordedBy: string | null;
  submittedBy: string | null;
  trackingTokenNonce: string | null;
}

const MESSAGE_TICKET_SQL = `
  SELECT id, number, language, channel, requester_phone AS "requesterPhone", requester_textable AS "requesterTextable",
         recorded_by AS "recordedBy", submitted_by AS "submittedBy", tracking_token_nonce AS "trackingTokenNonce"
    FROM tickets WHERE id = $1`;

/** One outbox row, as callers outside this file name it (the entity stays this file's). */
export type OutboxRow = SmsOutboxEntity;

/** A new row, written already claimed (SENDING) or SKIPPED with the reason. */
export type NewOutboxRow = Pick<SmsOutboxEntity, 'notificationKey' | 'ticketId' | 'purpose' | 'channel' | 'recipientPhone' | 'body' | 'status' | 'attempts' | 'lastError' | 'sendMode'>;

/** An UNCERTAIN row the reconciler asks the provider about. */
export interface UncertainOutboxRow {
  id: string;
  provider_message_id: string | null;
  recipient_phone: string;
  channel: 'SMS' | 'WHATSAPP';
  body: string;
  created_at: Date;
  notification_key: string;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get outbox() {
    return this.dataSource.getRepository(SmsOutboxEntity);
  }

  /** The ticket facts a message is written with (MessageTicket), or null for an unknown ticket. */
  async messageTicket(ticketId: string): Promise<MessageTicket | null> {
    const [row]: MessageTicket[] = await this.dataSource.query(MESSAGE_TICKET_SQL, [ticketId]);
    return row ?? null;
  }

  findByKey(key: string): Promise<SmsOutboxEntity | null> {
    return this.outbox.findOneBy({ notificationKey: key });
  }

  findByKeyOrFail(key: string): Promise<SmsOutboxEntity> {
    return this.outbox.findOneByOrFail({ notificationKey: key });
  }

  /**
   * Writes a row unless its key exists (then null: another attempt wrote it first). `manager`:
   * the transaction of the per-phone acknowledgement cap, when there is one.
   */
  async insertUnlessExists(manager: EntityManager, row: NewOutboxRow): Promise<string | null> {
    const result = await manager.createQueryBuilder().insert().into(SmsOutboxEntity).values(row).orIgnore().returning(['id']).execute();
    const [inserted] = result.raw as Array<{ id: string }>;
    return inserted ? String(inserted.id) : null;
  }

  /** PENDING → SENDING, counting the attempt; false when the row was not PENDING (someone else holds it). */
  async claim(key: string): Promise<boolean> {
    const claim = await this.outbox
      .createQueryBuilder()
      .update()
      .set({ status: 'SENDING', attempts: () => 'attempts + 1' })
      .where('notification_key = :key AND status = :pending', { key, pending: 'PENDING' })
      .execute();
    return !!claim.affected;
  }

  /** A row left SENDING by an attempt that died mid-send may or may not have reached the provider. */
  async markInterrupted(key: string): Promise<void> {
    await this.outbox.update({ notificationKey: key, status: 'SENDING' }, { status: 'UNCERTAIN', lastError: 'attempt interrupted while sending' });
  }

  /**
   * The provider's word settles an open row: SENDING, or UNCERTAIN when a later attempt gave up
   * on this one while it was still waiting (a late answer is still the truth). SENT and FAILED
   * are never overwritten.
   */
  async settle(key: string, status: 'SENT' | 'FAILED', fields: Partial<SmsOutboxEntity>): Promise<void> {
    await this.outbox.update({ notificationKey: key, status: In(['SENDING', 'UNCERTAIN']) }, { status, ...fields });
  }

  /** Only this attempt's own claim (SENDING) goes back to PENDING (retry) or to UNCERTAIN. */
  async release(key: string, next: 'PENDING' | 'UNCERTAIN', lastError: string): Promise<void> {
    await this.outbox.update({ notificationKey: key, status: 'SENDING' }, { status: next, lastError });
  }

  /** Acknowledgements to the phone in the last 24 hours, sent or maybe sent (the caller holds the phone's lock). */
  async recentAcknowledgements(manager: EntityManager, phone: string): Promise<number> {
    const [{ sent }] = await manager.query(
      `SELECT count(*)::int AS sent FROM sms_outbox
        WHERE purpose = 'RECEIVED' AND recipient_phone = $1 AND status IN ('PENDING', 'SENDING', 'SENT', 'UNCERTAIN')
          AND created_at > now() - interval '1 day'`,
      [phone],
    );
    return sent;
  }

  /** UNCERTAIN rows with a recipient, older than `olderThanMs`, oldest first. */
  uncertain(olderThanMs: number, batch: number): Promise<UncertainOutboxRow[]> {
    return this.dataSource.query(
      `SELECT id, provider_message_id, recipient_phone, channel, body, created_at, notification_key FROM sms_outbox
            WHERE status = 'UNCERTAIN' AND recipient_phone IS NOT NULL AND created_at < now() - make_interval(secs => $1)
            ORDER BY created_at LIMIT $2`,
      [olderThanMs / 1000, batch],
    );
  }

  /** An UNCERTAIN row the provider never heard of becomes FAILED. */
  async markNeverSent(id: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE sms_outbox SET status = 'FAILED', last_error = $2 WHERE id = $1 AND status = 'UNCERTAIN'`, [id, reason]);
  }

  /** Which of the provider's message ids another row than `rowId` already owns. */
  async claimedByOthers(sids: string[], rowId: string): Promise<string[]> {
    const claimed: Array<{ sid: string }> = await this.dataSource.query(
      `SELECT provider_message_id AS sid FROM sms_outbox WHERE provider_message_id = ANY($1::text[]) AND id <> $2`,
      [sids, rowId],
    );
    return claimed.map((c) => c.sid);
  }

  /**
   * Resolved tickets due a closure check (resolved more than `afterMs` ago, reopen window still
   * open): not asked yet in this round, or asked but its SMS (outbox key ticket, CLOSURE_CHECK,
   * round) still waits.
   */
  dueClosureChecks(afterMs: number, batch: number): Promise<Array<{ id: string; number: string; round: number }>> {
    return this.dataSource.query(
      `SELECT t.id, t.number, t.reopen_count AS round FROM tickets t
           LEFT JOIN closure_checks c ON c.ticket_id = t.id AND c.round = t.reopen_count
           LEFT JOIN sms_outbox o ON o.notification_key = 'ticket-' || t.number || ':CLOSURE_CHECK:' || t.reopen_count
          WHERE t.status = 'RESOLVED' AND t.resolved_at < now() - make_interval(secs => $1)
            AND (t.workflow_view->>'reopenUntil')::timestamptz > now()
            AND (c.ticket_id IS NULL OR o.id IS NULL OR o.status = 'PENDING')
          ORDER BY t.resolved_at LIMIT $2`,
      [afterMs / 1000, batch],
    );
  }

  /** Records one delivery report. IGNORED: unknown word, unknown row, another message's row, or not a step forward. */
  async recordDelivery(report: DeliveryReport): Promise<DeliveryOutcome> {
    const rank = DELIVERY_RANK[report.status];
    if (rank === undefined) return 'IGNORED';
    const failed = report.status === 'undelivered' || report.status === 'failed';
    const lastError = failed ? `delivery ${report.status}${report.errorCode ? ` (Twilio ${report.errorCode})` : ''}` : null;
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, count] through TypeORM.
      const [rows]: [Array<{ id: string; ticket_id: string | null; notification_key: string; recipient_phone: string | null; channel: 'SMS' | 'WHATSAPP'; purpose: string }>, number] =
        await manager.query(
          `UPDATE sms_outbox SET
             provider_message_id = COALESCE(provider_message_id, $2),
             status = CASE WHEN $5 THEN 'FAILED' WHEN status IN ('SENDING', 'UNCERTAIN') THEN 'SENT' ELSE status END,
             sent_at = COALESCE(sent_at, now()),
             last_error = CASE WHEN $5 THEN $6 WHEN status IN ('SENDING', 'UNCERTAIN') THEN NULL ELSE last_error END,
             delivery_status = $3, delivery_error_code = $4, delivery_updated_at = now()
           WHERE (CASE WHEN $1::bigint IS NULL THEN provider_message_id = $2 ELSE id = $1::bigint END)
             AND (provider_message_id IS NULL OR provider_message_id = $2)
             AND status IN ('SENDING', 'UNCERTAIN', 'SENT', 'FAILED')
             AND ${rankSql('delivery_status')} < $7
             AND (delivery_status IS NULL OR delivery_status <> ALL($8::text[]))
           RETURNING id, ticket_id, notification_key, recipient_phone, channel, purpose`,
          [report.outboxId, report.providerMessageId, report.status, report.errorCode, failed, lastError, rank, DEAD_ENDS],
        );
      const row = rows[0];
      if (!row) return 'IGNORED';
      if (failed && report.errorCode !== null && row.ticket_id && row.recipient_phone) {
        await markCitizenUnreachable(manager, {
          ticketId: row.ticket_id,
          phone: row.recipient_phone,
          purpose: row.purpose,
          channel: row.channel,
          code: report.errorCode,
          notificationKey: row.notification_key,
        });
      }
      return 'UPDATED';
    });
  }
}

/**
 * Records on the ticket that its citizen cannot be reached, when the code says so for good and
 * the message was the citizen's (staff purposes and other phones are not the citizen). The first
 * such report stays: later ones add nothing for staff.
 */
export async function markCitizenUnreachable(
  manager: EntityManager,
  failure: { ticketId: string; phone: string; purpose: string; channel: 'SMS' | 'WHATSAPP'; code: number; notificationKey: string },
): Promise<boolean> {
  const cause = PERMANENT_FAILURE_CODES[failure.code];
  if (!cause || (STAFF_PURPOSES as readonly string[]).includes(failure.purpose)) return false;
  const record = { at: new Date().toISOString(), channel: failure.channel, code: failure.code, reason: `${CITIZEN_UNREACHABLE}: ${cause}`, notificationKey: failure.notificationKey };
  const result: [unknown[], number] = await manager.query(
    `UPDATE tickets SET citizen_unreachable = $3::jsonb WHERE id = $1 AND requester_phone = $2 AND citizen_unreachable IS NULL`,
    [failure.ticketId, failure.phone, JSON.stringify(record)],
  );
  return result[1] > 0;
}
