import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiClientEntity } from '../../../../libs/database/src/entities';
import { hashPassword, verifyPassword } from '../../../../libs/database/src/password';
import { forbiddenProblem, notFound } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import { apiKeyDigest, apiKeyPrefix, newApiKey } from './api-key';
import type { CreateApiClientDto } from './dto/create-api-client.dto';
import type { ApiClientView, NewApiClient } from './api-clients-views.schema';

/** The client a valid key belongs to, as the Open311 routes need it. */
export interface ApiClientKeyHolder {
  id: string;
  name: string;
  requestsPerMinute: number;
}

/** How long a key once verified is taken without argon2 again, in this process (a revocation here clears it at once). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 1000;

const view = (c: ApiClientEntity): ApiClientView => ({
  id: c.id,
  name: c.name,
  contact: c.contact,
  requestsPerMinute: c.requestsPerMinute,
  keyPrefix: c.keyPrefix,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
  revokedAt: c.revokedAt?.toISOString() ?? null,
  revokedBy: c.revokedBy,
});

const assertAdmin = (identity: StaffIdentity) => {
  if (!identity.roles.includes('ADMIN')) throw forbiddenProblem('API clients are managed by an ADMIN');
};

/**
 * Issues, lists and revokes Open311 API keys (ADMIN only), and tells which client a key
 * belongs to. A key is checked against its argon2id hash (about 50 ms); a key verified in the
 * last minute is taken from memory, so a busy client does not cost a hash per request.
 */
@Injectable()
export class ApiClientsService {
  private readonly verified = new Map<string, { client: ApiClientKeyHolder; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ApiClientEntity);
  }

  /** A new client and its key, shown this once. */
  async create(identity: StaffIdentity, dto: CreateApiClientDto): Promise<NewApiClient> {
    assertAdmin(identity);
    const { key, prefix } = newApiKey();
    const row = this.repo.create({
      id: randomUUID(),
      name: dto.name.trim(),
      contact: dto.contact.trim(),
      keyPrefix: prefix,
      keyHash: await hashPassword(key),
      requestsPerMinute: dto.requestsPerMinute,
      createdBy: identity.id,
      createdAt: new Date(),
      revokedAt: null,
      revokedBy: null,
    });
    await this.repo.insert(row);
    return { ...view(row), apiKey: key };
  }

  async list(identity: StaffIdentity): Promise<ApiClientView[]> {
    assertAdmin(identity);
    return (await this.repo.find({ order: { createdAt: 'DESC', id: 'ASC' } })).map(view);
  }

  /** Revokes the key for good (the row stays: its tickets name it). Revoking twice is fine. */
  async revoke(identity: StaffIdentity, id: string): Promise<void> {
    assertAdmin(identity);
    const client = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.findOneBy({ id }) : null;
    if (!client) throw notFound(`API client ${id}`);
    if (!client.revokedAt) await this.repo.update({ id }, { revokedAt: new Date(), revokedBy: identity.id });
    for (const [digest, entry] of this.verified) if (entry.client.id === id) this.verified.delete(digest);
  }

  /**
   * The active client this key belongs to; null for a malformed, unknown, wrong or revoked key.
   * `beforeHash` runs before a key not verified lately is checked against its hash (the caller
   * counts it against a rate limit, so wrong keys cannot buy argon2 time without limit).
   */
  async authenticate(key: string, beforeHash: () => Promise<void> = async () => {}): Promise<ApiClientKeyHolder | null> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return null;
    const digest = apiKeyDigest(key);
    const now = Date.now();
    const cached = this.verified.get(digest);
    if (cached && cached.until > now) return cached.client;
    this.verified.delete(digest);

    const row = await this.repo
      .createQueryBuilder('c')
      .addSelect('c.keyHash')
      .where('c.keyPrefix = :prefix AND c.revokedAt IS NULL', { prefix })
      .getOne();
    if (!row) return null;
    await beforeHash();
    if (!(await verifyPassword(row.keyHash, key))) return null;
    const client = { id: row.id, name: row.name, requestsPerMinute: row.requestsPerMinute };
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(digest, { client, until: now + VERIFIED_TTL_MS });
    return client;
  }
}
