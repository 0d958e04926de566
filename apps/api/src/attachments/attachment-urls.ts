import { createHmac, timingSafeEqual } from 'node:crypto';

/** The two files of an attachment anyone may be served. */
export const ATTACHMENT_VARIANTS = ['display', 'thumbnail'] as const;
export type AttachmentVariant = (typeof ATTACHMENT_VARIANTS)[number];

/** How long a signed URL works: long enough for a screen to load its images, short enough that a copied link dies soon. */
export const SIGNED_URL_TTL_SECONDS = 300;

/**
 * Short-lived signed URLs for an attachment's files, so an `<img src>` (which cannot send a
 * bearer header) can show them. The signature is HMAC-SHA256 over the attachment id, the
 * variant and the expiry, keyed with the server secret (TRACKING_TOKEN_SECRET, with a prefix of
 * its own so it never equals a tracking token or its hash): `sig=<expiry seconds>.<mac>`. Only a
 * reader who may open the ticket is given one (the list), and it opens that one file only.
 */
export class AttachmentUrls {
  constructor(private readonly secret: string) {}

  /** `/attachments/<id>/<variant>?sig=…`, and when it stops working. */
  signed(id: string, variant: AttachmentVariant, now = Date.now()): { url: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + SIGNED_URL_TTL_SECONDS;
    return { url: `/attachments/${encodeURIComponent(id)}/${variant}?sig=${expires}.${this.mac(id, variant, expires)}`, expiresAt: new Date(expires * 1000) };
  }

  /** Whether `sig` is a working signature of this very file (not expired, not for another id or variant). */
  verify(id: string, variant: AttachmentVariant, sig: unknown, now = Date.now()): boolean {
    if (typeof sig !== 'string' || sig.length > 200) return false;
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(sig);
    if (!match) return false;
    const expires = Number(match[1]);
    const seconds = now / 1000;
    // Expired, or further ahead than any URL we make (a forged expiry).
    if (expires < seconds || expires > seconds + SIGNED_URL_TTL_SECONDS + 60) return false;
    const expected = Buffer.from(this.mac(id, variant, expires));
    const given = Buffer.from(match[2]);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(id: string, variant: AttachmentVariant, expires: number): string {
    return createHmac('sha256', this.secret).update(`attachment-url:${id}:${variant}:${expires}`).digest('base64url');
  }
}
