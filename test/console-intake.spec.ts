import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsole } from '../scripts/lib/console-build';
import { DEMO_PASSWORD } from '../libs/database/src/seed';
import { launchChromium, seriousAccessibilityViolations, signInToConsole } from './support/browser';
import { startTestStack, type TestStack } from './support/test-stack';
import { STAFF, TicketDriver } from './support/ticket-driver';

/**
 * Issue 20, part C, in headless Chromium against the real stack: the agent finds categories by
 * everyday words, sees the description's counter and the API's refusals in the console's
 * language, the caller's earlier tickets by subject and label; a session that ends mid-form
 * keeps the text and, after signing in again, puts the agent back on the same screen with it;
 * after an action the coordinator goes on to the next ticket of the queue.
 */
const LAPTOP = { width: 1366, height: 768 };
const WAIT = { timeout: 15_000 };

jest.setTimeout(150_000);

describe('console intake: catalogue, limits, drafts, next ticket', () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let driver: TicketDriver;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    stack = await startTestStack();
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    driver = new TicketDriver(stack);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  const signedIn = (staffId: string) => signInToConsole(browser, base, staffId, { viewport: LAPTOP, contexts, pageErrors });
  /** A phone number of this test's own (the suites share the database). */
  const freshPhone = (salt: number) => {
    const digits = String(Date.now() + salt).slice(-7);
    return `0533 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
  };
  /** Asks again until the answer is `expected` (or the time is up, then the last answer fails). */
  async function settles<T>(ask: () => Promise<T>, expected: T): Promise<void> {
    const until = Date.now() + WAIT.timeout;
    let answer = await ask();
    while (answer !== expected && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await ask();
    }
    expect(answer).toBe(expected);
  }
  /** The category codes the picker offers now, best first (its options' ids are `category-option-<code>`). */
  const offered = (page: Page) => page.getByRole('listbox', { name: 'Kategori' }).getByRole('option').evaluateAll((options) => options.map((o) => (o as unknown as { id: string }).id.replace(/^category-option-/, '')));

  it('finds categories by everyday words and records the call', async () => {
    const agent = await signedIn(STAFF.agent);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    await agent.getByRole('listbox', { name: 'Kategori' }).getByRole('option').first().waitFor(WAIT);
    const search = agent.getByLabel('Kategori ara');
    for (const [word, code] of [
      ['çukur', 'ROAD_REPAIR'],
      ['lamba', 'STREET_LIGHTING'],
      ['aydınlatma', 'STREET_LIGHTING'],
      ['kaldirim', 'ROAD_REPAIR'],
      ['KÖPEK', 'STRAY_ANIMALS'],
      ['zabita', 'MUNICIPAL_POLICE'],
    ] as const) {
      await search.fill(word);
      await settles(async () => (await offered(agent))[0], code);
    }
    // A referred category says where it goes.
    await search.fill('lamba');
    await agent.locator('#category-option-STREET_LIGHTING').click();

    await search.fill('çukur');
    await agent.locator('#category-option-ROAD_REPAIR').click();
    await agent.getByLabel('Telefon').fill(freshPhone(1));
    await agent.getByLabel('Arayanın adı').fill('Hatice Kara');
    await agent.getByLabel('Açıklama').fill('Okulun önündeki çukur büyüdü, çocuklar düşüyor.');
    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    const created = agent.getByRole('status').filter({ hasText: 'Başvuru kaydedildi' });
    await created.waitFor(WAIT);
    const number = (await created.getByRole('link').textContent())!.trim();
    const [row] = await stack.db.query('SELECT category, description FROM tickets WHERE number = $1', [number]);
    expect(row).toEqual({ category: 'ROAD_REPAIR', description: 'Okulun önündeki çukur büyüdü, çocuklar düşüyor.' });
  });

  it('counts the description’s characters to its limit, says refusals in Turkish and English, and shows the caller’s tickets by subject and label', async () => {
    const phone = freshPhone(2);
    const earlier = await driver.create({ requester: { name: 'Kemal Öz', phone }, category: 'WATER_OUTAGE', description: 'Üç gündür su akmıyor, yaşlı annem yalnız.' });
    const agent = await signedIn(STAFF.agent);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);

    // The caller's earlier ticket: its words and labels, not codes.
    await agent.getByLabel('Telefon').fill(phone);
    const history = agent.locator('.caller-tickets li', { hasText: earlier.number });
    await history.waitFor(WAIT);
    const line = (await history.textContent()) ?? '';
    expect(line).toContain('Üç gündür su akmıyor');
    expect(line).toContain('Su kesintisi ve arızası');
    expect(line).toContain('Ön değerlendirmede');
    expect(line).toContain('Şikayet');
    expect(line).not.toMatch(/WATER_OUTAGE|TRIAGE|COMPLAINT/);

    // The counter counts as the agent types, and says when the limit is passed.
    const description = agent.getByLabel('Açıklama');
    await description.fill('Su yok.');
    const counter = agent.locator('#intake-form [data-testid=char-count]').last();
    expect(await counter.textContent()).toBe('7 / 4000 karakter');
    await description.fill('x'.repeat(4001));
    await agent.getByText('4001 / 4000 karakter — karakter sınırı aşıldı').waitFor(WAIT);

    // The API refuses it (400 VALIDATION_FAILED): said in Turkish beside the field and above the button.
    await agent.getByLabel('Arayanın adı').fill('Kemal Öz');
    await agent.getByLabel('Kategori ara').fill('su yok');
    await agent.locator('#category-option-WATER_OUTAGE').click();
    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    await agent.getByText('En fazla 4000 karakter olabilir.').waitFor(WAIT);
    await agent.getByRole('alert').filter({ hasText: 'Bazı alanlar hatalı' }).waitFor(WAIT);
    expect(await agent.content()).not.toContain('must be shorter than');

    // The same refusal in English once the console is switched.
    await agent.getByLabel('Dil').selectOption('en');
    await agent.getByText('At most 4000 characters.').waitFor(WAIT);
    await agent.getByRole('alert').filter({ hasText: 'Some fields are wrong' }).waitFor(WAIT);
    await agent.getByLabel('Language').selectOption('tr');

    // A malformed phone: the API's English message, in Turkish.
    await agent.getByLabel('Telefon').fill('0532 12');
    await description.fill('Su yok.');
    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    await agent.locator('#phone-error', { hasText: 'Geçerli bir telefon numarası girin' }).waitFor(WAIT);
    expect(await seriousAccessibilityViolations(agent)).toEqual([]);
  });

  it('keeps the text when the session ends mid-form, and puts the agent back on the same screen with it after signing in again', async () => {
    const agent = await signedIn(STAFF.agent);
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    const phone = freshPhone(3);
    const words = 'Sokak lambası üç gecedir yanmıyor, köşe tamamen karanlık.';
    await agent.getByLabel('Telefon').fill(phone);
    await agent.getByLabel('Arayanın adı').fill('Selma Ak');
    await agent.getByLabel('Açıklama').fill(words);
    await agent.getByLabel('Kategori ara').fill('lamba');
    await agent.locator('#category-option-STREET_LIGHTING').click();

    // The session ends behind the agent's back (revoked, as an expiry or an administrator would).
    const refreshToken = await agent.evaluate(() => JSON.parse((globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('teksin.console.session')).refreshToken as string);
    await stack.http.post('/auth/logout').send({ refreshToken }).expect(204);

    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    await agent.getByText('Oturumunuz sona erdi; yazdığınız metin saklandı.', { exact: false }).waitFor(WAIT);
    expect(agent.url()).toBe(`${base}/console/intake`);
    expect(await stack.db.query('SELECT 1 FROM tickets WHERE description = $1', [words])).toEqual([]);

    await agent.getByLabel('Kullanıcı adı').fill(STAFF.agent);
    await agent.getByLabel('Parola').fill(DEMO_PASSWORD);
    await agent.getByRole('button', { name: 'Giriş yap' }).click();
    await agent.getByRole('heading', { name: 'Yeni çağrı' }).waitFor(WAIT);
    await agent.getByText('Gönderilmemiş metniniz geri getirildi.').waitFor(WAIT);
    await settles(() => agent.getByLabel('Açıklama').inputValue(), words);
    expect(await agent.getByLabel('Telefon').inputValue()).toBe(phone);
    expect(await agent.getByLabel('Arayanın adı').inputValue()).toBe('Selma Ak');
    expect(await agent.locator('input[name=category]').inputValue()).toBe('STREET_LIGHTING');
    expect(await agent.locator('#category-option-STREET_LIGHTING').getAttribute('aria-selected')).toBe('true');

    // Sent: the draft is gone; signing out leaves no draft behind.
    await agent.getByRole('button', { name: /Başvuruyu kaydet/ }).click();
    await agent.getByRole('status').filter({ hasText: 'Başvuru kaydedildi' }).waitFor(WAIT);
    const draftKeys = () => agent.evaluate(() => Object.keys((globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage).filter((k) => k.startsWith('teksin.console.draft.')));
    expect(await draftKeys()).toEqual([]);
    await agent.getByLabel('Açıklama').fill('Yarım kalan bir not.');
    expect(await draftKeys()).toHaveLength(1);
    await agent.getByRole('button', { name: 'Çıkış' }).click();
    await agent.getByLabel('Kullanıcı adı').waitFor(WAIT);
    expect(await draftKeys()).toEqual([]);
  });

  it('a ticket’s action form: the note survives the ended session, the form opens again with it', async () => {
    const ticket = await driver.create({ description: 'Kaldırım çökmüş.' });
    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.goto(`${base}/console/tickets/${ticket.number}`);
    await coordinator.getByRole('button', { name: 'Not ekle', exact: true }).click();
    const form = coordinator.getByRole('form', { name: 'Not ekle' });
    const note = 'Muhtar aradı: çukurun yanına uyarı levhası konmuş.';
    await form.getByLabel('Not', { exact: true }).fill(note);

    const refreshToken = await coordinator.evaluate(() => JSON.parse((globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('teksin.console.session')).refreshToken as string);
    await stack.http.post('/auth/logout').send({ refreshToken }).expect(204);
    await form.getByRole('button', { name: 'Not ekle' }).click();
    await coordinator.getByText('Oturumunuz sona erdi; yazdığınız metin saklandı.', { exact: false }).waitFor(WAIT);

    await coordinator.getByLabel('Kullanıcı adı').fill(STAFF.coordinator);
    await coordinator.getByLabel('Parola').fill(DEMO_PASSWORD);
    await coordinator.getByRole('button', { name: 'Giriş yap' }).click();
    const again = coordinator.getByRole('form', { name: 'Not ekle' });
    await again.waitFor(WAIT);
    expect(coordinator.url()).toBe(`${base}/console/tickets/${ticket.number}`);
    await settles(() => again.getByLabel('Not', { exact: true }).inputValue(), note);
    await again.getByRole('button', { name: 'Not ekle' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'Not ekle: İşlem tamam' }).waitFor(WAIT);
    const view = await driver.view(ticket.number);
    expect(view.timeline.filter((e: { type: string }) => e.type === 'NOTE_ADDED')).toHaveLength(1);
  });

  it('offers the next ticket of the queue after an action', async () => {
    await driver.create({ description: 'Birinci başvuru: kaldırım kırık.' });
    await driver.create({ description: 'İkinci başvuru: kaldırım çökmüş.' });
    const coordinator = await signedIn(STAFF.coordinator);
    await coordinator.goto(`${base}/console/queues/triage`);
    const rows = coordinator.locator('.queue tbody tr a');
    await rows.nth(1).waitFor(WAIT);
    const shown = (await rows.allTextContents()).map((n) => n.trim());
    const [first, second] = shown;
    await rows.first().click();
    await coordinator.waitForURL(`**/queues/triage/${first}`);

    await coordinator.getByRole('button', { name: 'Not ekle', exact: true }).click();
    const form = coordinator.getByRole('form', { name: 'Not ekle' });
    await form.getByLabel('Not', { exact: true }).fill('Arayan tekrar aradı.');
    await form.getByRole('button', { name: 'Not ekle' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'Not ekle: İşlem tamam' }).waitFor(WAIT);
    await coordinator.getByRole('link', { name: /Bu kuyruktaki sonraki başvuru/ }).click();
    await coordinator.waitForURL(`**/queues/triage/${second}`);
    await coordinator.locator('#ticket-title', { hasText: second! }).waitFor(WAIT);
  });
});
