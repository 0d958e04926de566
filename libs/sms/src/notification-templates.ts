import type { NotificationPurpose } from '../../domain/src/ticket.types';

/**
 * Citizen- and staff-facing message texts, Turkish by default with English available.
 * Every text fits two SMS segments with the longest realistic values (see the spec): any Turkish
 * letter (ı, ş, ğ…) switches SMS to UCS-2, where two segments hold 134 characters, and the
 * tracking link alone takes about 74 of them (a 25-character PUBLIC_BASE_URL such as
 * https://185.mersin.bel.tr, the number, a 32-character token). So the words are few.
 * SMS in Türkiye comes one way from a registered alphanumeric sender: citizens cannot answer
 * it, so every citizen text ends with the WhatsApp line, the way to answer (CITIZEN_SIGN_OFF).
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

/** The sign-off of staff messages; one constant so a change is a one-line edit. */
export const CENTER_SIGNATURE = 'ALO 185';

/** ALO 185's WhatsApp line (0324 185 00 00), written without spaces so phones make it a link. */
export const WHATSAPP_LINE = '03241850000';

/** The end of every citizen text: SMS cannot be answered, WhatsApp can. */
export const CITIZEN_SIGN_OFF = `WhatsApp: ${WHATSAPP_LINE}`;

type Template = (p: NotificationParams) => string;

/**
 * Record over the union: a purpose added to NOTIFICATION_PURPOSES without both texts here is a
 * compile error, not a blank SMS at run time.
 */
const TEMPLATES: Record<NotificationPurpose, Record<NotificationLanguage, Template>> = {
  RECEIVED: {
    tr: (p) => citizen(p.trackingUrl ? `${p.number} alındı, takip: ${p.trackingUrl}` : `${p.number} numaralı başvurunuz alındı.`),
    en: (p) => citizen(p.trackingUrl ? `Request ${p.number} received. Track it: ${p.trackingUrl}` : `Your request ${p.number} has been received.`),
  },
  REFERRED: {
    // The institution and how to reach it are what the citizen needs; with them there is no room for the link.
    tr: (p) =>
      citizen(
        p.institutionName
          ? `${p.number} yetkimiz dışında. Sorumlu: ${p.institutionName}${p.institutionContact ? ` ${p.institutionContact}` : ''}`
          : p.trackingUrl
            ? `${p.number} başka kuruma iletildi: ${p.trackingUrl}`
            : `${p.number} numaralı başvurunuz yetkili kuruma yönlendirildi.`,
      ),
    en: (p) =>
      citizen(
        p.institutionName
          ? `${p.number} is not ours. Responsible: ${p.institutionName}${p.institutionContact ? ` ${p.institutionContact}` : ''}`
          : p.trackingUrl
            ? `Request ${p.number} was referred: ${p.trackingUrl}`
            : `Your request ${p.number} was referred to the responsible institution.`,
      ),
  },
  MERGED: {
    tr: (p) =>
      citizen(
        p.survivorNumber
          ? `${p.number} ve ${p.survivorNumber} birleşti:${p.trackingUrl ? ` ${p.trackingUrl}` : ` ${p.survivorNumber} numarasını takip edin.`}`
          : `${p.number} aynı konudaki bir başvuruyla birleşti.${p.trackingUrl ? ` ${p.trackingUrl}` : ''}`,
      ),
    en: (p) =>
      citizen(
        p.survivorNumber
          ? `Request ${p.number} was merged into ${p.survivorNumber}:${p.trackingUrl ? ` ${p.trackingUrl}` : ` please follow that one.`}`
          : `Request ${p.number} was merged into another on the same issue.${p.trackingUrl ? ` ${p.trackingUrl}` : ''}`,
      ),
  },
  INFO_REQUESTED: {
    tr: (p) => citizen(p.trackingUrl ? `${p.number} için bilgi gerekli: ${p.trackingUrl}` : `${p.number} için ek bilgi gerekli, lütfen yanıtlayın.`),
    en: (p) => citizen(p.trackingUrl ? `Request ${p.number} needs more information: ${p.trackingUrl}` : `Request ${p.number} needs more information, please answer.`),
  },
  RESOLVED: {
    // "itiraz": the citizen may reopen it from the same link.
    tr: (p) => citizen(p.trackingUrl ? `${p.number} çözüldü. Sonuç, itiraz: ${p.trackingUrl}` : `${p.number} numaralı başvurunuz çözüldü.`),
    en: (p) => citizen(p.trackingUrl ? `Request ${p.number} resolved. See it or reopen: ${p.trackingUrl}` : `Your request ${p.number} has been resolved.`),
  },
  REOPENED: {
    tr: (p) => citizen(p.trackingUrl ? `${p.number} yeniden açıldı: ${p.trackingUrl}` : `${p.number} numaralı başvurunuz yeniden açıldı.`),
    en: (p) => citizen(p.trackingUrl ? `Request ${p.number} reopened: ${p.trackingUrl}` : `Your request ${p.number} has been reopened.`),
  },
  CLOSED: {
    tr: (p) => citizen(`${closedTr(p)}${p.trackingUrl ? `: ${p.trackingUrl}` : '.'}`),
    en: (p) => citizen(`${closedEn(p)}${p.trackingUrl ? `: ${p.trackingUrl}` : '.'}`),
  },
  CLOSURE_CHECK: {
    // One link, not two: two tracking links do not fit two segments. The page asks yes or no.
    tr: (p) => citizen(p.trackingUrl ? `${p.number} gerçekten çözüldü mü? ${p.trackingUrl}` : `${p.number} gerçekten çözüldü mü? ALO 185'e bildirin.`),
    en: (p) => citizen(p.trackingUrl ? `Is request ${p.number} really fixed? Yes/no: ${p.trackingUrl}` : `Is request ${p.number} really fixed? Tell ALO 185.`),
  },
  LINK_RESENT: {
    // The center re-sends the link (the citizen lost the first SMS); without a working token, where to ask.
    tr: (p) => citizen(p.trackingUrl ? `${p.number} takip bağlantınız: ${p.trackingUrl}` : `${p.number} numaralı başvurunuzu ALO 185'ten sorabilirsiniz.`),
    en: (p) => citizen(p.trackingUrl ? `Your link for request ${p.number}: ${p.trackingUrl}` : `Ask ALO 185 about request ${p.number}.`),
  },
  SLA_BREACHED: {
    tr: (p) => staff(`${p.number} çözüm süresi aşıldı${inDepartment(p)}.`, p.consoleUrl),
    en: (p) => staff(`${p.number}: SLA exceeded${inDepartment(p)}.`, p.consoleUrl),
  },
  APPROVAL_REMINDER: {
    tr: (p) => staff(`${p.number} çözümü ${levelTr(p)}onayınızı bekliyor.`, p.consoleUrl),
    en: (p) => staff(`${p.number} awaits your ${levelEn(p)}approval.`, p.consoleUrl),
  },
  APPROVAL_ESCALATED: {
    tr: (p) => staff(`${p.number} ${levelTr(p)}onayı gecikti, size iletildi.`, p.consoleUrl),
    en: (p) => staff(`${p.number}: ${levelEn(p)}approval overdue, escalated to you.`, p.consoleUrl),
  },
  LEGAL_DEADLINE_WARNING: {
    tr: (p) => staff(`${p.number} 3071 s. Kanun 30 gün cevap süresi doluyor.`, p.consoleUrl),
    en: (p) => staff(`${p.number}: 30-day legal answer deadline (Law 3071) near.`, p.consoleUrl),
  },
};

