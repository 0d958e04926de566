import type { MigrationInterface, QueryRunner } from 'typeorm';

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
    for (const [name, definition] of Object.entries(PERSONAL_DATA_INDEXES)) {
      const [invalid] = await q.query(
        `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`,
        [name],
      );
      if (invalid) await q.query(`DROP INDEX CONCURRENTLY ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON tickets ${definition}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of Object.keys(PERSONAL_DATA_INDEXES)) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }
}
