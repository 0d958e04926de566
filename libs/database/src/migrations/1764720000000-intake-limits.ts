import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous intake is limited, staff intake is not: a ticket records who recorded it (null for
 * an anonymous web request). The daily cap on acknowledgement SMS per phone counts the outbox
 * rows of the last 24 hours, found by this index.
 */
export class IntakeLimits1764720000000 implements MigrationInterface {
  name = 'IntakeLimits1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets ADD COLUMN recorded_by text;
      CREATE INDEX sms_outbox_acknowledgements_idx ON sms_outbox (recipient_phone, created_at) WHERE purpose = 'RECEIVED';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX sms_outbox_acknowledgements_idx;
      ALTER TABLE tickets DROP COLUMN recorded_by;
    `);
  }
}
