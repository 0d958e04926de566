import exifr from 'exifr';
import sharp from 'sharp';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';

/** A phone photo with the place it was taken in its EXIF: what a citizen's camera sends. */
const photoWithGps = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .jpeg()
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 4356/100', GPSLongitudeRef: 'E', GPSLongitude: '34/1 38/1 2940/100' } })
    .toBuffer();

const HTML_AS_JPEG = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>');

/** supertest's parser for a binary body (Buffer), whatever the content type. */
function binary(res: import('supertest').Response, done: (error: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * The citizen's upload from the tracking page (POST /t/:number/attachments), against the real
 * API, worker, PostgreSQL, Temporal and the directory store.
 */
describe('the tracking page’s photo upload', () => {
  let stack: TestStack;
  let driver: TicketDriver;

  beforeAll(async () => {
    stack = await startTestStack();
    driver = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const upload = (number: string, token: string | null, file: Buffer, filename = 'cukur.jpg', contentType = 'image/jpeg') => {
    const req = stack.http.post(`/t/${number}/attachments`);
    if (token !== null) req.set('X-Tracking-Token', token);
    return req.attach('file', file, { filename, contentType });
  };
  const rowsOf = (number: string): Promise<{ id: string }[]> =>
    stack.db.query(`SELECT a.id FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = $1`, [number]);

  describe('with the token', () => {
    let ticket: CreatedTicket;
    let photo: Record<string, any>;

    beforeAll(async () => {
      ticket = await driver.create();
      photo = (await upload(ticket.number, ticket.token, await photoWithGps()).expect(201)).body;
    });

    it('answers 201 with the photo as the page lists it', async () => {
      expect(photo).toEqual({
        id: expect.any(String),
        kind: 'CITIZEN',
        mediaType: 'image/jpeg',
        addedAt: expect.any(String),
        displayUrl: expect.stringMatching(new RegExp(`^/attachments/${photo.id}/display\\?sig=`)),
        thumbnailUrl: expect.stringMatching(new RegExp(`^/attachments/${photo.id}/thumbnail\\?sig=`)),
        urlsExpireAt: expect.any(String),
      });
      const listed = (await stack.http.get(`/t/${ticket.number}/photos`).set('X-Tracking-Token', ticket.token).expect(200)).body;
      expect(listed.items.map((p: { id: string; kind: string }) => [p.id, p.kind])).toEqual([[photo.id, 'CITIZEN']]);
    });

    it('staff see it as the citizen’s, from the tracking page', async () => {
      const list = (await driver.read(STAFF.agent, `/tickets/${ticket.number}/attachments`).expect(200)).body;
      expect(list.items).toEqual([expect.objectContaining({ id: photo.id, kind: 'CITIZEN', source: 'TRACKING_PAGE', addedBy: expect.objectContaining({ kind: 'CITIZEN' }) })]);
    });

    it('serves the bytes re-encoded, without the GPS of the phone', async () => {
      const served = await stack.http.get(photo.displayUrl).buffer(true).parse(binary).expect(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect((served.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      expect(await exifr.gps(served.body as Buffer)).toBeUndefined();
      const thumbnail = await stack.http.get(photo.thumbnailUrl).buffer(true).parse(binary).expect(200);
      expect(await exifr.gps(thumbnail.body as Buffer)).toBeUndefined();
    });
  });

  it('without the token, or with a wrong one: 404, nothing stored', async () => {
    const ticket = await driver.create();
    const none = await upload(ticket.number, null, await photoWithGps());
    expect(none.status).toBe(404);
    const wrong = await upload(ticket.number, 'not-the-token', await photoWithGps());
    expect(wrong.status).toBe(404);
    const other = await driver.create();
    expect((await upload(ticket.number, other.token, await photoWithGps())).status).toBe(404);
    expect(await rowsOf(ticket.number)).toEqual([]);
  });

  it('an HTML file named .jpg: 415, the ticket unchanged', async () => {
    const ticket = await driver.create();
    const before = await driver.eventTypes(ticket.number);
    const res = await upload(ticket.number, ticket.token, HTML_AS_JPEG, 'photo.jpg', 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('ATTACHMENT_TYPE_UNSUPPORTED');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await rowsOf(ticket.number)).toEqual([]);
    expect(await driver.eventTypes(ticket.number)).toEqual(before);
  });

  it('no file: 400 naming the field', async () => {
    const ticket = await driver.create();
    const res = await stack.http.post(`/t/${ticket.number}/attachments`).set('X-Tracking-Token', ticket.token).field('note', 'x');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('file');
  });

  it('a closed ticket: 409 TICKET_CLOSED, nothing stored', async () => {
    const ticket = await driver.create();
    await driver.citizen(ticket, 'withdraw').expect(200);
    await driver.waitForStatus(ticket.number, 'CLOSED');
    const res = await upload(ticket.number, ticket.token, await photoWithGps());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('TICKET_CLOSED');
    expect(await rowsOf(ticket.number)).toEqual([]);
  });
});

describe('the tracking page’s photo upload, over its rate limit', () => {
  const PER_IP = 3;
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { INTAKE_RATE_LIMIT: `${PER_IP},100000`, INTAKE_RATE_WINDOW: '1h' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('every attempt counts (a wrong token too); past the limit: 429 with Retry-After, before the token is checked', async () => {
    // The counters live in the database the suites share: start this network's from nothing.
    await stack.db.query(`DELETE FROM rate_limit_counters WHERE scope IN ('intake-ip', 'tracking-upload-ip')`);
    const ticket = await new TicketDriver(stack).create();
    const send = (token: string) => stack.http.post(`/t/${ticket.number}/attachments`).set('X-Tracking-Token', token).attach('file', HTML_AS_JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' });
    for (let i = 0; i < PER_IP; i++) expect((await send(i === 0 ? 'wrong' : ticket.token)).status).toBe(i === 0 ? 404 : 415);
    const over = await send(ticket.token);
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });
});
