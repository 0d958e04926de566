import { CHANNELS, SEGMENTS, TICKET_STATUSES, TICKET_TYPES } from '../../../../../libs/domain/src';
import { arr, bool, type Conforms, dt, e, int, ndt, nint, nnum, nstr, nullable, obj, str, type ViewOf } from '../../common/view-schema';
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
    }),
  ),
  nextCursor: nstr,
});

type _QueueCount = Conforms<QueueCount, ViewOf<typeof QUEUE_COUNTS>['queues'][number]>;
type _ListPage = Conforms<TicketListPage, ViewOf<typeof TICKET_LIST_PAGE>>;
