import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { fromBuffer } from 'file-type';
import heicConvert from 'heic-convert';
import sharp, { type Sharp } from 'sharp';
import { AttachmentError, AttachmentErrorCode } from './attachment-error';
import type { AttachmentMediaType } from './attachment.types';
import { imageGate } from './processing-gate';

/** The limits one file is held to (libs/config: ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_PIXELS). */
export interface AttachmentLimits {
  maxBytes: number;
  maxPixels: number;
}

/** What is kept of an upload: never the original bytes of an image, only what was re-encoded from them. */
export interface ProcessedAttachment {
  mediaType: AttachmentMediaType;
  /** The file anyone is ever served: an image re-encoded (oriented, bounded, no metadata), or the checked PDF as sent. */
  display: Buffer;
  /** A small image for lists; null for a PDF (never rendered by us). */
  thumbnail: Buffer | null;
  /** SHA-256 (hex) of `display`: what the ticket's audit row holds. */
  sha256: string;
  width: number | null;
  height: number | null;
  /** Bytes of `display`. */
  size: number;
}

/** The longest side of the display image and of the thumbnail, in pixels (never enlarged). */
export const DISPLAY_MAX_SIDE = 2048;
export const THUMBNAIL_MAX_SIDE = 320;

const HEIF_FAMILY = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence', 'image/avif']);
const IMAGE_OUT: Record<string, 'jpeg' | 'png' | 'webp'> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * Turns an upload into what may be kept and served. The type is sniffed from the bytes
 * (`file-type`), never taken from the file's name or the request's header. Images are decoded
 * with a pixel limit (a decompression bomb is refused from its header), oriented by their EXIF
 * and re-encoded at a bounded size: sharp writes no metadata unless asked, so EXIF (GPS: a photo
 * can locate a citizen's home), XMP and ICC go, and anything appended to the image (a JPEG/ZIP
 * polyglot's archive) is not part of the decoded pixels. HEIC is converted to JPEG first. A PDF is
 * kept as sent, but only without active content, and is only ever served as a download.
 */
export async function processAttachment(bytes: Buffer, limits: AttachmentLimits): Promise<ProcessedAttachment> {
  if (bytes.length > limits.maxBytes) {
    throw new AttachmentError(AttachmentErrorCode.ATTACHMENT_TOO_LARGE, `the file is ${bytes.length} bytes; at most ${limits.maxBytes} are accepted`);
  }
  if (bytes.length === 0) throw new AttachmentError(AttachmentErrorCode.ATTACHMENT_UNREADABLE, 'the file is empty');
  const sniffed = await fromBuffer(bytes);
  const mime = sniffed?.mime as string | undefined;
  if (mime === 'application/pdf') return processPdf(bytes);
  if (mime && HEIF_FAMILY.has(mime)) return imageGate.run(async () => processImage(await heifToJpeg(bytes, mime, limits), 'jpeg', limits));
  const format = mime ? IMAGE_OUT[mime] : undefined;
  if (format) return imageGate.run(() => processImage(bytes, format, limits));
  throw new AttachmentError(
    AttachmentErrorCode.ATTACHMENT_TYPE_UNSUPPORTED,
    `${mime ? `a file of type ${mime}` : 'a file of unknown type'} cannot be attached; JPEG, PNG, WebP, HEIC and PDF can`,
  );
}

async function processImage(bytes: Buffer, format: 'jpeg' | 'png' | 'webp', limits: AttachmentLimits): Promise<ProcessedAttachment> {
  // Only the header is read here: the pixel area is judged before anything is decoded.
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata().catch((error: Error) => {
    throw unreadable(error);
  });
  if (!meta.width || !meta.height) throw new AttachmentError(AttachmentErrorCode.ATTACHMENT_UNREADABLE, 'the image has no dimensions');
  if (meta.width * meta.height > limits.maxPixels) throw tooManyPixels(meta.width, meta.height, limits.maxPixels);

  // failOn 'warning': a truncated or corrupt image is refused, not served half grey.
  const decode = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning', sequentialRead: true }).rotate();
  const encode = (image: Sharp) =>
    format === 'jpeg' ? image.jpeg({ quality: 82, mozjpeg: true }) : format === 'png' ? image.png({ compressionLevel: 9 }) : image.webp({ quality: 82 });
  try {
    const display = await encode(decode().resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })).toBuffer({ resolveWithObject: true });
    const thumbnail = await encode(sharp(display.data).resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })).toBuffer();
    return {
      mediaType: `image/${format}`,
      display: display.data,
      thumbnail,
      sha256: sha256Hex(display.data),
      width: display.info.width,
      height: display.info.height,
      size: display.data.length,
    };
  } catch (error) {
    if (/pixel limit/i.test(String(error))) throw tooManyPixels(meta.width, meta.height, limits.maxPixels);
    throw unreadable(error as Error);
  }
}

