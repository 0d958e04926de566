import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A key's stored row, as a replay finds it (ticket_id and response are null until the first request's transaction commits them). */
export interface IntakeRequestRow<Answer> {
  body_hash: string;
  ticket_id: string | null;
  response: Answer;
}

/**
 * The intake's Idempotency-Keys (intake_requests): a key per caller, the hash of the first body,
 * and the ticket and answer it gave. Every statement but the sweep runs in the intake's
 * transaction (`m`), so a concurrent twin waits on the first one's uncommitted row.
 */
@Injectable()
export class IntakeRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the key (a key older than `retentionHours` is forgotten first): null when this request
   * took it, else the row the first request with the key left (null-ish fields while it is not committed).
   */
  async claim<Answer>(m: EntityManager, callerKey: string, key: string, bodyHash: string, retentionHours: number): Promise<{ taken: true } | { taken: false; row: IntakeRequestRow<Answer> | null }> {
    await m.query(`DELETE FROM intake_requests WHERE caller_key = $1 AND idempotency_key = $2 AND created_at < now() - make_interval(hours => $3)`, [callerKey, key, retentionHours]);
    const inserted: unknown[] = await m.query(
      `INSERT INTO intake_requests (caller_key, idempotency_key, body_hash) VALUES ($1, $2, $3)
       ON CONFLICT (caller_key, idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [callerKey, key, bodyHash],
    );
    if (inserted.length) return { taken: true };
    const [row]: IntakeRequestRow<Answer>[] = await m.query(`SELECT body_hash, ticket_id, response FROM intake_requests WHERE caller_key = $1 AND idempotency_key = $2`, [callerKey, key]);
    return { taken: false, row: row ?? null };
  }

  /** Binds the key to the ticket it created and the answer given, in the same transaction. */
  async recordAnswer(m: EntityManager, callerKey: string, key: string, ticketId: string, answer: unknown): Promise<void> {
    await m.query(`UPDATE intake_requests SET ticket_id = $3, response = $4 WHERE caller_key = $1 AND idempotency_key = $2`, [callerKey, key, ticketId, JSON.stringify(answer)]);
  }

  /** Deletes up to 1,000 keys past their retention (a bounded batch per sweep); how many it deleted. */
  async forgetExpired(retentionHours: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM intake_requests WHERE ctid IN (
           SELECT ctid FROM intake_requests WHERE created_at < now() - make_interval(hours => $1) LIMIT 1000)
         RETURNING 1)
       SELECT 1 FROM gone`,
      [retentionHours],
    );
    return rows.length;
  }
}
