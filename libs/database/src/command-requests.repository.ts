import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../../domain/src';
import { CommandRequestEntity, TicketTextEntity, type CommandResponse } from './entities';

/** How long an attempt holding a request is presumed alive (it releases at once when it fails). */
const LEASE_SECONDS = 30;

/** What a request id is bound to: a retry must match all of it. */
export interface RequestBinding {
  requestId: string;
  ticketId: string;
  actorKey: string;
  command: string;
  bodyHash: string;
}

export const actorKey = (actor: Actor): string => (actor.kind === 'STAFF' ? `STAFF:${actor.id}` : actor.kind);

/** SHA-256 of the value in canonical JSON (keys sorted at every level), so field order does not matter. */
export function bodyHash(body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(body ?? {}))).digest('hex');
}

/** Why a binding is not this request's: another ticket, caller, command or body; null when it is. */
export function bindingMismatch(row: RequestBinding, request: RequestBinding): string | null {
  if (row.ticketId !== request.ticketId) return 'another ticket';
  if (row.actorKey !== request.actorKey) return 'another caller';
  if (row.command !== request.command) return `another command (${row.command})`;
  if (row.bodyHash !== request.bodyHash) return 'another body';
  return null;
}

/**
 * The CTE `done`: `$request` is DONE with `$response` unless another attempt completed it first
 * (none when `$request` is null). A command's answer folds it into its timeline read
 * (ticket-timeline.repository.ts): the record costs the hot path no statement of its own.
 */
export const completeCte = (request: string, response: string) => `
  done AS (
    UPDATE command_requests SET status = 'DONE', response = ${response}::jsonb, completed_at = now()
     WHERE request_id = ${request} AND status = 'PENDING' RETURNING response)`;

/** After `completeCte`: the response that stands, ours or the first attempt's. */
export const standingResponseSql = (request: string) =>
  `SELECT response FROM done UNION ALL SELECT response FROM command_requests WHERE request_id = ${request} AND NOT EXISTS (SELECT 1 FROM done)`;

/**
 * The `command_requests` table: X-Request-Id de-duplication that outlives a workflow run. A
 * request costs its command one statement on the hot path: taken with the command's texts
 * before the Update (`claim`), completed in the statement that reads the answer's timeline.
 */
@Injectable()
export class CommandRequestRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(requestId: string): Promise<CommandRequestEntity | null> {
    return this.dataSource.getRepository(CommandRequestEntity).findOneBy({ requestId });
  }

  /**
   * Takes the id for this request (PENDING, leased to the caller) and stores the command's
   * texts, in one statement (so atomically). False when the id is already taken: then nothing is
   * written (a concurrent twin waits on the row's lock and finds it here once the first commits).
   */
  async claim(binding: RequestBinding, args: Record<string, unknown>, texts: Partial<TicketTextEntity>[]): Promise<boolean> {
    const claimed: unknown[] = await this.dataSource.query(
      `WITH claimed AS (
         INSERT INTO command_requests (request_id, ticket_id, actor_key, command, body_hash, args, status, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', now() + make_interval(secs => $7))
         ON CONFLICT (request_id) DO NOTHING RETURNING request_id
       ), texts AS (
         INSERT INTO ticket_texts (id, ticket_id, kind, body, author_kind, author_id)
         SELECT t.id, t.ticket_id, t.kind, t.body, t.author_kind, t.author_id
           FROM jsonb_to_recordset($8::jsonb) AS t(id uuid, ticket_id uuid, kind text, body text, author_kind text, author_id text)
          WHERE EXISTS (SELECT 1 FROM claimed)
       )
       SELECT request_id FROM claimed`,
      [
        binding.requestId,
        binding.ticketId,
        binding.actorKey,
        binding.command,
        binding.bodyHash,
        JSON.stringify(args),
        LEASE_SECONDS,
        JSON.stringify(texts.map((t) => ({ id: t.id, ticket_id: t.ticketId, kind: t.kind, body: t.body, author_kind: t.authorKind, author_id: t.authorId ?? null }))),
      ],
    );
    return claimed.length > 0;
  }

  /**
   * Records the answer and returns the one that stands: when two attempts finish one
   * request (a slow first attempt and a recovery), the first to complete it wins.
   */
  async complete(requestId: string, response: CommandResponse): Promise<CommandResponse> {
    const rows: { response: CommandResponse }[] = await this.dataSource.query(`WITH ${completeCte('$1', '$2')} ${standingResponseSql('$1')}`, [requestId, JSON.stringify(response)]);
    return rows[0]?.response ?? response;
  }

  /** The outcome is unknown: let a retry recover the request at once instead of waiting out the lease. */
  async release(requestId: string): Promise<void> {
    await this.dataSource.query(`UPDATE command_requests SET lease_until = now() WHERE request_id = $1 AND status = 'PENDING'`, [requestId]);
  }

  /** Takes over a PENDING request whose lease ran out (its attempt failed or died); false when someone holds it. */
  async takeOver(requestId: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count].
    const rows: unknown[] = await this.dataSource.query(
      `WITH taken AS (
         UPDATE command_requests SET lease_until = now() + make_interval(secs => $2)
          WHERE request_id = $1 AND status = 'PENDING' AND lease_until <= now() RETURNING request_id)
       SELECT request_id FROM taken`,
      [requestId, LEASE_SECONDS],
    );
    return rows.length > 0;
  }
}
