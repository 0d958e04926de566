import type { NotificationPurpose } from '../../domain/src/ticket.types';

/**
 * Citizen- and staff-facing message texts, Turkish by default with English available.
 * Kept SMS-sized: any Turkish letter (ı, ş, ğ…) switches SMS to UCS-2, where one segment holds
 * only 67 characters, so every extra sentence costs the municipality another segment.
 * Variables are placed after a colon or as a standalone word, never with a Turkish suffix glued
 * on ("{kurum}'a"), because the right suffix depends on the name's last vowel.
 */

export type NotificationLanguage = 'tr' | 'en';

export interface NotificationParams {
  /** The ticket number the recipient knows, e.g. 2025-000123. */
  number: string;
  /** Citizen purposes: the citizen's tracking page (with its token). Never given for a staff recipient. */
  trackingUrl?: string;
  /** Staff purposes: the ticket in the staff console (PUBLIC_BASE_URL/console/tickets/<number>). */
  consoleUrl?: string;
  /** REFERRED: the institution now responsible, and how to reach it. */
  institutionName?: string;
  institutionContact?: string;
  /** MERGED: the ticket that lives on; trackingUrl should then point at that one. */
  survivorNumber?: string;
  /** CLOSED: RESOLVED or WITHDRAWN (see Outcome); anything else gets a neutral text. */
  outcome?: string;
  /** APPROVAL_REMINDER / APPROVAL_ESCALATED: the approval level waiting for a decision. */
  level?: number;
  departmentName?: string;
}

/** Purposes whose recipients are staff: their texts link to the staff console, never to a citizen's tracking page. */
export const STAFF_PURPOSES = ['SLA_BREACHED', 'APPROVAL_REMINDER', 'APPROVAL_ESCALATED', 'LEGAL_DEADLINE_WARNING'] as const satisfies readonly NotificationPurpose[];

/** The sign-off of every message; one constant so a number change is a one-line edit. */
export const CENTER_SIGNATURE = 'Teksin / ALO 185';

type Template = (p: NotificationParams) => string;

/**
 * Record over the union: a purpose added to NOTIFICATION_PURPOSES without both texts here is a
 * compile error, not a blank SMS at run time.
 */
