import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/** The retention job's and the data-subject requests' look-ups, built without blocking intake on a large table. */
export const PERSONAL_DATA_INDEXES: Record<string, string> = {
  // The retention job: closed, not yet anonymised tickets, oldest closing first.
  tickets_retention_idx: `(closed_at) WHERE anonymised_at IS NULL AND closed_at IS NOT NULL`,
  // GET /audit/subjects?phone= and POST /audit/subjects/erase use tickets_requester_phone_idx
  // (requester_phone, received_at) of the contact-log migration.
};

export class PersonalDataIndexes1765300000002 implements MigrationInterface {
  name = 'PersonalDataIndexes1765300000002';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, 'tickets', PERSONAL_DATA_INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, Object.keys(PERSONAL_DATA_INDEXES));
  }
}
