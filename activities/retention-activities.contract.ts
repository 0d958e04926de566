/** What the KVKK retention workflow asks of the outside world (activities/retention.activities.ts). */
export interface RetentionActivities {
  /** Anonymises every ticket closed longer ago than the retention period, then every contact older than its own, in batches; records each batch. */
  anonymiseExpiredTickets(input: { now: string }): Promise<RetentionRunResult>;
}

export interface RetentionRunResult {
  /** Tickets closed before this instant were due. */
  closedBefore: string;
  tickets: number;
  texts: number;
  outboxRows: number;
  /** Attachments of those tickets made REMOVED, and stored objects deleted (display and thumbnail; also of an earlier run that died before deleting). Absent in runs before attachments. */
  attachments?: number;
  attachmentObjects?: number;
  /** Contacts recorded before this instant were due (RETENTION_CONTACTS). */
  contactsBefore: string;
  contacts: number;
  /** The data_erasures rows written (one per batch, at least one per run). */
  erasureIds: string[];
}
