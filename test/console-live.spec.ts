import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, signInToConsole } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn as apiAs, STAFF, TicketDriver } from './support/ticket-driver';

const LAPTOP = { width: 1366, height: 900 };
const WAIT = { timeout: 15_000 };
/** The state element is empty (and so not visible) while live: wait for it to be in the page. */
const LIVE = { timeout: 15_000, state: 'attached' } as const;
/** Longer than two periods of the 4 s polling the console used to do: an idle screen must ask nothing in it. */
const IDLE_WINDOW_MS = 9_000;

/**
 * The console's live feed in the machine's chromium: a screen that is only watching makes no
 * requests (no polling), and a command in one browser moves the queue badge in another within
 * seconds, by the event the API streams to it (GET /events).
 */
describe('console: live badges without polling', () => {
  let stack: TestStack;
  let driver: TicketDriver;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    stack = await startTestStack();
    driver = new TicketDriver(stack);
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const signedIn = (staffId: string) => signInToConsole(browser, base, staffId, { viewport: LAPTOP, contexts, pageErrors });
  const badge = (page: Page, queue: string) => page.locator(`nav a[href="/console/queues/${queue}"] .badge`);
  const badgeCount = async (page: Page, queue: string) => Number((await badge(page, queue).textContent())?.replace(/\D/g, ''));
  /** Requests of the page to the lists and tickets (what polling would make), with when they were sent. */
  const listReads = (page: Page) => {
    const seen: { url: string; at: number }[] = [];
    page.on('request', (request: Request) => {
      const { pathname } = new URL(request.url());
      if (pathname === '/queues' || pathname === '/tickets' || pathname.startsWith('/tickets/')) seen.push({ url: pathname, at: Date.now() });
    });
    return seen;
  };

  it('a second browser’s queue badge follows a command in the first within seconds, with no polling request before it', async () => {
    const ticket = await driver.create();
    const manager = await signedIn(STAFF.fenManager);
    await badge(manager, 'department').waitFor(WAIT);
    await manager.locator('.live-state[data-live="live"]').waitFor(LIVE);
    const before = await badgeCount(manager, 'department');
    const reads = listReads(manager);

    // Only watching: nothing asked of the API.
    await manager.waitForTimeout(IDLE_WINDOW_MS);
    expect(reads).toEqual([]);

    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.goto(`${base}/console/tickets/${ticket.number}`);
    await coordinator.locator('#ticket-title .status', { hasText: 'Ön değerlendirmede' }).waitFor(WAIT);
    await coordinator.getByRole('button', { name: 'Birime ata', exact: true }).first().click();
    const form = coordinator.getByRole('form', { name: 'Birime ata' });
    await form.waitFor(WAIT);
    const sent = Date.now();
    await form.getByRole('button', { name: 'Birime ata', exact: true }).click();
    await coordinator.getByRole('status').filter({ hasText: 'Birime ata: İşlem tamam' }).waitFor(WAIT);

    // The badge shows what GET /queues now says: one more, or "99+" still when the suites that ran
    // before left the department's queue past the count's cap (then only the refetch shows the feed worked).
    const { queues } = (await apiAs(stack, STAFF.fenManager, (http) => http.get('/queues')).expect(200)).body as { queues: { queue: string; count: number; more: boolean }[] };
    const department = queues.find((q) => q.queue === 'department')!;
    if (!department.more) expect(department.count).toBe(before + 1);
    const shown = `${department.count}${department.more ? '+' : ''}`;
    const deadline = Date.now() + 5_000;
    while (!reads.some((r) => r.url === '/queues') && Date.now() < deadline) await manager.waitForTimeout(50);
    await badge(manager, 'department').filter({ hasText: new RegExp(`^${shown.replace('+', '\\+')}$`) }).waitFor({ timeout: 5_000 });
    const arrived = Date.now();
    // The manager's browser asked for the queues only after the command, because the feed told it to.
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.at >= sent)).toBe(true);
    expect(arrived - sent).toBeLessThan(5_000);
    expect(pageErrors).toEqual([]);
  });

  it('shows that it is reconnecting when the feed is cut, and comes back live', async () => {
    const agent = await signedIn(STAFF.coordinator2);
    const state = agent.locator('.live-state');
    await agent.locator('.live-state[data-live="live"]').waitFor(LIVE);
    // The connection is cut and the feed cannot be reached for a while, then it can again.
    await agent.context().route('**/events', (route) => route.abort('connectionrefused'));
    (stack.api.getHttpServer() as Server).closeAllConnections();
    await agent.locator('.live-state[data-live="reconnecting"]').waitFor(WAIT);
    expect(await state.textContent()).toBe('Canlı güncellemeler yeniden bağlanıyor…');
    await agent.context().unroute('**/events');
    await agent.locator('.live-state[data-live="live"]').waitFor({ ...LIVE, timeout: 40_000 });
    expect(await state.textContent()).toBe('');
  });
});
