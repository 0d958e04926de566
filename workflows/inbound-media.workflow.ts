import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { InboundMediaActivities, InboundMediaInput } from '../activities/inbound-media-activities.contract';

/** Fetch and add one item: 5 attempts, 2 s, 4 s, 8 s, 16 s apart (about half a minute), then the item is recorded as failed. */
const fetching = proxyActivities<InboundMediaActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Recording the failure on the ticket is a short Update: retried like the projection, for about an hour. */
const recording = proxyActivities<InboundMediaActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 60 },
});

const REASON = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * A citizen's WhatsApp/MMS message with media (started by the API once the message is settled on
 * its ticket; its id is `inbound-media-<MessageSid>`, so a retried webhook starts nothing new).
 * Each item is fetched from Twilio and added to the ticket as the citizen's attachment by an
 * activity, retried; an item that still cannot be added — retries exhausted, or refused as a file
 * — is recorded on the ticket (MEDIA_FETCH_FAILED) for staff: never lost silently. Its own short
 * workflow, not the ticket's: no ticket history changes shape. The history holds the message id,
 * the ticket number and counts, never a URL or a byte.
 */
export async function inboundMediaWorkflow(input: InboundMediaInput): Promise<{ attached: number; failed: number }> {
  const results = await Promise.all(
    Array.from({ length: input.count }, async (_, index) => {
      const item = { messageSid: input.messageSid, ticketNumber: input.ticketNumber, index };
      try {
        await fetching.addInboundMedia(item);
        return true;
      } catch (error) {
        const reason = reasonOf(error);
        log.warn('a media item could not be added', { messageSid: input.messageSid, index, reason });
        await recording.recordMediaFailure({ ...item, reason });
        return false;
      }
    }),
  );
  const attached = results.filter(Boolean).length;
  return { attached, failed: results.length - attached };
}

/** The refusal's code when the activity gave up for good (non-retryable), else FETCH_FAILED: the retries ran out. */
function reasonOf(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.nonRetryable && cause.type && REASON.test(cause.type)) return cause.type;
  return 'FETCH_FAILED';
}
