import type { EntityManager } from 'typeorm';
import type { IntakeRequestsRepository } from '../../../../libs/database/src/intake-requests.repository';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';

/** How long a stored `Idempotency-Key` answers replays; the intake sweeper deletes older ones. */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

/** Printable ASCII, 1 to 255 characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** The key of one caller: keys are scoped to the signed-in account, or to the client IP for anonymous intake. */
export interface IntakeIdempotency {
  callerKey: string;
  key: string;
}

/** The header's value as a scoped key; undefined without the header; 400 naming the header when malformed. */
export function intakeIdempotency(header: string | undefined, identity: StaffIdentity | null, ip: string | undefined): IntakeIdempotency | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (!KEY_PATTERN.test(key)) throw badRequest('Idempotency-Key', 'must be 1 to 255 printable ASCII characters (a UUID, say)');
  return { callerKey: identity ? `STAFF:${identity.id}` : `ANON:${ip ?? 'unknown'}`, key };
}

/** The stored part of the first answer: everything but the tracking link, which is derived again from the ticket. */
export interface StoredIntakeAnswer {
  number: string;
  status: string;
  receivedAt: string;
  workflowId: string;
}

export interface ClaimedKey {
  /** The ticket the first request with this key created, when there was one (then nothing new is written). */
  replay: { ticketId: string; answer: StoredIntakeAnswer } | null;
}

/**
 * Takes the key for this request inside the intake transaction. A concurrent twin's INSERT waits
 * on the first one's uncommitted row and then finds it committed, so 50 requests with one key
 * create one ticket; a key past its retention is forgotten first.
 */
export async function claimKey(requests: IntakeRequestsRepository, m: EntityManager, scoped: IntakeIdempotency, bodyHash: string): Promise<ClaimedKey> {
  const claim = await requests.claim<StoredIntakeAnswer>(m, scoped.callerKey, scoped.key, bodyHash, IDEMPOTENCY_KEY_RETENTION_HOURS);
  if (claim.taken) return { replay: null };
  const { row } = claim;
  if (!row || !row.ticket_id) {
    // Deleted or rolled back between the two statements: rare enough to ask for a retry.
    throw new ApiProblem(ApiErrorCode.REQUEST_IN_PROGRESS, 'the first request with this Idempotency-Key is still being answered; try again shortly');
  }
  if (row.body_hash !== bodyHash) {
    throw new ApiProblem(
      ApiErrorCode.IDEMPOTENCY_KEY_REUSED,
      `this Idempotency-Key was already used for another intake (ticket ${row.response.number}) with a different body; use a new key for a new request`,
    );
  }
  return { replay: { ticketId: row.ticket_id, answer: row.response } };
}

/** Binds the key to the ticket it created and the answer given, in the same transaction. */
export async function recordAnswer(requests: IntakeRequestsRepository, m: EntityManager, scoped: IntakeIdempotency, ticketId: string, answer: StoredIntakeAnswer): Promise<void> {
  await requests.recordAnswer(m, scoped.callerKey, scoped.key, ticketId, answer);
}
