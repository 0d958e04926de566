import { Inject, Injectable, Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { ATTACHMENT_STORE, AttachmentError, type AttachmentStore } from '../libs/attachments/src';
import { AttachmentLimitError, AttachmentRecorder, isWorkflowRefusal } from '../libs/attachments/src/attachment-recorder';
import { fetchTwilioMedia, MediaFetchError } from '../libs/attachments/src/twilio-media-fetch';
import { APP_CONFIG, type AppConfig } from '../libs/config/src';
import { AttachmentsRepository } from '../libs/database/src/attachments.repository';
import { TicketTimelineRepository } from '../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../libs/database/src/tickets.repository';
import { SYSTEM_ACTOR, type CommandOf } from '../libs/domain/src';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import type { InboundMediaActivities, InboundMediaItem } from './inbound-media-activities.contract';

/** How long one download may take. */
const FETCH_TIMEOUT_MS = 60_000;

/**
 * The citizen's WhatsApp/MMS media, fetched by the worker (never by the webhook's request): each
 * item once, from the account's Twilio API with its credentials, added to the ticket through the
 * same recorder as every upload (libs/attachments/src/attachment-recorder.ts), as the citizen's
 * own file (kind CITIZEN, source WHATSAPP or SMS). The Temporal client is the activity's own
 * (`Context.current().client`).
 */
@Injectable()
export class InboundMediaActivityImpl implements InboundMediaActivities {
  private readonly logger = new Logger('InboundMedia');

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
    private readonly attachments: AttachmentsRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async addInboundMedia(item: InboundMediaItem): Promise<{ attachmentId: string; already: boolean }> {
    const id = mediaAttachmentId(item.messageSid, item.index);
    // Attached by an earlier attempt (that died before answering): not fetched again.
    if (await this.attachments.findAttached(id)) return { attachmentId: id, already: true };
    const recorder = this.recorder(Context.current().client);
    // An earlier attempt left it PENDING: take it away and record it again (the Update id is the same, so the workflow answers as before).
    if ((await this.attachments.knownIds([id])).has(id)) await recorder.discard(id);

    const message = await this.timeline.inboundMediaOf(item.messageSid);
    const media = message?.media[item.index];
    if (!message || !media) throw ApplicationFailure.nonRetryable(`message ${item.messageSid} has no media item ${item.index}`, 'MEDIA_NOT_FOUND');
    const twilio = this.config.sms.twilio;
    if (!twilio) throw ApplicationFailure.nonRetryable('no Twilio account is configured to fetch the media with', 'TWILIO_NOT_CONFIGURED');
    const ticket = await this.tickets.findByNumber(item.ticketNumber);
    if (!ticket || ticket.id !== message.ticketId) throw ApplicationFailure.nonRetryable(`ticket ${item.ticketNumber} is not the message's`, 'TICKET_NOT_FOUND');

    try {
      const bytes = await fetchTwilioMedia(media.url, twilio, { maxBytes: this.config.attachments.maxBytes, timeoutMs: FETCH_TIMEOUT_MS });
      await recorder.record({
        id,
        ticket,
        kind: 'CITIZEN',
        source: message.channel === 'WHATSAPP' ? 'WHATSAPP' : 'SMS',
        fileName: null,
        file: { bytes },
        actor: { kind: 'CITIZEN' },
        addedBy: { kind: 'CITIZEN', id: null },
      });
      return { attachmentId: id, already: false };
    } catch (error) {
      throw failureOf(error);
    }
  }

  async recordMediaFailure(input: InboundMediaItem & { reason: string }): Promise<void> {
    const client = Context.current().client;
    const args: Omit<CommandOf<'mediaFailed'>, 'type'> = { actor: SYSTEM_ACTOR, messageSid: input.messageSid, index: input.index, reason: input.reason };
    try {
      const handle = client.workflow.getHandle(ticketWorkflowId(input.ticketNumber));
      // By name (workflows/ticket.messages.ts); one Update id per item, so a retry is answered as the first.
      await handle.executeUpdate('mediaFailed', { args: [args], updateId: `media-failed:${input.messageSid}:${input.index}` });
    } catch (error) {
      if (!isWorkflowRefusal(error)) throw error;
      // The ticket closed meanwhile (or refused): nothing to record it on; the log keeps it.
      this.logger.warn(`media item ${input.index} of ${input.messageSid} (ticket ${input.ticketNumber}) failed (${input.reason}) and the ticket did not take the note: ${String(error)}`);
    }
  }

  private recorder(client: Client): AttachmentRecorder {
    return new AttachmentRecorder(client, this.attachments, this.store, this.config.attachments, this.config.temporal.commandWaitMs, (message) => this.logger.warn(message));
  }
}

/** A refusal that trying again cannot change is non-retryable, its type the reason code; anything else is retried. */
function failureOf(error: unknown): unknown {
  if (error instanceof MediaFetchError) return error.retryable ? ApplicationFailure.retryable(error.message, error.reason) : ApplicationFailure.nonRetryable(error.message, error.reason);
  if (error instanceof AttachmentError) return ApplicationFailure.nonRetryable(error.message, error.code);
  if (error instanceof AttachmentLimitError) return ApplicationFailure.nonRetryable(error.message, error.code);
  if (isWorkflowRefusal(error)) return ApplicationFailure.nonRetryable(`the ticket refused the attachment: ${error instanceof Error ? error.message : String(error)}`, 'TICKET_REFUSED');
  return error;
}

/** The attachment id of a message's media item: the same for every attempt (a UUID made from the message id and the index). */
export function mediaAttachmentId(messageSid: string, index: number): string {
  const hex = createHash('sha256').update(`inbound-media:${messageSid}:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
