import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Commands sent with a client's X-Request-Id, bound to actor, command and body, with their answer. */
export class CommandRequests1764600000000 implements MigrationInterface {
  name = 'CommandRequests1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_requests (
        request_id text PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        actor_key text NOT NULL,
        command text NOT NULL,
        body_hash text NOT NULL,
        args jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','DONE')),
        response jsonb,
        lease_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CHECK ((status = 'DONE') = (response IS NOT NULL))
      );
      CREATE INDEX command_requests_ticket_idx ON command_requests (ticket_id);
      CREATE INDEX command_requests_created_idx ON command_requests (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE command_requests`);
  }
}
