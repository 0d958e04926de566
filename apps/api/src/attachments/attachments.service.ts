import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  ATTACHMENT_STORE,
  AttachmentError,
  processAttachment,
  type AttachmentKind as StoreAttachmentKind,
  type AttachmentMediaType,
  type AttachmentSource,
  type AttachmentStore,
  type ProcessedAttachment,
} from '../../../../libs/attachments/src';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { AttachmentsRepository, type AttachmentRow } from '../../../../libs/database/src/attachments.repository';
import type { AttachmentEntity, TicketEntity } from '../../../../libs/database/src/entities';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { ATTACHMENT_KINDS, type Actor, type AttachmentKind } from '../../../../libs/domain/src';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { ticketUpdates } from '../../../../workflows/ticket.messages';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest, notFound } from '../common/problem';
import { notReady, ticketClosed, workflowProblem } from '../common/workflow-problem';
import { identityOf } from '../identity/bearer-identity.resolver';
import { toActor, type StaffIdentity } from '../identity/identity';
import { CitizenTokens, ticketNotFound } from '../tickets/citizen-token';
import { TicketAccess } from '../tickets/ticket-access.service';
import type { CommandCaller } from '../tickets/ticket-commands.service';
import { AttachmentUrls, type AttachmentVariant } from './attachment-urls';
import type { AttachmentList, AttachmentView } from './attachment-views.schema';

// The store's kinds and the domain's are one list: a kind added to one and not the other fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const KINDS_AGREE: Same<StoreAttachmentKind, AttachmentKind> = true;
void KINDS_AGREE;

/** One file on its way in, from any way in (the console's upload, the tracking page, Open311, WhatsApp media). */
export interface AttachmentUpload {
  bytes: Buffer;
  /** The name the sender gave it: kept (sanitised) for downloads, never trusted for the type. */
  fileName?: string | null;
  kind: AttachmentKind;
  source: AttachmentSource;
}

/** A file served: its bytes and the headers that go with them. */
export interface AttachmentFile {
  bytes: Buffer;
  mediaType: AttachmentMediaType;
  /** `inline` for an image, `attachment` for a PDF (never rendered in the browser). */
  disposition: 'inline' | 'attachment';
  fileName: string;
}

