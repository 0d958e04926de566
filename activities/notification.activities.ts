import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../libs/config/src';
import { ReferralInstitutionEntity, SmsOutboxEntity, StaffEntity, TicketEntity } from '../libs/database/src/entities';
import { renderNotification, SmsGateway, SmsNotSentError, type NotificationParams } from '../libs/sms/src';
import type { Recipient } from '../libs/domain/src';
import { notificationKey, type NotificationResult, type SendNotificationInput } from './ticket-activities.contract';

/** What sending needs of an outbox row. */
type Deliverable = Pick<SmsOutboxEntity, 'recipientPhone' | 'body' | 'channel'>;

/** What addressing and rendering a notification need of its ticket. */
type TicketForText = Pick<TicketEntity, 'id' | 'number' | 'trackingToken' | 'language' | 'channel' | 'requesterPhone' | 'requesterTextable'>;

/**
 * The ticket, and the status of the outbox row with this key if one exists: what the common
 * first attempt needs, in one round trip.
 */
const TICKET_AND_ROW_SQL = `
  SELECT t.id, t.number, t.tracking_token AS "trackingToken", t.language, t.channel,
         t.requester_phone AS "requesterPhone", t.requester_textable AS "requesterTextable",
         o.status AS "rowStatus"
    FROM tickets t LEFT JOIN sms_outbox o ON o.notification_key = $2
   WHERE t.id = $1`;

/** Writes a new row, unless one with the key exists: then it returns nothing. */
const INSERT_ROW_SQL = `
  INSERT INTO sms_outbox (notification_key, ticket_id, purpose, channel, recipient_phone, body, status, attempts, last_error)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (notification_key) DO NOTHING
  RETURNING id`;

interface Addressee {
  /** Null when this addressee is not texted: the outbox row is SKIPPED, with the reason. */
  phone: string | null;
  skipReason?: string;
  language: 'tr' | 'en';
  channel: 'SMS' | 'WHATSAPP';
}

/** Decided at intake (ticket.requesterTextable): only Turkish mobile numbers are texted. */
export const CITIZEN_NOT_TEXTABLE = 'citizen cannot be texted: not a Turkish mobile number';

/** The citizen's tracking link; the token makes it unguessable. */
export const trackingUrl = (baseUrl: string, number: string, token: string) =>
  `${baseUrl}/t/${encodeURIComponent(number)}?k=${encodeURIComponent(token)}`;

/**
 * Sends one notification through the SMS outbox. The row is written (unique key) and claimed
 * before the provider is called, so a retried activity or a replay never texts twice:
 * - SENT / SKIPPED / FAILED rows are final and returned as they are;
 * - a row left SENDING by a crashed attempt may or may not have reached the provider, so it
 *   becomes UNCERTAIN for an operator instead of being sent again;
 * - a provider answer that proves the message was not accepted puts the row back to PENDING
 *   and throws, so Temporal retries it with backoff.
 */
@Injectable()
export class NotificationActivities {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateway: SmsGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sendNotification(input: SendNotificationInput): Promise<NotificationResult> {
    const key = notificationKey(input.number, input.purpose, input.seq);
    const outbox = this.dataSource.getRepository(SmsOutboxEntity);

    const [found]: (TicketForText & { rowStatus: SmsOutboxEntity['status'] | null })[] = await this.dataSource.query(TICKET_AND_ROW_SQL, [input.ticketId, key]);
    if (!found) throw new Error(`ticket ${input.ticketId} does not exist`);
    const { rowStatus, ...ticket } = found;
    if (rowStatus === null) {
      // First attempt: the row is written already claimed (SENDING), saving a claim round trip.
      const created = await this.enqueue(key, input, ticket);
      if (created?.status === 'SKIPPED') return { key, status: 'SKIPPED' };
      if (created) return this.deliver(key, created);
    }
    // A retry, or another attempt wrote the row first.
    const row = await outbox.findOneByOrFail({ notificationKey: key });
    if (row.status === 'SENT' || row.status === 'SKIPPED' || row.status === 'FAILED' || row.status === 'UNCERTAIN') {
      return { key, status: row.status === 'SENT' ? 'ALREADY_HANDLED' : row.status };
    }

    const claim = await outbox
      .createQueryBuilder()
      .update()
      .set({ status: 'SENDING', attempts: () => 'attempts + 1' })
      .where('notification_key = :key AND status = :pending', { key, pending: 'PENDING' })
      .execute();
    if (!claim.affected) {
      // Someone else holds it, or a previous attempt died mid-send: do not risk a second text.
      await outbox.update({ notificationKey: key, status: 'SENDING' }, { status: 'UNCERTAIN', lastError: 'attempt interrupted while sending' });
      this.logger.warn(`notification ${key} left uncertain: a previous attempt was interrupted while sending`);
      return { key, status: 'UNCERTAIN' };
    }

