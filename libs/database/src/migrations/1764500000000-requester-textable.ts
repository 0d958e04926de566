import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the citizen can be texted (a Turkish mobile number), decided at intake with
 * libphonenumber. Tickets recorded before are judged by the prefix of a Turkish mobile number,
 * +90 5; new rows always state it (no default).
 */
export class RequesterTextable1764500000000 implements MigrationInterface {
  name = 'RequesterTextable1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets ADD COLUMN requester_textable boolean;
      UPDATE tickets SET requester_textable = requester_phone LIKE '+905%';
      ALTER TABLE tickets ALTER COLUMN requester_textable SET NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN requester_textable`);
  }
}
