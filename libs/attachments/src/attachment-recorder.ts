import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { AttachmentsRepository } from '../../database/src/attachments.repository';
import type { AttachmentAddedByKind, AttachmentEntity } from '../../database/src/entities';
import { DOMAIN_ERROR_CODES, type Actor, type CommandOf } from '../../domain/src';
import { ticketWorkflowId } from '../../temporal/src/task-queue';
import { processAttachment, type AttachmentLimits, type ProcessedAttachment } from './attachment-processor';
import type { AttachmentStore } from './attachment-store';
import type { AttachmentKind, AttachmentMediaType, AttachmentSource } from './attachment.types';

/** The limits every way in applies (libs/config's AttachmentsConfig has them all). */
export interface RecorderLimits extends AttachmentLimits {
  maxPerTicket: number;
}

/** One file to record on a ticket: already processed (the caller refused a hostile file before doing anything else), or its bytes. */
export interface RecordInput {
  ticket: { id: string; number: string };
  kind: AttachmentKind;
  source: AttachmentSource;
  fileName: string | null;
  /** The processed file, or the bytes to process now. */
  file: { processed: ProcessedAttachment } | { bytes: Buffer };
  actor: Actor;
  addedBy: { kind: AttachmentAddedByKind; id: string | null };
  /** The attachment's id; a caller that retries (the media activity) passes the same one each time. Random when absent. */
  id?: string;
}

export type RecordedRow = Omit<AttachmentEntity, 'state' | 'createdAt' | 'attachedAt'>;

/** The ticket has `maxPerTicket` attachments already (the API's ATTACHMENT_LIMIT_REACHED, 409). */
export class AttachmentLimitError extends Error {
  readonly code = 'ATTACHMENT_LIMIT_REACHED';
  constructor(readonly max: number) {
    super(`a ticket may have at most ${max} attachments`);
    this.name = 'AttachmentLimitError';
  }
}

const EXTENSION: Record<AttachmentMediaType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/**
 * Records a file on a ticket, for the API (every upload route) and the worker (WhatsApp/MMS
 * media) alike: process it (sniffed type, re-encoded image, checked PDF), insert a PENDING row
 * (count-limited), store the files, send the ticket's workflow the `attach` Update (id, SHA-256,
 * kind: never bytes; the Update id is `attach:<id>`, so a resend to the same run is answered as
 * the first), then mark the row ATTACHED. A refusal by the workflow (its rules, or the ticket
 * closed) takes the row and the files away again and is rethrown; an unknown outcome (Temporal did
 * not answer) leaves the row PENDING, shown to nobody, for the sweep to settle. Errors are thrown
 * as they are (AttachmentError, AttachmentLimitError, Temporal's): each caller words them its way.
 */
export class AttachmentRecorder {
  constructor(
    private readonly client: Client,
    private readonly attachments: AttachmentsRepository,
    private readonly store: AttachmentStore,
    private readonly limits: RecorderLimits,
    private readonly commandWaitMs: number,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** The file checked and re-encoded, nothing stored: a refusal here (AttachmentError) changes nothing anywhere. */
  process(bytes: Buffer): Promise<ProcessedAttachment> {
    return processAttachment(bytes, this.limits);
  }

  async record(input: RecordInput): Promise<RecordedRow> {
    const { maxPerTicket } = this.limits;
    let processed: ProcessedAttachment;
    if ('processed' in input.file) processed = input.file.processed;
    else {
      // A quick refusal before any work; the insert below checks again under a lock.
      if ((await this.attachments.countOf(input.ticket.id)) >= maxPerTicket) throw new AttachmentLimitError(maxPerTicket);
      processed = await this.process(input.file.bytes);
    }
    const id = input.id ?? randomUUID();
    const ext = EXTENSION[processed.mediaType];
    const row: RecordedRow = {
      id,
      ticketId: input.ticket.id,
      kind: input.kind,
      source: input.source,
      mediaType: processed.mediaType,
      sha256: processed.sha256,
      size: processed.size,
      width: processed.width,
      height: processed.height,
      displayKey: `${id}/display.${ext}`,
      thumbnailKey: processed.thumbnail ? `${id}/thumbnail.${ext}` : null,
      fileName: input.fileName,
      addedByKind: input.addedBy.kind,
      addedBy: input.addedBy.id,
    };
    if (!(await this.attachments.insertPending(row, maxPerTicket))) throw new AttachmentLimitError(maxPerTicket);
    try {
      await this.store.put(row.displayKey, processed.display, processed.mediaType);
      if (row.thumbnailKey && processed.thumbnail) await this.store.put(row.thumbnailKey, processed.thumbnail, processed.mediaType);
    } catch (error) {
      await this.discard(id);
      throw error;
    }

    try {
      const handle = this.client.workflow.getHandle(ticketWorkflowId(input.ticket.number));
      const args: Omit<CommandOf<'attach'>, 'type'> = { actor: input.actor, attachmentId: id, sha256: processed.sha256, kind: input.kind };
      // By name ('attach', workflows/ticket.messages.ts): libs do not import workflows/.
      await this.client.withDeadline(Date.now() + this.commandWaitMs, () => handle.executeUpdate('attach', { args: [args], updateId: `attach:${id}` }));
    } catch (error) {
      if (isWorkflowRefusal(error)) await this.discard(id);
      throw error;
    }
    await this.attachments.markAttached(id);
    return row;
  }

  /** Takes a refused upload away again: its row, then its files. */
  async discard(id: string): Promise<void> {
    const keys = await this.attachments.discardPending(id);
    for (const key of [keys?.displayKey ?? null, keys?.thumbnailKey ?? null]) {
      if (key) await this.store.delete(key).catch((error) => this.warn(`could not delete ${key} (the sweep will): ${String(error)}`));
    }
  }
}

/**
 * Whether the ticket's workflow said no for good: its rules refused the Update (a domain
 * ApplicationFailure), or the workflow is gone (the ticket closed). Anything else — Temporal not
 * answering, overloaded — leaves the outcome unknown.
 */
export function isWorkflowRefusal(error: unknown): boolean {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    return cause instanceof ApplicationFailure && typeof cause.type === 'string' && (DOMAIN_ERROR_CODES as readonly string[]).includes(cause.type);
  }
  return error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && /already completed/i.test(error.message));
}
