import { createHash, timingSafeEqual } from 'node:crypto';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { unauthorized } from '../common/problem';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The one check of a citizen's tracking token (the tracking page, GET /tickets/:number and
 * the citizen's commands). Exact — same length and same bytes — and constant-time: the
 * digests are compared, so the time taken says nothing about how much of the token was right.
 */
export function citizenTokenMatches(ticket: Pick<TicketEntity, 'trackingToken'>, given: string | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const same = timingSafeEqual(digest(ticket.trackingToken), digest(given));
  return same && Buffer.byteLength(given) === Buffer.byteLength(ticket.trackingToken);
}

/** 401 unless `given` is the ticket's tracking token. */
export function assertCitizenToken(ticket: Pick<TicketEntity, 'trackingToken'>, given: string | undefined): void {
  if (!given) throw unauthorized('the citizen’s tracking token is required (X-Tracking-Token header, or the k parameter of the tracking link)');
  if (!citizenTokenMatches(ticket, given)) throw unauthorized('a valid tracking token is required (X-Tracking-Token)');
}
