import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, networkSettled, seriousAccessibilityViolations, signInToConsole } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver } from './support/ticket-driver';

/**
 * The auditor's screens in real headless Chromium (issue 20E): the engine history of a ticket the
 * coordinator and a manager worked on, read as a timeline in Turkish and English with people by
 * name, one raw event opened, the JSON downloaded; the contact log filtered by a caller's number
 * and channel, paged with "more", and exported as CSV and XLSX (read back; the export in pii_reads).
 */
const WAIT = { timeout: 15_000 };
const HOUR = 3_600_000;
/** Longer than two periods of the 4 s polling the contact log used to do. */
const IDLE_WINDOW_MS = 9_000;

jest.setTimeout(120_000);

describe('the auditor’s screens in a browser', () => {
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

  const signedIn = (staffId: string) => signInToConsole(browser, base, staffId, { viewport: { width: 1366, height: 900 }, contexts, pageErrors });

  async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
    return fs.readFileSync((await file.path())!);
  }

  async function accessible(page: Page, screen: string): Promise<void> {
    await networkSettled(page);
    expect({ screen, violations: await seriousAccessibilityViolations(page) }).toEqual({ screen, violations: [] });
  }

  it('reads the engine history as a timeline with names, in Turkish and English; opens a raw event; downloads the JSON', async () => {
    const ticket = await driver.create();
    await driver.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await driver.waitForStatus(ticket.number, 'IN_DEPARTMENT');
    await driver.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    await driver.waitForStatus(ticket.number, 'IN_PROGRESS');

    const page = await signedIn(STAFF.auditor);
    await page.goto(`${base}/console/tickets/${ticket.number}/history`);
    await page.getByRole('heading', { name: new RegExp(`Olay geçmişi.*${ticket.number}`) }).waitFor(WAIT);

    // Who did what, by name, in Turkish.
    const assigned = page.locator('tr[data-kind="COMMAND_ACCEPTED"]', { hasText: '“birime atama” komutunu gönderdi; motor kabul etti.' });
    await assigned.waitFor(WAIT);
    expect(await assigned.locator('td').nth(2).textContent()).toBe('Ayşe Demir');
    const expert = page.locator('tr[data-kind="COMMAND_COMPLETED"]', { hasText: '“uzman atama” komutu uygulandı.' });
    expect(await expert.locator('td').nth(2).textContent()).toBe('Hasan Öztürk');
    await page.locator('tr[data-kind="WORKFLOW_STARTED"]', { hasText: 'Başvurunun süreci başladı.' }).waitFor(WAIT);
    await page.locator('tr[data-kind="LOCAL_ACTIVITY"]', { hasText: 'başvuru kaydını ve denetim izini yazma' }).first().waitFor(WAIT);
    await page.locator('tr[data-kind="TIMER_STARTED"]', { hasText: /Saat kuruldu: \d/ }).first().waitFor(WAIT);
    // No staff id where a name belongs; the engine's bookkeeping only on request.
    expect(await page.locator('tbody').textContent()).not.toContain(STAFF.coordinator);
    expect(await page.locator('tr[data-kind="ENGINE_STEP"]').count()).toBe(0);
    await page.getByLabel('Motorun iç adımlarını da göster').check();
    expect(await page.locator('tr[data-kind="ENGINE_STEP"]').count()).toBeGreaterThan(0);
    await page.getByLabel('Motorun iç adımlarını da göster').uncheck();

    // The raw event, one click away.
    await assigned.getByRole('button', { name: /Ham olay \(JSON\)/ }).click();
    const raw = page.locator('pre.raw-event');
    await raw.waitFor(WAIT);
    const event = JSON.parse((await raw.textContent())!) as { eventType: string; workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { input: { name: string } } } };
    expect(event.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.name).toBe('assignDepartment');
    expect(await assigned.getByRole('button', { name: /Ham olayı gizle/ }).getAttribute('aria-expanded')).toBe('true');
    await accessible(page, 'history');

    // The full JSON download stays.
    const json = JSON.parse((await download(page, () => page.getByRole('button', { name: 'JSON indir' }).click())).toString('utf8')) as {
      runs: { history: { events: unknown[] } }[];
      timeline: { kind: string; actor: { name: string | null } | null }[];
    };
    expect(json.runs[0].history.events.length).toBe(json.timeline.length);
    expect(json.timeline.filter((l) => l.kind === 'COMMAND_ACCEPTED').map((l) => l.actor?.name)).toEqual(['Ayşe Demir', 'Hasan Öztürk']);

    // The same timeline in English.
    await page.getByLabel('Dil').selectOption('en');
    const english = page.locator('tr[data-kind="COMMAND_ACCEPTED"]', { hasText: 'Sent the command “assign to a department”; the engine accepted it.' });
    await english.waitFor(WAIT);
    expect(await english.locator('td').nth(2).textContent()).toBe('Ayşe Demir');
    await page.locator('tr[data-kind="WORKFLOW_STARTED"]', { hasText: 'The ticket’s workflow started.' }).waitFor(WAIT);
    await page.locator('tr[data-kind="TIMER_STARTED"]', { hasText: /Clock set for \d/ }).first().waitFor(WAIT);
    await page.getByLabel('Language').selectOption('tr');
    expect(pageErrors).toEqual([]);
  });

  it('filters the contact log by a caller’s number and channel, pages with “more”, exports CSV and XLSX (read back, logged in pii_reads)', async () => {
    // 55 calls from one number only this run uses (50 from the call center, 5 walk-ins), plus one from another number.
    const digits = String(Date.now() % 10_000_000).padStart(7, '0');
    const phone = `+90533${digits}`;
    const start = Date.now() - 60 * HOUR;
    const ids: string[] = [];
    for (let i = 0; i < 55; i += 1) {
      const id = randomUUID();
      ids.push(id);
      await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        id,
        new Date(start + i * HOUR).toISOString(),
        i % 2 ? STAFF.agent : STAFF.coordinator,
        i < 50 ? 'CALL_CENTER' : 'CONTACT_POINT',
        phone,
        i % 3 ? 'INFORMATION_GIVEN' : 'HUNG_UP',
        i === 54 ? 'Şikâyetçi, ığüşöç' : null,
      ]);
    }

    const page = await signedIn(STAFF.auditor);
    await page.getByRole('link', { name: 'Temas kaydı' }).click();
    await page.getByRole('heading', { name: 'Temas kaydı' }).waitFor(WAIT);
    await page.getByLabel('Arayanın telefonu').fill(`0533 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`);
    await page.getByRole('button', { name: 'Uygula' }).click();
    await page.getByText('50 gösteriliyor').waitFor(WAIT);
    expect(page.url()).toContain('phone=');
    const rows = page.locator('table tbody tr');
    expect(await rows.count()).toBe(50);
    // Newest first: the walk-ins, recorded by name; phones masked for the auditor.
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('İrtibat noktası');
    expect(await rows.first().locator('td').nth(5).textContent()).toBe('Ayşe Demir');
    expect(await rows.first().locator('td').nth(4).textContent()).toMatch(/^\+90533\*+\d\d$/);
    await page.getByRole('button', { name: 'Daha fazla' }).click();
    await page.getByText('55 gösteriliyor').waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Daha fazla' }).count()).toBe(0);
    await accessible(page, 'contacts');

    await page.getByLabel('Kanal').selectOption('CONTACT_POINT');
    await page.getByRole('button', { name: 'Uygula' }).click();
    await page.getByText('5 gösteriliyor').waitFor(WAIT);

    // Open and idle, the log is not read again: each read is a read of personal data (pii_reads).
    const logReads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/contacts' && !url.searchParams.has('format')) logReads.push(url.search);
    });
    const logged = async () =>
      ((await stack.db.query(`SELECT count(*)::int AS n FROM pii_reads WHERE contact_id = ANY($1::uuid[]) AND route = 'GET /contacts'`, [ids])) as { n: number }[])[0].n;
    const loggedBefore = await logged();
    await page.waitForTimeout(IDLE_WINDOW_MS);
    expect(logReads).toEqual([]);
    expect(await logged()).toBe(loggedBefore);
    // "Yenile" reads it when asked: a walk-in recorded meanwhile appears.
    const late = randomUUID();
    ids.push(late);
    await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome) VALUES ($1, now(), $2, 'CONTACT_POINT', $3, 'INFORMATION_GIVEN')`, [late, STAFF.agent, phone]);
    await page.getByRole('button', { name: 'Yenile' }).click();
    await page.getByText('6 gösteriliyor').waitFor(WAIT);
    expect(logReads).toHaveLength(1);

    // The filtered log as CSV, in Turkish Excel's dialect.
    const csv = await download(page, () => page.getByRole('button', { name: 'CSV indir' }).click());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n').map((line) => line.split(';'));
    expect(lines[0]).toEqual(['Zaman', 'Kanal', 'Sonuç', 'Telefon', 'Başvuru no', 'Kaydeden', 'Not']);
    expect(lines).toHaveLength(7);
    expect(lines.slice(1).every((l) => l[1] === 'İrtibat noktası' && /^'\+90533\*+\d\d$/.test(l[3]))).toBe(true);
    expect(lines[2][6]).toBe('Şikâyetçi, ığüşöç');

    // And as XLSX.
    const xlsx = await download(page, () => page.getByRole('button', { name: 'Excel (XLSX) indir' }).click());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Temas kaydı']);
    const values: unknown[][] = [];
    book.worksheets[0].eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values[0]).toEqual(['Zaman', 'Kanal', 'Sonuç', 'Telefon', 'Başvuru no', 'Kaydeden', 'Not']);
    expect(values.slice(1).map((r) => r[5])).toEqual(['Elif Yılmaz', 'Ayşe Demir', 'Elif Yılmaz', 'Ayşe Demir', 'Elif Yılmaz', 'Ayşe Demir']);

    // Both downloads searched by a number: each entry a read of personal data by the auditor.
    const reads = await stack.db.query(`SELECT route, count(*)::int AS n FROM pii_reads WHERE reader_id = $1 AND contact_id = ANY($2::uuid[]) AND route LIKE 'GET /contacts?format=%' GROUP BY route ORDER BY route`, [
      STAFF.auditor,
      ids.slice(50),
    ]);
    expect(reads).toEqual([
      { route: 'GET /contacts?format=csv', n: 6 },
      { route: 'GET /contacts?format=xlsx', n: 6 },
    ]);
    expect(pageErrors).toEqual([]);
  });
});
