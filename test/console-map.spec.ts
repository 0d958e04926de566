import * as fs from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, networkSettled, seriousAccessibilityViolations, signInToConsole } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver } from './support/ticket-driver';

/**
 * Issue 21, "Places", in headless Chromium against the real stack, with no request leaving the
 * machine: the tiles come from a server this suite starts on loopback (MAP_TILE_URL), every
 * request to any other host fails the test. Pins are checked on the pixel: where Leaflet's Web
 * Mercator projection puts a position at the map's zoom, against the marker element's box and the
 * local tiles' own positions. With CONSOLE_SCREENSHOTS=1 the intake's map and a queue's map are
 * saved under docs/console/.
 */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1';
const SHOTS_DIR = path.join(__dirname, '..', 'docs', 'console');
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 15_000 };
const TILE = 256;

jest.setTimeout(240_000);

/** Leaflet's EPSG:3857 at zoom z: a position's pixel in the world image (L.Projection.SphericalMercator, L.CRS.EPSG3857). */
function project(lat: number, lng: number, zoom: number): { x: number; y: number } {
  const scale = TILE * 2 ** zoom;
  const max = 85.0511287798;
  const phi = (Math.max(Math.min(max, lat), -max) * Math.PI) / 180;
  return { x: ((lng + 180) / 360) * scale, y: (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * scale };
}
function unproject(x: number, y: number, zoom: number): { lat: number; lng: number } {
  const scale = TILE * 2 ** zoom;
  const lng = (x / scale) * 360 - 180;
  const lat = (Math.atan(Math.exp((0.5 - y / scale) * 2 * Math.PI)) * 2 - Math.PI / 2) * (180 / Math.PI);
  return { lat, lng };
}

/** One solid colour per tile (from its x and y), made with sharp once and kept. */
class TileServer {
  readonly requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  private readonly tiles = new Map<string, Promise<Buffer>>();
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    const palette = [
      { r: 222, g: 235, b: 247 },
      { r: 229, g: 245, b: 224 },
      { r: 254, g: 230, b: 206 },
      { r: 239, g: 237, b: 245 },
    ];
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      const m = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
      if (!m) return void res.writeHead(404).end();
      const [z, x, y] = m.slice(1).map(Number);
      const key = `${z}/${x}/${y}`;
      let tile = this.tiles.get(key);
      if (!tile) {
        tile = sharp({ create: { width: TILE, height: TILE, channels: 3, background: palette[(x + 2 * y) % palette.length] } })
          .png()
          .toBuffer();
        this.tiles.set(key, tile);
      }
      void tile.then((png) => res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' }).end(png));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('console maps (issue 21, places)', () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let driver: TicketDriver;
  const tiles = new TileServer();
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Requests the browser tried to send to a host other than loopback (each refused). */
  const outside: string[] = [];

  beforeAll(async () => {
    buildConsole();
    await tiles.start();
    stack = await startTestStack({ env: { MAP_TILE_URL: `http://127.0.0.1:${tiles.port}/tiles/{z}/{x}/{y}.png`, MAP_TILE_ATTRIBUTION: 'Test tiles', MAP_MAX_ZOOM: '18' } });
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    driver = new TicketDriver(stack);
    if (SCREENSHOTS) fs.mkdirSync(SHOTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    await tiles.close();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
    expect(outside).toEqual([]);
  });

  /** Every request of the context: loopback goes on, anything else is refused and recorded. */
  async function loopbackOnly(context: BrowserContext): Promise<void> {
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return route.continue();
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    });
  }
  const signedIn = (staffId: string, viewport = LAPTOP) => signInToConsole(browser, base, staffId, { viewport, contexts, pageErrors, prepare: loopbackOnly });

  /** The map's tiles have loaded and nothing moves: no request in flight, no zoom or pan animation. */
  async function settled(page: Page, map: Locator): Promise<void> {
    await map.locator('img.leaflet-tile-loaded').first().waitFor(WAIT);
    await networkSettled(page);
    await page.waitForFunction(`!document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim, .leaflet-cluster-anim')`, undefined, WAIT);
    await page.waitForTimeout(300);
  }

  /** The map's zoom and where its world pixel (0, 0) is on the page, read from a loaded tile: its /z/x/y and its box. */
  async function tileFrame(map: Locator): Promise<{ zoom: number; originX: number; originY: number }> {
    const tile = map.locator('img.leaflet-tile-loaded').first();
    const src = (await tile.getAttribute('src'))!;
    const [, z, x, y] = /\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(src)!.map(Number);
    const box = (await tile.boundingBox())!;
    return { zoom: z, originX: box.x - x * TILE, originY: box.y - y * TILE };
  }

  /** Where a pin's tip is on the page: the CSS pin's box is 24 × 24 with its tip at the bottom centre (iconAnchor [12, 24]). */
  async function tipOf(marker: Locator): Promise<{ x: number; y: number }> {
    const box = (await marker.boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height };
  }

  async function noSidewaysScroll(page: Page): Promise<void> {
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
  }

  it('the CSP names exactly the configured tile host, and GET /map gives the console the tile source', async () => {
    const res = await stack.http.get('/console/').expect((r) => expect([200, 404]).toContain(r.status));
    const csp = String(res.headers['content-security-policy']);
    const imgSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('img-src'));
    expect(imgSrc).toBe(`img-src 'self' data: http://127.0.0.1:${tiles.port}`);
    expect(csp).not.toMatch(/openstreetmap|\*|https:(?!\/)/);
    const map = await stack.http.get('/map').expect(200);
    expect(map.body).toEqual({
      tileUrl: `http://127.0.0.1:${tiles.port}/tiles/{z}/{x}/{y}.png`,
      attribution: 'Test tiles',
      attributionUrl: 'https://www.openstreetmap.org/copyright',
      maxZoom: 18,
      centre: { lat: 36.8121, lng: 34.6415 },
      zoom: 12,
    });
  });

  it('intake: a typed position puts the pin on its pixel, a click on the map moves it and sets the fields; the ticket keeps the place and its page shows the pin', async () => {
    const { body: settings } = await stack.http.get('/map').expect(200);
    const agent = await signedIn(STAFF.agent);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    const map = agent.getByTestId('intake-map');
    await settled(agent, map);

    // The neighbourhood chosen is said beside the pin (no boundary data to check it against).
    await agent.getByLabel('İlçe').selectOption('Yenişehir');
    await agent.getByLabel('Mahalle').selectOption('Menteş');
    await agent.getByTestId('pin-neighbourhood').filter({ hasText: 'Menteş, Yenişehir' }).waitFor(WAIT);

    // A typed position: the pin's tip lands where Web Mercator puts it at the map's zoom, from the map's centre.
    const typed = { lat: 36.8, lng: 34.63 };
    await agent.getByLabel('Enlem').fill(String(typed.lat));
    await agent.getByLabel('Boylam').fill(String(typed.lng));
    const marker = map.locator('.leaflet-marker-icon.map-pin');
    await marker.waitFor(WAIT);
    await settled(agent, map);
    const container = (await map.boundingBox())!;
    const zoom: number = settings.zoom;
    const centre = project(settings.centre.lat, settings.centre.lng, zoom);
    const pin = project(typed.lat, typed.lng, zoom);
    // Leaflet's pixel origin: the centre's projected pixel less half the map's size, rounded; a marker at its rounded pixel.
    const origin = { x: Math.round(centre.x - container.width / 2), y: Math.round(centre.y - container.height / 2) };
    const expected = { x: container.x + Math.round(pin.x) - origin.x, y: container.y + Math.round(pin.y) - origin.y };
    const tip = await tipOf(marker);
    expect(Math.abs(tip.x - expected.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(tip.y - expected.y)).toBeLessThanOrEqual(2);
    // And the local tiles agree: the tile holding the pin's pixel is drawn under it.
    const frame = await tileFrame(map);
    expect(frame.zoom).toBe(zoom);
    expect(Math.abs(frame.originX + pin.x - tip.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(frame.originY + pin.y - tip.y)).toBeLessThanOrEqual(2);
    const holder = map.locator(`img.leaflet-tile[src$="/tiles/${zoom}/${Math.floor(pin.x / TILE)}/${Math.floor(pin.y / TILE)}.png"]`);
    const holderBox = (await holder.boundingBox())!;
    expect(tip.x).toBeGreaterThanOrEqual(holderBox.x - 1);
    expect(tip.x).toBeLessThanOrEqual(holderBox.x + TILE + 1);
    expect(tip.y).toBeGreaterThanOrEqual(holderBox.y - 1);
    expect(tip.y).toBeLessThanOrEqual(holderBox.y + TILE + 1);

    // A click on the map: the fields take the clicked position, and the pin goes there.
    const click = { x: container.x + container.width / 2 + 150, y: container.y + container.height / 2 - 70 };
    await agent.mouse.click(click.x, click.y);
    const clicked = unproject(origin.x + (click.x - container.x), origin.y + (click.y - container.y), zoom);
    await agent.waitForFunction(`document.getElementById('lat').value !== '${typed.lat}'`, undefined, WAIT);
    const lat = Number(await agent.getByLabel('Enlem').inputValue());
    const lng = Number(await agent.getByLabel('Boylam').inputValue());
    // Within a pixel at this zoom (about 0.0003° of longitude).
    const degreesPerPixel = 360 / (TILE * 2 ** zoom);
    expect(Math.abs(lat - clicked.lat)).toBeLessThanOrEqual(degreesPerPixel);
    expect(Math.abs(lng - clicked.lng)).toBeLessThanOrEqual(degreesPerPixel);
    await agent.waitForTimeout(200);
    const moved = await tipOf(marker);
    expect(Math.abs(moved.x - click.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(moved.y - click.y)).toBeLessThanOrEqual(2);

    // The map keeps no focus: Tab from the longitude field goes on to the next field.
    await agent.getByLabel('Boylam').focus();
    await agent.keyboard.press('Tab');
    expect(await agent.evaluate('document.activeElement && document.activeElement.id')).not.toBe('lng');

    expect(await seriousAccessibilityViolations(agent)).toEqual([]);
    if (SCREENSHOTS) await agent.screenshot({ path: path.join(SHOTS_DIR, 'intake-map.png') });

    // Recorded with the pin's place.
    await agent.getByLabel('Telefon').fill(`0533 ${String(Date.now()).slice(-7, -4)} ${String(Date.now()).slice(-4, -2)} ${String(Date.now()).slice(-2)}`);
    await agent.getByLabel('Arayanın adı').fill('Derya Yurt');
    await agent.getByLabel('Açıklama').fill('Parkın önündeki çukur büyüdü.');
    await agent.getByLabel('Kategori ara').fill('çukur');
    await agent.locator('#category-option-ROAD_REPAIR').click();
    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    const created = agent.getByRole('status').filter({ hasText: 'Başvuru kaydedildi' });
    await created.waitFor(WAIT);
    const number = (await created.getByRole('link').textContent())!.trim();
    const [row] = await stack.db.query('SELECT lat::float8 AS lat, lng::float8 AS lng, district, neighbourhood FROM tickets WHERE number = $1', [number]);
    expect(row).toEqual({ lat, lng, district: 'Yenişehir', neighbourhood: 'Menteş' });

    // The ticket's page: a small map centred on its pin.
    await agent.goto(`${base}/console/tickets/${number}`);
    const ticketMap = agent.getByTestId('ticket-map');
    await settled(agent, ticketMap);
    const ticketPin = ticketMap.locator('.leaflet-marker-icon.map-pin');
    const mapBox = (await ticketMap.boundingBox())!;
    const ticketTip = await tipOf(ticketPin);
    const ticketFrame = await tileFrame(ticketMap);
    const projected = project(lat, lng, ticketFrame.zoom);
    expect(Math.abs(ticketFrame.originX + projected.x - ticketTip.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(ticketFrame.originY + projected.y - ticketTip.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(ticketTip.x - (mapBox.x + mapBox.width / 2))).toBeLessThanOrEqual(2);
    expect(Math.abs(ticketTip.y - (mapBox.y + mapBox.height / 2))).toBeLessThanOrEqual(2);
    expect(await seriousAccessibilityViolations(agent)).toEqual([]);

    // Tiles were asked for with the console's origin as Referer (OpenStreetMap's policy), never its path.
    const asked = tiles.requests.filter((r) => r.url.startsWith('/tiles/'));
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked.map((r) => r.headers.referer))).toEqual(new Set([`${base}/`]));
  });

  it('a queue’s map: the list’s pins, clustered where close; a cluster opens, a click on a pin opens the ticket', async () => {
    // Two tickets a hundred metres apart in Anamur, one in Silifke: far from every other suite's places.
    const a = await driver.create({ location: { district: 'Anamur', neighbourhood: 'İskele', lat: 36.0781, lng: 32.8361 }, description: 'İskele’de sokak lambası yanmıyor.' });
    const b = await driver.create({ location: { district: 'Anamur', neighbourhood: 'İskele', lat: 36.0787, lng: 32.837 }, description: 'İskele’de kaldırım kırık.' });
    const c = await driver.create({ location: { district: 'Silifke', neighbourhood: 'Atik', lat: 36.3778, lng: 33.9344 }, description: 'Atik’te su borusu patladı.' });

    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.goto(`${base}/console/queues/triage`);
    await coordinator.getByRole('heading', { name: 'Ön değerlendirme' }).waitFor(WAIT);
    await coordinator.getByRole('button', { name: 'Harita' }).click();
    const map = coordinator.getByTestId('list-map');
    await settled(coordinator, map);

    // Silifke's pin stands alone; Anamur's two are one cluster of 2, at the mean of their positions.
    const single = map.locator(`.leaflet-marker-icon.map-pin[title^="${c.number}"]`);
    await single.waitFor(WAIT);
    expect(await map.locator(`.leaflet-marker-icon[title^="${a.number}"], .leaflet-marker-icon[title^="${b.number}"]`).count()).toBe(0);
    const frame = await tileFrame(map);
    const expectedSingle = project(36.3778, 33.9344, frame.zoom);
    const singleTip = await tipOf(single);
    expect(Math.abs(frame.originX + expectedSingle.x - singleTip.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(frame.originY + expectedSingle.y - singleTip.y)).toBeLessThanOrEqual(2);
    const mean = project((36.0781 + 36.0787) / 2, (32.8361 + 32.837) / 2, frame.zoom);
    const clusters = map.locator('.leaflet-marker-icon.map-count');
    let found: Locator | null = null;
    for (let i = 0; i < (await clusters.count()); i++) {
      const box = (await clusters.nth(i).boundingBox())!;
      if (Math.abs(box.x + box.width / 2 - (frame.originX + mean.x)) <= 2 && Math.abs(box.y + box.height / 2 - (frame.originY + mean.y)) <= 2) found = clusters.nth(i);
    }
    expect(found).not.toBeNull();
    expect((await found!.textContent())!.trim()).toMatch(/^2\b/);

    expect(await seriousAccessibilityViolations(coordinator)).toEqual([]);
    if (SCREENSHOTS) await coordinator.screenshot({ path: path.join(SHOTS_DIR, 'queue-map.png') });

    // The cluster opens (the map zooms to it), then a pin opens its ticket beside the map.
    await found!.click();
    const pinA = map.locator(`.leaflet-marker-icon.map-pin[title^="${a.number}"]`);
    await pinA.waitFor(WAIT);
    await settled(coordinator, map);
    await pinA.click();
    await coordinator.waitForURL(`**/queues/triage/${a.number}?view=map`, WAIT);
    await coordinator.locator('#ticket-title', { hasText: a.number }).waitFor(WAIT);
    await map.waitFor(WAIT);
  });

  it('at 390 px: the intake map and a queue’s map fit the screen, nothing scrolls sideways', async () => {
    const agent = await signedIn(STAFF.agent, PHONE);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    await settled(agent, agent.getByTestId('intake-map'));
    await noSidewaysScroll(agent);
    expect(await seriousAccessibilityViolations(agent)).toEqual([]);

    const coordinator = await signedIn(STAFF.coordinator, PHONE);
    await coordinator.goto(`${base}/console/queues/triage?view=map`);
    await settled(coordinator, coordinator.getByTestId('list-map'));
    await noSidewaysScroll(coordinator);
    expect(await seriousAccessibilityViolations(coordinator)).toEqual([]);
    if (SCREENSHOTS) await coordinator.screenshot({ path: path.join(SHOTS_DIR, 'queue-map-390.png'), fullPage: true });
  });
});
