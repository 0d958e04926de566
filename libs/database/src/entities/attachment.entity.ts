import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AttachmentKind, AttachmentMediaType, AttachmentSource } from '../../../attachments/src/attachment.types';

/** PENDING until the ticket's workflow recorded it (ATTACHED); REMOVED once erased. Only ATTACHED rows are shown. */
export type AttachmentState = 'PENDING' | 'ATTACHED' | 'REMOVED';
export type AttachmentAddedByKind = 'STAFF' | 'CITIZEN' | 'SYSTEM';

/** A file added to a ticket (its bytes are in the attachment store, under the keys). Read and written by attachments.repository.ts only. */
@Entity('attachments')
@Index('attachments_ticket_idx', ['ticketId', 'createdAt'])
export class AttachmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  @Column({ type: 'text' })
  kind: AttachmentKind;

  @Column({ type: 'text' })
  source: AttachmentSource;

  @Column({ type: 'text', name: 'media_type' })
  mediaType: AttachmentMediaType;

  /** SHA-256 (hex) of the display bytes: the value the ticket's ATTACHED audit row holds. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  @Column({ type: 'text', name: 'display_key' })
  displayKey: string;

  /** Null for a PDF: no thumbnail is made of one. */
  @Column({ type: 'text', name: 'thumbnail_key', nullable: true })
  thumbnailKey: string | null;

  /** The uploaded file's name, sanitised, for Content-Disposition (never trusted for the type). */
  @Column({ type: 'text', name: 'file_name', nullable: true })
  fileName: string | null;

  @Column({ type: 'text', name: 'added_by_kind' })
  addedByKind: AttachmentAddedByKind;

  /** The staff id when staff added it; null for the citizen or the system. */
  @Column({ type: 'text', name: 'added_by', nullable: true })
  addedBy: string | null;

  @Column({ type: 'text', default: 'PENDING' })
  state: AttachmentState;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'attached_at', nullable: true })
  attachedAt: Date | null;

  /** When the KVKK anonymisation of its ticket (retention or a data subject's erasure) made it REMOVED; null otherwise. */
  @Column({ type: 'timestamptz', name: 'removed_at', nullable: true })
  removedAt?: Date | null;

  /** When a REMOVED attachment's stored objects were deleted (null while that is still to do). */
  @Column({ type: 'timestamptz', name: 'objects_deleted_at', nullable: true })
  objectsDeletedAt?: Date | null;
}
