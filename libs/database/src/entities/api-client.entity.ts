import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A client of the Open311 GeoReport v2 API (a city web site, an app, a civic-tech tool), issued a
 * key by an ADMIN. The key is shown once; the row keeps its public prefix (to find the row) and
 * an argon2id hash of the whole key. A revoked client's key stops working; the row stays, as
 * the tickets it filed name it.
 */
@Entity('api_clients')
export class ApiClientEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Who to call about it: a person, an e-mail address, a phone number. */
  @Column({ type: 'text' })
  contact: string;

  @Column({ type: 'text', name: 'key_prefix', unique: true })
  keyPrefix: string;

  @Column({ type: 'text', name: 'key_hash', select: false })
  keyHash: string;

  /** Requests a minute with this key (reads and creates); over it: 429. */
  @Column({ type: 'int', name: 'requests_per_minute' })
  requestsPerMinute: number;

  @Column({ type: 'text', name: 'created_by' })
  createdBy: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', name: 'revoked_by', nullable: true })
  revokedBy: string | null;
}
