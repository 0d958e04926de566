import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, seriousAccessibilityViolations, signInToConsole, networkSettled } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF } from './support/ticket-driver';

/**
 * The analysis dashboard in real headless Chromium: a coordinator opens it for June 2017 (a
 * window only this suite fills, straight into PostgreSQL), changes the department filter and sees
 * the figures follow; downloads a table as CSV and every table as XLSX and reads them back;
 * opens the printable department report. axe-core checks each screen. With ANALYSIS_SCREENSHOTS=1
 * the screens are saved under docs/analysis/.
 */
const SCREENSHOTS = process.env.ANALYSIS_SCREENSHOTS === '1';
const SHOTS_DIR = path.join(__dirname, '..', 'docs', 'analysis');
const WAIT = { timeout: 15_000 };
const PERIOD = 'from=2017-06-01&to=2017-06-30';
const HOUR = 3_600_000;

jest.setTimeout(120_000);

describe('analysis dashboard in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const plan = [
    { department: 'fen-isleri', category: 'ROAD_REPAIR', n: 7, district: 'Yenişehir' },
    { department: 'park-bahceler', category: 'PARK_MAINTENANCE', n: 4, district: 'Mezitli' },
    { department: 'meski-su', category: 'WATER_OUTAGE', n: 5, district: 'Tarsus' },
  ];

  beforeAll(async () => {
    buildConsole();
    stack = await startTestStack({ worker: false });
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    if (SCREENSHOTS) fs.mkdirSync(SHOTS_DIR, { recursive: true });
    const run = randomUUID().slice(0, 6);
    let serial = 0;
    for (const p of plan) {
      for (let i = 0; i < p.n; i += 1) {
        serial += 1;
        const received = Date.parse('2017-06-02T06:00:00Z') + serial * 30 * HOUR;
        const resolved = i % 2 === 0 ? new Date(received + (10 + serial) * HOUR).toISOString() : null;
        await stack.db.query(
          `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
             description, district, neighbourhood, status, department_id, sla_breached, reopen_count, received_at, workflow_started_at, resolved_at, updated_at, stage_since)
           VALUES ($1,$2,$3,sha256(convert_to($3,'UTF8')),$4,'COMPLAINT',$5,'CITIZEN','Panel Kişi','+905320000002',true,'Panel verisi',$6,'Merkez',$7,$8,$9,$10,$11,$11,$12,now(),now())`,
          [randomUUID(), `D${run}-${serial}`, randomUUID(), i % 3 === 0 ? 'WEB' : 'CALL_CENTER', p.category, p.district, resolved ? 'RESOLVED' : 'IN_DEPARTMENT', p.department, i === 1, i === 0 ? 1 : 0, new Date(received).toISOString(), resolved],
        );
      }
    }
    for (let i = 0; i < 10; i += 1) {
      await stack.db.query(`INSERT INTO contacts (id, at, recorded_by, channel, outcome) VALUES ($1, $2, 'agent.elif', 'CALL_CENTER', $3)`, [
        randomUUID(), new Date(Date.parse('2017-06-03T08:00:00Z') + i * 40 * HOUR).toISOString(), i < 2 ? 'HUNG_UP' : 'INFORMATION_GIVEN',
      ]);
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const signedIn = (staffId: string) => signInToConsole(browser, base, staffId, { viewport: { width: 1366, height: 900 }, contexts, pageErrors });

  async function check(page: Page, screen: string): Promise<void> {
    await networkSettled(page);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SHOTS_DIR, `${screen}.png`), fullPage: true });
    expect({ screen, violations: await seriousAccessibilityViolations(page) }).toEqual({ screen, violations: [] });
  }

  const kpi = (page: Page, name: string) => page.locator(`[data-kpi="${name}"]`);
  const waitKpi = (page: Page, name: string, text: string) => page.locator(`[data-kpi="${name}"]`, { hasText: new RegExp(`^${text}$`) }).waitFor(WAIT);

  async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
    return fs.readFileSync((await file.path())!);
  }

  it('a coordinator filters by department and the figures follow; CSV and XLSX read back; the report prints', async () => {
    const page = await signedIn(STAFF.coordinator);
    await page.getByRole('link', { name: 'Analiz' }).click();
    await page.getByRole('heading', { name: 'Analiz merkezi' }).waitFor(WAIT);
    await page.goto(`${base}/console/analysis?${PERIOD}`);
    await waitKpi(page, 'tickets', '16');
    expect(await kpi(page, 'contacts').textContent()).toBe('10');
    expect(await kpi(page, 'registration').textContent()).toMatch(/80/);
    // This week's hot spots, with their rule spelled out.
    await page.getByRole('heading', { name: 'Bu haftanın sıcak noktaları' }).waitFor(WAIT);
    await page.getByText(/Kural: bu haftaki başvuru sayısı önceki 8 haftanın/).waitFor(WAIT);
    await check(page, 'dashboard');

    // The by-department chart's table, one click away.
    const byDept = page.getByRole('region', { name: 'Birime göre başvurular' });
    await byDept.getByText('Birime göre başvurular: tablo / table').click();
    await byDept.getByRole('cell', { name: '7', exact: true }).waitFor(WAIT);

    await page.getByLabel('Birim', { exact: true }).selectOption('fen-isleri');
    await waitKpi(page, 'tickets', '7');
    expect(page.url()).toContain('department=fen-isleri');
    await page.getByLabel('Birim', { exact: true }).selectOption('meski-su');
    await waitKpi(page, 'tickets', '5');
    await check(page, 'dashboard-department');

    // CSV of one table: the channels of MESKİ's five tickets (indices 0 and 3 by web).
    const byChannel = page.getByRole('region', { name: 'Kanala göre başvurular' });
    await byChannel.getByText('Kanala göre başvurular: tablo / table').click();
    // In Turkish, as Turkish Excel opens it: a byte-order mark, `;` between cells, Turkish headers and values as the console labels them (issue 20), not codes.
    const bytes = await download(page, () => byChannel.getByRole('button', { name: 'CSV indir' }).click());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(rows[0]).toBe('Değer;Sayı');
    expect(Object.fromEntries(rows.slice(1).map((r) => r.split(';')))).toEqual({ 'Çağrı merkezi': '3', Web: '2' });

    // XLSX of every table.
    const xlsx = await download(page, () => page.getByRole('button', { name: 'Tümü Excel (XLSX)' }).click());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    const sheet = book.getWorksheet('Başvuru - birim')!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values).toEqual([
      ['Değer', 'Sayı'],
      ['MESKİ Su ve Kanalizasyon Dairesi', 5],
    ]);

    // The department report, printable.
    await page.getByRole('link', { name: 'Birim raporu' }).click();
    await page.getByRole('heading', { name: /Birim raporu/ }).waitFor(WAIT);
    await waitKpi(page, 'tickets', '5');
    await page.getByRole('heading', { name: 'En eski açık başvurular' }).waitFor(WAIT);
    await check(page, 'department-report');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Yazdır' }).isVisible()).toBe(false);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SHOTS_DIR, 'department-report-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
  });

  it('a department head sees their own department, fixed in the filter bar', async () => {
    const page = await signedIn(STAFF.fenHead);
    await page.goto(`${base}/console/analysis?${PERIOD}`);
    await waitKpi(page, 'tickets', '7');
    expect(await page.getByLabel('Birim', { exact: true }).isDisabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
