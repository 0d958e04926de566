import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { TicketEntity, TicketEventEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import type { StaffIdentity } from '../identity/identity';
import { CitizenTokens, ticketNotFound } from './citizen-token';
import { TicketViewMapper, textRefs, type TicketViewFor, type TimelineSource, type Viewer } from './ticket-view.mapper';

/** Reads tickets from the PostgreSQL projection (rows written by the workflow's activities). */
@Injectable()
export class TicketQueryService {
  constructor(
    private readonly dataSource: DataSource,
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

  /**
   * GET /tickets/:number: staff see everything, the citizen with the token their ticket; anyone
   * else gets the 404 of an unknown ticket, so ticket numbers cannot be enumerated.
   */
  async read(number: string, identity: StaffIdentity | null, token: string | undefined): Promise<TicketViewFor<Viewer>> {
    const ticket = await this.findRow(number);
    if (identity) return this.view(ticket, 'STAFF');
    this.tokens.assert(ticket, token);
    return this.view(ticket, 'CITIZEN');
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
    return { events, texts };
  }
}
