import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import { InboundMessageEntity, TicketEntity, TicketEventEntity, TicketRatingEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { allowedCommands, isPlatformUser, type TicketState } from '../../../../libs/domain/src';
import { toActor, toReader, type StaffIdentity } from '../identity/identity';
import { COMMAND_ROUTES, type CommandRouteName } from './ticket-command.table';
import { CitizenTokens, ticketNotFound } from './citizen-token';
import { TicketAccess, type SignedInView } from './ticket-access.service';
import { TicketViewMapper, textRefs, type TicketViewFor, type TimelineSource, type Viewer } from './ticket-view.mapper';

/** Reads tickets from the PostgreSQL projection (rows written by the workflow's activities). */
@Injectable()
export class TicketQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: TicketAccess,
    private readonly tokens: CitizenTokens,
  ) {}

  async findRow(number: string): Promise<TicketEntity> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOneBy({ number });
    if (!ticket) throw ticketNotFound(number);
    return ticket;
  }

  exists(number: string): Promise<boolean> {
    return this.dataSource.getRepository(TicketEntity).existsBy({ number });
  }

  /** The ticket for a signed-in user: 404 when it is unknown or theirs to not see (one answer for both). */
  async findFor(identity: StaffIdentity, number: string): Promise<TicketEntity> {
    const ticket = await this.findRow(number);
    await this.access.assertCanOpen(identity, ticket);
    return ticket;
  }

  /**
   * GET /tickets/:number: a signed-in user what their role lets them see, the citizen with its
   * tracking token their ticket; anyone else gets the 404 of an unknown ticket, so ticket numbers
   * cannot be enumerated.
   */
  async read(number: string, identity: StaffIdentity | null, token: string | undefined): Promise<SignedInView | TicketViewFor<Viewer>> {
    if (identity) return this.viewFor(identity, number, 'GET /tickets/:number');
    const ticket = await this.findRow(number);
    this.tokens.assert(ticket, token);
    return this.view(ticket, 'CITIZEN');
  }

  /**
   * The view a signed-in user gets of a ticket they may open, read afresh (404 otherwise);
   * `route` goes into the personal-data read log. The answer to a command is given even when the
   * command itself took the ticket out of the caller's reach (a manager returning it to the
   * center): they were allowed when they sent it.
   */
  async viewFor(identity: StaffIdentity, number: string, route: string, answering: 'READ' | 'COMMAND' = 'READ'): Promise<SignedInView> {
    const row = await this.findRow(number);
    const reader = answering === 'COMMAND' ? toReader(identity) : await this.access.assertCanOpen(identity, row);
    const source = await this.timelineSource(row);
    const staffView = { ...TicketViewMapper.toStaff(row, source), actions: isPlatformUser(reader) ? [] : actionsOf(row, identity) };
    return this.access.present(reader, row, staffView, { citizen: async () => TicketViewMapper.toCitizen(row, source), public: async () => TicketViewMapper.toPlatform(row, source) }, route);
  }

  /** The ticket as `viewer` may see it, read afresh (a command's answer shows its own effect). */
  async view<V extends Viewer>(ticket: TicketEntity, viewer: V, fresh = false): Promise<TicketViewFor<V>> {
    const row = fresh ? await this.findRow(ticket.number) : ticket;
    const source = await this.timelineSource(row);
    return (viewer === 'STAFF' ? TicketViewMapper.toStaff(row, source) : TicketViewMapper.toCitizen(row, source)) as TicketViewFor<V>;
  }

  private async timelineSource(ticket: TicketEntity): Promise<TimelineSource> {
    const events = await this.dataSource.getRepository(TicketEventEntity).find({ where: { ticketId: ticket.id }, order: { seq: 'ASC' } });
    const refs = textRefs(events);
    const texts = refs.length ? await this.dataSource.getRepository(TicketTextEntity).findBy({ id: In(refs) }) : [];
    const messages = await this.dataSource
      .getRepository(InboundMessageEntity)
      .find({ where: { ticketId: ticket.id, outcome: Not('PROCESSING') }, order: { receivedAt: 'ASC' } });
    const rating = await this.dataSource.getRepository(TicketRatingEntity).findOneBy({ ticketId: ticket.id });
    return { events, texts, messages, rating };
  }
}

/** Route of each command (the inverse of the route table). */
const ROUTE_OF = new Map(Object.entries(COMMAND_ROUTES).map(([name, spec]) => [spec.command as string, name as CommandRouteName]));

/**
 * The routes the caller may POST now, by the domain's own `authorize` on the projected state
 * (what the Update validator will check again). None before the workflow started or once closed.
 */
export function actionsOf(row: TicketEntity, identity: StaffIdentity, now = new Date()): CommandRouteName[] {
  const state = row.workflowView as TicketState | null;
  if (!row.workflowStartedAt || !state?.status || row.status === 'CLOSED') return [];
  return allowedCommands(state, toActor(identity), now.toISOString()).map((command) => ROUTE_OF.get(command)!);
}
