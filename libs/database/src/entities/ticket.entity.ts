import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Channel, Outcome, Segment, TicketStatus, TicketType } from '../../../domain/src';

const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * The ticket row: personal data (requester, description, address) lives only here, never in
 * the workflow. The status columns are the read model, kept by the workflow's projection
 * activity and guarded by `lastEventSeq` so an older write never overwrites a newer one.
 */
@Entity('tickets')
@Index('tickets_status_idx', ['status', 'id'])
@Index('tickets_department_status_idx', ['departmentId', 'status'])
@Index('tickets_assignee_idx', ['assigneeId', 'status'])
@Index('tickets_unstarted_idx', ['receivedAt'], { where: 'workflow_started_at IS NULL' })
export class TicketEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', unique: true })
  number: string;

  /**
   * The random part of the citizen's tracking token; the token itself is derived from it and
   * TRACKING_TOKEN_SECRET and never stored (libs/sms/src/tracking-link.ts). Null with the hash for
   * a ticket without a working link (recorded before tokens were hashed).
   */
  @Column({ type: 'text', name: 'tracking_token_nonce', nullable: true })
  trackingTokenNonce: string | null;

  /** A keyed hash (HMAC) of the tracking token: what a token given by a caller is compared with, in constant time. */
  @Column({ type: 'bytea', name: 'tracking_token_hash', nullable: true })
  trackingTokenHash: Buffer | null;

  /** The staff member or platform user who recorded the request; null for an anonymous one (web), which the intake limits apply to. */
  @Column({ type: 'text', name: 'recorded_by', nullable: true })
  recordedBy: string | null;

  @Column({ type: 'text' })
  channel: Channel;

  @Column({ type: 'text' })
  type: TicketType;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  segment: Segment;

  @Column({ type: 'text', default: 'tr' })
  language: 'tr' | 'en';

  @Column({ type: 'text', name: 'requester_name' })
  requesterName: string;

  @Column({ type: 'text', name: 'requester_phone' })
  requesterPhone: string;

  /** The phone can receive our SMS (a Turkish mobile number); a landline caller is not texted. */
  @Column({ type: 'boolean', name: 'requester_textable' })
  requesterTextable: boolean;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  district: string | null;

  @Column({ type: 'text', nullable: true })
  neighbourhood: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true, transformer: numeric })
  lat: number | null;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true, transformer: numeric })
  lng: number | null;

  @Column({ type: 'text', default: 'RECEIVED' })
  status: TicketStatus;

  @Column({ type: 'text', nullable: true })
  outcome: Outcome | null;

  @Column({ type: 'text', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', name: 'assignee_id', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'int', name: 'approval_level', nullable: true })
  approvalLevel: number | null;

  @Column({ type: 'boolean', name: 'sla_breached', default: false })
  slaBreached: boolean;

  @Column({ type: 'int', name: 'reopen_count', default: 0 })
  reopenCount: number;

  @Column({ type: 'int', name: 'last_event_seq', default: 0 })
  lastEventSeq: number;

  /** The workflow's compact view at lastEventSeq (non-personal): clocks, chain, round. */
  @Column({ type: 'jsonb', name: 'workflow_view', nullable: true })
  workflowView: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'received_at' })
  receivedAt: Date;

  @Column({ type: 'timestamptz', name: 'workflow_started_at', nullable: true })
  workflowStartedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'resolved_at', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true })
  closedAt: Date | null;

  /** The platform user (muhtar, esnaf, meclis üyesi) who submitted it; null for citizens and agents. */
  @Column({ type: 'text', name: 'submitted_by', nullable: true })
  submittedBy: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;

  /** The Open311 API client that filed it (api_clients); null for every other intake. */
  @Column({ type: 'uuid', name: 'api_client_id', nullable: true })
  apiClientId: string | null;

  /** Open311's media_url: a link to a photo the client sent with the request. */
  @Column({ type: 'text', name: 'media_url', nullable: true })
  mediaUrl: string | null;

  /** The citizen chose to make it public (filed on the web or through Open311, or the intake's `public`): Open311 lists only these. */
  @Column({ type: 'boolean', name: 'is_public', default: false })
  isPublic: boolean;
  /** When its personal data was replaced by the KVKK marker (retention job or a data-subject erasure); null = not anonymised. */
  @Column({ type: 'timestamptz', name: 'anonymised_at', nullable: true })
  anonymisedAt: Date | null;

  /** Set when the provider said the citizen's number can never be reached (invalid, opted out, blocked); shown to staff. */
  @Column({ type: 'jsonb', name: 'citizen_unreachable', nullable: true })
  citizenUnreachable: CitizenUnreachable | null;
}

/** "The citizen could not be reached by SMS": when, by which channel, the provider's code, the outbox row. */
export interface CitizenUnreachable {
  at: string;
  channel: 'SMS' | 'WHATSAPP';
  code: number;
  reason: string;
  notificationKey: string;
}
