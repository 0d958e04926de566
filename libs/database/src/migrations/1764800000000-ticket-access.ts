import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What scoped access needs: who submitted a ticket through a platform (muhtar, esnaf, meclis
 * üyesi), who follows it, and the log of every staff read of a citizen's personal data (KVKK).
 */
export class TicketAccess1764800000000 implements MigrationInterface {
  name = 'TicketAccess1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets ADD COLUMN submitted_by text;
      CREATE INDEX tickets_submitted_by_idx ON tickets (submitted_by) WHERE submitted_by IS NOT NULL;
      CREATE TABLE ticket_followers (
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        user_id text NOT NULL REFERENCES staff(id),
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, user_id)
      );
      CREATE INDEX ticket_followers_user_idx ON ticket_followers (user_id);
      CREATE TABLE pii_reads (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        reader_id text NOT NULL,
        fields text[] NOT NULL,
        route text NOT NULL,
        request_id text,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX pii_reads_ticket_idx ON pii_reads (ticket_id, at);
      CREATE INDEX pii_reads_reader_idx ON pii_reads (reader_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pii_reads; DROP TABLE ticket_followers; ALTER TABLE tickets DROP COLUMN submitted_by;`);
  }
}
