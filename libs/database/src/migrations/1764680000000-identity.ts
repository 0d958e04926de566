import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in and identity: a password hash (argon2id; none = cannot sign in with a password) and a
 * muhtar's neighbourhood on the staff row; sign-in sessions with their refresh tokens (stored
 * as SHA-256 hashes, rotated on each use); and deputies (vekalet) for a date range.
 */
export class Identity1764680000000 implements MigrationInterface {
  name = 'Identity1764680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE staff
        ADD COLUMN password_hash text,
        ADD COLUMN district text,
        ADD COLUMN neighbourhood text,
        ADD CONSTRAINT staff_muhtar_neighbourhood_check
          CHECK (NOT ('MUHTAR' = ANY (roles)) OR (district IS NOT NULL AND neighbourhood IS NOT NULL));

      -- One row per sign-in. Every access token names its session (claim sid); a request is
      -- refused once the session is revoked (sign-out, or a refresh token used twice).
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        staff_id text NOT NULL REFERENCES staff(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_refreshed_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text CHECK (revoked_reason IN ('SIGNED_OUT', 'REFRESH_TOKEN_REUSED', 'PASSWORD_CHANGED')),
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
      );
      CREATE INDEX sessions_staff_idx ON sessions (staff_id, created_at);

      -- The refresh tokens of a session (its family), newest replacing the one before.
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        replaced_by uuid REFERENCES refresh_tokens(id)
      );
      CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id) WHERE revoked_at IS NULL;

      -- Vekalet: the deputy stands in for the principal from valid_from (inclusive) to valid_to (exclusive).
      CREATE TABLE deputies (
        id uuid PRIMARY KEY,
        principal_id text NOT NULL REFERENCES staff(id),
        deputy_id text NOT NULL REFERENCES staff(id),
        valid_from timestamptz NOT NULL,
        valid_to timestamptz NOT NULL,
        reason text NOT NULL,
        created_by text NOT NULL REFERENCES staff(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to > valid_from),
        CHECK (principal_id <> deputy_id)
      );
      CREATE INDEX deputies_deputy_idx ON deputies (deputy_id, valid_to);
      CREATE INDEX deputies_principal_idx ON deputies (principal_id, valid_to);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE deputies;
      DROP TABLE refresh_tokens;
      DROP TABLE sessions;
      ALTER TABLE staff DROP CONSTRAINT staff_muhtar_neighbourhood_check,
        DROP COLUMN neighbourhood, DROP COLUMN district, DROP COLUMN password_hash;
    `);
  }
}
