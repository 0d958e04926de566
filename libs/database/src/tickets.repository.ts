import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TicketEntity, TicketFollowerEntity } from './entities';
import { referenceSql, type OrganisationReference } from './organisation.repository';
import { ACCOUNT_COLUMNS, accountFrom, type AccountKey, type StaffAccount } from './staff.repository';

/** A reference a command's body names: the organisation's, or another ticket (a duplicate's survivor). */
export type ReferenceKind = OrganisationReference | 'ticket';

/** What a command's access read found: each may be missing (null), and is judged by the caller. */
export interface CommandRead {
  ticket: TicketEntity | null;
  /** The live account the token names (null: none, or the session ended, or it was deactivated); undefined without a token. */
  account?: StaffAccount | null;
  /** The platform users among the account's ids who follow the ticket (the access rules need nothing else of the followers). */
  followerIds: string[];
  /** Per body field, what its reference names (null when nothing by that name exists). */
  references: Record<string, Record<string, unknown> | null>;
}

/**
 * The ticket row (table `tickets`) as the API reads it. A command's access read is one
 * statement: the row, the caller's live account (session, deputies in force), whether the
 * caller follows it, and every reference the body names. A revoked session, a deactivated
 * account or an ended deputyship shows on the very next command, with no statement of its own.
 */
@Injectable()
export class TicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByNumber(number: string): Promise<TicketEntity | null> {
    return this.dataSource.getRepository(TicketEntity).findOneBy({ number });
  }

  exists(number: string): Promise<boolean> {
    return this.dataSource.getRepository(TicketEntity).existsBy({ number });
  }

  /** Which of `userId` follows the ticket ([] or [userId]): what the access rules need of its followers. */
  async followerIdsOf(ticketId: string, userId: string): Promise<string[]> {
    const rows = await this.dataSource.getRepository(TicketFollowerEntity).find({ where: { ticketId, userId }, select: { userId: true } });
    return rows.map((f) => f.userId);
  }

  /** Adds a follower (once: a second add is no change). */
  async addFollower(ticketId: string, userId: string, addedBy: string): Promise<void> {
    await this.dataSource.getRepository(TicketFollowerEntity).createQueryBuilder().insert().values({ ticketId, userId, addedBy }).orIgnore().execute();
  }

  /** The command's access read (see the class): `key` the verified token's, `references` the body's fields to look up. */
  async commandRead(number: string, key: AccountKey | null, references: Record<string, { kind: ReferenceKind; value: string }>): Promise<CommandRead> {
    const params: unknown[] = [number];
    const param = (value: unknown) => `$${params.push(value)}`;
    const account = key ? `(SELECT row_to_json(a) FROM (SELECT ${ACCOUNT_COLUMNS} ${accountFrom(key, param)}) a)` : 'NULL::json';
    const followers = key
      ? `(SELECT coalesce(json_agg(f.user_id), '[]') FROM ticket_followers f WHERE f.ticket_id = t.id AND f.user_id IN (SELECT s.id ${accountFrom(key, param)}))`
      : `'[]'::json`;
    const refs = Object.entries(references).map(([field, { kind, value }]) => {
      const placeholder = param(value);
      const lookup = kind === 'ticket' ? `(SELECT json_build_object('number', o.number) FROM tickets o WHERE o.number = ${placeholder})` : referenceSql(kind, placeholder);
      return `${param(field)}::text, ${lookup}`;
    });
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT t.*, ${account} AS "__account", ${followers} AS "__followers", json_build_object(${refs.join(', ')}) AS "__references"
         FROM (SELECT 1) one LEFT JOIN tickets t ON t.number = $1`,
      params,
    );
    return {
      ticket: row.id === null ? null : this.hydrate(row),
      ...(key ? { account: (row.__account as StaffAccount | null) ?? null } : {}),
      followerIds: row.__followers as string[],
      references: row.__references as CommandRead['references'],
    };
  }

  /** A raw `tickets` row as the entity TypeORM would read (column names, types, transformers). */
  private hydrate(row: Record<string, unknown>): TicketEntity {
    const entity = new TicketEntity();
    for (const column of this.dataSource.getMetadata(TicketEntity).columns) {
      (entity as unknown as Record<string, unknown>)[column.propertyName] = this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return entity;
  }
}
