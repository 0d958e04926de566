import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tracking tokens leave the database: a ticket keeps a random nonce (the token is derived from
 * it and TRACKING_TOKEN_SECRET) and a keyed hash of the token, never the token.
 *
 * Tokens stored in plain text before cannot be hashed here (a migration has no secret), so they
 * are invalidated (Teksin had not run in production): those tickets keep no tracking link, their
 * old links answer 404, and their later SMS go without a link. Tokens already in outbox bodies
 * are masked (`k=***`).
 */
export class TrackingTokenHash1764710000000 implements MigrationInterface {
  name = 'TrackingTokenHash1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets DROP COLUMN tracking_token;
      ALTER TABLE tickets ADD COLUMN tracking_token_nonce text, ADD COLUMN tracking_token_hash bytea;
      ALTER TABLE tickets ADD CONSTRAINT tickets_tracking_token_pair CHECK ((tracking_token_nonce IS NULL) = (tracking_token_hash IS NULL));
      UPDATE sms_outbox SET body = regexp_replace(body, '([?&])k=[^[:space:]&#]+', '\\1k=***', 'g') WHERE body ~ '[?&]k=';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The old links do not come back: every ticket gets a new random plain token.
    await q.query(`
      ALTER TABLE tickets DROP CONSTRAINT tickets_tracking_token_pair;
      ALTER TABLE tickets DROP COLUMN tracking_token_nonce, DROP COLUMN tracking_token_hash;
      ALTER TABLE tickets ADD COLUMN tracking_token text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text);
      ALTER TABLE tickets ALTER COLUMN tracking_token DROP DEFAULT;
    `);
  }
}