const EXTENSION: Record<AttachmentMediaType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/**
 * Attachments of a ticket: every way in adds a file through `add*`, which processes it (sniffed
 * type, re-encoded image, checked PDF: libs/attachments), stores the files, inserts a PENDING
 * row and sends the ticket's workflow the `attach` Update (id, SHA-256, kind: never bytes). The
 * workflow's validator judges who may add which kind now; on success the row becomes ATTACHED,
 * on a refusal the row and the files go again and the ticket is unchanged. When the outcome is
 * unknown (Temporal did not answer) the row stays PENDING, invisible to everyone, and the sweep
 * settles it (attachment-sweeper.service.ts).
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('Attachments');
  private readonly urls: AttachmentUrls;

  constructor(
    private readonly client: Client,
    private readonly tickets: TicketsRepository,
    private readonly attachments: AttachmentsRepository,
    private readonly access: TicketAccess,
    private readonly tokens: CitizenTokens,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.urls = new AttachmentUrls(config.tracking.tokenSecret);
  }

  /**
   * POST /tickets/:number/attachments by staff: the same access read and check as every ticket
   * command (a live account; 404 for a ticket the caller does not reach).
   */
  async addByStaff(number: string, upload: AttachmentUpload, caller: CommandCaller): Promise<AttachmentView> {
    if (!caller.token) throw new Error('a staff upload needs the verified token of its route');
    const read = await this.tickets.commandRead(number, caller.token.key, {});
    if (!read.account) throw caller.notLive();
    if (!read.ticket) throw ticketNotFound(number);
    const identity = identityOf(read.account, caller.token);
    this.access.assertCanReachKnowing(identity, read.ticket, read.followerIds);
    return this.add(read.ticket, upload, toActor(identity), { kind: 'STAFF', id: identity.id, name: read.account.name ?? null });
  }

  /**
   * The citizen with the ticket's tracking token (the tracking page; an Open311 client acting
   * for the citizen who filed it): their own file, kind CITIZEN. 404 without a working token.
   */
  async addByCitizen(number: string, upload: Omit<AttachmentUpload, 'kind'>, trackingToken: string | undefined): Promise<AttachmentView> {
    const ticket = await this.tickets.findByNumber(number);
    if (!ticket) throw ticketNotFound(number);
    this.tokens.assert(ticket, trackingToken);
    return this.addForCitizen(ticket, upload);
  }

  /**
   * The citizen's file when the caller has established already that it comes from the ticket's
   * citizen (WhatsApp media from the requester's number, fetched by the worker): kind CITIZEN.
   */
  addForCitizen(ticket: TicketEntity, upload: Omit<AttachmentUpload, 'kind'>): Promise<AttachmentView> {
    return this.add(ticket, { ...upload, kind: 'CITIZEN' }, { kind: 'CITIZEN' }, { kind: 'CITIZEN', id: null, name: null });
  }

  /** GET /tickets/:number/attachments: the ATTACHED ones, for a reader who may open the ticket (404 otherwise). */
  async list(number: string, identity: StaffIdentity): Promise<AttachmentList> {
    const ticket = await this.tickets.findByNumber(number);
    if (!ticket) throw ticketNotFound(number);
    await this.access.assertCanOpen(identity, ticket);
    const rows = await this.attachments.listAttached(ticket.id);
    return { number, items: rows.map((row) => this.view(row, number)) };
  }

  /**
   * One file of an attachment: for a signed-in reader who may open its ticket, or anyone with a
   * working signed URL of this very file. Everyone else, and any attachment not ATTACHED, gets
   * the 404 of an unknown one (not 403: its existence is not revealed).
   */
  async file(id: string, variant: AttachmentVariant, identity: StaffIdentity | null, sig: string | undefined): Promise<AttachmentFile> {
    const row = await this.attachments.findAttached(id);
    if (!row) throw attachmentNotFound(id);
    if (!(sig !== undefined && this.urls.verify(id, variant, sig))) {
      if (!identity) throw attachmentNotFound(id);
      const ticket = await this.tickets.findById(row.ticketId);
      if (!ticket) throw attachmentNotFound(id);
      await this.access.assertCanOpen(identity, ticket).catch(() => {
        throw attachmentNotFound(id);
      });
    }
    const key = variant === 'display' ? row.displayKey : row.thumbnailKey;
    const bytes = key ? await this.store.get(key) : null;
    if (!bytes) throw attachmentNotFound(id);
    return {
      bytes,
      mediaType: row.mediaType,
      disposition: row.mediaType === 'application/pdf' ? 'attachment' : 'inline',
      fileName: downloadName(row, variant),
    };
  }

  private async add(ticket: TicketEntity, upload: AttachmentUpload, actor: Actor, addedBy: AttachmentView['addedBy']): Promise<AttachmentView> {
    if (!(ATTACHMENT_KINDS as readonly string[]).includes(upload.kind)) throw badRequest('kind', `must be one of ${ATTACHMENT_KINDS.join(', ')}`);
    if (ticket.status === 'CLOSED') throw ticketClosed(ticket.number);
    if (!ticket.workflowStartedAt) throw notReady(ticket.number);
    const { maxPerTicket } = this.config.attachments;
    // A quick refusal before any work; the insert below checks again under a lock.
    if ((await this.attachments.countOf(ticket.id)) >= maxPerTicket) throw limitReached(maxPerTicket);
    const processed = await processAttachment(upload.bytes, this.config.attachments).catch((error: unknown) => {
      throw error instanceof AttachmentError ? new ApiProblem(ApiErrorCode[error.code], error.message) : error;
    });

    const id = randomUUID();
    const row = this.rowOf(id, ticket, upload, processed, addedBy);
    if (!(await this.attachments.insertPending(row, maxPerTicket))) throw limitReached(maxPerTicket);
    try {
      await this.store.put(row.displayKey, processed.display, processed.mediaType);
      if (row.thumbnailKey && processed.thumbnail) await this.store.put(row.thumbnailKey, processed.thumbnail, processed.mediaType);
    } catch (error) {
      await this.discard(id);
      throw error;
    }

    try {
      const handle = this.client.workflow.getHandle(ticketWorkflowId(ticket.number));
      const args = { actor, attachmentId: id, sha256: processed.sha256, kind: upload.kind };
      // The attachment id makes the Update id: a resend to the same run is answered as the first.
      await this.client.withDeadline(Date.now() + this.config.temporal.commandWaitMs, () => handle.executeUpdate(ticketUpdates.attach, { args: [args], updateId: `attach:${id}` }));
    } catch (error) {
      const problem = workflowProblem(error, { number: ticket.number, workflowStarted: true }, 'command');
      // Refused: nothing of the file stays. Unknown (503): the row stays PENDING, shown to nobody, until the sweep settles it.
      if (problem instanceof ApiProblem && problem.status < 500) await this.discard(id);
      throw problem;
    }
    await this.attachments.markAttached(id);
    return this.view({ ...row, state: 'ATTACHED', createdAt: new Date(), attachedAt: new Date(), addedByName: addedBy.name }, ticket.number);
  }

  private rowOf(id: string, ticket: TicketEntity, upload: AttachmentUpload, processed: ProcessedAttachment, addedBy: AttachmentView['addedBy']): Omit<AttachmentEntity, 'state' | 'createdAt' | 'attachedAt'> {
    const ext = EXTENSION[processed.mediaType];
    return {
      id,
      ticketId: ticket.id,
      kind: upload.kind,
      source: upload.source,
      mediaType: processed.mediaType,
      sha256: processed.sha256,
      size: processed.size,
      width: processed.width,
      height: processed.height,
      displayKey: `${id}/display.${ext}`,
      thumbnailKey: processed.thumbnail ? `${id}/thumbnail.${ext}` : null,
      fileName: sanitiseFileName(upload.fileName),
      addedByKind: addedBy.kind,
      addedBy: addedBy.id,
    };
  }

  /** Takes a refused upload away again: its row, then its files. */
  private async discard(id: string): Promise<void> {
    const keys = await this.attachments.discardPending(id);
    for (const key of [keys?.displayKey ?? null, keys?.thumbnailKey ?? null]) {
      if (key) await this.store.delete(key).catch((error) => this.logger.warn(`could not delete ${key} (the sweep will): ${String(error)}`));
    }
  }

  private view(row: AttachmentRow, number: string): AttachmentView {
    const display = this.urls.signed(row.id, 'display');
    return {
      id: row.id,
      ticketNumber: number,
      kind: row.kind,
      source: row.source,
      mediaType: row.mediaType,
      sha256: row.sha256,
      size: row.size,
      width: row.width,
      height: row.height,
      fileName: row.fileName,
      addedAt: (row.attachedAt ?? row.createdAt).toISOString(),
      addedBy: { kind: row.addedByKind, id: row.addedBy, name: row.addedByName },
      displayUrl: display.url,
      thumbnailUrl: row.thumbnailKey ? this.urls.signed(row.id, 'thumbnail').url : null,
      urlsExpireAt: display.expiresAt.toISOString(),
    };
  }
}

const attachmentNotFound = (id: string) => notFound(`attachment ${id}`);
const limitReached = (max: number) => new ApiProblem(ApiErrorCode.ATTACHMENT_LIMIT_REACHED, `a ticket may have at most ${max} attachments`);

/** The name a file was sent with, made safe for a header: no path, no control or quote characters, at most 120 characters. */
export function sanitiseFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"';\\]/g, '').replace(/\s+/g, ' ').trim().slice(0, 120);
  return clean && clean !== '.' && clean !== '..' ? clean : null;
}

/** The name a download gets: the sender's name without its extension, with the extension of what is served. */
function downloadName(row: Pick<AttachmentEntity, 'fileName' | 'mediaType' | 'id'>, variant: AttachmentVariant): string {
  const stem = (row.fileName ?? '').replace(/\.[^.]*$/, '') || `attachment-${row.id.slice(0, 8)}`;
  return `${stem}${variant === 'thumbnail' ? '-thumbnail' : ''}.${EXTENSION[row.mediaType]}`;
}
