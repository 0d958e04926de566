import { Injectable } from '@nestjs/common';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { badRequest, forbiddenProblem } from '../common/problem';
import { TICKET_NUMBER, TICKET_NUMBER_HINT } from '../common/ticket-number';
import type { StaffIdentity } from '../identity/identity';
import { TicketQueryService } from '../tickets/ticket-query.service';
import type { PiiRead } from './audit-views.schema';

/** Who may read the personal-data read log. */
const PII_LOG_READERS = ['AUDITOR', 'ADMIN'] as const;

/** KVKK: every read of a citizen's personal data by a signed-in user, per ticket, for auditors. */
@Injectable()
export class PiiReadsService {
  constructor(
    private readonly timeline: TicketTimelineRepository,
    private readonly query: TicketQueryService,
  ) {}

  async list(number: string | undefined, identity: StaffIdentity): Promise<PiiRead[]> {
    if (!identity.roles.some((role) => (PII_LOG_READERS as readonly string[]).includes(role))) {
      throw forbiddenProblem(`the personal-data read log is for ${PII_LOG_READERS.join(', ')}`);
    }
    if (!number || !TICKET_NUMBER.test(number)) throw badRequest('ticket', TICKET_NUMBER_HINT);
    const ticket = await this.query.findRow(number);
    const rows = await this.timeline.readsOf(ticket.id);
    return rows.map((r) => ({ at: r.at.toISOString(), readerId: r.readerId, fields: r.fields, route: r.route, requestId: r.requestId }));
  }
}
