/**
 * Why a file was refused. The API maps each code to its HTTP status (apps/api/src/common/api-error-code.ts
 * has the same names); every refusal is a 4xx, never a 5xx.
 */
export enum AttachmentErrorCode {
  /** Over ATTACHMENT_MAX_BYTES as uploaded (413). */
  ATTACHMENT_TOO_LARGE = 'ATTACHMENT_TOO_LARGE',
  /** An image over ATTACHMENT_MAX_PIXELS: a decompression bomb, refused before it is decoded (413). */
  ATTACHMENT_TOO_MANY_PIXELS = 'ATTACHMENT_TOO_MANY_PIXELS',
  /** The bytes are none of JPEG, PNG, WebP, HEIC/HEIF, PDF, whatever the name or header said (415). */
  ATTACHMENT_TYPE_UNSUPPORTED = 'ATTACHMENT_TYPE_UNSUPPORTED',
  /** The bytes claim an allowed type but cannot be read whole: truncated or corrupt (422). */
  ATTACHMENT_UNREADABLE = 'ATTACHMENT_UNREADABLE',
  /** A PDF with scripts, actions that run on opening, launches or embedded files (422). */
  ATTACHMENT_ACTIVE_CONTENT = 'ATTACHMENT_ACTIVE_CONTENT',
}

export class AttachmentError extends Error {
  constructor(
    readonly code: AttachmentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentError';
  }
}