const TEMPLATES: Record<NotificationPurpose, Record<NotificationLanguage, Template>> = {
  RECEIVED: {
    tr: (p) => text(`${p.number} numaralı başvurunuz alınmıştır.`, p.trackingUrl && `Takip: ${p.trackingUrl}`),
    en: (p) => text(`Your request ${p.number} has been received.`, p.trackingUrl && `Track it: ${p.trackingUrl}`),
  },
  REFERRED: {
    tr: (p) =>
      text(
        `${p.number} numaralı başvurunuz yetki alanımız dışında olduğundan ilgili kuruma yönlendirilmiştir.`,
        p.institutionName && `Sorumlu kurum: ${p.institutionName}.`,
        // The contact goes last: a phone number or URL followed by a full stop reads badly.
        p.trackingUrl && `Ayrıntılar: ${p.trackingUrl}`,
        p.institutionContact && `İletişim: ${p.institutionContact}`,
      ),
    en: (p) =>
      text(
        `Your request ${p.number} is outside our jurisdiction and has been referred.`,
        p.institutionName && `Responsible institution: ${p.institutionName}.`,
        p.trackingUrl && `Details: ${p.trackingUrl}`,
        p.institutionContact && `Contact: ${p.institutionContact}`,
      ),
  },
  MERGED: {
    tr: (p) =>
      p.survivorNumber
        ? text(
            `${p.number} numaralı başvurunuz aynı konudaki ${p.survivorNumber} numaralı başvuruyla birleştirildi. Lütfen onu takip edin.`,
            p.trackingUrl,
          )
        : text(`${p.number} numaralı başvurunuz aynı konudaki başka bir başvuruyla birleştirildi.`, p.trackingUrl),
    en: (p) =>
      p.survivorNumber
        ? text(`Your request ${p.number} was merged into request ${p.survivorNumber} on the same issue. Please follow that one.`, p.trackingUrl)
        : text(`Your request ${p.number} was merged into another request on the same issue.`, p.trackingUrl),
  },
  INFO_REQUESTED: {
    tr: (p) =>
      text(
        `${p.number} numaralı başvurunuz için sizden ek bilgiye ihtiyacımız var.`,
        p.trackingUrl ? `Lütfen buradan yanıtlayın: ${p.trackingUrl}` : 'Lütfen bizimle iletişime geçin.',
      ),
    en: (p) =>
      text(
        `We need more information from you about request ${p.number}.`,
        p.trackingUrl ? `Please answer here: ${p.trackingUrl}` : 'Please contact us.',
      ),
  },
  RESOLVED: {
    tr: (p) =>
      p.trackingUrl
        ? text(
            `${p.number} numaralı başvurunuz çözüldü. Yapılanları görmek için: ${p.trackingUrl}`,
            'Memnun kalmazsanız aynı bağlantıdan yeniden açabilirsiniz.',
          )
        : text(`${p.number} numaralı başvurunuz çözüldü.`, 'Memnun kalmazsanız başvurunuzu yeniden açtırabilirsiniz.'),
    en: (p) =>
      p.trackingUrl
        ? text(`Your request ${p.number} has been resolved. See what was done: ${p.trackingUrl}`, 'Not satisfied? You can reopen it via the same link.')
        : text(`Your request ${p.number} has been resolved.`, 'Not satisfied? You can ask us to reopen it.'),
  },
  REOPENED: {
    tr: (p) => text(`${p.number} numaralı başvurunuz yeniden açıldı ve tekrar incelenecek.`, p.trackingUrl && `Takip: ${p.trackingUrl}`),
    en: (p) => text(`Your request ${p.number} has been reopened and will be reviewed again.`, p.trackingUrl && `Track it: ${p.trackingUrl}`),
  },
  CLOSED: {
    tr: (p) => text(closedTr(p), p.trackingUrl && `Ayrıntılar: ${p.trackingUrl}`),
    en: (p) => text(closedEn(p), p.trackingUrl && `Details: ${p.trackingUrl}`),
  },
  SLA_BREACHED: {
    tr: (p) => text(`${p.number} numaralı başvurunun çözüm süresi aşıldı${inDepartment(p)}. Lütfen öncelik verin.`, p.consoleUrl),
    en: (p) => text(`The resolution time of request ${p.number} has been exceeded${inDepartment(p)}. Please prioritise it.`, p.consoleUrl),
  },
  APPROVAL_REMINDER: {
    tr: (p) => text(`${p.number} numaralı başvurunun çözümü ${levelTr(p)}onayınızı bekliyor.`, p.consoleUrl),
    en: (p) => text(`The resolution of request ${p.number} is awaiting your ${levelEn(p)}approval.`, p.consoleUrl),
  },
  APPROVAL_ESCALATED: {
    tr: (p) => text(`${p.number} numaralı başvurunun ${levelTr(p)}onayı süresinde verilmediği için size iletildi. Karar verebilirsiniz.`, p.consoleUrl),
    en: (p) => text(`The ${levelEn(p)}approval of request ${p.number} was not given in time and has been escalated to you.`, p.consoleUrl),
  },
  LEGAL_DEADLINE_WARNING: {
    tr: (p) =>
      text(`${p.number} numaralı başvurunun 3071 sayılı Kanun'daki 30 günlük cevap süresi dolmak üzere${inDepartment(p)}.`, p.consoleUrl),
    en: (p) =>
      text(`The 30-day legal answer deadline (Law 3071) of request ${p.number} is about to expire${inDepartment(p)}.`, p.consoleUrl),
  },
};

/** Renders the text for one notification; unknown languages never reach here (typed). */
export function renderNotification(purpose: NotificationPurpose, language: NotificationLanguage, params: NotificationParams): string {
  const byLanguage = TEMPLATES[purpose];
  // A purpose string from the database or an old workflow history can be outside the union.
  if (!byLanguage) throw new Error(`No notification template for purpose ${String(purpose)}`);
  return byLanguage[language](params);
}

/** Joins the present parts with spaces and signs the message. */
function text(...parts: Array<string | undefined | false | ''>): string {
  return [...parts.filter((part): part is string => Boolean(part)), `- ${CENTER_SIGNATURE}`].join(' ');
}

function closedTr(p: NotificationParams): string {
  if (p.outcome === 'RESOLVED') return `${p.number} numaralı başvurunuz çözüme kavuşturularak kapatıldı. Teşekkür ederiz.`;
  if (p.outcome === 'WITHDRAWN') return `${p.number} numaralı başvurunuz isteğiniz üzerine geri çekildi ve kapatıldı.`;
  return `${p.number} numaralı başvurunuz kapatıldı.`;
}

function closedEn(p: NotificationParams): string {
  if (p.outcome === 'RESOLVED') return `Your request ${p.number} has been resolved and closed. Thank you.`;
  if (p.outcome === 'WITHDRAWN') return `Your request ${p.number} was withdrawn at your request and has been closed.`;
  return `Your request ${p.number} has been closed.`;
}

// "(Fen İşleri Dairesi)" in brackets: no case suffix needed on the department's name.
const inDepartment = (p: NotificationParams) => (p.departmentName ? ` (${p.departmentName})` : '');
const levelTr = (p: NotificationParams) => (p.level === undefined ? '' : `${p.level}. seviye `);
const levelEn = (p: NotificationParams) => (p.level === undefined ? '' : `level ${p.level} `);