/** Renders the text for one notification; unknown languages never reach here (typed). */
export function renderNotification(purpose: NotificationPurpose, language: NotificationLanguage, params: NotificationParams): string {
  const byLanguage = TEMPLATES[purpose];
  // A purpose string from the database or an old workflow history can be outside the union.
  if (!byLanguage) throw new Error(`No notification template for purpose ${String(purpose)}`);
  return byLanguage[language](params);
}

/** A citizen text: the words, then how to answer (WhatsApp). */
function citizen(words: string): string {
  return `${words} ${CITIZEN_SIGN_OFF}`;
}

/** A staff text: the words, the console link, the center's signature. */
function staff(words: string, consoleUrl: string | undefined): string {
  return [words, consoleUrl, CENTER_SIGNATURE].filter(Boolean).join(' ');
}

function closedTr(p: NotificationParams): string {
  if (p.outcome === 'RESOLVED') return `${p.number} çözülerek kapatıldı`;
  if (p.outcome === 'WITHDRAWN') return `${p.number} isteğinizle geri çekildi`;
  return `${p.number} kapatıldı`;
}

function closedEn(p: NotificationParams): string {
  if (p.outcome === 'RESOLVED') return `Request ${p.number} resolved and closed`;
  if (p.outcome === 'WITHDRAWN') return `Request ${p.number} withdrawn at your request`;
  return `Request ${p.number} closed`;
}

// "(Fen İşleri Dairesi)" in brackets: no case suffix needed on the department's name.
const inDepartment = (p: NotificationParams) => (p.departmentName ? ` (${p.departmentName})` : '');
const levelTr = (p: NotificationParams) => (p.level === undefined ? '' : `${p.level}. seviye `);
const levelEn = (p: NotificationParams) => (p.level === undefined ? '' : `level ${p.level} `);
