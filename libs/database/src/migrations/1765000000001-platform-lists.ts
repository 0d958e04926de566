import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently } from './concurrent-index';

/**
 * A platform user's list (GET /tickets for a muhtar, a tradesperson, a council member) walks each
 * way they may see a ticket — submitted, followed, their neighbourhood — in received order and
 * stops after a page, instead of fetching every ticket they may see and sorting them:
 * - the submitted ones: an index (submitted_by, received_at, id), built CONCURRENTLY (the tickets
 *   table is large), replacing the plain submitted_by index;
 * - the followed ones: `ticket_followers.received_at`, copied from the ticket by a trigger when the
 *   follow is written (a ticket's received time never changes), indexed (user, received, ticket).
 *   Follows are few (thousands, not millions): filled and indexed in one go.
 * The neighbourhood already has (district, neighbourhood, received_at, id).
 */
export class PlatformLists1765000000001 implements MigrationInterface {
  name = 'PlatformLists1765000000001';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket_followers ADD COLUMN IF NOT EXISTS received_at timestamptz;
      UPDATE ticket_followers f SET received_at = t.received_at FROM tickets t WHERE t.id = f.ticket_id AND f.received_at IS NULL;
      CREATE OR REPLACE FUNCTION ticket_followers_fill_received_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT received_at INTO NEW.received_at FROM tickets WHERE id = NEW.ticket_id;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS ticket_followers_received_at ON ticket_followers;
      CREATE TRIGGER ticket_followers_received_at BEFORE INSERT ON ticket_followers
        FOR EACH ROW EXECUTE FUNCTION ticket_followers_fill_received_at();
      UPDATE ticket_followers f SET received_at = t.received_at FROM tickets t WHERE t.id = f.ticket_id AND f.received_at IS NULL;
      ALTER TABLE ticket_followers ALTER COLUMN received_at SET NOT NULL;
      CREATE INDEX IF NOT EXISTS ticket_followers_user_received_idx ON ticket_followers (user_id, received_at DESC, ticket_id DESC);
      DROP INDEX IF EXISTS ticket_followers_user_idx;
    `);
    await createIndexesConcurrently(q, 'tickets', { tickets_submitted_received_idx: '(submitted_by, received_at DESC, id DESC) WHERE submitted_by IS NOT NULL' });
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS tickets_submitted_by_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS tickets_submitted_by_idx ON tickets (submitted_by) WHERE submitted_by IS NOT NULL`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS tickets_submitted_received_idx`);
    await q.query(`
      CREATE INDEX IF NOT EXISTS ticket_followers_user_idx ON ticket_followers (user_id);
      DROP INDEX IF EXISTS ticket_followers_user_received_idx;
      DROP TRIGGER IF EXISTS ticket_followers_received_at ON ticket_followers;
      DROP FUNCTION IF EXISTS ticket_followers_fill_received_at();
      ALTER TABLE ticket_followers DROP COLUMN IF EXISTS received_at;
    `);
  }
}
