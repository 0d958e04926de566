import { Inject, Injectable, Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../libs/config/src';
import type { OutboxStatus, SendMode } from '../libs/database/src/entities';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { RateLimitCounters, SMS_BUDGET_COUNTER } from '../libs/database/src/rate-limit-counters.repository';
import { maskTrackingTokens, redactPhoneNumbers, renderNotification, SmsGateway, SmsNotSentError, unmaskTrackingToken, type NotificationParams, type OutgoingMessage } from '../libs/sms/src';
import type { Recipient } from '../libs/domain/src';
import { notificationKey } from '../libs/sms/src/notification-key';
import type { NotificationResult, SendNotificationInput } from './ticket-activities.contract';
import { markCitizenUnreachable, OutboxRepository, type MessageTicket, type OutboxRow } from '../libs/database/src/outbox.repository';
import { TicketTimelineRepository } from '../libs/database/src/ticket-timeline.repository';
import { SendRateLimiter } from './send-rate-limiter';
import { consoleUrl, ticketTrackingToken, trackingUrl } from '../libs/sms/src/tracking-link';

/** What sending needs of an outbox row: its body is stored masked (`k=***`), the token is put back only for the provider. */
type Deliverable = Pick<OutboxRow, 'id' | 'recipientPhone' | 'body' | 'channel' | 'ticketId' | 'sendMode' | 'purpose'>;

/** A row just written, with its ticket (for the token to put back into its body). */
type Enqueued = Deliverable & Pick<OutboxRow, 'status'> & { ticket: MessageTicket };

/** The WhatsApp rule: free-form messages only within this long after the citizen's last inbound message. */
export const WHATSAPP_SESSION_MS = 24 * 3_600_000;

interface Addressee {
  /** Null when this addressee is not texted: the outbox row is SKIPPED, with the reason. */
  phone: string | null;
  skipReason?: string;
  language: 'tr' | 'en';
  channel: 'SMS' | 'WHATSAPP';
  sendMode: SendMode;
}

/** Decided at intake (ticket.requesterTextable): only Turkish mobile numbers are texted. */
export const CITIZEN_NOT_TEXTABLE = 'citizen cannot be texted: not a Turkish mobile number';

/** An anonymous or platform user's request's acknowledgement beyond ACK_SMS_DAILY_LIMIT for its phone (last 24 hours). */
export const ACK_DAILY_LIMIT_REACHED = 'daily acknowledgement limit reached for this phone';

/**
 * An acknowledgement held because the whole system sent SMS_HOURLY_BUDGET messages this hour
 * (the row is SKIPPED: final, never sent later, never twice). Only acknowledgements are held:
 * every other message (referral, request for information, resolution, closure check, staff
 * notices) follows a decision of the staff on a ticket and is sent, counted, past the budget.
 */
export const SMS_BUDGET_EXCEEDED = 'SMS_BUDGET_EXCEEDED: the hourly SMS budget of the whole system is used up';

/** The stable event name of the alert logged (at error level) when acknowledgements are held. */
export const SMS_BUDGET_ALERT = 'sms_budget_exceeded';

/** At most one alert line a minute per worker process, with the number held since the last one. */
const BUDGET_ALERT_EVERY_MS = 60_000;

/**
 * Whether this is the activity's first attempt. Outside an activity (the closure-check sweeper,
 * tests calling the class) it is not known, and the row is looked up first as on a retry.
 */
function firstAttempt(): boolean {
  try {
    return Context.current().info.attempt === 1;
  } catch {
    return false;
  }
}

/** Advisory lock class of the per-phone acknowledgement count (the phone's hash is the second key). */
const ACK_LIMIT_LOCK = 185185002;

/**
 * What the log says of a failed send: the provider's status and code, or the error's name and
 * code, never its words (a provider's may quote the number). The outbox row keeps the words,
 * with phone numbers redacted.
 */
function failureOf(error: unknown): string {
  if (error instanceof SmsNotSentError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error ? `${error.name}${code ? ` ${String(code)}` : ''}` : 'unknown error';
}

/**
 * Sends one notification through the SMS outbox. The row is written (unique key) and claimed
 * before the provider is called, so a retried activity or a replay never texts twice. Its body
 * never holds the citizen's tracking token (masked as `k=***`; the message sent carries it):
 * - SENT / SKIPPED / FAILED rows are final and returned as they are;
 * - a row left SENDING by a crashed attempt may or may not have reached the provider, so it
 *   becomes UNCERTAIN for an operator instead of being sent again;
 * - a provider answer that proves the message was not accepted puts the row back to PENDING
 *   and throws, so Temporal retries it with backoff;
 * - the provider's answer to an attempt that a later attempt already marked UNCERTAIN still
 *   records SENT (with the provider's id) or FAILED: it is what happened.
 */
@Injectable()
export class NotificationActivities {
  private readonly logger = new Logger('Notifications');
  private readonly pace: SendRateLimiter;
  private readonly counters: RateLimitCounters;
  private readonly outbox: OutboxRepository;
  private readonly timeline: TicketTimelineRepository;
  private budgetAlert = { at: 0, held: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly organisation: OrganisationRepository,
    private readonly gateway: SmsGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.pace = new SendRateLimiter(dataSource, config.sms.ratePerSecond);
    this.counters = new RateLimitCounters(dataSource);
    this.outbox = new OutboxRepository(dataSource);
    this.timeline = new TicketTimelineRepository(dataSource);
  }

  async sendNotification(input: SendNotificationInput): Promise<NotificationResult> {
    const key = notificationKey(input.number, input.purpose, input.seq);
    // A first attempt (almost every call) writes its row straight away: the unique key settles a
    // race, and a row that exists after all (a replay whose first run got this far) is read then.
    let row = firstAttempt() ? null : await this.outbox.findByKey(key);
    if (!row) {
      // First attempt: the row is written already claimed (SENDING), saving a claim round trip.
      const created = await this.enqueue(key, input);
      if (created?.status === 'SKIPPED') return { key, status: 'SKIPPED' };
      if (created) return this.deliver(key, created, created.ticket);
      row = await this.outbox.findByKeyOrFail(key); // lost a race with another attempt
    }
    if (row.status === 'SENT' || row.status === 'SKIPPED' || row.status === 'FAILED' || row.status === 'UNCERTAIN') {
      return { key, status: row.status === 'SENT' ? 'ALREADY_HANDLED' : row.status };
    }

    if (!(await this.outbox.claim(key))) {
      // Someone else holds it, or a previous attempt died mid-send: do not risk a second text.
      await this.outbox.markInterrupted(key);
      this.logger.warn(`notification ${key} left uncertain: a previous attempt was interrupted while sending`);
      return { key, status: 'UNCERTAIN' };
    }

    const ticket = row.ticketId ? await this.outbox.messageTicket(row.ticketId) : null;
    return this.deliver(key, row, ticket);
  }

  /** Hands a claimed (SENDING) row to the gateway, paced per sender, and records what happened. */
  private async deliver(key: string, row: Deliverable, ticket: MessageTicket | null): Promise<NotificationResult> {
    // The token of the row's ticket (derived, never stored), to put back into the body that is sent.
    const token = ticket ? ticketTrackingToken(this.config.tracking.tokenSecret, ticket) : null;
    // The provider's word settles an open row (SENDING or UNCERTAIN); SENT and FAILED are never overwritten.
    const settle = (status: 'SENT' | 'FAILED', fields: Partial<OutboxRow>) => this.outbox.settle(key, status, fields);
    const sender = this.gateway.senderKey(row.channel);
    try {
      const body = unmaskTrackingToken(row.body, token);
      await this.pace.acquire(sender);
      const sent = await this.gateway.send({
        to: row.recipientPhone!,
        body,
        channel: row.channel,
        reference: key,
        ...this.statusCallback(row.id),
        ...this.template(row, ticket, token),
      });
      await settle('SENT', { providerMessageId: sent.providerMessageId, sentAt: new Date(), lastError: null });
      return { key, status: 'SENT' };
    } catch (error) {
      // Twilio's 429: every worker holds off this sender for its Retry-After (at least a second),
      // this message's retry included; Temporal's retry backs off this attempt as well.
      if (error instanceof SmsNotSentError && error.httpStatus === 429) await this.pace.backOff(sender, error.retryAfterSeconds ?? 1);
      // The row keeps the provider's words for an operator, without a token or a phone number
      // (Twilio's texts quote the number: KVKK); the log gets its status and code only.
      const lastError = redactPhoneNumbers(maskTrackingTokens(error instanceof SmsNotSentError ? error.detail : error instanceof Error ? error.message : String(error)));
      if (error instanceof SmsNotSentError && !error.retryable) {
        await settle('FAILED', { lastError });
        if (error.providerCode !== undefined && row.ticketId && row.recipientPhone) {
          await markCitizenUnreachable(this.dataSource.manager, {
            ticketId: row.ticketId,
            phone: row.recipientPhone,
            purpose: row.purpose,
            channel: row.channel,
            code: error.providerCode,
            notificationKey: key,
          });
        }
        this.logger.warn(`notification ${key} refused by the provider: ${failureOf(error)}`);
        return { key, status: 'FAILED' };
      }
      // Only this attempt's own claim goes back to PENDING (retry) or to UNCERTAIN.
      const next = error instanceof SmsNotSentError ? 'PENDING' : 'UNCERTAIN';
      await this.outbox.release(key, next, lastError);
      if (next === 'PENDING') throw error;
      this.logger.error(`notification ${key} may or may not have been sent: ${failureOf(error)}`);
      return { key, status: 'UNCERTAIN' };
    }
  }

  /**
   * Renders the text and writes the row, claimed as SENDING (or SKIPPED with the reason, when
   * the addressee is not texted). Returns it, or null when a row with this key already existed.
   */
  private async enqueue(key: string, input: SendNotificationInput): Promise<Enqueued | null> {
    const ticket = await this.outbox.messageTicket(input.ticketId);
    if (!ticket) throw new Error(`notification ${key}: ticket ${input.ticketId} not found`);
    const addressee = await this.addressee(input.recipient, ticket);
    const token = ticketTrackingToken(this.config.tracking.tokenSecret, ticket);
    const params = await this.params(input, ticket, token);
    const body = maskTrackingTokens(renderNotification(input.purpose, addressee.language, params));
    // Only the acknowledgement of an anonymous or a platform user's request is capped; the center's staff are trusted.
    const acknowledgement = input.purpose === 'RECEIVED' && input.recipient.kind === 'CITIZEN';
    const capped = acknowledgement && addressee.phone !== null && (ticket.recordedBy === null || ticket.submittedBy !== null);

    const write = async (manager: EntityManager): Promise<Enqueued | null> => {
      let phone = addressee.phone;
      let lastError = phone ? null : (addressee.skipReason ?? null);
      if (capped && (await this.dailyAckLimitReached(manager, phone!))) [phone, lastError] = [null, ACK_DAILY_LIMIT_REACHED];
      const budgeted = phone !== null;
      if (budgeted && !(await this.withinHourlyBudget(acknowledgement, ticket.number))) [phone, lastError] = [null, SMS_BUDGET_EXCEEDED];
      const status: OutboxStatus = phone ? 'SENDING' : 'SKIPPED';
      const { channel, sendMode } = addressee;
      const inserted = await this.outbox.insertUnlessExists(manager, {
        notificationKey: key,
        ticketId: ticket.id,
        purpose: input.purpose,
        channel,
        recipientPhone: phone,
        body,
        status,
        attempts: phone ? 1 : 0,
        lastError,
        sendMode,
      });
      // Another attempt wrote the row first: this one sends nothing, so it takes its count back.
      if (!inserted && phone !== null) await this.counters.refund(SMS_BUDGET_COUNTER.scope, SMS_BUDGET_COUNTER.key);
      return inserted ? { id: inserted, recipientPhone: phone, body, channel, sendMode, purpose: input.purpose, ticketId: ticket.id, status, ticket } : null;
    };
    // The cap is counted and the row written in one transaction under the phone's lock, so any
    // number of workers, in any number of processes, agree on it (and it survives restarts).
    return capped ? this.dataSource.transaction(write) : write(this.dataSource.manager);
  }

  /**
   * Counts one message against the hourly budget of the whole system (SMS_HOURLY_BUDGET, in
   * PostgreSQL: every worker shares it). Past it an acknowledgement is held (false: its count is
   * given back) and an alert is logged; any other message is sent all the same.
   */
  private async withinHourlyBudget(holdable: boolean, ticketNumber: string): Promise<boolean> {
    const { scope, key, windowMs } = SMS_BUDGET_COUNTER;
    const budget = this.config.sms.hourlyBudget;
    const hit = await this.counters.hit(scope, key, { windowMs, limit: budget, blockMs: 0 });
    if (!hit.blocked || !holdable) return true;
    await this.counters.refund(scope, key);
    this.budgetAlert.held++;
    if (Date.now() - this.budgetAlert.at >= BUDGET_ALERT_EVERY_MS) {
      this.logger.error(
        `${SMS_BUDGET_ALERT}: ${hit.hits - 1} messages sent this hour, the budget is ${budget} (SMS_HOURLY_BUDGET); ` +
          `acknowledgements are held until the hour's window ends in ${hit.resetInSeconds} s (${this.budgetAlert.held} held by this worker since the last alert, the latest of ticket ${ticketNumber})`,
      );
      this.budgetAlert = { at: Date.now(), held: 0 };
    }
    return false;
  }

  /** Whether the phone got ACK_SMS_DAILY_LIMIT acknowledgements in the last 24 hours (sent, or maybe sent). Takes the phone's lock until the transaction ends. */
  private async dailyAckLimitReached(manager: EntityManager, phone: string): Promise<boolean> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ACK_LIMIT_LOCK, phone]);
    const sent = await this.outbox.recentAcknowledgements(manager, phone);
    return sent >= this.config.intakeLimits.ackSmsPerPhonePerDay;
  }

  private async addressee(recipient: Recipient, ticket: MessageTicket): Promise<Addressee> {
    if (recipient.kind === 'CITIZEN') {
      const citizen = { language: ticket.language, ...(await this.citizenChannel(ticket)) };
      return ticket.requesterTextable ? { ...citizen, phone: ticket.requesterPhone } : { ...citizen, phone: null, skipReason: CITIZEN_NOT_TEXTABLE };
    }
    const person =
      recipient.kind === 'STAFF' ? await this.organisation.findStaff(recipient.staffId) : await this.organisation.departmentHead(recipient.departmentId);
    return { phone: person?.phone ?? null, language: 'tr', channel: 'SMS', sendMode: 'SMS' };
  }

  /**
   * How the citizen is written to. A ticket that came in over WhatsApp is answered on WhatsApp:
   * free-form within 24 hours of the citizen's last WhatsApp message (Meta's session rule),
   * outside it with the pre-approved template (TWILIO_WHATSAPP_CONTENT_SID), or, without one,
   * by SMS. The choice is recorded on the outbox row (send_mode).
   */
  private async citizenChannel(ticket: MessageTicket): Promise<Pick<Addressee, 'channel' | 'sendMode'>> {
    if (ticket.channel !== 'WHATSAPP') return { channel: 'SMS', sendMode: 'SMS' };
    const last = await this.timeline.lastWhatsAppFrom(ticket.requesterPhone);
    if (last && Date.now() - last.getTime() < WHATSAPP_SESSION_MS) return { channel: 'WHATSAPP', sendMode: 'WHATSAPP_FREEFORM' };
    if (this.config.sms.twilio?.whatsappContentSid) return { channel: 'WHATSAPP', sendMode: 'WHATSAPP_TEMPLATE' };
    return { channel: 'SMS', sendMode: 'SMS_FALLBACK' };
  }

  /** Twilio reports delivery to the row's own URL (the API's status webhook), when Twilio sends. */
  private statusCallback(outboxId: string): { statusCallback?: string } {
    const twilio = this.config.sms.twilio;
    return twilio ? { statusCallback: `${twilio.webhookBaseUrl}/webhooks/twilio/status?o=${encodeURIComponent(outboxId)}` } : {};
  }

  /** The template's variables: {{1}} the ticket number, {{2}} the tracking link. */
  private template(row: Deliverable, ticket: MessageTicket | null, token: string | null): Pick<OutgoingMessage, 'template'> {
    const contentSid = this.config.sms.twilio?.whatsappContentSid;
    if (row.sendMode !== 'WHATSAPP_TEMPLATE' || !contentSid || !ticket) return {};
    const link = token ? trackingUrl(this.config.publicBaseUrl, ticket.number, token) : this.config.publicBaseUrl;
    return { template: { contentSid, variables: { '1': ticket.number, '2': link } } };
  }

  /** The template's values. Staff get the console link, the citizen the tracking link; never the other way round. */
  private async params(input: SendNotificationInput, ticket: MessageTicket, token: string | null): Promise<NotificationParams> {
    const params: NotificationParams = { number: ticket.number };
    if (input.recipient.kind !== 'CITIZEN') params.consoleUrl = consoleUrl(this.config.publicBaseUrl, ticket.number);
    else if (token) params.trackingUrl = trackingUrl(this.config.publicBaseUrl, ticket.number, token);
    const p = input.params;
    if (typeof p.institutionId === 'string') {
      const institution = await this.organisation.findReferralInstitution(p.institutionId);
      params.institutionName = institution ? (ticket.language === 'en' ? institution.nameEn : institution.name) : p.institutionId;
      params.institutionContact = institution?.contact;
    }
    if (typeof p.survivor === 'string') params.survivorNumber = p.survivor;
    if (typeof p.outcome === 'string') params.outcome = p.outcome;
    return params;
  }
}
