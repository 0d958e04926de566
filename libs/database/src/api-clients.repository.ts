import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiClientEntity } from './entities';

/** The Open311 API clients (api_clients): their keys' prefixes and hashes, and who revoked them. */
@Injectable()
export class ApiClientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Builds the entity without writing it. */
  build(fields: Partial<ApiClientEntity>): ApiClientEntity {
    return this.dataSource.getRepository(ApiClientEntity).create(fields);
  }

  async insert(client: ApiClientEntity): Promise<void> {
    await this.dataSource.getRepository(ApiClientEntity).insert(client);
  }

  /** Every client, newest first (without their key hashes). */
  list(): Promise<ApiClientEntity[]> {
    return this.dataSource.getRepository(ApiClientEntity).find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  findById(id: string): Promise<ApiClientEntity | null> {
    return this.dataSource.getRepository(ApiClientEntity).findOneBy({ id });
  }

  async revoke(id: string, revokedBy: string): Promise<void> {
    await this.dataSource.getRepository(ApiClientEntity).update({ id }, { revokedAt: new Date(), revokedBy });
  }

  /** The unrevoked client whose key has this prefix, with its key hash (which other reads leave out). */
  activeWithKeyHash(prefix: string): Promise<ApiClientEntity | null> {
    return this.dataSource.getRepository(ApiClientEntity).createQueryBuilder('c').addSelect('c.keyHash').where('c.keyPrefix = :prefix AND c.revokedAt IS NULL', { prefix }).getOne();
  }
}
