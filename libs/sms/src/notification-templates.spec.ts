import { NOTIFICATION_PURPOSES } from '../../domain/src/ticket.types';
import { CENTER_SIGNATURE, NotificationLanguage, NotificationParams, renderNotification, STAFF_PURPOSES } from './notification-templates';

const LANGUAGES: NotificationLanguage[] = ['tr', 'en'];
const TURKISH_LETTERS = /[ıİşŞğĞüÜöÖçÇ]/;

// A realistic worst case: long link with a token, long institution and department names.
const FULL: NotificationParams = {
  number: '2025-000123',
  trackingUrl: 'https://basvuru.teksin.bel.tr/t/2025-000123?k=9f8e7d6c5b4a3210',
  consoleUrl: 'https://basvuru.teksin.bel.tr/console/tickets/2025-000123',
  institutionName: 'Karayolları 5. Bölge Müdürlüğü',
  institutionContact: '0324 123 45 67',
  survivorNumber: '2025-000042',
  outcome: 'RESOLVED',
  level: 2,
  departmentName: 'Fen İşleri Dairesi Başkanlığı',
};
const MINIMAL: NotificationParams = { number: '2025-000123' };

describe('renderNotification', () => {
  describe.each(NOTIFICATION_PURPOSES.flatMap((purpose) => LANGUAGES.map((language) => [purpose, language] as const)))(
    '%s (%s)',
    (purpose, language) => {
      it.each([
        ['all params', FULL],
        ['only the number', MINIMAL],
      ])('renders with %s: non-empty, names the ticket, signed, SMS-sized', (_label, params) => {
        const text = renderNotification(purpose, language, params);
        expect(text.trim().length).toBeGreaterThan(20);
        expect(text).toContain(params.number);
        expect(text).toContain(CENTER_SIGNATURE);
        expect(text.length).toBeLessThanOrEqual(300);
        expect(text).not.toMatch(/undefined|null|NaN|\$\{/);
        expect(text).not.toMatch(/\s{2,}/);
      });

      if ((STAFF_PURPOSES as readonly string[]).includes(purpose)) {
        it('links staff to the console, never to the citizen’s tracking page', () => {
          const text = renderNotification(purpose, language, FULL);
          expect(text).toContain(FULL.consoleUrl);
          expect(text).not.toContain('/t/');
          expect(text).not.toContain('k=');
        });
      } else {
        it('contains the tracking link when one is given, and no console link', () => {
          const text = renderNotification(purpose, language, FULL);
          expect(text).toContain(FULL.trackingUrl);
          expect(text).not.toContain(FULL.consoleUrl);
        });
      }

      if (language === 'tr') {
        it('is written with Turkish letters', () => {
          expect(renderNotification(purpose, 'tr', MINIMAL)).toMatch(TURKISH_LETTERS);
        });
      }
    },
  );

  it('keeps Turkish and English apart', () => {
    expect(renderNotification('RECEIVED', 'tr', MINIMAL)).toContain('başvurunuz alınmıştır');
    expect(renderNotification('RECEIVED', 'en', MINIMAL)).toContain('has been received');
  });

  it('names the responsible institution and how to reach it on referral', () => {
    const text = renderNotification('REFERRED', 'tr', FULL);
    expect(text).toContain(FULL.institutionName);
    expect(text).toContain(FULL.institutionContact);
  });

  it('points a merged ticket at the surviving one', () => {
    expect(renderNotification('MERGED', 'tr', FULL)).toContain(FULL.survivorNumber);
    expect(renderNotification('MERGED', 'en', FULL)).toContain(FULL.survivorNumber);
  });

  it('tells a resolved citizen they may reopen via the link', () => {
    expect(renderNotification('RESOLVED', 'tr', FULL)).toMatch(/yeniden aç/);
    expect(renderNotification('RESOLVED', 'en', FULL)).toMatch(/reopen/);
  });

  it('words a resolved closing differently from a withdrawn one', () => {
    for (const language of LANGUAGES) {
      const resolved = renderNotification('CLOSED', language, { ...MINIMAL, outcome: 'RESOLVED' });
      const withdrawn = renderNotification('CLOSED', language, { ...MINIMAL, outcome: 'WITHDRAWN' });
      expect(resolved).not.toEqual(withdrawn);
    }
    expect(renderNotification('CLOSED', 'tr', { ...MINIMAL, outcome: 'WITHDRAWN' })).toContain('geri çekildi');
    expect(renderNotification('CLOSED', 'en', { ...MINIMAL, outcome: 'WITHDRAWN' })).toContain('withdrawn');
  });

  it('cites Law 3071 and its 30 days in the legal deadline warning', () => {
    for (const language of LANGUAGES) {
      const text = renderNotification('LEGAL_DEADLINE_WARNING', language, MINIMAL);
      expect(text).toContain('3071');
      expect(text).toContain('30');
    }
  });

  it('names the approval level when given', () => {
    expect(renderNotification('APPROVAL_REMINDER', 'tr', FULL)).toContain('2. seviye');
    expect(renderNotification('APPROVAL_ESCALATED', 'en', FULL)).toContain('level 2');
  });

  it('refuses a purpose it has no text for instead of sending a blank SMS', () => {
    expect(() => renderNotification('NOPE' as never, 'tr', MINIMAL)).toThrow(/NOPE/);
  });
});
