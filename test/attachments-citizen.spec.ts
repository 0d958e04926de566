import exifr from 'exifr';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startFakeTwilio, type FakeTwilio, type WebhookTarget } from './support/fake-twilio.server';
import { STAFF, TicketDriver } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const ACCOUNT_SID = 'AC' + '2'.repeat(32);
const AUTH_TOKEN = 'citizen-media-auth-token';
const PUBLIC_BASE = 'https://alo185.mersin.example';

const freshPhone = () => `+90533${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const freshSid = () => `SM${createHash('sha256').update(`${Date.now()}:${Math.random()}`).digest('hex').slice(0, 32)}`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A phone photo with the place it was taken in its EXIF: what a citizen's camera sends. */
async function photoWithGps(colour = { r: 200, g: 80, b: 40 }): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: colour } })
    .jpeg()
    .withExif({ IFD0: { Make: 'Teksin', Model: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '34/1 38/1 0/1' } })
    .toBuffer();
}

/**
 * The citizen's three ways in for photos, against the real stack: WhatsApp media fetched by the
 * worker from the Twilio stand-in with the real SDK's webhook shape, Open311 multipart, and the
 * tracking page's upload. Every file is stored re-encoded without its GPS, and its hash is in the
 * ticket's ATTACHED audit row.
 */
describe('Citizen attachments: WhatsApp media, Open311, the tracking page', () => {
  let twilio: FakeTwilio;
  let stack: TestStack;
  let target: WebhookTarget;
  let driver: TicketDriver;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID });
    stack = await startTestStack({
      env: {
        SMS_GATEWAY: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+15005550006',
        TWILIO_WHATSAPP_FROM: '+903241850000',
        TWILIO_API_BASE_URL: twilio.url,
        TWILIO_WEBHOOK_BASE_URL: PUBLIC_BASE,
        SMS_RECONCILE_INTERVAL: '0',
        ATTACHMENT_DIR: mkdtempSync(path.join(tmpdir(), 'teksin-citizen-attachments-')),
      },
    });
    await stack.api.listen(0, '127.0.0.1');
    const { port } = stack.api.getHttpServer().address() as AddressInfo;
    target = { listening: `http://127.0.0.1:${port}`, publicBase: PUBLIC_BASE };
    driver = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await twilio?.close();
  });

  const ticketOf = async (phone: string) => {
    const row = await waitFor(async () => (await stack.db.query(`SELECT id, number FROM tickets WHERE requester_phone = $1`, [phone]))[0], { what: `the ticket of ${phone}` });
    await driver.waitForStatus(row.number, 'TRIAGE');
    return row as { id: string; number: string };
  };
  const eventsOf = async (ticketId: string, type: string) =>
    (await stack.db.query(`SELECT data FROM ticket_events WHERE ticket_id = $1 AND type = $2 ORDER BY seq`, [ticketId, type])).map((r: { data: Record<string, unknown> }) => r.data);
  const attachmentsOf = async (ticketId: string) => stack.db.query(`SELECT id, kind, source, state, sha256 FROM attachments WHERE ticket_id = $1 ORDER BY created_at`, [ticketId]);
  /** The display file as served by the API (to a coordinator): its bytes exactly. */
  const display = async (id: string) => {
    const res = await fetch(`${target.listening}/attachments/${id}/display`, { headers: { Authorization: await stack.bearer(STAFF.coordinator) } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const requestsFor = (sid: string) => twilio.mediaRequests.filter((r) => r.path.includes(`/Messages/${sid}/Media/`));

  describe('WhatsApp/MMS media (fetched by the worker)', () => {
    it('is fetched once, even when the webhook is retried, and stored without its GPS; the ATTACHED row holds the hash of what is served', async () => {
      const phone = freshPhone();
      const sid = freshSid();
      const photo = await photoWithGps();
      expect(await exifr.gps(photo)).toMatchObject({ latitude: expect.closeTo(36.808, 2) });
      const message = { from: `whatsapp:${phone}`, body: 'Kaldırım çökmüş, fotoğrafı ekte.', mediaFiles: [{ bytes: photo }], sid };
      expect((await twilio.sendInbound(target, message)).status).toBe(200);
      expect((await twilio.sendInbound(target, message)).status).toBe(200); // Twilio's retry
      const ticket = await ticketOf(phone);

      const row = await waitFor(async () => (await attachmentsOf(ticket.id)).find((a: { state: string }) => a.state === 'ATTACHED'), { what: 'the attachment' });
      const [attached] = await eventsOf(ticket.id, 'ATTACHED');
      expect(row).toMatchObject({ kind: 'CITIZEN', source: 'WHATSAPP', state: 'ATTACHED' });
      expect(attached).toEqual({ attachmentId: row.id, sha256: row.sha256, kind: 'CITIZEN' });
      const served = await display(row.id);
      expect(sha256(served)).toBe(attached.sha256);
      expect(await exifr.gps(served)).toBeUndefined();
      expect(served.equals(photo)).toBe(false);

      // Another retry after the fetch: nothing is fetched or attached again.
      expect((await twilio.sendInbound(target, message)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(requestsFor(sid).map((r) => r.status)).toEqual([200]);
      expect(await eventsOf(ticket.id, 'ATTACHED')).toHaveLength(1);
      expect(await attachmentsOf(ticket.id)).toHaveLength(1);
    });

    it('a fetch that fails twice is retried and attached once', async () => {
      const phone = freshPhone();
      const sid = freshSid();
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Çukur', mediaFiles: [{ bytes: await photoWithGps({ r: 10, g: 120, b: 200 }), failFirst: 2 }], sid })).status).toBe(200);
      const ticket = await ticketOf(phone);
      await waitFor(async () => (await eventsOf(ticket.id, 'ATTACHED')).length > 0, { timeoutMs: 30_000, what: 'the attachment after two failures' });
      expect(requestsFor(sid).map((r) => r.status)).toEqual([500, 500, 200]);
      expect(await eventsOf(ticket.id, 'ATTACHED')).toHaveLength(1);
      expect(await eventsOf(ticket.id, 'MEDIA_FETCH_FAILED')).toHaveLength(0);
    });

    it('a fetch that always fails ends as MEDIA_FETCH_FAILED on the ticket, for staff to see', async () => {
      const phone = freshPhone();
      const sid = freshSid();
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Ağaç devrildi', mediaFiles: [{ bytes: await photoWithGps(), failFirst: 'always' }], sid })).status).toBe(200);
      const ticket = await ticketOf(phone);
      const [failed] = await waitFor(async () => ((await eventsOf(ticket.id, 'MEDIA_FETCH_FAILED')).length ? eventsOf(ticket.id, 'MEDIA_FETCH_FAILED') : null), {
        timeoutMs: 55_000,
        what: 'the failure on the ticket',
      });
      expect(failed).toEqual({ messageSid: sid, index: 0, reason: 'FETCH_FAILED' });
      expect(requestsFor(sid).map((r) => r.status)).toEqual([500, 500, 500, 500, 500]);
      expect(await attachmentsOf(ticket.id)).toHaveLength(0);
      const view = await driver.view(ticket.number);
      expect(JSON.stringify(view)).toContain('MEDIA_FETCH_FAILED');
    }, 70_000);

    it('a file that is not a photo (HTML) is refused at once and recorded with its reason', async () => {
      const phone = freshPhone();
      const sid = freshSid();
      const html = Buffer.from('<html><script>alert(1)</script></html>');
      expect((await twilio.sendInbound(target, { from: `whatsapp:${phone}`, body: 'Bakın', mediaFiles: [{ bytes: html }], sid })).status).toBe(200);
      const ticket = await ticketOf(phone);
      const [failed] = await waitFor(async () => ((await eventsOf(ticket.id, 'MEDIA_FETCH_FAILED')).length ? eventsOf(ticket.id, 'MEDIA_FETCH_FAILED') : null), { what: 'the refusal' });
      expect(failed).toEqual({ messageSid: sid, index: 0, reason: 'ATTACHMENT_TYPE_UNSUPPORTED' });
      expect(requestsFor(sid)).toHaveLength(1);
    });
  });

  describe('Open311 POST requests with a media file (multipart/form-data)', () => {
    let apiKey: string;
    beforeAll(async () => {
      const res = await stack.http
        .post('/admin/api-clients')
        .set('Authorization', await stack.bearer('admin.can'))
        .send({ name: 'Foto uygulaması', contact: 'Bilgi İşlem, 0324 000 00 00', requestsPerMinute: 1000 })
        .expect(201);
      apiKey = res.body.apiKey;
    });

    /** The body a client library builds: the global FormData of Node, posted with fetch. */
    const submit = (phone: string, file: Buffer, fileName: string, type: string) => {
      const body = new FormData();
      for (const [name, value] of Object.entries({ api_key: apiKey, service_code: 'ROAD_REPAIR', lat: '36.787123', long: '34.583456', description: 'Kaldırımda çukur var.', first_name: 'Deniz', last_name: 'Ak', phone })) {
        body.append(name, value);
      }
      body.append('media', new Blob([file], { type }), fileName);
      return fetch(`${target.listening}/open311/v2/requests.json`, { method: 'POST', body });
    };

    it('a photo becomes the citizen’s attachment (source OPEN311, no GPS), and GET shows it as media_url', async () => {
      const phone = freshPhone();
      const res = await submit(phone, await photoWithGps(), 'cukur.jpg', 'image/jpeg');
      expect(res.status).toBe(201);
      const [{ service_request_id: number }] = (await res.json()) as Array<{ service_request_id: string }>;
      const [ticket] = await stack.db.query(`SELECT id FROM tickets WHERE number = $1`, [number]);
      const [row] = await attachmentsOf(ticket.id);
      expect(row).toMatchObject({ kind: 'CITIZEN', source: 'OPEN311', state: 'ATTACHED' });
      expect(await eventsOf(ticket.id, 'ATTACHED')).toEqual([{ attachmentId: row.id, sha256: row.sha256, kind: 'CITIZEN' }]);
      const served = await display(row.id);
      expect(sha256(served)).toBe(row.sha256);
      expect(await exifr.gps(served)).toBeUndefined();

      const [request] = (await stack.http.get(`/open311/v2/requests/${number}.json`).expect(200)).body;
      expect(request.media_url).toMatch(new RegExp(`^http://teksin\\.test/attachments/${row.id}/display\\?sig=`));
      // The signed URL works without signing in.
      const signed = new URL(request.media_url);
      const anonymous = await stack.http.get(`${signed.pathname}${signed.search}`).expect(200);
      expect(anonymous.headers['content-type']).toBe('image/jpeg');
    });

    it('a hostile file (HTML named .jpg) is refused with a 4xx in Open311’s format, and no ticket is created', async () => {
      const phone = freshPhone();
      const res = await submit(phone, Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>'), 'photo.jpg', 'image/jpeg');
      expect(res.status).toBe(415);
      const errors = (await res.json()) as Array<{ code: number; description: string }>;
      expect(errors[0]).toMatchObject({ code: 415 });
      expect(await stack.db.query(`SELECT id FROM tickets WHERE requester_phone = $1`, [phone])).toHaveLength(0);
    });
  });
});
