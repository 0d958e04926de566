import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { badRequest } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';
import { LiveHub } from './live-hub.service';

/** A cursor is an audit row id: a positive bigint. */
const CURSOR = /^\d{1,18}$/;

/** GET /events: checks the request, then hands the response to the hub. */
@Injectable()
export class LiveStreamsService {
  constructor(private readonly hub: LiveHub) {}

  open(identity: StaffIdentity, lastEventId: string | undefined, res: Response): Promise<void> {
    const cursor = lastEventId?.trim() || null;
    if (cursor !== null && !CURSOR.test(cursor)) throw badRequest('Last-Event-ID', 'must be the id of an event this stream sent (digits only)');
    return this.hub.open(identity, cursor, res);
  }
}
