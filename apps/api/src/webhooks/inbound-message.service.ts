import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { inboundMediaWorkflowId } from '../../../../libs/temporal/src/task-queue';
import type { inboundMediaWorkflow } from '../../../../workflows/inbound-media.workflow';
import { ticketTrackingToken } from '../../../../libs/sms/src/tracking-link';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { InboundMedia, InboundOutcome } from '../../../../libs/database/src/entities';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { ApiProblem } from '../common/problem';
import { normalizePhone } from '../common/turkish-phone';
import { DESCRIPTION_MAX } from '../tickets/dto/create-ticket.dto';
import { IntakeService } from '../tickets/intake.service';
import { citizenCaller, TicketCommandsService } from '../tickets/ticket-commands.service';

/** The type and category a message-born ticket starts with; the coordination center sets the real ones at triage (assign-department takes a category). */
export const INBOUND_TICKET_TYPE = 'REQUEST' as const;
export const INBOUND_TICKET_CATEGORY = 'OTHER';
/** A message with pictures and no words still makes a ticket. */
export const MEDIA_ONLY_DESCRIPTION = '(yalnızca fotoğraf/medya gönderildi)';
/** A location message with no words still makes a ticket. */
export const LOCATION_ONLY_DESCRIPTION = '(yalnızca konum gönderildi)';
const NAME_MAX = 200;
const ANSWER_MAX = 4000;
const MAX_MEDIA = 10;

export interface InboundResult {
  outcome: InboundOutcome | 'DUPLICATE' | 'IGNORED';
  ticketNumber?: string;
}

/** The fields of Twilio's incoming-message webhook that Teksin reads. */
export interface TwilioInbound {
  MessageSid?: string;
  From?: string;
  Body?: string;
  NumMedia?: string;
  ProfileName?: string;
  /** A WhatsApp location message: the pin the citizen shared (decimal degrees). */
  Latitude?: string;
  Longitude?: string;
  [field: string]: string | undefined;
}

/**
 * A WhatsApp or SMS message from a citizen. Claimed by its MessageSid first (a retried webhook
 * finds the claim and does nothing). From a number without an open ticket: a new ticket (channel
 * of arrival, type and category for triage), whose acknowledgement — number and tracking link —
 * the workflow sends through the outbox, once. From a number with an open ticket: kept on it as
 * the citizen's message for staff; when the ticket waits for the citizen, it is also their answer
 * (the existing citizen command `info-provided`, sent with the ticket's own tracking token, exactly
 * as the tracking page sends it). Media are kept by URL and fetched by the worker
 * (`inboundMediaWorkflow`), which adds each to the ticket as the citizen's attachment.
 */
@Injectable()
export class InboundMessageService {
  private readonly logger = new Logger('InboundMessages');

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
    private readonly intake: IntakeService,
    private readonly commands: TicketCommandsService,
    private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(form: TwilioInbound): Promise<InboundResult> {
    const messageSid = form.MessageSid ?? '';
    const from = form.From ?? '';
    const channel = from.startsWith('whatsapp:') ? 'WHATSAPP' : 'SMS';
    const phone = normalizePhone(from.replace(/^whatsapp:/, ''));
    if (!/^(SM|MM)[0-9a-fA-F]{32}$/.test(messageSid) || !phone) {
      this.logger.warn(`ignored an inbound message without a message id or a readable sender`);
      return { outcome: 'IGNORED' };
    }
    const body = (form.Body ?? '').trim();
    const media = mediaOf(form);

    if (!(await this.timeline.claimInbound({ messageSid, channel, fromPhone: phone, body, media }))) {
      // A retry: the first delivery may have settled the message and died before its media were handed on.
      const settled = media.length ? await this.timeline.inboundMediaOf(messageSid) : null;
      if (settled) await this.fetchMedia(messageSid, settled.ticketNumber, settled.media.length);
      return { outcome: 'DUPLICATE' };
    }

    let result: Awaited<ReturnType<InboundMessageService['process']>>;
    try {
      result = await this.process(phone, channel, body, media, form.ProfileName, placeOf(form));
      await this.timeline.settleInbound(messageSid, result.outcome, result.ticketId);
    } catch (error) {
      // Nothing was done: give the message back so Twilio's retry processes it.
      await this.timeline.releaseInbound(messageSid);
      throw error;
    }
    if (media.length) await this.fetchMedia(messageSid, result.ticketNumber, media.length);
    return { outcome: result.outcome, ticketNumber: result.ticketNumber };
  }

