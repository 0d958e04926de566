/**
 * What an attachment is to the rest of the system. Plain JSON: these values travel in workflow
 * history (id and hash only, never bytes) and in views.
 */

/** Who added it and in what role, which decides who may see it. */
export type AttachmentKind =
  | 'CITIZEN' // sent by the citizen: WhatsApp/MMS, Open311, the tracking page
  | 'INTAKE' // added by the agent who recorded the ticket
  | 'BEFORE' // the expert's photo of the problem
  | 'AFTER'; // the expert's photo of the work done (shown to the citizen once approved)

export type AttachmentSource = 'WHATSAPP' | 'SMS' | 'OPEN311' | 'TRACKING_PAGE' | 'CONSOLE';

/** The sniffed type of what was kept (HEIC is converted to JPEG before it is kept). */
export type AttachmentMediaType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

/** The reference the workflow history and the audit row hold. */
export interface AttachmentReference {
  attachmentId: string;
  /** SHA-256 (hex) of the stored display bytes: what anyone will ever be served. */
  sha256: string;
  kind: AttachmentKind;
}
