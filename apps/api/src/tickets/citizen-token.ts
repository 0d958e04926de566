import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { trackingTokenHash } from '../../../../libs/sms/src/tracking-link';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { notFound } from '../common/problem';

/** What a caller's tracking token is worth: its ticket, its ticket closed too long ago, or nothing. */
export type CitizenTokenState = 'VALID' | 'EXPIRED' | 'INVALID';

export type TokenTicket = Pick<TicketEntity, 'number' | 'trackingTokenHash' | 'closedAt'>;

/**
 * The one check of a citizen's tracking token (the tracking page, GET /tickets/:number and the
 * citizen's commands). The ticket keeps only a keyed hash of its token; the given token is
 * hashed the same way and the two compared in constant time (equal-length HMACs), so the time
 * taken says nothing about how much of the token was right. A token stops working `ttlAfterCloseMs`
 * after the ticket closed.
 */
export function citizenTokenState(ticket: TokenTicket, given: unknown, tracking: Pick<AppConfig['tracking'], 'tokenSecret' | 'ttlAfterCloseMs'>, now = new Date()): CitizenTokenState {
  if (typeof given !== 'string' || given.length === 0 || given.length > 200 || !ticket.trackingTokenHash) return 'INVALID';
  const expected = Buffer.from(ticket.trackingTokenHash);
  const actual = trackingTokenHash(tracking.tokenSecret, given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'INVALID';
  if (ticket.closedAt && now.getTime() - ticket.closedAt.getTime() > tracking.ttlAfterCloseMs) return 'EXPIRED';
  return 'VALID';
}

/**
 * The check with the configured secret. Anything but a valid token is the same 404 as an
 * unknown ticket: a caller learns nothing about the ticket, not even that it exists.
 */
@Injectable()
export class CitizenTokens {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  state(ticket: TokenTicket, given: unknown): CitizenTokenState {
    return citizenTokenState(ticket, given, this.config.tracking);
  }

  /** 404, as for an unknown ticket, unless `given` is the ticket's working tracking token. */
  assert(ticket: TokenTicket, given: unknown): void {
    if (this.state(ticket, given) !== 'VALID') throw ticketNotFound(ticket.number);
  }
}

/** The answer for an unknown ticket, and for one the caller may not see. */
export const ticketNotFound = (number: string) => notFound(`ticket ${number}`);
