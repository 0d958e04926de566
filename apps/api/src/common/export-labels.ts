import type { Channel, Segment, TicketStatus, TicketType } from '../../../../libs/domain/src';
import type { ContactOutcome } from '../../../../libs/database/src/entities';
import type { ExportLang } from './spreadsheet';

export type Pair = readonly [tr: string, en: string];

/** Column headers of every downloaded table (analysis, department report, hot spots, contact log), Turkish first. */
const COLUMNS: Record<string, Pair> = {
  key: ['Değer', 'Value'],
  count: ['Sayı', 'Count'],
  day: ['Gün', 'Day'],
  week: ['Hafta', 'Week'],
  contacts: ['Temas', 'Contacts'],
  tickets: ['Başvuru', 'Tickets'],
  measure: ['Ölçü', 'Measure'],
  median_hours: ['Medyan (saat)', 'Median (hours)'],
  p90_hours: ['%90 (saat)', '90th percentile (hours)'],
  level: ['Kademe', 'Level'],
  decisions: ['Karar', 'Decisions'],
  base: ['Taban', 'Base'],
  rate: ['Oran', 'Rate'],
  category: ['Kategori', 'Category'],
  breached: ['Süresi aşılan', 'Breached'],
  breach_rate: ['Süre aşım oranı', 'Breach rate'],
  reopened: ['Yeniden açılan', 'Reopened'],
  median_resolution_hours: ['Medyan çözüm süresi (saat)', 'Median resolution (hours)'],
  number: ['Başvuru no', 'Ticket number'],
  status: ['Durum', 'Status'],
  received_at: ['Alınma zamanı', 'Received at'],
  stage_since: ['Aşamaya giriş', 'In this stage since'],
  age_days: ['Yaş (gün)', 'Age (days)'],
  district: ['İlçe', 'District'],
  neighbourhood: ['Mahalle', 'Neighbourhood'],
  open: ['Açık', 'Open'],
  this_week: ['Bu hafta', 'This week'],
  previous_mean: ['Önceki haftaların ortalaması', 'Mean of previous weeks'],
  top_category: ['En sık kategori', 'Top category'],
  top_category_count: ['En sık kategori sayısı', 'Top category count'],
  at: ['Zaman', 'Time'],
  channel: ['Kanal', 'Channel'],
  outcome: ['Sonuç', 'Outcome'],
  phone: ['Telefon', 'Phone'],
  ticket_number: ['Başvuru no', 'Ticket number'],
  recorded_by: ['Kaydeden', 'Recorded by'],
  note: ['Not', 'Note'],
};

/** Sheet names (at most 31 characters: Excel's limit). */
const SHEETS: Record<string, Pair> = {
  'contacts-by-channel': ['Temas - kanal', 'Contacts by channel'],
  'contacts-by-outcome': ['Temas - sonuç', 'Contacts by outcome'],
  'tickets-by-channel': ['Başvuru - kanal', 'Tickets by channel'],
  'tickets-by-type': ['Başvuru - tür', 'Tickets by type'],
  'tickets-by-category': ['Başvuru - kategori', 'Tickets by category'],
  'tickets-by-department': ['Başvuru - birim', 'Tickets by department'],
  'tickets-by-district': ['Başvuru - ilçe', 'Tickets by district'],
  'tickets-by-segment': ['Başvuru - kesim', 'Tickets by segment'],
  daily: ['Günlük', 'Daily'],
  weekly: ['Haftalık', 'Weekly'],
  speed: ['Hız', 'Speed'],
  'approval-levels': ['Onay kademeleri', 'Approval levels'],
  rates: ['Oranlar', 'Rates'],
  'worst-categories': ['En sorunlu kategoriler', 'Worst categories'],
  'oldest-open': ['En eski açıklar', 'Oldest open'],
  'open-by-place': ['Yere göre açıklar', 'Open by place'],
  surges: ['Artışlar', 'Surges'],
  contacts: ['Temas kaydı', 'Contact log'],
};

const pick = (pair: Pair | undefined, lang: ExportLang, fallback: string) => (pair ? pair[lang === 'tr' ? 0 : 1] : fallback);

/** A column's header in `lang`; an unlisted column keeps its machine name (a unit test lists none missing). */
export const columnLabel = (column: string, lang: ExportLang): string => pick(COLUMNS[column], lang, column);

export const sheetLabel = (table: string, lang: ExportLang): string => pick(SHEETS[table], lang, table);

/** Whether every column and table name has its labels (for the unit test). */
export const hasColumnLabel = (column: string): boolean => column in COLUMNS;
export const hasSheetLabel = (table: string): boolean => table in SHEETS;

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

/** The codes an export shows as labels, by kind (the analysis exports, the contact log's). */
export const CODE_LABELS = { channel: CHANNEL, type: TYPE, segment: SEGMENT, status: STATUS, outcome: OUTCOME } as const;
type CodeKind = keyof typeof CODE_LABELS;

/** A code as its label in `lang`; without a language (a script's download), the code itself. */
export const codeLabel = (kind: CodeKind, code: string, lang: ExportLang | undefined): string =>
  lang ? pick((CODE_LABELS[kind] as Record<string, Pair>)[code], lang, code) : code;
export const hasCodeLabel = (kind: CodeKind, code: string): boolean => code in CODE_LABELS[kind];
