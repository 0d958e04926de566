import type { ErasureRecord } from '../../../../libs/database/src/personal-data.repository';
import type { ErasureView } from './audit-views.schema';

/**
 * An erasure as the auditor reads it (GET /audit/subjects, POST /audit/subjects/erase). The record
 * is libs/database's (the retention job writes it too); the answer is copied field by field, so a
 * field the library adds is not published without its schema.
 */
export const erasureView = (record: ErasureRecord): ErasureView => ({
  id: record.id,
  at: record.at,
  kind: record.kind,
  actorId: record.actorId,
  reason: record.reason,
  criteria: record.criteria,
  ticketIds: record.ticketIds,
  tickets: record.tickets,
  texts: record.texts,
  outboxRows: record.outboxRows,
  contacts: record.contacts,
  attachments: record.attachments,
  attachmentIds: record.attachmentIds,
});
