import type { DataSource, EntityManager } from 'typeorm';
import { STAFF_PURPOSES } from '../../sms/src/notification-templates';

/**
 * Twilio's delivery reports on the outbox row (from the status webhook and from the worker
 * asking Twilio about an UNCERTAIN row). A report only ever moves a row forward:
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

export class OutboxDelivery {
  constructor(private readonly dataSource: DataSource) {}

  /** Records one report. IGNORED: unknown word, unknown row, another message's row, or not a step forward. */
  async record(report: DeliveryReport): Promise<DeliveryOutcome> {
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
