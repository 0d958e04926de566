import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/src';
import type { SessionRevokedReason } from './entities';

export type RotateResult =
  | { ok: true; staffId: string; sessionId: string; refreshExpiresAt: Date; sessionEndsAt: Date }
  | { ok: false; reason: 'UNKNOWN' | 'EXPIRED' | 'SESSION_REVOKED' | 'REUSED' | 'SESSION_TOO_OLD' };

/**
 * Sessions and their refresh tokens (tables `sessions`, `refresh_tokens`). A session is one
 * sign-in; its refresh tokens form a family in which only the newest is valid. Rotation marks
 * the old token revoked and names its successor; presenting a revoked token again means it was
 * copied, so the whole session is revoked (every refresh token and, through `sid`, every access
 * token of it). A session lasts at most SESSION_MAX_LIFETIME from its sign-in, however often it
 * is refreshed: no refresh token outlives it, and a refresh after it is refused. Tokens come and
 * go as their hashes: the API makes them (token.service.ts), only their hashes are stored.
 */
@Injectable()
export class SessionsRepository {
  private readonly refreshTtlMs: number;
  private readonly maxLifetimeMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.refreshTtlMs = config.auth.refreshTokenTtlMs;
    this.maxLifetimeMs = config.auth.sessionMaxLifetimeMs;
  }

  /** When a refresh token issued now expires: REFRESH_TOKEN_TTL from now, but never after the session ends. */
  private refreshExpiry(sessionEndsAt: Date): Date {
    return new Date(Math.min(Date.now() + this.refreshTtlMs, sessionEndsAt.getTime()));
  }

  /** A new session for the staff member, with its first refresh token (by its hash). */
  async open(staffId: string, refreshTokenHash: string): Promise<{ sessionId: string; refreshExpiresAt: Date; sessionEndsAt: Date }> {
    const sessionId = randomUUID();
    const createdAt = new Date();
    const sessionEndsAt = new Date(createdAt.getTime() + this.maxLifetimeMs);
    const refreshExpiresAt = this.refreshExpiry(sessionEndsAt);
    await this.dataSource.query(
      `WITH s AS (INSERT INTO sessions (id, staff_id, created_at) VALUES ($1, $2, $6) RETURNING id)
       INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at) SELECT $3, s.id, $4, $5 FROM s`,
      [sessionId, staffId, randomUUID(), refreshTokenHash, refreshExpiresAt, createdAt],
    );
    return { sessionId, refreshExpiresAt, sessionEndsAt };
  }

  /** Exchanges a refresh token for its successor (both by their hashes), once; a second use revokes the session. */
  async rotate(tokenHash: string, nextHash: string): Promise<RotateResult> {
    return this.dataSource.transaction(async (m) => {
      // The row lock serialises two refreshes racing with the same token: the second sees it revoked.
      const [row] = await m.query(
        `SELECT r.id, r.session_id, r.expires_at, r.revoked_at, s.staff_id, s.revoked_at AS session_revoked_at, s.created_at AS session_created_at
           FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
          WHERE r.token_hash = $1 FOR UPDATE OF r`,
        [tokenHash],
      );
      if (!row) return { ok: false, reason: 'UNKNOWN' } as const;
      if (row.session_revoked_at) return { ok: false, reason: 'SESSION_REVOKED' } as const;
      if (row.revoked_at) {
        await revokeSession(m, row.session_id, 'REFRESH_TOKEN_REUSED');
        return { ok: false, reason: 'REUSED' } as const;
      }
      if (new Date(row.expires_at).getTime() <= Date.now()) return { ok: false, reason: 'EXPIRED' } as const;
      const sessionEndsAt = new Date(new Date(row.session_created_at).getTime() + this.maxLifetimeMs);
      if (sessionEndsAt.getTime() <= Date.now()) return { ok: false, reason: 'SESSION_TOO_OLD' } as const;

      const nextId = randomUUID();
      const refreshExpiresAt = this.refreshExpiry(sessionEndsAt);
      await m.query(`INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [nextId, row.session_id, nextHash, refreshExpiresAt]);
      await m.query(`UPDATE refresh_tokens SET revoked_at = now(), replaced_by = $2 WHERE id = $1`, [row.id, nextId]);
      await m.query(`UPDATE sessions SET last_refreshed_at = now() WHERE id = $1`, [row.session_id]);
      return { ok: true, staffId: row.staff_id, sessionId: row.session_id, refreshExpiresAt, sessionEndsAt } as const;
    });
  }

  /** The session a refresh token belongs to, whatever the token's state (for sign-out by refresh token). */
  async sessionOfRefreshToken(tokenHash: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT session_id FROM refresh_tokens WHERE token_hash = $1`, [tokenHash]);
    return row?.session_id ?? null;
  }

  /** Ends a session: its access tokens are refused from now on and its refresh tokens are revoked. Idempotent. */
  async revoke(sessionId: string, reason: SessionRevokedReason): Promise<void> {
    await this.dataSource.transaction((m) => revokeSession(m, sessionId, reason));
  }
}

/** Ends every open session of the staff member (a new or removed password), in the transaction given. */
export async function revokeSessionsOf(m: Pick<EntityManager, 'query'>, staffId: string, reason: SessionRevokedReason): Promise<void> {
  await m.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE staff_id = $1 AND revoked_at IS NULL`, [staffId, reason]);
  await m.query(`UPDATE refresh_tokens r SET revoked_at = now() FROM sessions s WHERE s.id = r.session_id AND s.staff_id = $1 AND r.revoked_at IS NULL`, [staffId]);
}

async function revokeSession(m: EntityManager, sessionId: string, reason: SessionRevokedReason): Promise<void> {
  await m.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  await m.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE session_id = $1 AND revoked_at IS NULL`, [sessionId]);
}
