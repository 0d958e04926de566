/** What the inbound-media workflow (workflows/inbound-media.workflow.ts) asks of the outside world (activities/inbound-media.activities.ts). */
export interface InboundMediaActivities {
  /**
   * Fetches media item `index` of the message from Twilio and adds it to the ticket as the
   * citizen's attachment. Idempotent: the attachment's id is derived from the message and the
   * index, so an item already attached is not fetched again. Fails non-retryably (its type is the
   * reason code) when trying again cannot help.
   */
  addInboundMedia(input: InboundMediaItem): Promise<{ attachmentId: string; already: boolean }>;
  /** Records on the ticket that the item could not be added (the `mediaFailed` Update; once per item). */
  recordMediaFailure(input: InboundMediaItem & { reason: string }): Promise<void>;
}

export interface InboundMediaItem {
  messageSid: string;
  ticketNumber: string;
  index: number;
}

/** The workflow's input: the message and how many media items it has. Never the URLs (they are read from inbound_messages). */
export interface InboundMediaInput {
  messageSid: string;
  ticketNumber: string;
  count: number;
}