    return this.deliver(key, row);
  }

  /** Hands a claimed (SENDING) row to the gateway and records what happened. */
  private async deliver(key: string, row: Deliverable): Promise<NotificationResult> {
    const outbox = this.dataSource.getRepository(SmsOutboxEntity);
    try {
      const sent = await this.gateway.send({ to: row.recipientPhone!, body: row.body, channel: row.channel, reference: key });
      // Guarded by SENDING: a late answer must not overwrite what a later attempt decided.
      await this.dataSource.query(
        `UPDATE sms_outbox SET status = 'SENT', provider_message_id = $2, sent_at = now(), last_error = NULL WHERE notification_key = $1 AND status = 'SENDING'`,
        [key, sent.providerMessageId],
      );
      return { key, status: 'SENT' };
    } catch (error) {
      if (error instanceof SmsNotSentError) {
        await outbox.update({ notificationKey: key, status: 'SENDING' }, { status: error.retryable ? 'PENDING' : 'FAILED', lastError: error.message });
        if (error.retryable) throw error;
        this.logger.warn(`notification ${key} refused by the provider: ${error.message}`);
        return { key, status: 'FAILED' };
      }
      await outbox.update({ notificationKey: key, status: 'SENDING' }, { status: 'UNCERTAIN', lastError: String(error) });
      this.logger.error(`notification ${key} may or may not have been sent: ${String(error)}`);
      return { key, status: 'UNCERTAIN' };
    }
  }

  /**
   * Renders the text and writes the row, claimed as SENDING (or SKIPPED with the reason, when
   * the addressee is not texted). Returns it, or null when a row with this key already existed.
   */
  private async enqueue(key: string, input: SendNotificationInput, ticket: TicketForText): Promise<(Deliverable & Pick<SmsOutboxEntity, 'status'>) | null> {
    const addressee = await this.addressee(input.recipient, ticket);
    const params = await this.params(input, ticket);
    const body = renderNotification(input.purpose, addressee.language, params);
    const status = addressee.phone ? 'SENDING' : 'SKIPPED';
    const inserted: unknown[] = await this.dataSource.query(INSERT_ROW_SQL, [
      key,
      ticket.id,
      input.purpose,
      addressee.channel,
      addressee.phone,
      body,
      status,
      addressee.phone ? 1 : 0,
      addressee.phone ? null : (addressee.skipReason ?? null),
    ]);
    return inserted.length > 0 ? { recipientPhone: addressee.phone, body, channel: addressee.channel, status } : null;
  }

  private async addressee(recipient: Recipient, ticket: TicketForText): Promise<Addressee> {
    if (recipient.kind === 'CITIZEN') {
      const citizen = { language: ticket.language, channel: ticket.channel === 'WHATSAPP' ? 'WHATSAPP' : 'SMS' } as const;
      return ticket.requesterTextable ? { ...citizen, phone: ticket.requesterPhone } : { ...citizen, phone: null, skipReason: CITIZEN_NOT_TEXTABLE };
    }
    const staff = this.dataSource.getRepository(StaffEntity);
    const person =
      recipient.kind === 'STAFF'
        ? await staff.findOneBy({ id: recipient.staffId })
        : await staff
            .createQueryBuilder('s')
            .where('s.department_id = :d AND s.active AND :role = ANY (s.roles)', { d: recipient.departmentId, role: 'DEPARTMENT_HEAD' })
            .orderBy('s.id')
            .getOne();
    return { phone: person?.phone ?? null, language: 'tr', channel: 'SMS' };
  }

  private async params(input: SendNotificationInput, ticket: TicketForText): Promise<NotificationParams> {
    const params: NotificationParams = {
      number: ticket.number,
      trackingUrl: trackingUrl(this.config.publicBaseUrl, ticket.number, ticket.trackingToken),
    };
    const p = input.params;
    if (typeof p.institutionId === 'string') {
      const institution = await this.dataSource.getRepository(ReferralInstitutionEntity).findOneBy({ id: p.institutionId });
      params.institutionName = institution ? (ticket.language === 'en' ? institution.nameEn : institution.name) : p.institutionId;
      params.institutionContact = institution?.contact;
    }
    if (typeof p.survivor === 'string') params.survivorNumber = p.survivor;
    if (typeof p.outcome === 'string') params.outcome = p.outcome;
    return params;
  }
}
