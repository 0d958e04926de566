import type { Channel, Segment, TicketStatus, TicketType } from '../../../../libs/domain/src';
import type { ContactOutcome } from '../../../../libs/database/src/entities';

import type { ExportLang } from '../common/spreadsheet';

type Pair = readonly [tr: string, en: string];

/** The console's labels of the codes (apps/console/src/i18n.tsx), Turkish first; a missing code fails to compile. */
const CHANNEL: Record<Channel, Pair> = {
  CALL_CENTER: ['Çağrı merkezi', 'Call center'],
  WHATSAPP: ['WhatsApp', 'WhatsApp'],
  SOCIAL_MEDIA: ['Sosyal medya', 'Social media'],
  WEB: ['Web', 'Web'],
  CONTACT_POINT: ['İrtibat noktası', 'Contact point'],
  SMS: ['SMS', 'SMS'],
};
const TYPE: Record<TicketType, Pair> = {
  REQUEST: ['Talep', 'Request'],
  COMPLAINT: ['Şikayet', 'Complaint'],
  SUGGESTION: ['Öneri', 'Suggestion'],
  INFORMATION: ['Bilgi', 'Information'],
  REPORT: ['İhbar', 'Report'],
  THANKS: ['Teşekkür', 'Thanks'],
};
const SEGMENT: Record<Segment, Pair> = {
  CITIZEN: ['Vatandaş', 'Citizen'],
  MUHTAR: ['Muhtar', 'Muhtar'],
  TRADESPERSON: ['Esnaf', 'Tradesperson'],
  COUNCIL_MEMBER: ['Meclis üyesi', 'Council member'],
};
const STATUS: Record<TicketStatus, Pair> = {
  RECEIVED: ['Alındı', 'Received'],
  TRIAGE: ['Ön değerlendirmede', 'In triage'],
  IN_DEPARTMENT: ['Birimde', 'In department'],
  IN_PROGRESS: ['Çözüm uzmanında', 'In progress'],
  WAITING_FOR_CITIZEN: ['Vatandaştan bilgi bekleniyor', 'Waiting for the citizen'],
  IN_APPROVAL: ['Onayda', 'In approval'],
  APPROVED: ['Onaylandı', 'Approved'],
  RESOLVED: ['Çözüldü', 'Resolved'],
  REFERRED: ['Yönlendirildi', 'Referred'],
  REJECTED: ['Reddedildi', 'Rejected'],
  CLOSED: ['Kapandı', 'Closed'],
};
const OUTCOME: Record<ContactOutcome, Pair> = {
  TICKET_CREATED: ['Başvuru açıldı', 'Ticket created'],
  INFORMATION_GIVEN: ['Bilgi verildi', 'Information given'],
  REFERRED_ELSEWHERE: ['Başka kuruma yönlendirildi', 'Referred elsewhere'],
  HUNG_UP: ['Arayan kapattı', 'Caller hung up'],
  DUPLICATE_OF_OPEN_TICKET: ['Açık başvurunun tekrarı', 'Duplicate of an open ticket'],
};

export type LabelKind = 'channel' | 'type' | 'segment' | 'status' | 'outcome' | 'category' | 'department';

/** A code as an export shows it: its label in the chosen language; a code without one (or null) as it is. */
export type ValueLabels = (kind: LabelKind, code: string | null) => string | null;

/** The codes themselves (the JSON answer, and an export before labels were asked for). */
export const CODES: ValueLabels = (_kind, code) => code;

/** Labels in `lang`; categories and departments by their names in the catalogue. */
export function valueLabels(lang: ExportLang, names: { categories: NamedRow[]; departments: NamedRow[] }): ValueLabels {
  const i = lang === 'tr' ? 0 : 1;
  const fixed: Partial<Record<LabelKind, Record<string, Pair>>> = { channel: CHANNEL, type: TYPE, segment: SEGMENT, status: STATUS, outcome: OUTCOME };
  const named = (rows: NamedRow[]) => Object.fromEntries(rows.map((r) => [r.code, [r.name, r.nameEn] as Pair]));
  const tables = { ...fixed, category: named(names.categories), department: named(names.departments) };
  return (kind, code) => (code === null ? null : (tables[kind]?.[code]?.[i] ?? code));
}

export interface NamedRow {
  code: string;
  name: string;
  nameEn: string;
}
