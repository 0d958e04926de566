import { ATTACHMENT_KINDS } from '../../../../libs/domain/src';
import { arr, described, dt, e, int, nint, nstr, nullable, obj, str, type ViewOf } from '../common/view-schema';

export const ATTACHMENT_SOURCES = ['WHATSAPP', 'SMS', 'OPEN311', 'TRACKING_PAGE', 'CONSOLE'] as const;
export const ATTACHMENT_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

/** One attachment (attachments.service.ts): what it is, who added it, and short-lived URLs of its files. */
export const ATTACHMENT_VIEW = obj({
  id: str,
  ticketNumber: str,
  kind: described(e(ATTACHMENT_KINDS), 'CITIZEN: sent by the citizen; INTAKE: added by the center; BEFORE/AFTER: the expert’s photos of the problem and of the work done'),
  source: e(ATTACHMENT_SOURCES),
  mediaType: described(e(ATTACHMENT_MEDIA_TYPES), 'The type sniffed from the bytes (HEIC is kept as JPEG)'),
  sha256: described(str, 'SHA-256 (hex) of the display file: the value in the ticket’s ATTACHED audit row'),
  size: described(int, 'Bytes of the display file'),
  width: nint,
  height: nint,
  fileName: described(nstr, 'The uploaded file’s name, sanitised (for downloads; never its type)'),
  addedAt: dt,
  addedBy: obj({ kind: e(['STAFF', 'CITIZEN', 'SYSTEM']), id: nstr, name: described(nstr, 'The staff member’s name') }),
  displayUrl: described(str, 'GET it (an <img src> works): the re-encoded image or the PDF, signed for a few minutes'),
  thumbnailUrl: described(nullable(str), 'A small image for lists, signed like displayUrl; null for a PDF'),
  urlsExpireAt: described(dt, 'When the signed URLs stop working: list again for new ones'),
});

/** GET /tickets/:number/attachments. */
export const ATTACHMENT_LIST = obj({
  number: str,
  items: described(arr(ATTACHMENT_VIEW), 'The ticket’s attachments, oldest first (only those its workflow recorded)'),
});

export type AttachmentView = ViewOf<typeof ATTACHMENT_VIEW>;
export type AttachmentList = ViewOf<typeof ATTACHMENT_LIST>;
