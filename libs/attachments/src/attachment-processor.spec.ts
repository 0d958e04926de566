import { deflateSync } from 'node:zlib';
import exifr from 'exifr';
import sharp from 'sharp';
import { AttachmentErrorCode } from './attachment-error';
import { activePdfContent, heifLargestArea, processAttachment, sha256Hex } from './attachment-processor';

/*
 * Every file here is made by the test itself: real images from sharp, hostile ones from bytes.
 */
const LIMITS = { maxBytes: 15 * 1024 * 1024, maxPixels: 50_000_000 };

const photo = (width = 640, height = 480) =>
  sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 });

/** A JPEG as a phone takes it: EXIF with GPS, and an orientation (rotated 90°). */
const phonePhoto = () =>
  photo(640, 480)
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'Teksin', Model: 'TestPhone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '34/1 38/1 0/1' },
    })
    .toBuffer();

async function refusal(bytes: Buffer, limits = LIMITS): Promise<string> {
  try {
    await processAttachment(bytes, limits);
  } catch (error) {
    return (error as { code?: string }).code ?? `not an AttachmentError: ${String(error)}`;
  }
  throw new Error('accepted');
}

/** CRC-32 of PNG chunks (Node 20 has no zlib.crc32). */
function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A tiny real PNG whose header claims width × height: a decompression bomb's shape, without its size. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#ffffff' } }).png().toBuffer());
  // IHDR is the first chunk: length (4) type (4) at offset 8, data from 16.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

