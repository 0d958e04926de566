import { CHANNELS, SEGMENTS, TICKET_STATUSES, TICKET_TYPES } from '../../../../../libs/domain/src';
import { arr, bool, described, dt, e, int, ndt, nint, nnum, nstr, nullable, obj, str, type ViewOf } from '../../common/view-schema';
import { QUEUES } from './list-tickets.dto';

const queueCount = obj({
  queue: e(QUEUES),
  count: described(int, 'How many tickets the queue holds now, counted up to a cap'),
  more: described(bool, 'More than the cap (a console shows "99+")'),
});
/** GET /queues (ticket-listing.service.ts). */
export const QUEUE_COUNTS = obj({ queues: arr(queueCount) });

/**
 * GET /tickets: one page of a list, each row what a console's table shows and a worker decides
 * by. No requester or address; staff get the first words of the description, platform users never.
 */
export const TICKET_LIST_PAGE = obj({
  items: arr(
    obj({
      number: str,
      type: e(TICKET_TYPES),
      category: str,
      channel: e(CHANNELS),
      segment: e(SEGMENTS),
      status: e(TICKET_STATUSES),
      departmentId: nstr,
      assigneeId: described(nstr, 'Staff ids stay with staff: null for platform users'),
      district: nstr,
      neighbourhood: nstr,
      lat: described(nnum, 'The exact position, for a queue’s map (staff only; null for platform users and for tickets without one)'),
      lng: described(nnum, 'The exact position, for a queue’s map (staff only; null for platform users and for tickets without one)'),
      receivedAt: dt,
      sla: described(nullable(obj({ dueAt: ndt, percentUsed: nnum, breached: bool })), 'The SLA (internal: null for platform users)'),
      legalDueAt: ndt,
      approvalLevel: nint,
      reopenCount: int,
      subject: described(nstr, 'The first words of the description (staff only; a read logged in pii_reads); null for platform users'),
      assigneeName: described(nstr, 'The assignee’s name (staff only)'),
      flags: described(
        nullable(obj({ reopened: bool, rejectedBack: bool, calledAgain: int, waitingForCitizen: bool })),
        'What a worker decides by (staff only): reopened by the citizen; sent back by an approver; how often called about again (duplicate contacts, merged tickets); waiting for the citizen',
      ),
    }),
  ),
  nextCursor: nstr,
  total: described(nullable(obj({ count: int, more: bool })), 'How many tickets the list holds, counted up to 1,000 (`more` beyond); first page only, null with a cursor'),
});

export type QueueCounts = ViewOf<typeof QUEUE_COUNTS>;
export type TicketListPage = ViewOf<typeof TICKET_LIST_PAGE>;
