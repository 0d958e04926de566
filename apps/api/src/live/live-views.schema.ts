import { described, int, obj, str, type ViewOf } from '../common/view-schema';

/** The `data` of an `event: ticket` on GET /events: which ticket changed and how, never personal data. */
export const LIVE_TICKET_EVENT = obj({
  number: str,
  seq: described(int, 'The event’s sequence number in the ticket’s history'),
  type: described(str, 'The event’s type (e.g. EXPERT_ASSIGNED)'),
  status: described(str, 'The ticket’s status after it'),
});
export type LiveTicketEventView = ViewOf<typeof LIVE_TICKET_EVENT>;

/** GET /events: a `text/event-stream`, documented as text with the events it carries. */
export const EVENT_STREAM = {
  'text/event-stream': {
    schema: {
      type: 'string',
      description: [
        'Server-sent events, one per blank-line-separated block (`id:`, `event:`, `data:` JSON).',
        '`ready` (first event of a new stream; its id is the cursor), `ticket` (a ticket the caller may open changed: data is number, seq, type, status),',
        '`reset` (too much was missed, or the feed was interrupted: refetch everything; its id is the new cursor), `end` (data.reason: SESSION_ENDED, TOKEN_EXPIRED, SHUTDOWN).',
        'Comment lines (`: heartbeat`) keep the connection alive. Reconnect with `Last-Event-ID` to get what was missed.',
      ].join(' '),
    },
  },
};
