import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { PublicRequestsRepository } from '../../../../libs/database/src/public-requests.repository';
import type { ApiClientKeyHolder } from '../api-clients/api-clients.service';
import { AttachmentsService } from '../attachments/attachments.service';
import { TICKET_NUMBER } from '../common/ticket-number';
import { IntakeService } from '../tickets/intake.service';
import { PUBLIC_TEXT_KINDS } from '../tickets/ticket-text.kinds';
import { Open311Error } from './open311.error';
import { listBody, type Open311Body } from './open311.format';
import { readListQuery } from './open311-list.query';
import { Open311Limits } from './open311-limits.service';
import { toOpen311Request } from './open311-request.mapper';
import { readSubmission } from './open311-request.form';
import type { Open311Created, Open311Discovery, Open311Request, Open311ServiceView, Open311ServiceDefinition } from './open311-views.schema';

/** The version of this GeoReport v2 endpoint (discovery's changeset): changes when what it answers changes. */
export const OPEN311_CHANGESET = '2026-12-07T00:00:00Z';
export const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/**
 * Open311 GeoReport v2 over Teksin: categories as services, POST requests through the one
 * intake (channel WEB, its validation, its acknowledgement SMS), and the public view of
 * tickets. Answers are built in both formats; the controller picks one.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly requests: PublicRequestsRepository,
    private readonly organisation: OrganisationRepository,
    private readonly intake: IntakeService,
    private readonly limits: Open311Limits,
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly logger = new Logger('Open311');
  private readonly photoUrl = (id: string) => this.attachments.publicDisplayUrl(id);

  /** GeoReport serves one jurisdiction here: `jurisdiction_id` may be left out or must name it (404 otherwise). */
  checkJurisdiction(given: unknown): void {
    if (given === undefined) return;
    if (given !== this.config.open311.jurisdictionId) throw new Open311Error(404, `jurisdiction_id: not found (this endpoint serves "${this.config.open311.jurisdictionId}")`);
  }

  discovery(): Open311Body<Open311Discovery> {
    const endpoint: Open311Discovery['endpoints'][number] = {
      specification: OPEN311_SPECIFICATION,
      url: `${this.config.publicBaseUrl.replace(/\/$/, '')}/open311/v2`,
      changeset: OPEN311_CHANGESET,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    };
    const discovery = {
      changeset: OPEN311_CHANGESET,
      contact: 'ALO 185 — İletişim Koordinasyon Merkezi',
      key_service: 'API keys are issued by the city’s Teksin administrators (POST /admin/api-clients); reading needs no key',
    };
    return {
      json: { ...discovery, endpoints: [endpoint] },
      xml: { discovery: { ...discovery, endpoints: { endpoint: { ...endpoint, formats: { format: endpoint.formats } } } } },
    };
  }

  /** Every active category as a service. No category asks for extra fields: metadata is false throughout. */
  async services(): Promise<Open311Body<Open311ServiceView[]>> {
    const services: Open311ServiceView[] = (await this.organisation.activeCategoriesWithInstitution()).map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: `${c.name_en}. ${c.institution_name}; target time ${Math.round(c.sla_seconds / 3600)} hours.`,
      metadata: false,
      type: 'realtime',
      keywords: [c.name, c.name_en].join(', '),
      group: c.institution_name,
    }));
    return listBody('services', 'service', services);
  }

  /** A service's definition: its attributes, none for every Teksin category (404 for an unknown or inactive one). */
  async serviceDefinition(code: string): Promise<Open311Body<Open311ServiceDefinition>> {
    const [service] = await this.organisation.activeCategoriesWithInstitution(code);
    if (!service) throw new Open311Error(404, `service_code: "${code}" not found (see services.json)`);
    return {
      json: { service_code: service.code, attributes: [] },
      xml: { service_definition: { service_code: service.code, attributes: '' } },
    };
  }

  /** POST requests: a valid key only (403 otherwise); a ticket in channel WEB recording the client. */
  async create(body: unknown, client: ApiClientKeyHolder | null, media?: { bytes: Buffer; fileName: string | null }): Promise<Open311Body<Open311Created[]>> {
    if (!client) throw new Open311Error(403, 'api_key: a valid API key is needed to create a request (reading needs none)');
    this.checkJurisdiction((body as Record<string, unknown> | undefined)?.jurisdiction_id);
    const submission = await readSubmission(body);
    if (!(await this.organisation.findActiveCategory(submission.serviceCode))) {
      throw new Open311Error(400, `service_code: "${submission.serviceCode}" not found (see services.json)`);
    }
    // The file is checked and re-encoded before anything is created: a hostile one refuses the whole request (4xx) and leaves no ticket.
    const processed = media ? await this.attachments.preprocess(media.bytes) : null;
    await this.limits.countPhone(submission.dto.requester.phone);
    const created = await this.intake.create(submission.dto, null, { apiClientId: client.id, mediaUrl: submission.mediaUrl });
    if (media && processed) {
      // The ticket exists now: answering an error would make the client send it again as a second ticket. A file that
      // cannot be recorded (Temporal not answering) is logged; the ticket stands.
      await this.attachments
        .addToNewTicket(created.number, { bytes: media.bytes, fileName: media.fileName, source: 'OPEN311' }, processed)
        .catch((error: unknown) => this.logger.warn(`the media file of Open311 request ${created.number} was not attached: ${error instanceof Error ? error.message : String(error)}`));
    }
    return listBody<Open311Created>('service_requests', 'request', [{ service_request_id: created.number, service_notice: null, account_id: null }]);
  }

  /** GET requests: the public view of the requests the filters name, newest first; `next` when a further page exists. */
  async list(query: Record<string, unknown>): Promise<{ body: Open311Body<Open311Request[]>; nextPage: number | null }> {
    this.checkJurisdiction(query.jurisdiction_id);
    const filter = readListQuery(query);
    if (filter.kind === 'ids') {
      if (filter.numbers.length === 0) return { body: listBody<Open311Request>('service_requests', 'request', []), nextPage: null };
      const rows = await this.requests.find({ numbers: filter.numbers }, PUBLIC_TEXT_KINDS);
      return { body: listBody('service_requests', 'request', rows.map((row) => toOpen311Request(row, this.photoUrl))), nextPage: null };
    }
    // Both statuses, or none, is no status condition.
    const status = filter.statuses && filter.statuses.length === 1 ? filter.statuses[0] : undefined;
    const rows = await this.requests.find(
      { from: filter.from, to: filter.to, serviceCodes: filter.serviceCodes ?? undefined, status, limit: filter.pageSize + 1, offset: (filter.page - 1) * filter.pageSize },
      PUBLIC_TEXT_KINDS,
    );
    const more = rows.length > filter.pageSize;
    return { body: listBody('service_requests', 'request', rows.slice(0, filter.pageSize).map((row) => toOpen311Request(row, this.photoUrl))), nextPage: more ? filter.page + 1 : null };
  }

  /** GET requests/{id}: one request in a list of one, as the spec answers it; 404 for an unknown number. */
  async get(id: string, query: Record<string, unknown>): Promise<Open311Body<Open311Request[]>> {
    for (const name of Object.keys(query)) {
      if (name !== 'jurisdiction_id' && name !== 'api_key') throw new Open311Error(400, `${name}: is not a parameter of GET requests/{id}`);
    }
    this.checkJurisdiction(query.jurisdiction_id);
    const rows = TICKET_NUMBER.test(id) ? await this.requests.find({ number: id }, PUBLIC_TEXT_KINDS) : [];
    if (rows.length === 0) throw new Open311Error(404, `service_request_id: "${id}" not found`);
    return listBody('service_requests', 'request', rows.map((row) => toOpen311Request(row, this.photoUrl)));
  }
}
