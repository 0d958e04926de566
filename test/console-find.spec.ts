import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { launchChromium, seriousAccessibilityViolations, signInToConsole } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn as api, STAFF, TicketDriver } from './support/ticket-driver';

/**
 * Issue 20, part B, in real headless Chromium against the real API, worker, PostgreSQL and
 * Temporal: finding any ticket (the header box, the search screen and its filters in the
 * address), lists that page and say how many they hold, oldest first and deadline nearest first,
 * rows that carry what a worker decides by, people by name, and the expert's day starting at
 * "my tasks" with a badge that counts only what waits on them.
 *
 * Triage needs more than a page of tickets: 55 rows are written straight into the projection,
 * received in 2017 (before any other suite's ticket, so they lead the oldest-first order), as
 * test/ticket-lists.spec.ts does; the tickets searched for and worked are real (intake, workflow).
 */
const LAPTOP = { width: 1366, height: 768 };
const WAIT = { timeout: 15_000 };
const FIXTURES = 55;

jest.setTimeout(180_000);

describe('console: find any ticket, paged lists, rows to decide by', () => {
  let stack: TestStack;
  let driver: TicketDriver;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const run = randomUUID().slice(0, 6);
  const fixtures: string[] = [];
  let names: Map<string, string>;

  /** Rows in triage as the projection writes them: received in 2017, one minute apart; the first overdue since 2001, sent back, called about twice, reopened. */
  async function insertTriageFixtures(): Promise<void> {
    const now = Date.now();
    for (let i = 0; i < FIXTURES; i += 1) {
      const number = `F${run}-${String(i).padStart(3, '0')}`;
      const first = i === 0;
      const runningSince = new Date(now - 3_600_000).toISOString();
      const dueAt = first ? '2001-01-01T00:00:00.000Z' : new Date(now + 71 * 3_600_000).toISOString();
      const nonce = randomUUID();
      await stack.db.query(
        `INSERT INTO tickets (id, number, tracking_token_nonce, tracking_token_hash, channel, type, category, segment, requester_name, requester_phone, requester_textable,
           description, district, neighbourhood, status, reopen_count, last_event_seq, received_at, workflow_started_at, updated_at,
           sla_total_ms, sla_consumed_ms, sla_running_since, sla_due_at, legal_due_at, stage_since, rejected_back, duplicate_contacts)
         VALUES ($1, $2, $3, sha256(convert_to($3, 'UTF8')), 'WHATSAPP', 'COMPLAINT', 'ROAD_REPAIR', 'CITIZEN', 'Deneme Kişi', '+905320000000', true,
           $4, 'Toroslar', 'Akbelen', 'TRIAGE', $5, 1, $6, $6, now(), $7, 0, $8, $9, $10, now(), $11, $12)`,
        [
          randomUUID(),
          number,
          nonce,
          `Sokak lambası ${i} numaralı direkte yanmıyor, gece yol karanlık kalıyor ve yayalar için tehlikeli bir durum oluşuyor.`,
          first ? 1 : 0,
          new Date(Date.UTC(2017, 0, 1) + i * 60_000).toISOString(),
          72 * 3_600_000,
          first ? '2000-12-28T00:00:00.000Z' : runningSince,
          dueAt,
          new Date(now + 20 * 86_400_000).toISOString(),
          first,
          first ? 2 : 0,
        ],
      );
      fixtures.push(number);
    }
  }

  const signedIn = (staffId: string) => signInToConsole(browser, base, staffId, { viewport: LAPTOP, contexts, pageErrors });

  /** The ticket numbers a list shows now, top to bottom. */
  const rowNumbers = (page: Page) => page.locator('table tbody tr td:first-child a').allTextContents();
  const countText = (page: Page) => page.locator('.list-count').textContent();

  beforeAll(async () => {
    buildConsole();
    stack = await startTestStack();
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    driver = new TicketDriver(stack);
    browser = await launchChromium();
    await insertTriageFixtures();
    names = new Map((await stack.db.query(`SELECT id, name FROM staff`)).map((r: { id: string; name: string }) => [r.id, r.name]));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  it('the coordinator searches "cukur" from the header and finds the ticket whose text says "Çukur"; filters in the address narrow it', async () => {
    const pothole = await driver.create({ description: 'Evin önünde derin bir Çukur açıldı, araçlar içine düşüyor.', location: { district: 'Mezitli', neighbourhood: 'Viranşehir' } });
    const elsewhere = await driver.create({ description: 'Parkın girişinde çukur var.', location: { district: 'Tarsus', neighbourhood: 'Kızılmurat' } });
    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.getByRole('heading', { name: 'Ön değerlendirme' }).waitFor(WAIT);

    await coordinator.getByLabel('Başvuru no ya da sözcük').fill('cukur');
    await coordinator.getByLabel('Başvuru no ya da sözcük').press('Enter');
    await coordinator.getByRole('heading', { name: 'Başvuru ara' }).waitFor(WAIT);
    expect(new URL(coordinator.url()).searchParams.get('q')).toBe('cukur');
    await coordinator.getByRole('link', { name: pothole.number }).waitFor(WAIT);
    await coordinator.getByRole('link', { name: elsewhere.number }).waitFor(WAIT);
    const findings = await seriousAccessibilityViolations(coordinator);
    expect(findings).toEqual([]);

    // Narrowed to Mezitli / Viranşehir, received today: the pothole stays, the park's is gone.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Istanbul' }).format(new Date());
    await coordinator.getByLabel('İlçe').selectOption('Mezitli');
    await coordinator.getByLabel('Mahalle').selectOption('Viranşehir');
    await coordinator.getByLabel('Alınma: başlangıç').fill(today);
    await coordinator.getByLabel('Kanal').selectOption('CALL_CENTER');
    await coordinator.getByRole('button', { name: 'Ara', exact: true }).click();
    await coordinator.waitForURL(/district=Mezitli/, WAIT);
    await coordinator.getByRole('link', { name: pothole.number }).waitFor(WAIT);
    expect(await coordinator.getByRole('link', { name: elsewhere.number }).count()).toBe(0);
    const cells = await coordinator.locator('table tbody tr td:nth-child(4)').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c === 'Mezitli / Viranşehir')).toBe(true);

    // The address is the search: opened afresh (a bookmark, a shared link), it shows the same.
    const url = coordinator.url();
    const colleague = await signedIn(STAFF.coordinator2);
    await colleague.goto(url);
    await colleague.getByRole('link', { name: pothole.number }).waitFor(WAIT);
    expect(await colleague.getByLabel('İlçe').inputValue()).toBe('Mezitli');
    expect(await colleague.getByRole('link', { name: elsewhere.number }).count()).toBe(0);

    // A ticket number in the header box opens the ticket itself.
    await colleague.getByLabel('Başvuru no ya da sözcük').fill(elsewhere.number);
    await colleague.getByLabel('Başvuru no ya da sözcük').press('Enter');
    await colleague.waitForURL(new RegExp(`/console/tickets/${elsewhere.number}$`), WAIT);
    await colleague.locator('#ticket-title', { hasText: elsewhere.number }).waitFor(WAIT);
  });

  it('triage pages oldest first across two pages with the count shown; deadline nearest first; rows carry subject, flags and time left', async () => {
    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.getByRole('heading', { name: 'Ön değerlendirme' }).waitFor(WAIT);
    await coordinator.getByLabel('Sıralama').selectOption('received');
    await coordinator.getByRole('link', { name: fixtures[0] }).waitFor(WAIT);

    const total = (await api(stack, STAFF.coordinator, (http) => http.get('/tickets?queue=triage&limit=1')).expect(200)).body.total as { count: number; more: boolean };
    expect(total.count).toBeGreaterThan(50);
    expect(await countText(coordinator)).toBe(`Gösterilen 50 / ${total.count.toLocaleString('tr-TR')}${total.more ? '+' : ''}`);
    expect(await rowNumbers(coordinator)).toEqual(fixtures.slice(0, 50));

    await coordinator.getByRole('button', { name: 'Daha fazla göster' }).click();
    await coordinator.getByRole('link', { name: fixtures[54] }).waitFor(WAIT);
    const shown = Math.min(100, total.count);
    expect(await countText(coordinator)).toBe(`Gösterilen ${shown.toLocaleString('tr-TR')} / ${total.count.toLocaleString('tr-TR')}${total.more ? '+' : ''}`);
    const both = await rowNumbers(coordinator);
    expect(both.slice(0, FIXTURES)).toEqual(fixtures);
    expect(new Set(both).size).toBe(both.length);

    // The row of the first fixture: subject (first words, cut at a word), flags, channel, place.
    const row = coordinator.locator('table tbody tr', { has: coordinator.getByRole('link', { name: fixtures[0] }) });
    const text = (await row.textContent())!;
    expect(text).toContain('Sokak lambası 0 numaralı direkte yanmıyor, gece yol karanlık kalıyor ve yayalar…');
    for (const flag of ['Yeniden açıldı', 'Onaydan döndü', 'Tekrar arandı ×2']) expect(text).toContain(flag);
    expect(text).toContain('WhatsApp');
    expect(text).toContain('Toroslar / Akbelen');
    expect(await row.locator('td').last().textContent()).toMatch(/gecikti$/);
    const second = coordinator.locator('table tbody tr', { has: coordinator.getByRole('link', { name: fixtures[1] }) });
    expect(await second.locator('td').last().textContent()).toMatch(/kalan$/);
    expect(await second.locator('.flag').count()).toBe(0);
    expect(await seriousAccessibilityViolations(coordinator)).toEqual([]);

    // Deadline nearest first: the one overdue since 2001 leads, the rest follow as the API orders them.
    await coordinator.getByLabel('Sıralama').selectOption('deadline');
    await coordinator.locator('table tbody tr:first-child a', { hasText: fixtures[0] }).waitFor(WAIT);
    const byDeadline = (await api(stack, STAFF.coordinator, (http) => http.get('/tickets?queue=triage&sort=deadline&limit=50')).expect(200)).body.items.map((i: { number: string }) => i.number);
    expect(await rowNumbers(coordinator)).toEqual(byDeadline);
    const due = (await api(stack, STAFF.coordinator, (http) => http.get('/tickets?queue=triage&sort=deadline&limit=50')).expect(200)).body.items.map((i: { sla: { dueAt: string | null } }) => i.sla.dueAt ?? '9999');
    expect(due).toEqual([...due].sort());
  });

  it('people by name, not id: the assignee and the timeline actors', async () => {
    const ticket = await driver.toInProgress({ description: 'Kaldırım çökmüş, yürünmüyor.' });
    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.goto(`${base}/console/tickets/${ticket.number}`);
    await coordinator.locator('#ticket-title', { hasText: ticket.number }).waitFor(WAIT);
    const facts = coordinator.locator('.facts');
    await facts.getByText(names.get(STAFF.fenExpert)!).waitFor(WAIT);
    const timeline = (await coordinator.locator('ol.timeline').last().textContent())!;
    expect(timeline).toContain(names.get(STAFF.coordinator)!);
    expect(timeline).toContain(names.get(STAFF.fenManager)!);
    for (const id of [STAFF.coordinator, STAFF.fenManager, STAFF.fenExpert]) expect(timeline).not.toContain(id);
    expect(await facts.textContent()).not.toContain(STAFF.fenExpert);
    // The list row names the assignee too.
    await coordinator.goto(`${base}/console/search?q=${encodeURIComponent('çökmüş')}`);
    const row = coordinator.locator('table tbody tr', { has: coordinator.getByRole('link', { name: ticket.number }) });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain(names.get(STAFF.fenExpert)!);
  });

  it('the expert lands on "my tasks", whose badge counts what waits on them, not what waits on approvers', async () => {
    const mine = await driver.toInProgress({ description: 'Rögar kapağı kırık.' });
    const waiting = await driver.toInProgress({ description: 'Asfalt yama istendi.' });
    await driver.staff(STAFF.fenExpert, waiting.number, 'resolution', { text: 'Yama yapıldı.' }).expect(200);

    const expert = await signedIn(STAFF.fenExpert);
    await expert.waitForURL(/\/console\/queues\/mine$/, WAIT);
    await expert.getByRole('heading', { name: 'Görevlerim' }).waitFor(WAIT);
    await expert.getByRole('link', { name: mine.number }).waitFor(WAIT);
    expect(await expert.getByRole('link', { name: waiting.number }).count()).toBe(0);

    const listed = (await api(stack, STAFF.fenExpert, (http) => http.get('/tickets?queue=mine&limit=100')).expect(200)).body;
    expect(listed.items.map((i: { status: string }) => i.status).filter((s: string) => !['IN_PROGRESS', 'WAITING_FOR_CITIZEN'].includes(s))).toEqual([]);
    const badge = expert.getByRole('navigation').getByRole('link', { name: /Görevlerim/ }).locator('.badge');
    const expected = listed.total.count > 99 ? '99+' : String(listed.total.count);
    await expert.waitForFunction(([text]) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('a[href$="/queues/mine"] .badge')?.textContent === text, [expected], WAIT);
    expect(await badge.textContent()).toBe(expected);
  });
});
