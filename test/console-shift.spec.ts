import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, networkSettled, seriousAccessibilityViolations, signInToConsole } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF } from './support/ticket-driver';

/**
 * Issue 20: a whole shift through the console only, in real headless Chromium against the real
 * API, worker, PostgreSQL and Temporal, one browser context per role. The agent records a call,
 * finding its category by an everyday word; the coordinator finds it by searching "cukur" and
 * works triage oldest first across two pages; the manager assigns the expert by name; the expert
 * works from "my tasks" on a 390 px phone; two approvers decide; the coordinator finalizes with a
 * public answer and is offered the next ticket; the auditor reads the engine history as a timeline
 * and exports the contact log; the neighbourhood's muhtar opens the ticket from her list; the
 * department head exports the report. axe-core checks every screen on the way, and no page
 * scrolls sideways at 390 px.
 *
 * Triage holds more than one page: 55 rows written straight into the projection, received in
 * 2016 (before every other suite's tickets, so they lead the oldest-first order; closed at the
 * end, so they leave triage to the suites after this one). The ticket worked through the shift is real (intake, workflow, SMS).
 */
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 20_000 };
const FIXTURES = 55;
const MENTES = { district: 'Yenişehir', neighbourhood: 'Menteş' };
const MUHTAR = 'muhtar.mentes';

jest.setTimeout(240_000);

