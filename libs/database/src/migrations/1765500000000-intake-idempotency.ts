import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * POST /tickets sent with an `Idempotency-Key`: the key, scoped to its caller, bound to the
 * body, with the ticket it created and the answer (without the tracking token, which is
 * derived again from the ticket's nonce on a replay). Kept for a bounded time (intake sweeper).
 */
export class IntakeIdempotency1765500000000 implements MigrationInterface {
  name = 'IntakeIdempotency1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake_requests (
        caller_key text NOT NULL,
        idempotency_key text NOT NULL,
        body_hash text NOT NULL,
        ticket_id uuid REFERENCES tickets(id) ON DELETE CASCADE,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller_key, idempotency_key)
      );
      CREATE INDEX intake_requests_created_idx ON intake_requests (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake_requests`);
  }
}
