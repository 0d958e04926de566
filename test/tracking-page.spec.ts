import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ClosureCheckSweeper } from '../activities/closure-check.sweeper';
import { NotificationActivities } from '../activities/notification.activities';
import { notificationKey } from '../libs/sms/src/notification-key';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { OutboxRepository } from '../libs/database/src/outbox.repository';
import { TicketTimelineRepository } from '../libs/database/src/ticket-timeline.repository';
import { smsSegments } from '../libs/sms/src';
import { freePort } from '../scripts/lib/free-port';
import { launchChromium, seriousAccessibilityViolations } from './support/browser';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const SCREENSHOTS = path.join(__dirname, '..', 'docs', 'tracking');
/** The README's screenshots are rewritten only on request (RECORD_SCREENSHOTS=1), so a test run leaves the tree clean. */
const RECORD = process.env.RECORD_SCREENSHOTS === '1';
/** A mid-range phone (CSS pixels), as most citizens open the SMS link. */
const PHONE = { width: 390, height: 844 };

/**
 * The citizen's tracking page: over HTTP (what it shows, who it shows it to, the rating), and
 * in real headless chromium at a phone's size, opened from the link of an SMS the system sent.
 */
describe('the tracking page', () => {
  let stack: TestStack;
  let driver: TicketDriver;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The links the worker texts point at this API, so the browser can open them as a citizen would.
    stack = await startTestStack({ env: { PUBLIC_BASE_URL: base } });
    await stack.api.listen(port, '127.0.0.1');
    driver = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A ticket walked to RESOLVED with a citizen-facing summary; the SMS text that told the citizen. */
  const resolvedTicket = async (): Promise<{ ticket: CreatedTicket; sms: string }> => {
    const ticket = await driver.toApproved({ location: { district: 'Yenişehir', neighbourhood: 'Menteş' } });
    await driver.staff(STAFF.coordinator, ticket.number, 'finalize', { summary: 'Kaldırım taşları yenilendi, yol açıldı.' }).expect(200);
    await driver.waitForStatus(ticket.number, 'RESOLVED');
    const key = notificationKey(ticket.number, 'RESOLVED', 0).replace(/\d+$/, '');
    const sms = await waitFor(() => stack.sms.sent.find((m) => m.reference.startsWith(key)), { what: 'the RESOLVED SMS' });
    return { ticket, sms: sms.body };
  };
  const linkIn = (sms: string) => /(https?:\/\/\S+\/t\/\S+)/.exec(sms)![1];

  describe('over HTTP', () => {
    it('shows what was asked, the steps with the current one marked, the expected date, the KVKK notice and the language switch', async () => {
      const ticket = await driver.create({ type: 'COMPLAINT', category: 'ROAD_REPAIR', location: { district: 'Mezitli', neighbourhood: 'Viranşehir' } });
      const page = (await stack.http.get(`/t/${ticket.number}?k=${ticket.token}`).expect(200)).text;
      expect(page).toContain('<html lang="tr">');
      expect(page).toContain('Mersin Büyükşehir Belediyesi');
      expect(page).toContain('ALO 185');
      expect(page).toContain(ticket.number);
      expect(page).toContain('Şikayet');
      expect(page).toContain('Yol, kaldırım ve asfalt onarımı');
      expect(page).toContain('Mezitli');
      expect(page).toMatch(/<li class="current" aria-current="step">.*Koordinasyon merkezinde/);
      expect(page).toContain('Beklenen çözüm tarihi');
      expect(page).toContain('href="/kvkk?lang=tr"');
      expect(page).toContain(`href="?k=${ticket.token}&amp;lang=en"`);
      expect(page).toContain('Başvurumu geri çekmek istediğimi onaylıyorum');
      const english = (await stack.http.get(`/t/${ticket.number}?k=${ticket.token}&lang=en`).expect(200)).text;
      expect(english).toContain('<html lang="en">');
      expect(english).toContain('Road and pavement repair');
      expect(english).toContain('At the center');
      const kvkk = (await stack.http.get('/kvkk').expect(200)).text;
      expect(kvkk).toContain('6698');
      expect((await stack.http.get('/kvkk?lang=en').expect(200)).text).toContain('Personal Data Protection Notice');
    });

    it('an unknown ticket or a wrong token: a browser gets one plain page naming nothing, anything else the problem', async () => {
      const ticket = await driver.create({ description: 'Gizli kalması gereken metin' });
      const wrong = await stack.http.get(`/t/${ticket.number}?k=wrong`).set('Accept', 'text/html').expect(404);
      const unknown = await stack.http.get(`/t/2026-999999?k=wrong`).set('Accept', 'text/html').expect(404);
      expect(wrong.headers['content-type']).toMatch(/text\/html/);
      expect(wrong.text).toBe(unknown.text.replace(/nonce="[^"]+"/, /nonce="[^"]+"/.exec(wrong.text)![0]));
      expect(wrong.text).toContain('Bağlantı geçersiz');
      expect(wrong.text).not.toContain(ticket.number);
      expect(wrong.text).not.toContain('Gizli');
      expect((await stack.http.get(`/t/${ticket.number}?k=wrong`).expect(404)).headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('a rating: only with the ticket’s token, only once resolved, only once; staff see it', async () => {
      const open = await driver.create();
      await stack.http.post(`/t/${open.number}/rating`).set('X-Tracking-Token', open.token).send({ rating: 4 }).expect(409);
      const { ticket } = await resolvedTicket();
      await stack.http.post(`/t/${ticket.number}/rating`).set('X-Tracking-Token', 'wrong').send({ rating: 4 }).expect(404);
      const bad = await stack.http.post(`/t/${ticket.number}/rating`).set('X-Tracking-Token', ticket.token).send({ rating: 6 }).expect(400);
      expect(bad.body.errors[0].field).toBe('rating');
      await stack.http.post(`/t/${ticket.number}/rating`).set('X-Tracking-Token', ticket.token).send({ rating: 4, comment: ' Hızlıydı. ' }).expect(201);
      const again = await stack.http.post(`/t/${ticket.number}/rating`).set('X-Tracking-Token', ticket.token).send({ rating: 1 }).expect(409);
      expect(again.body.code).toBe('ALREADY_RATED');
      expect((await driver.view(ticket.number)).citizenRating).toMatchObject({ rating: 4, comment: 'Hızlıydı.' });
    });
  });

  describe('the closure check ("is it really fixed?")', () => {
    const sweeper = () => new ClosureCheckSweeper(new OutboxRepository(stack.db), new TicketTimelineRepository(stack.db), new NotificationActivities(stack.db, new OrganisationRepository(stack.db), stack.sms, stack.config), stack.config);
    const closureSms = (number: string) => stack.sms.sent.filter((m) => m.reference === notificationKey(number, 'CLOSURE_CHECK', 0));

    it('is texted once per resolution, after the configured time, with the tracking link; yes closes the question', async () => {
      const { ticket } = await resolvedTicket();
      await sweeper().sweep(60 * 60_000); // an hour after resolution: not yet
      expect(closureSms(ticket.number)).toHaveLength(0);
      await Promise.all([sweeper().sweep(1), sweeper().sweep(1)]); // two workers at once
      await sweeper().sweep(1);
      const [sms] = closureSms(ticket.number);
      expect(closureSms(ticket.number)).toHaveLength(1);
      expect(sms.body).toContain('gerçekten çözüldü mü?');
      expect(sms.body).toContain(ticket.trackingUrl);
      expect(smsSegments(sms.body).segments).toBeLessThanOrEqual(2);

      const page = (await stack.http.get(`/t/${ticket.number}?k=${ticket.token}`).expect(200)).text;
      expect(page).toContain('Sorununuz gerçekten çözüldü mü?');
      expect(page).not.toContain('data-command="reopen"'); // the "no" answer is the reopening
      await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', 'wrong').send({ fixed: true }).expect(404);
      await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', ticket.token).send({ fixed: true }).expect(200);
      const again = await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', ticket.token).send({ fixed: false, reason: 'x' }).expect(409);
      expect(again.body.code).toBe('CLOSURE_CHECK_NOT_OPEN');
      expect((await stack.http.get(`/t/${ticket.number}?k=${ticket.token}`).expect(200)).text).not.toContain('Sorununuz gerçekten çözüldü mü?');
      expect((await driver.view(ticket.number)).status).toBe('RESOLVED');
    });

    it('no reopens the ticket with the citizen’s reason', async () => {
      const { ticket } = await resolvedTicket();
      await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', ticket.token).send({ fixed: true }).expect(409); // not asked yet
      await sweeper().sweep(1);
      const missing = await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', ticket.token).send({ fixed: false }).expect(400);
      expect(missing.body.errors[0].field).toBe('reason');
      await stack.http.post(`/t/${ticket.number}/closure-check`).set('X-Tracking-Token', ticket.token).send({ fixed: false, reason: 'Çukur yine açıldı.' }).expect(200);
      const view = await driver.waitForStatus(ticket.number, 'TRIAGE');
      expect(view.reopenCount).toBe(1);
      expect(view.timeline.find((e: { type: string }) => e.type === 'REOPENED')).toMatchObject({ actor: { kind: 'CITIZEN' }, texts: { reason: 'Çukur yine açıldı.' } });
      const [check] = await stack.db.query('SELECT answer FROM closure_checks WHERE ticket_id = $1', [ticket.id]);
      expect(check.answer).toBe('NOT_FIXED');
    });
  });

  describe('in chromium at a phone’s size', () => {
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      if (RECORD) fs.mkdirSync(SCREENSHOTS, { recursive: true });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });
    beforeEach(async () => {
      // bypassCSP lets axe-core be injected (an inline script without the page's nonce); the page's
      // own policy is checked in test/exposure.spec.ts.
      page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'tr-TR', bypassCSP: true });
    });
    afterEach(async () => {
      await page?.close();
    });

    const screenshot = async (name: string) => {
      const image = await page.screenshot({ fullPage: true });
      expect(image.length).toBeGreaterThan(0);
      if (RECORD) fs.writeFileSync(path.join(SCREENSHOTS, name), image);
    };
    const accessible = async (what: string) => {
      expect({ what, violations: await seriousAccessibilityViolations(page) }).toEqual({ what, violations: [] });
    };

    it('opens the link from the SMS, shows the steps and the answer, rates, and reopens with a reason', async () => {
      const { ticket, sms } = await resolvedTicket();
      const link = linkIn(sms);
      expect(link.startsWith(`${base}/t/${ticket.number}?k=`)).toBe(true);

      await page.goto(link);
      await expect(page.locator('h2#what').textContent()).resolves.toContain(ticket.number);
      const steps = page.locator('ol.steps li');
      expect(await steps.count()).toBe(6);
      expect(await page.locator('ol.steps li.done').count()).toBe(6);
      expect(await steps.nth(5).textContent()).toContain('Sonuçlandı');
      await expect(page.locator('blockquote').first().textContent()).resolves.toContain('Kaldırım taşları yenilendi');
      await accessible('resolved page');
      await screenshot('resolved.png');

      // Rate: five, with a comment.
      await page.getByLabel('5', { exact: true }).check();
      await page.getByLabel('Yorumunuz (isteğe bağlı)').fill('Çok hızlı çözüldü, teşekkürler.');
      await page.locator('form[data-rating] button').click();
      await page.getByText('Değerlendirmeniz için teşekkür ederiz').waitFor();
      expect((await driver.view(ticket.number)).citizenRating).toMatchObject({ rating: 5, comment: 'Çok hızlı çözüldü, teşekkürler.' });
      await accessible('rated page');

      // Reopen with a reason.
      await page.getByLabel('Gerekçeniz').fill('Taşlar yine yerinden oynadı.');
      await screenshot('reopen.png');
      await page.locator('form[data-command="reopen"] button').click();
      await page.locator('#status', { hasText: 'Koordinasyon merkezinde' }).waitFor({ timeout: 15_000 });
      const view = await driver.waitForStatus(ticket.number, 'TRIAGE');
      expect(view.reopenCount).toBe(1);
      expect(view.timeline.find((e: { type: string }) => e.type === 'REOPENED')).toMatchObject({ texts: { reason: 'Taşlar yine yerinden oynadı.' } });
      expect(await page.locator('ol.steps li[aria-current="step"]').textContent()).toContain('Koordinasyon merkezinde');
      // The reopening is confirmed at the top of the page, right under the title.
      const confirmation = page.locator('main > h1 + .confirmation[role="status"]');
      await expect(confirmation.textContent()).resolves.toContain('Başvurunuz yeniden açıldı');
      expect((await confirmation.boundingBox())!.y).toBeLessThan(PHONE.height / 2);
      await accessible('reopened page');
      await screenshot('reopened.png');
    });

    it('in English, while the ticket is being solved; withdrawing asks for confirmation first', async () => {
      const ticket = await driver.toInProgress({ language: 'en' });
      await page.goto(`${base}/t/${ticket.number}?k=${ticket.token}`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.locator('ol.steps li[aria-current="step"]').textContent()).toContain('Being solved');
      await accessible('in-progress page (English)');
      await screenshot('in-progress-en.png');

      // Without the confirmation box the form does not go out.
      await page.locator('form[data-command="withdraw"] button').click();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await driver.view(ticket.number)).status).toBe('IN_PROGRESS');
      await page.getByLabel('I confirm that I want to withdraw my request').check();
      await page.locator('form[data-command="withdraw"] button').click();
      await driver.waitForStatus(ticket.number, 'CLOSED');
      await page.getByText('Withdrawn', { exact: false }).first().waitFor();

      // The Turkish switch keeps the token.
      await page.getByRole('link', { name: 'Türkçe' }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('tr');
    });

    it('a question from staff is at the top, next to the answer box, in the first screen', async () => {
      const ticket = await driver.toInProgress();
      const question = 'Çukur hangi apartmanın önünde? Kapı numarasını yazar mısınız?';
      await driver.staff(STAFF.fenExpert, ticket.number, 'request-info', { question }).expect(200);
      await driver.waitForStatus(ticket.number, 'WAITING_FOR_CITIZEN');
      await page.goto(`${base}/t/${ticket.number}?k=${ticket.token}`);
      // The first section of the page: the question, then the answer box.
      const first = page.locator('main > section').first();
      await expect(first.locator('h2').textContent()).resolves.toBe('Belediyemizin size sorusu');
      await expect(first.locator('blockquote').textContent()).resolves.toBe(question);
      const box = first.getByLabel('Cevabınız');
      expect((await box.boundingBox())!.y + 40).toBeLessThan(PHONE.height);
      await accessible('waiting-for-citizen page');
      await screenshot('question.png');
      await box.fill('Menteş Apartmanı, kapı no 12.');
      await first.locator('button').click();
      await first.locator('.result', { hasText: 'İşleminiz alındı.' }).waitFor({ timeout: 15_000 });
      const view = await driver.waitForStatus(ticket.number, 'IN_PROGRESS');
      expect(view.timeline.find((e: { type: string }) => e.type === 'CITIZEN_INFO_PROVIDED')).toMatchObject({ texts: { answer: 'Menteş Apartmanı, kapı no 12.' } });
    });

    it('a referred ticket names the institution, its steps say where it went, and no SMS is promised', async () => {
      const ticket = await driver.create({ category: 'STREET_LIGHTING', description: 'Sokak lambası yanmıyor.' });
      await driver.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
      await driver.waitForStatus(ticket.number, 'CLOSED'); // a referral closes the ticket at once
      await page.goto(`${base}/t/${ticket.number}?k=${ticket.token}`);
      await expect(page.locator('#referred-h').textContent()).resolves.toBe('Başvurunuz yetki alanımız dışında olduğu için sorumlu kuruma yönlendirildi: Toroslar EDAŞ (elektrik dağıtım)');
      await expect(page.locator('.referred p').textContent()).resolves.toContain('Arıza hattı 186');
      const steps = await page.locator('ol.steps li strong').allTextContents();
      expect(steps).toEqual(['Alındı', 'Koordinasyon merkezinde', 'Yönlendirildi: Toroslar EDAŞ (elektrik dağıtım)']);
      const text = await page.locator('main').textContent();
      expect(text).not.toContain('SMS ile bildirilecek');
      expect(text).toContain('Bu başvuru için bizden başka SMS gelmeyecek.');
      await accessible('referred page');
      await screenshot('referred.png');
      // In English too.
      await page.goto(`${base}/t/${ticket.number}?k=${ticket.token}&lang=en`);
      expect(await page.locator('ol.steps li strong').last().textContent()).toBe('Referred: Toroslar EDAŞ (electricity distribution)');
      expect(await page.locator('main').textContent()).not.toContain('told of progress by SMS');
    });

    it('a wrong link is a plain page that names nothing, and passes axe too', async () => {
      const ticket = await driver.create();
      await page.goto(`${base}/t/${ticket.number}?k=not-the-token`);
      await page.getByRole('heading', { name: 'Bağlantı geçersiz' }).waitFor();
      expect(await page.content()).not.toContain(ticket.number);
      await accessible('not-found page');
      await page.goto(`${base}/kvkk`);
      await accessible('KVKK notice');
    });
  });
});