describe('a shift in the console', () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const run = randomUUID().slice(0, 6);
  const fixtures: string[] = [];
  let names: Map<string, string>;

  beforeAll(async () => {
    buildConsole();
    stack = await startTestStack();
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    names = new Map((await stack.db.query(`SELECT id, name FROM staff`)).map((r: { id: string; name: string }) => [r.id, r.name]));
    for (let i = 0; i < FIXTURES; i += 1) {
      const number = `S${run}-${String(i).padStart(3, '0')}`;
      const nonce = randomUUID();
      await stack.db.query(
        `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
           description, district, neighbourhood, status, reopen_count, last_event_seq, received_at, workflow_started_at, updated_at, stage_since)
         VALUES ($1, $2, $3, sha256(convert_to($3, 'UTF8')), 'CALL_CENTER', 'COMPLAINT', 'ROAD_REPAIR', 'CITIZEN', 'Deneme Kişi', '+905320000000', true,
           $4, 'Toroslar', 'Akbelen', 'TRIAGE', 0, 1, $5, $5, now(), now())`,
        [randomUUID(), number, nonce, `Yol kenarında ${i}. direğin yanında tümsek var.`, new Date(Date.UTC(2016, 0, 1) + i * 60_000).toISOString()],
      );
      fixtures.push(number);
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    // Out of triage again for the suites after this one (the rows stay: the lists logged their reads).
    if (fixtures.length) await stack?.db.query(`UPDATE tickets SET status = 'CLOSED', closed_at = now() WHERE number = ANY($1::text[])`, [fixtures]).catch(() => undefined);
    await stack?.close();
  });

  const signedIn = (staffId: string, viewport = LAPTOP) => signInToConsole(browser, base, staffId, { viewport, contexts, pageErrors });
  const isPhone = (page: Page) => page.viewportSize()!.width <= PHONE.width;
  const statusIs = (page: Page, label: string) => page.locator('#ticket-title .status', { hasText: label }).waitFor(WAIT);

  /** axe-core finds no serious or critical violation; at phone width nothing scrolls sideways. */
  async function check(page: Page, screen: string): Promise<void> {
    await networkSettled(page);
    expect({ screen, violations: await seriousAccessibilityViolations(page) }).toEqual({ screen, violations: [] });
    if (isPhone(page)) {
      const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
      expect({ screen, sideways: widths.scroll > widths.inner }).toEqual({ screen, sideways: false });
    }
  }

  /** Opens the action's form from its button, lets `fill` fill it, sends it and waits for the console's "done". */
  async function act(page: Page, action: string, fill?: (form: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
    await page.getByRole('button', { name: action, exact: true }).first().click();
    const form = page.getByRole('form', { name: action });
    await form.waitFor(WAIT);
    if (fill) await fill(form);
    await form.getByRole('button', { name: action, exact: true }).click();
    await page.getByRole('status').filter({ hasText: `${action}: İşlem tamam` }).waitFor(WAIT);
  }

  async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
    return fs.readFileSync((await file.path())!);
  }

  it('from the first call to the department head’s report, each role in its own screens', async () => {
    const started = Date.now();
    const digits = String(started).slice(-7);
    const callerPhone = `0534 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
    const description = `Menteş’te okul yolunda derin bir Çukur var, çocuklar düşüyor (${run}).`;

    // ---- Agent: a call, its category found by an everyday word (no code, no scrolling through the catalogue).
    const agent = await signedIn(STAFF.agent);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    await agent.getByLabel('Telefon').fill(callerPhone);
    await agent.getByLabel('Arayanın adı').fill('Zehra Aksoy');
    await agent.getByLabel('Kategori ara').fill('çukur');
    await agent.getByLabel('Kategori ara').press('Enter'); // the best fit, highlighted by the search, is chosen
    expect(await agent.locator('#category-option-ROAD_REPAIR').getAttribute('aria-selected')).toBe('true');
    await agent.getByLabel('İlçe').selectOption(MENTES.district);
    await agent.getByLabel('Mahalle').selectOption(MENTES.neighbourhood);
    await agent.getByLabel('Açıklama').fill(description);
    await check(agent, 'agent intake');
    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    const created = agent.getByRole('status').filter({ hasText: 'Başvuru kaydedildi' });
    await created.waitFor(WAIT);
    const number = (await created.getByRole('link').first().textContent())!.trim();
    expect(number).toMatch(/^\d{4}-\d{6}$/);

    // ---- Coordinator: "cukur" from the header finds the ticket whose text says "Çukur".
    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.getByRole('heading', { name: 'Ön değerlendirme' }).waitFor(WAIT);
    await coordinator.getByLabel('Başvuru no ya da sözcük').fill('cukur');
    await coordinator.getByLabel('Başvuru no ya da sözcük').press('Enter');
    await coordinator.getByRole('heading', { name: 'Başvuru ara' }).waitFor(WAIT);
    await coordinator.getByRole('link', { name: number }).waitFor(WAIT);
    await check(coordinator, 'coordinator search');

    // Triage, oldest first, across two pages, saying how many there are.
    await coordinator.goto(`${base}/console/queues/triage`);
    await coordinator.getByRole('heading', { name: 'Ön değerlendirme' }).waitFor(WAIT);
    await coordinator.getByLabel('Sıralama').selectOption('received');
    await coordinator.getByRole('link', { name: fixtures[0] }).waitFor(WAIT);
    expect(await coordinator.locator('.list-count').textContent()).toMatch(/^Gösterilen 50 \/ [\d.]+\+?$/);
    const firstPage = await coordinator.locator('table tbody tr td:first-child a').allTextContents();
    expect(firstPage).toEqual(fixtures.slice(0, 50));
    await coordinator.getByRole('button', { name: 'Daha fazla göster' }).click();
    await coordinator.getByRole('link', { name: fixtures[FIXTURES - 1] }).waitFor(WAIT);
    await check(coordinator, 'coordinator triage, two pages');

    // Works the caller's ticket: sent to the category's department.
    await coordinator.goto(`${base}/console/queues/triage/${number}`);
    await statusIs(coordinator, 'Ön değerlendirmede');
    await act(coordinator, 'Birime ata', async (form) => {
      expect(await form.getByLabel('Birim').inputValue()).toBe('fen-isleri');
    });
    await statusIs(coordinator, 'Birimde');

    // ---- Manager: the expert chosen by name (the list says each one's open load).
    const manager = await signedIn(STAFF.fenManager);
    await manager.goto(`${base}/console/queues/department/${number}`);
    await statusIs(manager, 'Birimde');
    await manager.getByRole('button', { name: 'Uzman ata', exact: true }).click();
    const expertPicker = manager.getByRole('form', { name: 'Uzman ata' }).getByLabel('Uzman');
    const expertName = names.get(STAFF.fenExpert)!;
    const option = (await expertPicker.locator('option').allTextContents()).find((label) => label.startsWith(expertName));
    expect(option).toBeDefined();
    await expertPicker.selectOption({ label: option! });
    await check(manager, 'manager assigns by name');
    await manager.getByRole('form', { name: 'Uzman ata' }).getByRole('button', { name: 'Uzman ata' }).click();
    await statusIs(manager, 'Çözüm uzmanında');
    await manager.locator('.facts').getByText(expertName).waitFor(WAIT);

    // ---- Expert, in the field, on a phone: the day starts at "my tasks".
    const expert = await signedIn(STAFF.fenExpert, PHONE);
    await expert.waitForURL(/\/console\/queues\/mine$/, WAIT);
    await expert.getByRole('heading', { name: 'Görevlerim' }).waitFor(WAIT);
    await check(expert, 'expert my tasks (390 px)');
    await expert.getByRole('link', { name: number }).click();
    await statusIs(expert, 'Çözüm uzmanında');
    await check(expert, 'expert ticket (390 px)');
    await act(expert, 'Çözümü gönder', (form) => form.getByLabel('Çözüm').fill('Çukur asfaltla dolduruldu, okul yolu açıldı.'));
    await statusIs(expert, 'Onayda');

    // ---- Approvers: each from their approvals queue, the resolution in front of them.
    for (const approverId of [STAFF.fenManager, STAFF.fenHead]) {
      const approver = approverId === STAFF.fenManager ? manager : await signedIn(approverId);
      await approver.goto(`${base}/console/queues/approvals`);
      await approver.getByRole('link', { name: number }).click(WAIT);
      await approver.getByRole('button', { name: 'Onayla', exact: true }).click();
      await approver.getByText('Çukur asfaltla dolduruldu').first().waitFor(WAIT);
      await approver.getByRole('form', { name: 'Onayla' }).getByRole('button', { name: 'Onayla' }).click();
      await approver.getByRole('status').filter({ hasText: 'Onayla: İşlem tamam' }).waitFor(WAIT);
    }

    // ---- Coordinator: finalize with a public answer; the console offers the queue's next ticket.
    await coordinator.goto(`${base}/console/queues/finalize/${number}`);
    await statusIs(coordinator, 'Onaylandı');
    await act(coordinator, 'Sonuçlandır', async (form) => {
      await form.getByLabel('Kime').selectOption('PUBLIC');
    });
    await statusIs(coordinator, 'Çözüldü');
    await coordinator.getByText(/Bu kuyruktaki sonraki başvuru|Bu kuyrukta başka başvuru yok\./).first().waitFor(WAIT);

    // ---- Auditor: the engine history as a timeline, people by name; the contact log exported.
    const auditor = await signedIn(STAFF.auditor);
    await auditor.goto(`${base}/console/tickets/${number}/history`);
    await auditor.getByRole('heading', { name: new RegExp(`Olay geçmişi.*${number}`) }).waitFor(WAIT);
    const timeline = auditor.locator('tbody');
    await auditor.locator('tr[data-kind="COMMAND_ACCEPTED"]').first().waitFor(WAIT);
    for (const id of [STAFF.coordinator, STAFF.fenManager, STAFF.fenExpert, STAFF.fenHead]) {
      await timeline.getByText(names.get(id)!, { exact: true }).first().waitFor(WAIT);
      expect(await timeline.textContent()).not.toContain(id);
    }
    await check(auditor, 'auditor timeline');
    await auditor.goto(`${base}/console/contacts`);
    await auditor.getByRole('heading', { name: 'Temas kaydı' }).waitFor(WAIT);
    await auditor.getByLabel('Arayanın telefonu').fill(callerPhone);
    await auditor.getByRole('button', { name: 'Uygula' }).click();
    await auditor.getByRole('link', { name: number }).first().waitFor(WAIT);
    await check(auditor, 'auditor contact log');
    const csv = await download(auditor, () => auditor.getByRole('button', { name: 'CSV indir' }).click());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // Turkish Excel reads the BOM, and ';'
    const rows = csv.toString('utf8').slice(1).trim().split('\r\n').map((line) => line.split(';'));
    expect(rows[0]).toEqual(['Zaman', 'Kanal', 'Sonuç', 'Telefon', 'Başvuru no', 'Kaydeden', 'Not']);
    expect(rows.slice(1).some((row) => row[4] === number && row[5] === names.get(STAFF.agent))).toBe(true);
    const contactsBook = new ExcelJS.Workbook();
    await contactsBook.xlsx.load((await download(auditor, () => auditor.getByRole('button', { name: 'Excel (XLSX) indir' }).click())) as never);
    expect(contactsBook.worksheets.map((sheet) => sheet.name)).toEqual(['Temas kaydı']);

    // ---- Muhtar: her neighbourhood's ticket, read-only, with the public answer.
    const muhtar = await signedIn(MUHTAR);
    await muhtar.goto(`${base}/console/queues/following`);
    await muhtar.getByRole('link', { name: number }).click(WAIT);
    await statusIs(muhtar, 'Çözüldü');
    await muhtar.getByText('Çukur asfaltla dolduruldu').first().waitFor(WAIT);
    expect(await muhtar.locator('section.ticket').getByRole('button').count()).toBe(0);
    expect(await muhtar.locator('section.ticket').textContent()).not.toContain('Zehra Aksoy');
    await check(muhtar, 'muhtar ticket');

    // ---- Department head: the department's report, as XLSX and as a table's CSV, read back.
    const head = await signedIn(STAFF.fenHead);
    await head.goto(`${base}/console/analysis/departments/fen-isleri`);
    await head.getByRole('heading', { name: /Birim raporu/ }).waitFor(WAIT);
    await head.getByRole('heading', { name: 'En eski açık başvurular' }).waitFor(WAIT);
    await check(head, 'department report');
    const report = new ExcelJS.Workbook();
    await report.xlsx.load((await download(head, () => head.getByRole('button', { name: 'Tümü Excel (XLSX)' }).click())) as never);
    expect(report.worksheets.length).toBeGreaterThan(3);
    await head.locator('details > summary').first().click();
    const table = await download(head, () => head.getByRole('button', { name: 'CSV indir' }).first().click());
    expect([...table.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(table.toString('utf8').split('\r\n')[0]).toContain(';');
    expect(await head.getByRole('alert').count()).toBe(0);

    expect(pageErrors).toEqual([]);
    console.log(`console shift: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
