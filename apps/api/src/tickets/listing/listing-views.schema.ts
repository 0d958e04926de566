import { CHANNELS, SEGMENTS, TICKET_STATUSES, TICKET_TYPES } from '../../../../../libs/domain/src';
import { arr, bool, type Conforms, described, dt, e, int, ndt, nint, nnum, nstr, nullable, obj, str, type ViewOf } from '../../common/view-schema';
import { QUEUES } from './list-tickets.dto';
import type { QueueCount, TicketListPage } from './ticket-listing.service';

/** { queues: QueueCount[] } (ticket-listing.service.ts). */
export const QUEUE_COUNTS = obj({ queues: arr(obj({ queue: e(QUEUES), count: int, more: bool })) });

/** TicketListPage. */
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
      assigneeId: nstr,
      district: nstr,
      neighbourhood: nstr,
      receivedAt: dt,
      sla: nullable(obj({ dueAt: ndt, percentUsed: nnum, breached: bool })),
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

type _QueueCount = Conforms<QueueCount, ViewOf<typeof QUEUE_COUNTS>['queues'][number]>;
type _ListPage = Conforms<TicketListPage, ViewOf<typeof TICKET_LIST_PAGE>>;