  /**
   * Hands the message's media to the worker: `inboundMediaWorkflow`, one per MessageSid (a
   * retried webhook finds it running or done and starts nothing new), fetches each item once,
   * retried, and adds it to the ticket, or records on the ticket that it could not. When Temporal
   * does not answer the webhook fails (5xx), and Twilio's retry starts it.
   */
  private async fetchMedia(messageSid: string, ticketNumber: string, count: number): Promise<void> {
    try {
      await this.client.workflow.start<typeof inboundMediaWorkflow>('inboundMediaWorkflow', {
        workflowId: inboundMediaWorkflowId(messageSid),
        taskQueue: this.config.temporal.taskQueue,
        args: [{ messageSid, ticketNumber, count }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      this.logger.warn(`the media of message ${messageSid} were not handed to the worker (Twilio's retry will): ${String(error)}`);
      throw error;
    }
  }

  private async process(phone: string, channel: 'SMS' | 'WHATSAPP', body: string, media: InboundMedia[], profileName: string | undefined, place: Place | null) {
    const ticket = await this.tickets.latestNotClosedOf(phone);
    // A shared location on an open ticket without one places it; a place already recorded is kept.
    if (ticket && place) await this.tickets.placeIfUnplaced(ticket.id, place);
    if (!ticket) {
      const created = await this.intake.create({
        channel,
        type: INBOUND_TICKET_TYPE,
        category: INBOUND_TICKET_CATEGORY,
        language: 'tr',
        requester: { name: (profileName?.trim() || (channel === 'WHATSAPP' ? 'WhatsApp' : 'SMS')).slice(0, NAME_MAX), phone },
        description: (body || (place ? LOCATION_ONLY_DESCRIPTION : MEDIA_ONLY_DESCRIPTION)).slice(0, DESCRIPTION_MAX),
        ...(place ? { location: place } : {}),
      });
      return { outcome: 'CREATED_TICKET' as const, ticketId: await this.idOf(created.number), ticketNumber: created.number };
    }
    if (ticket.status === 'WAITING_FOR_CITIZEN' && (body || media.length)) {
      if (await this.answer(ticket.number, body || MEDIA_ONLY_DESCRIPTION)) return { outcome: 'ANSWERED_QUESTION' as const, ticketId: ticket.id, ticketNumber: ticket.number };
    }
    return { outcome: 'ADDED_TO_TICKET' as const, ticketId: ticket.id, ticketNumber: ticket.number };
  }

  /** The id of a ticket just recorded (the intake answers with its number). */
  private async idOf(number: string): Promise<string> {
    const row = await this.tickets.findByNumber(number);
    if (!row) throw new Error(`ticket ${number} not found`);
    return row.id;
  }

  /** The citizen's answer through the citizen's own command; false when the ticket stopped waiting meanwhile (the message is still kept). */
  private async answer(number: string, text: string): Promise<boolean> {
    const row = await this.tickets.findByNumber(number);
    if (!row) throw new Error(`ticket ${number} not found`);
    const token = ticketTrackingToken(this.config.tracking.tokenSecret, row);
    if (!token) return false;
    try {
      await this.commands.run(number, 'info-provided', { answer: text.slice(0, ANSWER_MAX) }, citizenCaller(token));
      return true;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 409) return false;
      throw error;
    }
  }
}

interface Place {
  lat: number;
  lng: number;
}

/**
 * A WhatsApp location message's pin (Twilio's Latitude and Longitude fields), or null when there
 * is none or it is not a position on Earth.
 */
export function placeOf(form: TwilioInbound): Place | null {
  const decimal = /^-?\d{1,3}(\.\d+)?$/;
  if (!form.Latitude || !form.Longitude || !decimal.test(form.Latitude) || !decimal.test(form.Longitude)) return null;
  const lat = Number(form.Latitude);
  const lng = Number(form.Longitude);
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  // The column keeps 6 decimals (about 10 cm).
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

/** MediaUrl0..N with their content types, as Twilio sent them (at most 10). */
function mediaOf(form: TwilioInbound): InboundMedia[] {
  const count = Math.min(Number.parseInt(form.NumMedia ?? '0', 10) || 0, MAX_MEDIA);
  const media: InboundMedia[] = [];
  for (let i = 0; i < count; i++) {
    const url = form[`MediaUrl${i}`];
    if (url && /^https?:\/\//.test(url)) media.push({ url, contentType: form[`MediaContentType${i}`] ?? null });
  }
  return media;
}
