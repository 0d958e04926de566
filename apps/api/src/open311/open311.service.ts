import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { OPEN_STATUSES } from '../../../../libs/domain/src';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import type { ApiClientKeyHolder } from '../api-clients/api-clients.service';
import { TICKET_NUMBER } from '../common/ticket-number';
import { IntakeService } from '../tickets/intake.service';
import { PUBLIC_TEXT_KINDS } from '../tickets/ticket-text.kinds';
import { Open311Error } from './open311.error';
import { listBody, type Open311Body } from './open311.format';
import { readListQuery } from './open311-list.query';
import { Open311Limits } from './open311-limits.service';
import { toOpen311Request, type PublicRequestRow } from './open311-request.mapper';
import { readSubmission } from './open311-request.form';
import type { Open311Created, Open311Discovery, Open311Request, Open311ServiceView, Open311ServiceDefinition } from './open311-views.schema';

/** The version of this GeoReport v2 endpoint (discovery's changeset): changes when what it answers changes. */
export const OPEN311_CHANGESET = '2026-12-07T00:00:00Z';
export const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

interface ServiceRow {
  code: string;
  name: string;
  name_en: string;
  sla_seconds: number;
  institution_name: string;
}

/**
 * The public columns of a request (see PublicRequestRow): the public answer and the referral
 * since the last reopening. Only answers staff wrote as PUBLIC are published (an answer to the
 * citizen alone may name them or their address). Every query adds PUBLIC_ONLY: a ticket the
 * citizen did not make public is, here, a ticket that does not exist.
 */
const PUBLIC_REQUEST_SELECT = `
  SELECT t.number, t.status, t.category AS service_code, c.name AS service_name, d.name AS department_name, i.name AS institution_name,
         t.received_at, t.updated_at, t.sla_due_at, t.district, t.neighbourhood, t.lat, t.lng, t.media_url,
         answer.body AS answer, referral.name AS referred_to
  FROM tickets t
  JOIN categories c ON c.code = t.category
  JOIN institutions i ON i.id = c.institution_id
  LEFT JOIN departments d ON d.id = t.department_id
  LEFT JOIN LATERAL (
    SELECT tt.body FROM ticket_events e
    JOIN ticket_texts tt ON tt.id::text = COALESCE(e.data->>'summaryRef', e.data->>'answerRef') AND tt.ticket_id = t.id
      AND tt.kind IN (${PUBLIC_TEXT_KINDS.map((k) => `'${k}'`).join(',')})
    WHERE e.ticket_id = t.id AND e.type IN ('FINALIZED', 'ANSWERED_DIRECTLY')
      AND e.seq > COALESCE((SELECT max(r.seq) FROM ticket_events r WHERE r.ticket_id = t.id AND r.type = 'REOPENED'), 0)
    ORDER BY e.seq DESC LIMIT 1
  ) answer ON true
  LEFT JOIN LATERAL (
    SELECT ri.name FROM ticket_events e JOIN referral_institutions ri ON ri.id = e.data->>'institutionId'
    WHERE e.ticket_id = t.id AND e.type = 'REFERRED' ORDER BY e.seq DESC LIMIT 1
  ) referral ON t.outcome = 'REFERRED'`;