const pdf = (body: string) => Buffer.from(`%PDF-1.7\n${body}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
const PLAIN_PDF = pdf('1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj');

describe('processAttachment: images are re-encoded', () => {
  it('drops EXIF and GPS, orients the photo and keeps its size bounded, with a thumbnail', async () => {
    const original = await phonePhoto();
    expect(await exifr.gps(original)).toEqual(expect.objectContaining({ latitude: 36.8 }));
    expect((await sharp(original).metadata()).orientation).toBe(6);

    const out = await processAttachment(original, LIMITS);
    expect(out.mediaType).toBe('image/jpeg');
    expect(await exifr.gps(out.display)).toBeUndefined();
    expect(await exifr.parse(out.display)).toBeUndefined();
    expect(await exifr.gps(out.thumbnail!)).toBeUndefined();
    // Orientation 6 is applied to the pixels: 640×480 stands up as 480×640.
    expect([out.width, out.height]).toEqual([480, 640]);
    expect((await sharp(out.display).metadata()).orientation).toBeUndefined();
    const thumb = await sharp(out.thumbnail!).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);
    expect(out.sha256).toBe(sha256Hex(out.display));
    expect(out.size).toBe(out.display.length);
    expect(out.display.equals(original)).toBe(false);
  });

  it('bounds the display size (2048 px on the longer side) and never enlarges a small image', async () => {
    const big = await processAttachment(await photo(3000, 1500).toBuffer(), LIMITS);
    expect([big.width, big.height]).toEqual([2048, 1024]);
    const small = await processAttachment(await photo(200, 100).toBuffer(), LIMITS);
    expect([small.width, small.height]).toEqual([200, 100]);
    expect((await sharp(small.thumbnail!).metadata()).width).toBe(200);
  });

  it('keeps PNG as PNG and WebP as WebP', async () => {
    const png = await processAttachment(await sharp({ create: { width: 50, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer(), LIMITS);
    expect(png.mediaType).toBe('image/png');
    expect((await sharp(png.display).metadata()).format).toBe('png');
    const webp = await processAttachment(await photo(50, 40).webp().toBuffer(), LIMITS);
    expect(webp.mediaType).toBe('image/webp');
    expect((await sharp(webp.display).metadata()).format).toBe('webp');
  });

  it('converts HEIF to JPEG (HEIF-AVIF made by sharp: no HEVC encoder is available offline to make an iPhone HEIC)', async () => {
    const heif = await photo(300, 200).heif({ compression: 'av1' }).toBuffer();
    const out = await processAttachment(heif, LIMITS);
    expect(out.mediaType).toBe('image/jpeg');
    expect((await sharp(out.display).metadata()).format).toBe('jpeg');
    expect([out.width, out.height]).toEqual([300, 200]);
  });

  it('reads the pixel area a HEIF container declares (ispe), so a HEIC bomb is refused before heic-convert decodes it', async () => {
    const heif = await photo(300, 200).heif({ compression: 'av1' }).toBuffer();
    expect(heifLargestArea(heif)).toEqual({ width: 300, height: 200 });
    const at = heif.indexOf('ispe');
    const bomb = Buffer.from(heif);
    bomb.writeUInt32BE(30_000, at + 8);
    bomb.writeUInt32BE(30_000, at + 12);
    expect(await refusal(bomb)).toBe(AttachmentErrorCode.ATTACHMENT_TOO_MANY_PIXELS);
  });

  it('a JPEG with a ZIP appended (polyglot) comes out a clean JPEG without the archive', async () => {
    const jpeg = await photo(120, 80).toBuffer();
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('evil.html<script>alert(1)</script>'), Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);
    const out = await processAttachment(Buffer.concat([jpeg, zip]), LIMITS);
    expect(out.mediaType).toBe('image/jpeg');
    expect(out.display.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
    expect(out.display.includes(Buffer.from('<script>'))).toBe(false);
    // It ends where a JPEG ends.
    expect(out.display.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });
});

describe('processAttachment: hostile files get a 4xx code, never pass', () => {
  it('refuses an HTML page named like a PNG (the type is sniffed from the bytes): unsupported', async () => {
    expect(await refusal(Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'))).toBe(AttachmentErrorCode.ATTACHMENT_TYPE_UNSUPPORTED);
  });

  it('refuses a PNG signature followed by HTML: not an image it can read', async () => {
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('<html><script>alert(1)</script></html>')]);
    expect(await refusal(fake)).toMatch(/^ATTACHMENT_(UNREADABLE|TYPE_UNSUPPORTED)$/);
  });

  it('refuses SVG (with a script), a ZIP and plain text: unsupported', async () => {
    expect(await refusal(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBe(AttachmentErrorCode.ATTACHMENT_TYPE_UNSUPPORTED);
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBe(AttachmentErrorCode.ATTACHMENT_TYPE_UNSUPPORTED);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), Buffer.alloc(20), Buffer.from('mimetypeapplication/epub+zip')]);
    expect(await refusal(zip)).toBe(AttachmentErrorCode.ATTACHMENT_TYPE_UNSUPPORTED);
    expect(await refusal(Buffer.from('just words'))).toBe(AttachmentErrorCode.ATTACHMENT_TYPE_UNSUPPORTED);
  });

  it('refuses 50 MB before looking at it: too large', async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, 0xff);
    expect(await refusal(huge)).toBe(AttachmentErrorCode.ATTACHMENT_TOO_LARGE);
  });

  it('refuses a decompression bomb from its header: too many pixels', async () => {
    const bomb = await pngClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(1000);
    expect(await refusal(bomb)).toBe(AttachmentErrorCode.ATTACHMENT_TOO_MANY_PIXELS);
    // A real one, made by sharp (solid colour: small on disk) against a lower limit.
    const real = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#336699' } }).png().toBuffer();
    expect(await refusal(real, { ...LIMITS, maxPixels: 10_000_000 })).toBe(AttachmentErrorCode.ATTACHMENT_TOO_MANY_PIXELS);
  });

  it('refuses a truncated JPEG: unreadable', async () => {
    const jpeg = await photo(400, 300).toBuffer();
    expect(await refusal(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toBe(AttachmentErrorCode.ATTACHMENT_UNREADABLE);
  });

  it('refuses an empty file: unreadable', async () => {
    expect(await refusal(Buffer.alloc(0))).toBe(AttachmentErrorCode.ATTACHMENT_UNREADABLE);
  });
});

describe('processAttachment: PDFs', () => {
  it('keeps a plain PDF as sent, with no thumbnail', async () => {
    const out = await processAttachment(PLAIN_PDF, LIMITS);
    expect(out).toEqual(expect.objectContaining({ mediaType: 'application/pdf', thumbnail: null, width: null, height: null, size: PLAIN_PDF.length, sha256: sha256Hex(PLAIN_PDF) }));
    expect(out.display.equals(PLAIN_PDF)).toBe(true);
  });

  it.each([
    ['/JavaScript', '3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj'],
    ['/OpenAction', '1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj'],
    ['/Launch', '3 0 obj << /S /Launch /F (cmd.exe) >> endobj'],
    ['/EmbeddedFile', '4 0 obj << /Type /EmbeddedFile /Length 3 >> stream\nabc\nendstream endobj'],
    ['/AA', '5 0 obj << /AA << /O 3 0 R >> >> endobj'],
    ['an escaped name (/J#61vaScript)', '3 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj'],
  ])('refuses a PDF with %s: active content', async (_, body) => {
    expect(await refusal(pdf(body))).toBe(AttachmentErrorCode.ATTACHMENT_ACTIVE_CONTENT);
  });

  it('finds a script hidden in a compressed object stream', async () => {
    const hidden = deflateSync(Buffer.from('<< /S /JavaScript /JS (app.alert(1)) >>'));
    const file = Buffer.concat([Buffer.from('%PDF-1.7\n6 0 obj << /Type /ObjStm /Filter /FlateDecode /Length 10 >> stream\n', 'latin1'), hidden, Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1')]);
    expect(activePdfContent(file)).toBe('JavaScript');
    expect(await refusal(file)).toBe(AttachmentErrorCode.ATTACHMENT_ACTIVE_CONTENT);
  });

  it('does not mistake a longer name for an active one (/JSON is not /JS)', () => {
    expect(activePdfContent(pdf('7 0 obj << /JSONData 1 /AAB 2 >> endobj'))).toBeNull();
  });
});
