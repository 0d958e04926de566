import { NOTIFICATION_PURPOSES } from '../../domain/src/ticket.types';
import { CENTER_SIGNATURE, CITIZEN_SIGN_OFF, NotificationLanguage, NotificationParams, renderNotification, STAFF_PURPOSES, WHATSAPP_LINE } from './notification-templates';
import { smsSegments } from './sms-segments';

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
        expect(text).toContain((STAFF_PURPOSES as readonly string[]).includes(purpose) ? CENTER_SIGNATURE : CITIZEN_SIGN_OFF);
        expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
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
        it('contains the tracking link when one is given (a named referral institution takes its place), and no console link', () => {
          const text = renderNotification(purpose, language, FULL);
          if (purpose === 'REFERRED') expect(text).not.toContain(FULL.trackingUrl);
          else expect(text).toContain(FULL.trackingUrl);
          expect(text).not.toContain(FULL.consoleUrl);
          expect(renderNotification(purpose, language, { number: FULL.number, trackingUrl: FULL.trackingUrl })).toContain(FULL.trackingUrl);
        });

        it('says the way to answer is WhatsApp (SMS comes one way from an alphanumeric sender)', () => {
          expect(renderNotification(purpose, language, MINIMAL)).toContain(`WhatsApp: ${WHATSAPP_LINE}`);
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
    expect(renderNotification('RECEIVED', 'tr', MINIMAL)).toContain('başvurunuz alındı');
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

  it('tells a resolved citizen they may object (reopen) via the link', () => {
    expect(renderNotification('RESOLVED', 'tr', FULL)).toMatch(/itiraz: http/);
    expect(renderNotification('RESOLVED', 'en', FULL)).toMatch(/reopen: http/);
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

  describe('two SMS segments at most, with the longest realistic values', () => {
    // PUBLIC_BASE_URL of 25 characters, a six-digit sequence, a 32-character token; the seeded
    // referral directory's longest pairs and departments (Turkish letters force UCS-2: 134).
    const BASE = 'https://185.mersin.bel.tr';
    const LONGEST = {
      number: '2026-999999',
      trackingUrl: `${BASE}/t/2026-999999?k=${'x'.repeat(32)}`,
      consoleUrl: `${BASE}/console/tickets/2026-999999`,
      survivorNumber: '2026-999998',
      level: 3,
    };
    const INSTITUTIONS = [
      ['CİMER (Cumhurbaşkanlığı İletişim Merkezi)', 'CİMER (Presidential Communication Center)', 'Hat 150, www.cimer.gov.tr'],
      ['Karayolları Genel Müdürlüğü Bölge Müdürlüğü', 'General Directorate of Highways, regional office', 'www.kgm.gov.tr'],
      ['İlçe Belediyesi', 'District municipality', 'İlgili ilçe belediyesinin çağrı merkezi'],
      ['Toroslar EDAŞ (elektrik dağıtım)', 'Toroslar EDAŞ (electricity distribution)', 'Arıza hattı 186'],
    ];
    const DEPARTMENTS = ['Park ve Bahçeler Dairesi Başkanlığı', 'MESKİ Su ve Kanalizasyon Dairesi'];
    const cases = NOTIFICATION_PURPOSES.flatMap((purpose) =>
      LANGUAGES.flatMap((language) =>
        INSTITUTIONS.flatMap(([tr, en, contact]) =>
          DEPARTMENTS.flatMap((departmentName) =>
            ['RESOLVED', 'WITHDRAWN', undefined].map((outcome) => ({
              purpose,
              language,
              params: { ...LONGEST, institutionName: language === 'tr' ? tr : en, institutionContact: contact, departmentName, outcome },
            })),
          ),
        ),
      ),
    );

    it.each(NOTIFICATION_PURPOSES.flatMap((purpose) => LANGUAGES.map((language) => [purpose, language] as const)))('%s (%s)', (purpose, language) => {
      for (const c of cases.filter((x) => x.purpose === purpose && x.language === language)) {
        const text = renderNotification(c.purpose, c.language, c.params);
        const count = smsSegments(text);
        if (count.segments > 2) throw new Error(`${purpose}/${language}: ${count.units} ${count.encoding} units, ${count.segments} segments: ${text}`);
      }
    });
  });

  it('refuses a purpose it has no text for instead of sending a blank SMS', () => {
    expect(() => renderNotification('NOPE' as never, 'tr', MINIMAL)).toThrow(/NOPE/);
  });
});