/** Published tickets only (tickets.is_public: filed on the web or through Open311, or marked public at intake). */
const PUBLIC_ONLY = 't.is_public';

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/**
 * Open311 GeoReport v2 over Teksin: categories as services, POST requests through the one
 * intake (channel WEB, its validation, its acknowledgement SMS), and the public view of
 * tickets. Answers are built in both formats; the controller picks one.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisation: OrganisationRepository,
    private readonly intake: IntakeService,
    private readonly limits: Open311Limits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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

  private async serviceRows(code?: string): Promise<ServiceRow[]> {
    return this.dataSource.query(
      `SELECT c.code, c.name, c.name_en, c.sla_seconds, i.name AS institution_name
       FROM categories c JOIN institutions i ON i.id = c.institution_id
       WHERE c.active ${code !== undefined ? 'AND c.code = $1' : ''} ORDER BY i.name, c.name`,
      code !== undefined ? [code] : [],
    );
  }

  /** Every active category as a service. No category asks for extra fields: metadata is false throughout. */
  async services(): Promise<Open311Body<Open311ServiceView[]>> {
    const services: Open311ServiceView[] = (await this.serviceRows()).map((c) => ({
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
    const [service] = await this.serviceRows(code);
    if (!service) throw new Open311Error(404, `service_code: "${code}" not found (see services.json)`);
    return {
      json: { service_code: service.code, attributes: [] },
      xml: { service_definition: { service_code: service.code, attributes: '' } },
    };
  }

  /** POST requests: a valid key only (403 otherwise); a ticket in channel WEB recording the client. */
  async create(body: unknown, client: ApiClientKeyHolder | null): Promise<Open311Body<Open311Created[]>> {
    if (!client) throw new Open311Error(403, 'api_key: a valid API key is needed to create a request (reading needs none)');
    this.checkJurisdiction((body as Record<string, unknown> | undefined)?.jurisdiction_id);
    const submission = await readSubmission(body);
    if (!(await this.organisation.findActiveCategory(submission.serviceCode))) {
      throw new Open311Error(400, `service_code: "${submission.serviceCode}" not found (see services.json)`);
    }
    await this.limits.countPhone(submission.dto.requester.phone);
    const created = await this.intake.create(submission.dto, null, { apiClientId: client.id, mediaUrl: submission.mediaUrl });
    return listBody<Open311Created>('service_requests', 'request', [{ service_request_id: created.number, service_notice: null, account_id: null }]);
  }

  /** GET requests: the public view of the requests the filters name, newest first; `next` when a further page exists. */
  async list(query: Record<string, unknown>): Promise<{ body: Open311Body<Open311Request[]>; nextPage: number | null }> {
    this.checkJurisdiction(query.jurisdiction_id);
    const filter = readListQuery(query);
    if (filter.kind === 'ids') {
      if (filter.numbers.length === 0) return { body: listBody<Open311Request>('service_requests', 'request', []), nextPage: null };
      const rows: PublicRequestRow[] = await this.dataSource.query(`${PUBLIC_REQUEST_SELECT} WHERE ${PUBLIC_ONLY} AND t.number = ANY($1) ORDER BY t.received_at DESC, t.id DESC`, [filter.numbers]);
      return { body: listBody('service_requests', 'request', rows.map(toOpen311Request)), nextPage: null };
    }
    const where = [PUBLIC_ONLY, 't.received_at >= $1', 't.received_at <= $2'];
    const params: unknown[] = [filter.from, filter.to];
    if (filter.serviceCodes) {
      params.push(filter.serviceCodes);
      where.push(`t.category = ANY($${params.length})`);
    }
    if (filter.statuses && filter.statuses.length === 1) where.push(`t.status ${filter.statuses[0] === 'open' ? '' : 'NOT '}IN (${OPEN_LIST})`);
    params.push(filter.pageSize + 1, (filter.page - 1) * filter.pageSize);
    const rows: PublicRequestRow[] = await this.dataSource.query(
      `${PUBLIC_REQUEST_SELECT} WHERE ${where.join(' AND ')} ORDER BY t.received_at DESC, t.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const more = rows.length > filter.pageSize;
    return { body: listBody('service_requests', 'request', rows.slice(0, filter.pageSize).map(toOpen311Request)), nextPage: more ? filter.page + 1 : null };
  }

  /** GET requests/{id}: one request in a list of one, as the spec answers it; 404 for an unknown number. */
  async get(id: string, query: Record<string, unknown>): Promise<Open311Body<Open311Request[]>> {
    for (const name of Object.keys(query)) {
      if (name !== 'jurisdiction_id' && name !== 'api_key') throw new Open311Error(400, `${name}: is not a parameter of GET requests/{id}`);
    }
    this.checkJurisdiction(query.jurisdiction_id);
    const rows: PublicRequestRow[] = TICKET_NUMBER.test(id) ? await this.dataSource.query(`${PUBLIC_REQUEST_SELECT} WHERE ${PUBLIC_ONLY} AND t.number = $1`, [id]) : [];
    if (rows.length === 0) throw new Open311Error(404, `service_request_id: "${id}" not found`);
    return listBody('service_requests', 'request', rows.map(toOpen311Request));
  }
}
