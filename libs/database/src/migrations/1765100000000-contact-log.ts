import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contact log: every call (or walk-in) the coordination center takes, whether it made a
 * ticket or not, with its outcome — what the analysis center counts. A caller's earlier tickets
 * are found by their phone while the agent types it (tickets_requester_phone_idx).
 */
export class ContactLog1765100000000 implements MigrationInterface {
  name = 'ContactLog1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        recorded_by text NOT NULL REFERENCES staff(id),
        channel text NOT NULL,
        caller_phone text,
        outcome text NOT NULL CHECK (outcome IN ('TICKET_CREATED', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE', 'HUNG_UP', 'DUPLICATE_OF_OPEN_TICKET')),
        ticket_number text,
        note text,
        CHECK ((outcome IN ('TICKET_CREATED', 'DUPLICATE_OF_OPEN_TICKET')) = (ticket_number IS NOT NULL))
      );
      CREATE INDEX contacts_at_idx ON contacts (at DESC, id DESC);
      CREATE INDEX contacts_ticket_number_idx ON contacts (ticket_number) WHERE ticket_number IS NOT NULL;
      CREATE INDEX tickets_requester_phone_idx ON tickets (requester_phone, received_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tickets_requester_phone_idx;
      DROP TABLE contacts;
    `);
  }
}
