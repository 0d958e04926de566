import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES, type TicketStatus } from '../../domain/src';

/** The public columns of a request, as Open311 publishes them (apps/api/src/open311). */
export interface PublicRequestRow {
  number: string;
  status: TicketStatus;
  service_code: string;
  service_name: string;
  department_name: string | null;
  institution_name: string;
  received_at: Date;
  updated_at: Date;
  sla_due_at: Date | null;
  district: string | null;
  neighbourhood: string | null;
  lat: string | number | null;
  lng: string | number | null;
  media_url: string | null;
  /** The first photo the citizen sent (kind CITIZEN, ATTACHED), shown as media_url by a signed URL; never a staff photo. */
  citizen_attachment_id: string | null;
  /** The public answer (a finalize summary or a direct answer written as PUBLIC) since the last reopening. */
  answer: string | null;
  /** For a referred ticket: the institution it was referred to. */
  referred_to: string | null;
}

/** Which public requests: by numbers (newest first), one by number, or a page of a time range. */
export type PublicRequestFilter =
  | { numbers: string[] }
  | { number: string }
  | { from: string | Date; to: string | Date; serviceCodes?: string[]; status?: 'open' | 'closed'; limit: number; offset: number };

/**
 * The public view of published tickets (tickets.is_public: filed on the web or through Open311,
 * or marked public at intake), each in one statement with its category, institution and
 * department names, its public answer and its referral: a ticket the citizen did not make
 * public is, here, a ticket that does not exist. `publishedKinds`: the text kinds staff write
 * as PUBLIC (the API's PUBLIC_TEXT_KINDS); an answer to the citizen alone may name them.
 */
@Injectable()
export class PublicRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(filter: PublicRequestFilter, publishedKinds: readonly string[]): Promise<PublicRequestRow[]> {
    const params: unknown[] = [publishedKinds];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['t.is_public'];
    let tail = '';
    if ('numbers' in filter) {
      where.push(`t.number = ANY(${param(filter.numbers)})`);
      tail = 'ORDER BY t.received_at DESC, t.id DESC';
    } else if ('number' in filter) {
      where.push(`t.number = ${param(filter.number)}`);
    } else {
      where.push(`t.received_at >= ${param(filter.from)}`, `t.received_at <= ${param(filter.to)}`);
      if (filter.serviceCodes) where.push(`t.category = ANY(${param(filter.serviceCodes)})`);
      if (filter.status) where.push(`t.status ${filter.status === 'open' ? '' : 'NOT '}IN (${OPEN_LIST})`);
      tail = `ORDER BY t.received_at DESC, t.id DESC LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`;
    }
    return this.dataSource.query(`${PUBLIC_REQUEST_SELECT} WHERE ${where.join(' AND ')} ${tail}`, params);
  }
}

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/** The public columns (PublicRequestRow): the public answer ($1: the published text kinds) and the referral since the last reopening. */
const PUBLIC_REQUEST_SELECT = `
  SELECT t.number, t.status, t.category AS service_code, c.name AS service_name, d.name AS department_name, i.name AS institution_name,
         t.received_at, t.updated_at, t.sla_due_at, t.district, t.neighbourhood, t.lat, t.lng, t.media_url,
         (SELECT a.id FROM attachments a WHERE a.ticket_id = t.id AND a.kind = 'CITIZEN' AND a.state = 'ATTACHED' AND a.media_type <> 'application/pdf'
           ORDER BY a.created_at, a.id LIMIT 1) AS citizen_attachment_id,
         answer.body AS answer, referral.name AS referred_to
  FROM tickets t
  JOIN categories c ON c.code = t.category
  JOIN institutions i ON i.id = c.institution_id
  LEFT JOIN departments d ON d.id = t.department_id
  LEFT JOIN LATERAL (
    SELECT tt.body FROM ticket_events e
    JOIN ticket_texts tt ON tt.id::text = COALESCE(e.data->>'summaryRef', e.data->>'answerRef') AND tt.ticket_id = t.id
      AND tt.kind = ANY($1::text[])
    WHERE e.ticket_id = t.id AND e.type IN ('FINALIZED', 'ANSWERED_DIRECTLY')
      AND e.seq > COALESCE((SELECT max(r.seq) FROM ticket_events r WHERE r.ticket_id = t.id AND r.type = 'REOPENED'), 0)
    ORDER BY e.seq DESC LIMIT 1
  ) answer ON true
  LEFT JOIN LATERAL (
    SELECT ri.name FROM ticket_events e JOIN referral_institutions ri ON ri.id = e.data->>'institutionId'
    WHERE e.ticket_id = t.id AND e.type = 'REFERRED' ORDER BY e.seq DESC LIMIT 1
  ) referral ON t.outcome = 'REFERRED'`;
