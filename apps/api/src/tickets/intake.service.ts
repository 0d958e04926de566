import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { newTrackingNonce, trackingToken, trackingTokenHash, trackingUrl } from '../../../../libs/sms/src/tracking-link';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { canonicalLocation } from '../reference/locations';
import { badRequest, notFound } from '../common/problem';
import { formatTicketNumber } from '../common/ticket-number';
import { canReceiveSms } from '../common/turkish-phone';
import type { StaffIdentity } from '../identity/identity';
import { ContactsService, takesCalls } from '../contacts/contacts.service';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import { bodyHash } from '../../../../libs/database/src/command-requests.repository';
import { claimKey, recordAnswer, type IntakeIdempotency, type StoredIntakeAnswer } from './intake-idempotency';
import { intakeSegment } from './intake-segment';
import type { CreatedTicket } from './ticket-views.schema';
import { WorkflowStarter } from './workflow-starter.service';

/** Where an intake came from beyond the DTO: the Open311 client that sent it and its media URL. */
export interface IntakeOrigin {
  apiClientId?: string;
  mediaUrl?: string;
}

/** The calendar year in Türkiye (UTC+3): a ticket recorded at 01:00 on 1 January belongs to the new year. */
export const istanbulYear = (at: Date) => Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Europe/Istanbul' }).format(at));

/**
 * Records a citizen request and starts its workflow. The row is committed first: if the
 * workflow cannot be started now (Temporal down), the request is still accepted and the
 * intake sweeper starts it later, so no accepted ticket is ever lost.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger('Intake');

  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly organisation: OrganisationRepository,
    private readonly starter: WorkflowStarter,
    private readonly contacts: ContactsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `identity`: the signed-in staff member or platform user, null for an anonymous request (the intake limits apply).
   * `origin`: what an Open311 client adds (apps/api/src/open311): itself and the media URL it sent.
   */
  async create(
    dto: CreateTicketDto,
    identity: StaffIdentity | null = null,
    origin: IntakeOrigin = {},
    idempotency?: IntakeIdempotency,
  ): Promise<CreatedTicket> {
    // Every check that can refuse the request runs before nextval (the DTO was validated by the
    // pipe): a refused request never consumes a ticket number, and the insert has nothing left to refuse.
    const { segment, submittedBy } = intakeSegment(dto.segment, identity);
    const category = await this.organisation.findActiveCategory(dto.category);
    if (!category) throw badRequest('category', `unknown category "${dto.category}" (see GET /categories)`);
    const place = canonicalLocation(dto.location?.district, dto.location?.neighbourhood);

    // With an Idempotency-Key the key is taken in the same transaction as the row: a replay (or a
    // concurrent twin) gets the first answer back, and only the first request starts the workflow.
    const outcome = await this.dataSource.transaction(async (m) => {
      if (idempotency) {
        const { replay } = await claimKey(m, idempotency, bodyHash({ dto, origin }));
        if (replay) return { replay: await this.replayed(m, replay.ticketId, replay.answer, identity) };
      }
      const recorded = await this.record(m, dto, identity, origin, segment, submittedBy, category.code, place);
      if (idempotency) await recordAnswer(m, idempotency, recorded.ticket.id, storedAnswer(recorded.answer));
      return { recorded };
    });
    if ('replay' in outcome && outcome.replay) return outcome.replay;
    const { ticket, answer } = outcome.recorded!;

    try {
      await this.starter.start(ticket, category);
    } catch (error) {
      this.logger.warn(`ticket ${ticket.number} accepted; its workflow will be started by the sweeper: ${String(error)}`);
    }
    return answer;
  }

  /** Inserts the ticket row (committed with the transaction); the answer the caller gets. */
  private async record(
    m: EntityManager,
    dto: CreateTicketDto,
    identity: StaffIdentity | null,
    origin: IntakeOrigin,
    segment: TicketEntity['segment'],
    submittedBy: TicketEntity['submittedBy'],
    category: string,
    place: ReturnType<typeof canonicalLocation>,
  ): Promise<{ ticket: TicketEntity; answer: CreatedTicket }> {
    const seq = await this.tickets.nextNumberSeq(m);
    const now = new Date();
    const id = randomUUID();
    // The row keeps the nonce and a keyed hash; the token itself only goes into SMS (and back to an anonymous caller).
    const nonce = newTrackingNonce();
    const token = trackingToken(this.config.tracking.tokenSecret, id, nonce);
    const ticket = this.tickets.build({
      id,
      number: formatTicketNumber(istanbulYear(now), seq),
      trackingTokenNonce: nonce,
      trackingTokenHash: trackingTokenHash(this.config.tracking.tokenSecret, token),
      recordedBy: identity?.id ?? null,
      channel: dto.channel,
      type: dto.type,
      category,
      segment,
      submittedBy,
      language: dto.language ?? 'tr',
      requesterName: dto.requester.name.trim(),
      requesterPhone: dto.requester.phone,
      requesterTextable: canReceiveSms(dto.requester.phone),
      description: dto.description.trim(),
      district: place.district,
      neighbourhood: place.neighbourhood,
      address: dto.location?.address ?? null,
      lat: dto.location?.lat ?? null,
      lng: dto.location?.lng ?? null,
      status: 'RECEIVED',
      receivedAt: now,
      updatedAt: now,
      apiClientId: origin.apiClientId ?? null,
      mediaUrl: origin.mediaUrl ?? null,
      isPublic: isPublicRequest(dto),
    });
    await this.tickets.insert(m, ticket);
    // A ticket recorded by someone taking a call is one contact of the contact log, logged with it.
    if (takesCalls(identity)) await this.contacts.logTicketCreated(m, identity, { number: ticket.number, channel: ticket.channel, phone: ticket.requesterPhone });
    return {
      ticket,
      answer: {
        number: ticket.number,
        status: ticket.status,
        ...(identity ? {} : { trackingUrl: trackingUrl(this.config.publicBaseUrl, ticket.number, token) }),
        receivedAt: now.toISOString(),
        workflowId: ticketWorkflowId(ticket.number),
      },
    };
  }

  /** The first answer again, its tracking link (anonymous callers only) derived from the ticket's nonce (the token is never stored). */
  private async replayed(m: EntityManager, ticketId: string, answer: StoredIntakeAnswer, identity: StaffIdentity | null): Promise<CreatedTicket> {
    const replay = { number: answer.number, status: answer.status, receivedAt: answer.receivedAt, workflowId: answer.workflowId };
    if (identity) return replay;
    const ticket = await this.tickets.findById(ticketId, m);
    // Personal data erased (KVKK) within the key's retention: the link cannot be given again.
    if (!ticket?.trackingTokenNonce) throw notFound(`the ticket of this Idempotency-Key (${answer.number})`);
    const token = trackingToken(this.config.tracking.tokenSecret, ticket.id, ticket.trackingTokenNonce);
    return { ...replay, trackingUrl: trackingUrl(this.config.publicBaseUrl, answer.number, token) };
  }
}

/** Published on Open311 only by the citizen's choice: said in the intake, or implied by filing on the web (the city's form, Open311 clients). */
export const isPublicRequest = (dto: Pick<CreateTicketDto, 'public' | 'channel'>): boolean => dto.public ?? dto.channel === 'WEB';

const storedAnswer = ({ number, status, receivedAt, workflowId }: CreatedTicket): StoredIntakeAnswer => ({ number, status, receivedAt, workflowId });
