import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../libs/database/src/seed';

/**
 * Browser tests drive the machine's Debian chromium (installed by .ci/run), never a browser
 * downloaded by Playwright: headless, and without the sandbox, which needs privileges CI lacks.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page and returns the serious and critical violations (the quality bar). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the DevTools protocol, not as an inline <script>: the page's own CSP (no inline script) stays enforced.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface ConsoleSession {
  viewport: { width: number; height: number };
  /** Every context opened, for the suite to close. */
  contexts: BrowserContext[];
  /** Uncaught page errors, `<staff id>: <message>`, for the suite to assert empty. */
  pageErrors: string[];
  /** Set up on the new context before its first request (routes, e.g. refusing every non-loopback host). */
  prepare?(context: BrowserContext): Promise<void>;
}

const inFlight = new WeakMap<Page, Set<unknown>>();

/** Counts the page's requests in flight, except the console's live feed (GET /events never finishes). */
function trackRequests(page: Page): Set<unknown> {
  let pending = inFlight.get(page);
  if (pending) return pending;
  const open = new Set<unknown>();
  pending = open;
  inFlight.set(page, open);
  page.on('request', (request) => {
    if (new URL(request.url()).pathname !== '/events') open.add(request);
  });
  const done = (request: unknown) => open.delete(request);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return open;
}

/**
 * What `waitForLoadState('networkidle')` was before the live feed: no request in flight for
 * 500 ms, the open `GET /events` stream aside (it would keep the page from ever being idle).
 * Bounded: gives up quietly after `timeoutMs`, as the callers' `.catch(() => undefined)` did.
 */
export async function networkSettled(page: Page, timeoutMs = 10_000): Promise<void> {
  const pending = trackRequests(page);
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (pending.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 500) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A fresh browser context (its own session storage) signed in to the staff console at `base` as `staffId`, with the demo password. */
export async function signInToConsole(browser: Browser, base: string, staffId: string, session: ConsoleSession): Promise<Page> {
  const context = await browser.newContext({ viewport: session.viewport, locale: 'tr-TR', timezoneId: 'Europe/Istanbul', acceptDownloads: true });
  session.contexts.push(context);
  await session.prepare?.(context);
  const page = await context.newPage();
  trackRequests(page);
  page.on('pageerror', (error) => session.pageErrors.push(`${staffId}: ${error.message}`));
  await page.goto(`${base}/console/`);
  await page.getByLabel('Kullanıcı adı').fill(staffId);
  await page.getByLabel('Parola').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
  // Attached, not visible: at phone width it sits behind the header's menu.
  await page.getByRole('button', { name: 'Çıkış', includeHidden: true }).waitFor({ state: 'attached', timeout: 15_000 });
  return page;
}
