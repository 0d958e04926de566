import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 GeoReport v2: the API clients an ADMIN issues keys to (the key stored only as an
 * argon2id hash, found by its public prefix), and on each ticket the client that filed it and
 * the media URL it sent. A revoked client keeps its row: its tickets still name it.
 */
export class Open3111765400000000 implements MigrationInterface {
  name = 'Open3111765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_clients (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        contact text NOT NULL,
        key_prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        requests_per_minute int NOT NULL CHECK (requests_per_minute BETWEEN 1 AND 100000),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by text
      );
      ALTER TABLE tickets ADD COLUMN api_client_id uuid REFERENCES api_clients (id), ADD COLUMN media_url text;
      CREATE INDEX tickets_api_client_idx ON tickets (api_client_id) WHERE api_client_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX tickets_api_client_idx;
      ALTER TABLE tickets DROP COLUMN api_client_id, DROP COLUMN media_url;
      DROP TABLE api_clients;
    `);
  }
}
