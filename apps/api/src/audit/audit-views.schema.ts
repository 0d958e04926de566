import { arr, bool, described, dt, e, freeObject, int, ndt, nint, nstr, nullable, obj, str, type ViewOf } from '../common/view-schema';

/** The auditor's answers (audit, data-subject requests, the personal-data read log) as JSON Schemas for the OpenAPI document. */

const divergence = nullable(
  obj({
    runId: str,
    eventId: nint,
    eventType: nstr,
    recorded: described(nstr, 'What the history records where the code parts ways'),
    now: described(nstr, 'What the current code would do there instead'),
    text: described(str, 'The whole finding in one sentence'),
    engineMessage: described(str, 'The replay engine’s own message (Temporal core)'),
  }),
);

/** POST /audit/tickets/:number/replay. */
export const REPLAY_ANSWER = obj({
  number: str,
  workflowId: str,
  verdict: described(str, '"deterministic", or the first divergence in words'),
  deterministic: bool,
  runs: int,
  events: int,
  divergence,
});
export type ReplayAnswer = ViewOf<typeof REPLAY_ANSWER>;

const finding = obj({ seq: int, kind: e(['EDITED', 'CHAIN_BROKEN', 'SEQ_GAP', 'NOT_IN_HISTORY', 'MISSING', 'DIFFERS_FROM_HISTORY']), text: str });

/** GET /audit/tickets/:number/verify (verifyTicket, ticket-auditor.ts). */
export const VERIFY_RESULT = obj({
  number: str,
  intact: described(bool, 'No finding, and the history replays against the current code'),
  rows: int,
  historyEvents: int,
  findings: arr(finding),
  retriedTasks: described(arr(finding), 'Rows of a lost workflow task attempt that the retry decided again: not tampering'),
  replay: obj({ deterministic: bool, divergence }),
});
export type VerifyResult = ViewOf<typeof VERIFY_RESULT>;

/** One read of a citizen's personal data (pii_reads). */
export const PII_READ = obj({ at: dt, readerId: str, fields: arr(str), route: str, requestId: nstr });
export type PiiRead = ViewOf<typeof PII_READ>;
/** GET /audit/pii-reads. */
export const PII_READS = arr(PII_READ);

const erasureKind = e(['RETENTION', 'SUBJECT_REQUEST']);

/** GET /audit/tickets/:number/export. */
export const AUDIT_EXPORT = obj({
  number: str,
  exportedAt: dt,
  exportedBy: str,
  auditRows: arr(
    obj({
      seq: int,
      type: str,
      at: dt,
      actor: obj({ kind: str, id: nstr }),
      status: str,
      data: freeObject,
      recordedAt: dt,
      prevHash: described(nstr, 'hex; null on the first row'),
      hash: described(str, 'hex'),
    }),
  ),
  piiReads: PII_READS,
  erasures: described(arr(obj({ at: dt, kind: str, actorId: nstr, reason: str })), 'When and why its personal data was anonymised (KVKK), if it was'),
});
export type AuditExport = ViewOf<typeof AUDIT_EXPORT>;

/** An erasure as data_erasures records it (libs/database's ErasureRecord, mapped by erasure.view.ts). */
export const ERASURE = obj({
  id: str,
  at: dt,
  kind: erasureKind,
  actorId: nstr,
  reason: str,
  criteria: freeObject,
  ticketIds: arr(str),
  tickets: int,
  texts: int,
  outboxRows: int,
  contacts: described(int, 'Contact-log entries anonymised (their caller’s number and note)'),
  attachments: described(int, 'Attachments of the tickets removed (their stored files deleted; id, kind, size, type and SHA-256 kept for the audit chain)'),
  attachmentIds: described(arr(str), 'The attachments removed'),
});
export type ErasureView = ViewOf<typeof ERASURE>;

/** GET /audit/subjects: the one source of its type (`SubjectReport` in data-subjects.service.ts is `ViewOf` it). */
export const SUBJECT_REPORT = obj({
  phone: str,
  tickets: arr(
    obj({
      number: str,
      status: str,
      outcome: nstr,
      channel: str,
      type: str,
      category: str,
      receivedAt: dt,
      closedAt: ndt,
      anonymisedAt: ndt,
      requesterName: str,
      description: str,
      address: nstr,
      district: nstr,
      neighbourhood: nstr,
      mediaUrl: described(nstr, 'A photo link sent with the request through Open311'),
      attachments: described(
        arr(
          obj({
            id: str,
            kind: e(['CITIZEN', 'INTAKE', 'BEFORE', 'AFTER']),
            mediaType: str,
            size: described(int, 'bytes, as stored (re-encoded)'),
            sha256: described(str, 'hex, of the stored file: the value the ticket’s ATTACHED audit row holds'),
            addedAt: dt,
            state: described(e(['ATTACHED', 'REMOVED']), 'REMOVED: deleted by a KVKK erasure (retention or a request), the file is gone'),
            removedAt: ndt,
          }),
        ),
        'The ticket’s photos and documents (the files themselves: GET /attachments/<id>/display)',
      ),
    }),
  ),
  contacts: arr(obj({ at: dt, channel: str, outcome: str, ticketNumber: nstr, note: nstr, anonymisedAt: ndt })),
  messages: described(
    arr(obj({ at: dt, channel: str, body: str, media: arr(obj({ url: str, contentType: nstr })), ticketNumber: nstr })),
    'The number’s WhatsApp/SMS messages (to its tickets, or from the number); media links kept at Twilio',
  ),
  texts: described(
    arr(obj({ at: dt, ticketNumber: str, kind: e(['CITIZEN_ANSWER', 'REOPEN_REASON']), body: str, onBehalf: described(bool, 'Recorded by staff for the citizen, not typed by the citizen') })),
    'The citizen’s own texts on their tickets',
  ),
  ratings: arr(obj({ ratedAt: dt, ticketNumber: str, rating: int, comment: nstr })),
  erasures: described(arr(ERASURE), 'The erasures already done for this number’s tickets'),
});

/** POST /audit/subjects/erase. */
export const ERASE_ANSWER = obj({
  erasure: ERASURE,
  contactsErasure: ERASURE,
  stillOpen: described(arr(str), 'The number’s open tickets, named and not erased'),
});
export type EraseAnswer = ViewOf<typeof ERASE_ANSWER>;
