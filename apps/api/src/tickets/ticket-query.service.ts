import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { TicketEntity, TicketEventEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { notFound } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import { assertCitizenToken, citizenTokenMatches } from './citizen-token';
import { TicketViewMapper, textRefs, type TicketViewFor, type TimelineSource, type Viewer } from './ticket-view.mapper';

/** Reads tickets from the PostgreSQL projection (rows written by the workflow's activities). */
@Injectable()
export class TicketQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async findRow(number: string): Promise<TicketEntity> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOneBy({ number });
    if (!ticket) throw notFound(`ticket ${number}`);
    return ticket;
  }

  exists(number: string): Promise<boolean> {
    return this.dataSource.getRepository(TicketEntity).existsBy({ number });
  }

  /** The ticket, for its citizen: 404 for an unknown number, 401 unless the token is its tracking token. */
  async findForCitizen(number: string, token: string | undefined): Promise<TicketEntity> {
    const ticket = await this.findRow(number);
    assertCitizenToken(ticket, token);
    return ticket;
  }

  /** GET /tickets/:number: staff see everything, the citizen with the token their ticket, anyone else the status. */
  async read(number: string, identity: StaffIdentity | null, token: string | undefined): Promise<TicketViewFor<Viewer>> {
    const ticket = await this.findRow(number);
    return this.view(ticket, identity ? 'STAFF' : citizenTokenMatches(ticket, token) ? 'CITIZEN' : 'PUBLIC');
  }

  /** The ticket as `viewer` may see it, read afresh (a command's answer shows its own effect). */
  async view<V extends Viewer>(ticket: TicketEntity, viewer: V, fresh = false): Promise<TicketViewFor<V>> {
    const row = fresh ? await this.findRow(ticket.number) : ticket;
    if (viewer === 'PUBLIC') return TicketViewMapper.toPublic(row) as TicketViewFor<V>;
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