/**
 * HEIC (HEVC inside HEIF, an iPhone's photo) becomes a JPEG first: sharp's own build reads HEIF
 * only with AV1 (AVIF), which it decodes itself. The pixel area is read from the container's
 * `ispe` boxes before heic-convert decodes anything.
 */
async function heifToJpeg(bytes: Buffer, mime: string, limits: AttachmentLimits): Promise<Buffer> {
  const area = heifLargestArea(bytes);
  if (area && area.width * area.height > limits.maxPixels) throw tooManyPixels(area.width, area.height, limits.maxPixels);
  const sharpReads = await sharp(bytes, { limitInputPixels: limits.maxPixels })
    .metadata()
    .then((m) => !!m.width)
    .catch(() => false);
  if (sharpReads && mime === 'image/avif') return bytes;
  try {
    return Buffer.from(await heicConvert({ buffer: bytes, format: 'JPEG', quality: 0.92 }));
  } catch (error) {
    // heic-convert knows HEVC only; a HEIF sharp can decode itself (AV1) is left to sharp.
    if (sharpReads) return bytes;
    throw unreadable(error as Error);
  }
}

/** The largest image extent (`ispe`) a HEIF container declares, or null when it declares none. */
export function heifLargestArea(bytes: Buffer): { width: number; height: number } | null {
  let best: { width: number; height: number } | null = null;
  for (let at = bytes.indexOf('ispe'); at >= 0 && at + 16 <= bytes.length; at = bytes.indexOf('ispe', at + 4)) {
    // box type, then version+flags (4 bytes), then width and height (uint32, big-endian).
    const width = bytes.readUInt32BE(at + 8);
    const height = bytes.readUInt32BE(at + 12);
    if (!best || width * height > best.width * best.height) best = { width, height };
  }
  return best;
}

/** Names that make a PDF do something when opened or clicked: scripts, launches, embedded files, forms that submit, rich media. */
const ACTIVE_PDF_NAMES = /\/(JavaScript|JS|Launch|EmbeddedFiles?|OpenAction|AA|RichMedia|XFA|SubmitForm|ImportData|GoToE)(?=[\s()<>[\]{}/%]|$)/;
/** At most this much is inflated from a PDF's compressed streams while looking for active content (a zip bomb stops here). */
const PDF_INFLATE_BUDGET = 64 * 1024 * 1024;

function processPdf(bytes: Buffer): ProcessedAttachment {
  const found = activePdfContent(bytes);
  if (found) {
    throw new AttachmentError(AttachmentErrorCode.ATTACHMENT_ACTIVE_CONTENT, `the PDF has active content (/${found}); PDFs with scripts, actions, launches or embedded files are refused`);
  }
  return { mediaType: 'application/pdf', display: bytes, thumbnail: null, sha256: sha256Hex(bytes), width: null, height: null, size: bytes.length };
}

/**
 * The first active-content name in a PDF, or null. Names are read with their `#xx` escapes
 * undone (`/J#61vaScript` is `/JavaScript`), in the file and in every Flate-compressed stream
 * (object streams hide dictionaries there); a stream that cannot be inflated within the budget
 * makes the file unreadable rather than unchecked.
 */
export function activePdfContent(bytes: Buffer): string | null {
  const scan = (text: string) => ACTIVE_PDF_NAMES.exec(text.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))))?.[1] ?? null;
  const direct = scan(bytes.toString('latin1'));
  if (direct) return direct;
  let budget = PDF_INFLATE_BUDGET;
  const text = bytes.toString('latin1');
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(text); m; m = streams.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const raw = bytes.subarray(start, end);
    let inflated: Buffer;
    try {
      inflated = inflateSync(raw, { maxOutputLength: budget });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|buffer.*large/i.test(String(error))) {
        throw new AttachmentError(AttachmentErrorCode.ATTACHMENT_UNREADABLE, 'the PDF’s compressed streams are too large to check');
      }
      continue; // not Flate (an image's DCT stream): nothing of a dictionary in it
    }
    budget -= inflated.length;
    const hidden = scan(inflated.toString('latin1'));
    if (hidden) return hidden;
    streams.lastIndex = end;
  }
  return null;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const tooManyPixels = (width: number, height: number, max: number) =>
  new AttachmentError(AttachmentErrorCode.ATTACHMENT_TOO_MANY_PIXELS, `the image is ${width}×${height} pixels; at most ${max} pixels are accepted`);

const unreadable = (error: Error) =>
  new AttachmentError(AttachmentErrorCode.ATTACHMENT_UNREADABLE, `the image cannot be read whole (truncated or corrupt): ${error.message.split('\n')[0].slice(0, 200)}`);
