import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, networkSettled, seriousAccessibilityViolations, signInToConsole, type AxeFinding } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';

/**
 * The console's screens that broke in a day of real use (issue 20, part A), in real headless
 * Chromium against the real stack: the platform user's ticket screen, the department report's
 * exports, phone width (390 px), the category picker, a screen that loses access to its ticket;
 * and axe-core on every screen at 1366 px and at 390 px. With CONSOLE_SCREENSHOTS=1
 * (npm run console:screenshots) each screen is saved under docs/console/ (390 px ones with a
 * `-390` suffix).
 */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1';
const SHOTS_DIR = path.join(__dirname, '..', 'docs', 'console');
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 15_000 };
const MUHTAR = 'muhtar.mentes'; // Yenişehir / Menteş (demo seed)
const MENTES = { district: 'Yenişehir', neighbourhood: 'Menteş' };

jest.setTimeout(240_000);

describe('console screens (issue 20, part A)', () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let t: TicketDriver;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Always built from the sources under test: never a stale bundle.
    buildConsole();
    stack = await startTestStack();
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    t = new TicketDriver(stack);
    if (SCREENSHOTS) fs.mkdirSync(SHOTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const signedIn = (staffId: string, viewport = LAPTOP) => signInToConsole(browser, base, staffId, { viewport, contexts, pageErrors });
  const isPhone = (page: Page) => page.viewportSize()!.width <= PHONE.width;

  /** axe-core finds no serious or critical violation; at phone width nothing scrolls sideways; a screenshot when asked for. */
  async function check(page: Page, screen: string, screenshot = true): Promise<void> {
    await networkSettled(page);
    const name = isPhone(page) ? `${screen}-390` : screen;
    const violations: AxeFinding[] = await seriousAccessibilityViolations(page);
    if (SCREENSHOTS && screenshot) await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: isPhone(page) });
    expect({ screen: name, violations }).toEqual({ screen: name, violations: [] });
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
    expect({ screen: name, sideways: widths.scroll > widths.inner, ...widths }).toEqual({ screen: name, sideways: false, ...widths });
  }

  /** At phone width the navigation folds behind the menu button; at laptop width it is there. */
  async function nav(page: Page, link: string): Promise<void> {
    if (isPhone(page)) await page.getByRole('button', { name: 'Menü' }).click();
    await page.getByRole('navigation').getByRole('link', { name: link }).first().click();
  }

  const statusIs = (page: Page, label: string) => page.locator('#ticket-title .status', { hasText: label }).waitFor(WAIT);
  const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

  /** A ticket in the muhtar's neighbourhood, resolved with a public answer. */
  async function publishedInMentes(): Promise<CreatedTicket> {
    const ticket = await t.toApproved({ location: MENTES, description: 'Menteş’te kaldırım çökmüş, Ayşe Hanım düştü.' });
    await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Kaldırım taşları yenilendi, yol açıldı.', visibility: 'PUBLIC' }).expect(200);
    return ticket;
  }

  it.each([
    ['1366 px', LAPTOP],
    ['390 px', PHONE],
  ])('item 1: a muhtar opens a ticket of her neighbourhood (list and deep link) and reads a proper read-only screen (%s)', async (_width, viewport) => {
    const ticket = await publishedInMentes();
    const muhtar = await signedIn(MUHTAR, viewport);
    // From her list (following: her neighbourhood's tickets).
    await muhtar.goto(`${base}/console/queues/following`);
    await muhtar.getByRole('link', { name: ticket.number }).click();
    await statusIs(muhtar, 'Çözüldü');
    const pane = muhtar.locator('section.ticket');
    await pane.getByText('Salt okunur').waitFor(WAIT);
    expect(await pane.textContent()).toContain('Fen İşleri');
    expect(await pane.textContent()).toContain('Yenişehir / Menteş');
    await pane.getByText('Kaldırım taşları yenilendi, yol açıldı.').waitFor(WAIT);
    await pane.getByRole('heading', { name: 'Adımlar' }).waitFor(WAIT);
    // No personal data, no action.
    expect(await pane.textContent()).not.toContain('Ayşe Hanım');
    expect(await pane.getByRole('button').count()).toBe(0);
    if (isPhone(muhtar)) {
      // Stacked: the ticket below the list, never over it.
      const list = await box(muhtar, 'section.queue');
      expect((await box(muhtar, 'section.ticket')).y).toBeGreaterThanOrEqual(list.y + list.height - 1);
    }
    await check(muhtar, 'muhtar-ticket');

    // A deep link: the same screen, not a blank page.
    await muhtar.goto(`${base}/console/tickets/${ticket.number}`);
    await statusIs(muhtar, 'Çözüldü');
    await muhtar.getByText('Kaldırım taşları yenilendi, yol açıldı.').waitFor(WAIT);
    expect(pageErrors).toEqual([]);
  });

  it('item 2: the department report exports XLSX and every table CSV for its department, also after its access token expired; a failed export is never printed', async () => {
    await t.toInProgress();
    const head = await signedIn(STAFF.fenHead);
    const asked: string[] = [];
    head.on('request', (request) => {
      if (request.url().includes('/analysis/departments/')) asked.push(request.url());
    });
    await head.goto(`${base}/console/analysis/departments/fen-isleri`);
    await head.getByRole('heading', { name: /Birim raporu/ }).waitFor(WAIT);
    await head.getByRole('heading', { name: 'En eski açık başvurular' }).waitFor(WAIT);
    await check(head, 'department-report');

    const download = async (click: () => Promise<void>) => {
      const [file] = await Promise.all([head.waitForEvent('download', WAIT), click()]);
      return fs.readFileSync((await file.path())!);
    };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(() => head.getByRole('button', { name: 'Tümü Excel (XLSX)' }).click())) as never);
    expect(book.worksheets.length).toBeGreaterThan(3);
    // Every table's CSV (each behind its "table" disclosure, opened as a reader would).
    const disclosures = head.locator('details > summary');
    for (let i = 0; i < (await disclosures.count()); i += 1) await disclosures.nth(i).click();
    const csvButtons = head.getByRole('button', { name: 'CSV indir' });
    const tables = await csvButtons.count();
    expect(tables).toBeGreaterThan(3);
    for (let i = 0; i < tables; i += 1) {
      const csv = (await download(() => csvButtons.nth(i).click())).toString('utf8');
      expect(csv.length).toBeGreaterThan(0);
    }
    const exports = asked.filter((url) => url.includes('format='));
    expect(exports.length).toBe(tables + 1);
    expect(exports.filter((url) => url.includes('undefined'))).toEqual([]);
    expect(await head.getByRole('alert').count()).toBe(0);

    // An access token that expired while the report was open: refreshed once, the file still comes.
    await head.evaluate(`(() => {
      const key = 'teksin.console.session';
      const session = JSON.parse(sessionStorage.getItem(key));
      sessionStorage.setItem(key, JSON.stringify({ ...session, accessToken: 'expired' }));
    })()`);
    const again = new ExcelJS.Workbook();
    await again.xlsx.load((await download(() => head.getByRole('button', { name: 'Tümü Excel (XLSX)' }).click())) as never);
    expect(again.worksheets.length).toBe(book.worksheets.length);
    expect(await head.evaluate(`JSON.parse(sessionStorage.getItem('teksin.console.session')).accessToken`)).not.toBe('expired');

    // An export the server cannot answer (the route fails once, as a restarting API would): said
    // on screen, in the console's language, never on paper.
    await head.route('**/analysis/departments/**format=xlsx**', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', status: 503 }) }), { times: 1 });
    await head.getByRole('button', { name: 'Tümü Excel (XLSX)' }).click();
    const failed = head.getByRole('alert').filter({ hasText: 'Dışa aktarma yapılamadı' });
    await failed.waitFor(WAIT);
    await head.emulateMedia({ media: 'print' });
    expect(await failed.isVisible()).toBe(false);
    await head.emulateMedia({ media: 'screen' });
  });

  it('item 3: at 390 px every screen fits (no sideways scroll), the header is compact behind a menu, list and detail stack, intake is one column', async () => {
    const anonymous = await browser.newContext({ viewport: PHONE, locale: 'tr-TR' });
    contexts.push(anonymous);
    const signInPage = await anonymous.newPage();
    await signInPage.goto(`${base}/console/`);
    await signInPage.getByLabel('Kullanıcı adı').waitFor(WAIT);
    await check(signInPage, 'sign-in');

    const ticket = await t.create({ description: 'Telefon genişliğinde açılan başvuru: çok uzun bir açıklama satırı, kesilmeden sarılmalı.' });
    const coordinator = await signedIn(STAFF.coordinator, PHONE);
    // The header: one compact bar, the navigation behind "Menü".
    const header = await box(coordinator, 'header.top');
    expect(header.height).toBeLessThanOrEqual(64);
    expect(await coordinator.getByRole('navigation').isVisible()).toBe(false);
    await check(coordinator, 'coordinator-home');
    await nav(coordinator, 'Ön değerlendirme');
    await coordinator.getByRole('link', { name: ticket.number }).click();
    await statusIs(coordinator, 'Ön değerlendirmede');
    const list = await box(coordinator, 'section.queue');
    expect((await box(coordinator, 'section.ticket')).y).toBeGreaterThanOrEqual(list.y + list.height - 1);
    await check(coordinator, 'coordinator-triage');

    await nav(coordinator, 'Yeni çağrı');
    await coordinator.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    // One column: the caller's tickets below the form, the fields of a row one under the other.
    const form = await box(coordinator, '#intake-form');
    expect((await box(coordinator, 'aside.side')).y).toBeGreaterThanOrEqual(form.y + form.height - 1);
    expect((await box(coordinator, '#neighbourhood')).y).toBeGreaterThan((await box(coordinator, '#district')).y);
    await check(coordinator, 'agent-intake');

    await nav(coordinator, 'Temas kaydı');
    await coordinator.getByRole('heading', { name: 'Temas kaydı' }).waitFor(WAIT);
    await check(coordinator, 'auditor-contacts');

    await coordinator.goto(`${base}/console/tickets/${ticket.number}/history`);
    await coordinator.getByRole('button', { name: 'JSON indir' }).waitFor(WAIT);
    await check(coordinator, 'auditor-history');

    await nav(coordinator, 'Analiz');
    await coordinator.getByRole('heading', { name: 'Analiz merkezi' }).waitFor(WAIT);
    await check(coordinator, 'analysis-dashboard');
    await coordinator.goto(`${base}/console/analysis/departments/fen-isleri`);
    await coordinator.getByRole('heading', { name: 'En eski açık başvurular' }).waitFor(WAIT);
    await check(coordinator, 'department-report');

    // The expert in the field: my tasks, the ticket below.
    const mine = await t.toInProgress();
    // The expert lands on "my tasks" (no menu to open: a click on it would race the landing's redirect).
    const expert = await signedIn(STAFF.fenExpert, PHONE);
    await expert.waitForURL(/\/console\/queues\/mine$/, WAIT);
    await expert.getByRole('heading', { name: 'Görevlerim' }).waitFor(WAIT);
    await expert.getByRole('link', { name: mine.number }).click();
    await statusIs(expert, 'Çözüm uzmanında');
    await check(expert, 'expert-my-tasks');
    expect(pageErrors).toEqual([]);
  });

  it('item 6: axe-core finds nothing serious on the sign-in, home, intake, contacts, history, dashboard and staff ticket screens at 1366 px', async () => {
    const anonymous = await browser.newContext({ viewport: LAPTOP, locale: 'tr-TR' });
    contexts.push(anonymous);
    const signInPage = await anonymous.newPage();
    await signInPage.goto(`${base}/console/`);
    await signInPage.getByLabel('Kullanıcı adı').waitFor(WAIT);
    // Screens test/console.spec.ts already photographs at this width are checked, not photographed again.
    await check(signInPage, 'sign-in', false);
    const ticket = await t.create();
    const coordinator = await signedIn(STAFF.coordinator);
    await check(coordinator, 'coordinator-home');
    await coordinator.goto(`${base}/console/tickets/${ticket.number}`);
    await statusIs(coordinator, 'Ön değerlendirmede');
    await check(coordinator, 'coordinator-ticket', false);
    await coordinator.goto(`${base}/console/intake`);
    await coordinator.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    await check(coordinator, 'agent-intake', false);
    await coordinator.goto(`${base}/console/contacts`);
    await coordinator.getByRole('heading', { name: 'Temas kaydı' }).waitFor(WAIT);
    await check(coordinator, 'auditor-contacts', false);
    await coordinator.goto(`${base}/console/tickets/${ticket.number}/history`);
    await coordinator.getByRole('button', { name: 'JSON indir' }).waitFor(WAIT);
    await check(coordinator, 'auditor-history', false);
    await coordinator.goto(`${base}/console/analysis`);
    await coordinator.getByRole('heading', { name: 'Analiz merkezi' }).waitFor(WAIT);
    await check(coordinator, 'analysis-dashboard');
    expect(pageErrors).toEqual([]);
  });

  it('item 4: nothing looks chosen on an untouched form; saving without a category says so beside it before any request; the keyboard drives the picker', async () => {
    const agent = await signedIn(STAFF.agent);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    const picker = agent.getByRole('listbox', { name: 'Kategori' });
    await picker.getByRole('option').first().waitFor(WAIT);
    expect(await picker.locator('[aria-selected="true"]').count()).toBe(0);

    const posted: string[] = [];
    agent.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/tickets') posted.push(request.url());
    });
    await agent.getByLabel('Telefon').fill('0532 111 22 33');
    await agent.getByLabel('Arayanın adı').fill('Kemal Ak');
    await agent.getByLabel('Açıklama').fill('Sokak lambası yanmıyor.');
    await agent.getByLabel('Açıklama').press('Control+Enter');
    await agent.locator('#category-error', { hasText: 'Kategori seçin' }).waitFor(WAIT);
    expect(await picker.getAttribute('aria-invalid')).toBe('true');
    expect((await picker.getAttribute('aria-describedby'))!.split(' ')).toContain('category-error');
    await agent.waitForTimeout(500);
    expect(posted).toEqual([]);

    // The search leaves one match: it is highlighted (not chosen); the first ArrowDown stays on it; Space chooses it.
    const search = agent.getByRole('combobox', { name: 'Kategori ara' });
    await search.fill('asfalt'); // one category only (part C's catalogue: "kaldırım" is also the zabıta's "kaldırım işgali")
    const options = picker.getByRole('option');
    expect(await options.count()).toBe(1);
    const only = options.first();
    const onlyId = await only.getAttribute('id');
    expect(await search.getAttribute('aria-activedescendant')).toBe(onlyId);
    expect(await only.getAttribute('aria-selected')).toBe('false');
    await search.press('ArrowDown');
    expect(await search.getAttribute('aria-activedescendant')).toBe(onlyId);
    await search.press('Space');
    expect(await only.getAttribute('aria-selected')).toBe('true');
    expect(await search.inputValue()).toBe('asfalt');
    await agent.locator('#category-info', { hasText: 'Fen İşleri' }).waitFor(WAIT);
    expect(await agent.locator('#category-error').count()).toBe(0);

    // Several matches: ArrowDown, ArrowDown, ArrowUp from the list itself, Enter chooses; Enter does not send the form.
    await search.fill('');
    await agent.keyboard.press('Tab');
    expect(await agent.evaluate('document.activeElement?.id')).toBe('category');
    const all = await options.evaluateAll((els) => els.map((el) => el.id));
    expect(all.length).toBeGreaterThan(3);
    // Focus puts the highlight on the chosen option; the first ArrowDown stays there.
    const chosenId = await picker.locator('[aria-selected="true"]').getAttribute('id');
    expect(await picker.getAttribute('aria-activedescendant')).toBe(chosenId);
    await agent.keyboard.press('ArrowDown');
    expect(await picker.getAttribute('aria-activedescendant')).toBe(chosenId);
    const at = all.indexOf(chosenId!);
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('ArrowUp');
    const next = all[Math.min(all.length - 1, at + 1)];
    expect(await picker.getAttribute('aria-activedescendant')).toBe(next);
    await agent.keyboard.press('Enter');
    expect(await agent.locator(`#${next}`).getAttribute('aria-selected')).toBe('true');
    expect(await picker.locator('[aria-selected="true"]').count()).toBe(1);
    expect(posted).toEqual([]);
    await check(agent, 'agent-intake-picker');
    expect(pageErrors).toEqual([]);
  });

  it('item 5: after the citizen reopens, the expert who resolved it still reads it; a colleague’s screen says it lost access once and asks no more', async () => {
    const ticket = await t.toApproved();
    await t.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Tamamlandı.' }).expect(200);
    const expert = await signedIn(STAFF.fenExpert);
    const colleague = await signedIn(STAFF.fenExpert2);
    const asked: { at: number; status: number }[] = [];
    colleague.on('response', (response) => {
      if (new URL(response.url()).pathname === `/tickets/${ticket.number}`) asked.push({ at: Date.now(), status: response.status() });
    });
    for (const page of [expert, colleague]) {
      await page.goto(`${base}/console/tickets/${ticket.number}`);
      await statusIs(page, 'Çözüldü');
    }

    await t.citizen(ticket, 'reopen', { reason: 'Taşlar yine oynuyor.' }).expect(200);
    // The expert who resolved it keeps reading it (with nothing to do), and is never told "not found".
    await statusIs(expert, 'Ön değerlendirmede');
    await expert.getByText('Şu an yapabileceğiniz bir işlem yok.').waitFor(WAIT);
    expect(await expert.getByText('bulunamadı').count()).toBe(0);

    // The colleague never acted on it: told once, in Turkish, and the polling stops at the first refusal.
    const lost = colleague.getByRole('alert').filter({ hasText: 'Bu başvuruyu artık göremiyorsunuz' });
    await lost.waitFor(WAIT);
    const refused = asked.find((a) => a.status === 404)!;
    expect(refused).toBeDefined();
    await colleague.waitForTimeout(10_000); // more than two polling periods (4 s)
    expect(asked.filter((a) => a.at > refused.at)).toEqual([]);
    expect(await colleague.getByRole('alert').count()).toBe(1);
    await check(colleague, 'access-lost');
    expect(pageErrors).toEqual([]);
  });
});
