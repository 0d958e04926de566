import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import exifr from 'exifr';
import sharp from 'sharp';
import { ATTACHMENT_STORE, type AttachmentStore } from '../libs/attachments/src';
import { AttachmentsRepository } from '../libs/database/src/attachments.repository';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { AttachmentSweeper } from '../apps/api/src/attachments/attachment-sweeper.service';
import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn, STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';

/*
 * The expert's evidence on a ticket, through the real API, worker, PostgreSQL, Temporal and the
 * directory store: what is stored (re-encoded, no GPS), what the audit row holds (the served
 * bytes' SHA-256), who may fetch it (404 for everyone outside the ticket's audience), signed
 * URLs, hostile files (4xx, ticket unchanged) and refusals by the workflow (nothing left behind).
 */
describe('attachments: the expert’s photos on a ticket', () => {
  let stack: TestStack;
  let t: TicketDriver;
  let store: AttachmentStore;
  let dir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
    store = stack.api.get(ATTACHMENT_STORE);
    dir = stack.config.attachments.dir;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  /** A phone's photo: EXIF with GPS (the citizen's street). */
  const gpsPhoto = () =>
    sharp({ create: { width: 800, height: 600, channels: 3, background: '#777777', noise: { type: 'gaussian', mean: 120, sigma: 30 } } })
      .jpeg({ quality: 85 })
      .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '34/1 38/1 0/1' } })
      .toBuffer();

  const upload = (staffId: string, number: string, file: Buffer, kind: string, filename = 'IMG_0042.jpg', contentType = 'image/jpeg') =>
    signedIn(stack, staffId, (http) => http.post(`/tickets/${number}/attachments`).field('kind', kind).attach('file', file, { filename, contentType }));

  const fetchFile = (staffId: string, path: string) => signedIn(stack, staffId, (http) => http.get(path).buffer(true).parse(binary));

  /** The ticket's attachment rows, whatever their state. */
  const rowsOf = (number: string): Promise<{ id: string; state: string }[]> =>
    stack.db.query(`SELECT a.id, a.state FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = $1`, [number]);
  const attachedEvents = async (number: string) =>
    (await stack.db.query(`SELECT e.data FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $1 AND e.type = 'ATTACHED' ORDER BY e.seq`, [number])).map(
      (r: { data: Record<string, string> }) => r.data,
    );
  const storedKeys = async () => {
    const keys: string[] = [];
    for await (const object of store.list()) keys.push(object.key);
    return keys.sort();
  };

  describe('an expert’s AFTER photo', () => {
    let ticket: CreatedTicket;
    let attachment: Record<string, any>;

    beforeAll(async () => {
      ticket = await t.toInProgress();
      const res = await upload(STAFF.fenExpert, ticket.number, await gpsPhoto(), 'AFTER').expect(201);
      attachment = res.body;
    });

    it('answers 201 with the attachment, recorded on the ticket', () => {
      expect(attachment).toMatchObject({
        ticketNumber: ticket.number,
        kind: 'AFTER',
        source: 'CONSOLE',
        mediaType: 'image/jpeg',
        width: 800,
        height: 600,
        fileName: 'IMG_0042.jpg',
        addedBy: { kind: 'STAFF', id: STAFF.fenExpert, name: expect.any(String) },
        displayUrl: expect.stringMatching(new RegExp(`^/attachments/${attachment.id}/display\\?sig=`)),
        thumbnailUrl: expect.stringMatching(new RegExp(`^/attachments/${attachment.id}/thumbnail\\?sig=`)),
      });
      expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('stores the photo re-encoded, without GPS or any EXIF', async () => {
      const stored = (await store.get(`${attachment.id}/display.jpg`))!;
      expect(stored).not.toBeNull();
      expect(await exifr.gps(stored)).toBeUndefined();
      expect(await exifr.parse(stored)).toBeUndefined();
      expect(await exifr.gps((await store.get(`${attachment.id}/thumbnail.jpg`))!)).toBeUndefined();
    });

    it('the audit row holds id, kind and the SHA-256 of exactly the bytes served; the history holds no bytes', async () => {
      expect(await attachedEvents(ticket.number)).toEqual([{ attachmentId: attachment.id, sha256: attachment.sha256, kind: 'AFTER' }]);
      const served = await fetchFile(STAFF.fenExpert, `/attachments/${attachment.id}/display`).expect(200);
      expect(sha256(served.body)).toBe(attachment.sha256);
      // Every payload of the history, decoded: the reference is there, no JPEG's bytes (FF D8 FF) are.
      const history = JSON.stringify(await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).fetchHistory());
      const payloads = [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('latin1')).join('\n');
      expect(payloads).toContain(`"attachmentId":"${attachment.id}","sha256":"${attachment.sha256}","kind":"AFTER"`);
      expect(payloads).not.toContain('\xff\xd8\xff');
      expect(history.length).toBeLessThan(100_000);
    });

    it('serves images inline with nosniff, a CSP that allows nothing and private caching', async () => {
      const res = await fetchFile(STAFF.fenManager, `/attachments/${attachment.id}/display`).expect(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^inline; filename="IMG_0042\.jpg"/);
      expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      expect(res.headers['cache-control']).toMatch(/^private/);
      const thumb = await fetchFile(STAFF.fenManager, `/attachments/${attachment.id}/thumbnail`).expect(200);
      expect((await sharp(thumb.body).metadata()).width).toBe(320);
    });

    it('lists it for staff who may open the ticket, and the staff view names it for the approvers', async () => {
      const list = await t.read(STAFF.coordinator, `/tickets/${ticket.number}/attachments`).expect(200);
      expect(list.body).toEqual({ number: ticket.number, items: [expect.objectContaining({ id: attachment.id, sha256: attachment.sha256, kind: 'AFTER' })] });
      const view = await t.read(STAFF.fenExpert, `/tickets/${ticket.number}`).expect(200);
      expect(view.body.attachments).toEqual([{ id: attachment.id, kind: 'AFTER', sha256: attachment.sha256, addedAt: expect.any(String), addedBy: { kind: 'STAFF', id: STAFF.fenExpert } }]);
      expect(view.body.attachKinds).toEqual(['BEFORE', 'AFTER']);
      expect((await t.read(STAFF.coordinator, `/tickets/${ticket.number}`).expect(200)).body.attachKinds).toEqual(['INTAKE']);
    });

    it('is 404 for staff outside the ticket’s audience: list, display, thumbnail (the same answer as for no attachment at all)', async () => {
      await t.read(STAFF.parkHead, `/tickets/${ticket.number}/attachments`).expect(404);
      await fetchFile(STAFF.ulasimExpert, `/attachments/${attachment.id}/display`).expect(404);
      await fetchFile(STAFF.parkHead, `/attachments/${attachment.id}/thumbnail`).expect(404);
      const unknown = await fetchFile(STAFF.parkHead, `/attachments/${randomUUID()}/display`).expect(404);
      const outside = await fetchFile(STAFF.parkHead, `/attachments/${attachment.id}/display`).expect(404);
      expect(JSON.parse(outside.body.toString()).code).toBe(JSON.parse(unknown.body.toString()).code);
      // Nor without any identity.
      await stack.http.get(`/attachments/${attachment.id}/display`).expect(404);
    });

    it('a signed URL works without a bearer token; an expired, forged or other-file one does not', async () => {
      const signed = await stack.http.get(attachment.displayUrl).buffer(true).parse(binary).expect(200);
      expect(sha256(signed.body)).toBe(attachment.sha256);
      await stack.http.get(attachment.thumbnailUrl).expect(200);
      const sig = new URL(attachment.displayUrl, 'http://x').searchParams.get('sig')!;
      const [expires, mac] = sig.split('.');
      const past = Math.floor(Date.now() / 1000) - 10;
      await stack.http.get(`/attachments/${attachment.id}/display?sig=${past}.${mac}`).expect(404);
      await stack.http.get(`/attachments/${attachment.id}/display?sig=${expires}.${'A'.repeat(43)}`).expect(404);
      // The display's signature does not open the thumbnail.
      await stack.http.get(`/attachments/${attachment.id}/thumbnail?sig=${sig}`).expect(404);
    });
  });

  it('a PDF is kept as sent and served only as a download', async () => {
    const ticket = await t.toInProgress();
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const res = await upload(STAFF.fenExpert, ticket.number, pdf, 'BEFORE', 'tutanak.pdf', 'application/pdf').expect(201);
    expect(res.body).toMatchObject({ mediaType: 'application/pdf', thumbnailUrl: null, sha256: sha256(pdf) });
    const served = await fetchFile(STAFF.fenExpert, `/attachments/${res.body.id}/display`).expect(200);
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="tutanak\.pdf"/);
    expect(served.headers['content-type']).toBe('application/pdf');
    await fetchFile(STAFF.fenExpert, `/attachments/${res.body.id}/thumbnail`).expect(404);
  });

  describe('hostile files: a 4xx with a code, never a 5xx, and the ticket unchanged', () => {
    let ticket: CreatedTicket;
    beforeAll(async () => {
      ticket = await t.toInProgress();
    });

    const truncatedJpeg = async () => {
      const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 100, sigma: 50 } } }).jpeg().toBuffer();
      return jpeg.subarray(0, jpeg.length / 2);
    };
    const cases: [string, () => Promise<Buffer> | Buffer, string, number, string][] = [
      ['an HTML page named photo.png', () => Buffer.from('<html><script>alert(document.cookie)</script></html>'), 'photo.png', 415, 'ATTACHMENT_TYPE_UNSUPPORTED'],
      ['an SVG with a script', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'map.svg', 415, 'ATTACHMENT_TYPE_UNSUPPORTED'],
      ['a PDF with JavaScript', () => Buffer.from('%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n', 'latin1'), 'invoice.pdf', 422, 'ATTACHMENT_ACTIVE_CONTENT'],
      ['a truncated JPEG', truncatedJpeg, 'half.jpg', 422, 'ATTACHMENT_UNREADABLE'],
      ['a decompression bomb (8000×8000 solid colour: 64 megapixels in a small file)', () => sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer(), 'bomb.png', 413, 'ATTACHMENT_TOO_MANY_PIXELS'],
      ['50 MB', () => Buffer.alloc(50 * 1024 * 1024, 0xff), 'huge.jpg', 413, 'ATTACHMENT_TOO_LARGE'],
    ];

    it.each(cases)('%s', async (_, make, filename, status, code) => {
      const before = await t.historyLength(ticket.number);
      const res = await upload(STAFF.fenExpert, ticket.number, await make(), 'AFTER', filename, 'image/png');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe(code);
      expect(await t.historyLength(ticket.number)).toBe(before);
      expect(await attachedEvents(ticket.number)).toEqual([]);
      expect(await rowsOf(ticket.number)).toEqual([]);
      expect((await t.read(STAFF.fenExpert, `/tickets/${ticket.number}/attachments`).expect(200)).body.items).toEqual([]);
    }, 120_000);

    it('a missing file or kind is a 400 naming the field; another staff member’s ticket is a 404', async () => {
      const noFile = await signedIn(stack, STAFF.fenExpert, (http) => http.post(`/tickets/${ticket.number}/attachments`).field('kind', 'AFTER').attach('other', Buffer.from('x'), 'x.jpg'));
      expect(noFile.status).toBe(400);
      const noKind = await signedIn(stack, STAFF.fenExpert, (http) => http.post(`/tickets/${ticket.number}/attachments`).attach('file', Buffer.from('x'), 'x.jpg'));
      expect(noKind.status).toBe(400);
      expect(noKind.body.errors.map((e: { field: string }) => e.field)).toContain('kind');
      const json = await signedIn(stack, STAFF.fenExpert, (http) => http.post(`/tickets/${ticket.number}/attachments`).send({ kind: 'AFTER' }));
      expect(json.status).toBe(400);
      expect(json.body.errors[0].field).toBe('file');
      await upload(STAFF.ulasimExpert, ticket.number, await gpsPhoto(), 'AFTER').expect(404);
      await stack.http.post(`/tickets/${ticket.number}/attachments`).field('kind', 'AFTER').attach('file', Buffer.from('x'), 'x.jpg').expect(401);
      expect(await rowsOf(ticket.number)).toEqual([]);
    });
  });

  describe('refused by the workflow: the stored files and the row go again', () => {
    it('the wrong kind for the caller (an expert’s INTAKE): 403, nothing left', async () => {
      const ticket = await t.toInProgress();
      const keysBefore = await storedKeys();
      const before = await t.historyLength(ticket.number);
      const res = await upload(STAFF.fenExpert, ticket.number, await gpsPhoto(), 'INTAKE');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await rowsOf(ticket.number)).toEqual([]);
      expect(await storedKeys()).toEqual(keysBefore);
      expect(await t.historyLength(ticket.number)).toBe(before);
    });

    it('the wrong state (AFTER while in approval): 409, nothing left', async () => {
      const ticket = await t.toInProgress();
      await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Onarıldı.' }).expect(200);
      const keysBefore = await storedKeys();
      const res = await upload(STAFF.fenExpert, ticket.number, await gpsPhoto(), 'AFTER');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect(await rowsOf(ticket.number)).toEqual([]);
      expect(await storedKeys()).toEqual(keysBefore);
    });

    it('a closed ticket: 409 TICKET_CLOSED, nothing stored', async () => {
      const ticket = await t.create();
      await t.citizen(ticket, 'withdraw').expect(200);
      await t.waitForStatus(ticket.number, 'CLOSED');
      const keysBefore = await storedKeys();
      const res = await upload(STAFF.coordinator, ticket.number, await gpsPhoto(), 'INTAKE');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('TICKET_CLOSED');
      expect(await rowsOf(ticket.number)).toEqual([]);
      expect(await storedKeys()).toEqual(keysBefore);
    });

    it('the center adds an intake photo in triage', async () => {
      const ticket = await t.create();
      const res = await upload(STAFF.agent, ticket.number, await gpsPhoto(), 'INTAKE').expect(201);
      expect(await attachedEvents(ticket.number)).toEqual([{ attachmentId: res.body.id, sha256: res.body.sha256, kind: 'INTAKE' }]);
    });
  });

  it('the count limit per ticket: 409 ATTACHMENT_LIMIT_REACHED', async () => {
    const limited = await startTestStack({ env: { ATTACHMENT_MAX_PER_TICKET: '2' }, worker: false });
    try {
      const ticket = await t.toInProgress();
      const small = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#f00' } }).jpeg().toBuffer();
      const send = async () => limited.http.post(`/tickets/${ticket.number}/attachments`).set('Authorization', await limited.bearer(STAFF.fenExpert)).field('kind', 'BEFORE').attach('file', small, 'a.jpg');
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(201);
      const third = await send();
      expect(third.status).toBe(409);
      expect(third.body.code).toBe('ATTACHMENT_LIMIT_REACHED');
      expect(await attachedEvents(ticket.number)).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });

  describe('the orphan sweep', () => {
    it('removes an upload that died before the workflow recorded it, settles one it did record, and removes files no row names', async () => {
      const repo = stack.api.get(AttachmentsRepository);
      const sweeper = stack.api.get(AttachmentSweeper);
      const ticket = await t.toInProgress();
      const [{ id: ticketId }] = await stack.db.query('SELECT id FROM tickets WHERE number = $1', [ticket.number]);

      // 1. A PENDING row with its files: the API died before the Update.
      const dead = randomUUID();
      await repo.insertPending(
        { id: dead, ticketId, kind: 'AFTER', source: 'CONSOLE', mediaType: 'image/jpeg', sha256: 'a'.repeat(64), size: 3, width: 1, height: 1, displayKey: `${dead}/display.jpg`, thumbnailKey: `${dead}/thumbnail.jpg`, fileName: null, addedByKind: 'STAFF', addedBy: STAFF.fenExpert },
        20,
      );
      await store.put(`${dead}/display.jpg`, Buffer.from('abc'), 'image/jpeg');
      await store.put(`${dead}/thumbnail.jpg`, Buffer.from('ab'), 'image/jpeg');
      // 2. Recorded by the workflow, but the API died before marking it ATTACHED.
      const recorded = (await upload(STAFF.fenExpert, ticket.number, await gpsPhoto(), 'AFTER').expect(201)).body;
      await stack.db.query(`UPDATE attachments SET state = 'PENDING', attached_at = NULL WHERE id = $1`, [recorded.id]);
      await t.read(STAFF.fenExpert, `/attachments/${recorded.id}/display`).expect(404); // PENDING: invisible
      // 3. Files no row names.
      const stray = randomUUID();
      await store.put(`${stray}/display.jpg`, Buffer.from('x'), 'image/jpeg');

      // Nothing is old enough yet: an upload in progress is never touched.
      expect(await sweeper.sweep()).toEqual(expect.objectContaining({ removedRows: 0, removedObjects: 0 }));
      expect(await store.get(`${stray}/display.jpg`)).not.toBeNull();

      const later = new Date(Date.now() + stack.config.attachments.orphanAfterMs + 60_000);
      const result = await sweeper.sweep(later);
      expect(result).toEqual(expect.objectContaining({ attached: expect.any(Number), removedRows: expect.any(Number) }));
      expect(await rowsOf(ticket.number)).toEqual([{ id: recorded.id, state: 'ATTACHED' }]);
      expect(await store.get(`${dead}/display.jpg`)).toBeNull();
      expect(await store.get(`${dead}/thumbnail.jpg`)).toBeNull();
      expect(await store.get(`${stray}/display.jpg`)).toBeNull();
      expect(await store.get(`${recorded.id}/display.jpg`)).not.toBeNull();
      await t.read(STAFF.fenExpert, `/attachments/${recorded.id}/display`).expect(200);
      expect(await readdir(dir)).not.toContain(dead);
    });
  });
});

/** supertest's parser for a binary body (Buffer), whatever the content type. */
function binary(res: import('supertest').Response, done: (error: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
