import type { paths } from '../api/client';
import type { Language } from '../i18n';

type Pair = readonly [tr: string, en: string];
type HistoryAnswer = paths['/tickets/{number}/history']['get']['responses'][200]['content']['application/json'];
export type HistoryLine = HistoryAnswer['timeline'][number];
type Channel = NonNullable<NonNullable<paths['/contacts']['get']['parameters']['query']>['channel']>;

/** The auditor's and the contact log's own words (kept beside their screens; i18n.tsx holds the shared ones). */
const TEXT = {
  who: ['Kim', 'Who'],
  whatHappened: ['Ne oldu', 'What happened'],
  rawEvent: ['Ham olay (JSON)', 'Raw event (JSON)'],
  hideRawEvent: ['Ham olayı gizle', 'Hide raw event'],
  engineSteps: ['Motorun iç adımlarını da göster', 'Show the engine’s own steps too'],
  run: ['Çalıştırma', 'Run'],
  citizen: ['Vatandaş', 'The citizen'],
  system: ['Sistem', 'The system'],
  engine: ['Motor', 'The engine'],
  filters: ['Süzgeçler', 'Filters'],
  from: ['Başlangıç', 'From'],
  to: ['Bitiş', 'To'],
  channel: ['Kanal', 'Channel'],
  outcome: ['Sonuç', 'Outcome'],
  agent: ['Kaydeden (kullanıcı adı)', 'Recorded by (username)'],
  phone: ['Arayanın telefonu', 'Caller’s phone'],
  all: ['Tümü', 'All'],
  apply: ['Uygula', 'Apply'],
  clear: ['Temizle', 'Clear'],
  more: ['Daha fazla', 'More'],
  shown: ['gösteriliyor', 'shown'],
  noEntries: ['Bu süzgeçlere uyan kayıt yok.', 'No entries match these filters.'],
  refresh: ['Yenile', 'Refresh'],
  exportCsv: ['CSV indir', 'Download CSV'],
  exportXlsx: ['Excel (XLSX) indir', 'Download Excel (XLSX)'],
  exportNote: [
    'İndirilen dosya süzgeçlere uyan tüm kayıtları içerir; telefon numaraları ve notlar kişisel veri okuması olarak kaydedilir.',
    'The download holds every entry matching the filters; its phone numbers and notes are logged as reads of personal data.',
  ],
} as const satisfies Record<string, Pair>;
export type AuditTextKey = keyof typeof TEXT;

const CHANNEL: Record<Channel, Pair> = {
  CALL_CENTER: ['Çağrı merkezi', 'Call center'],
  WHATSAPP: ['WhatsApp', 'WhatsApp'],
  SOCIAL_MEDIA: ['Sosyal medya', 'Social media'],
  WEB: ['Web', 'Web'],
  CONTACT_POINT: ['İrtibat noktası', 'Contact point'],
  SMS: ['SMS', 'SMS'],
};
export const CHANNELS = Object.keys(CHANNEL) as Channel[];

/** The ticket's commands (Workflow Updates) by name, as an auditor reads them. */
const COMMAND: Record<string, Pair> = {
  assignDepartment: ['birime atama', 'assign to a department'],
  reassignDepartment: ['başka birime aktarma', 'reassign to another department'],
  returnToCenter: ['merkeze iade', 'return to the center'],
  refer: ['yetki dışı yönlendirme', 'refer elsewhere'],
  reject: ['reddetme', 'reject'],
  answerDirectly: ['doğrudan yanıt', 'answer directly'],
  assignExpert: ['uzman atama', 'assign an expert'],
  requestCitizenInfo: ['vatandaştan bilgi isteme', 'ask the citizen for information'],
  citizenInfoProvided: ['vatandaşın yanıtı', 'the citizen’s answer'],
  addNote: ['not ekleme', 'add a note'],
  submitResolution: ['çözüm gönderme', 'submit the resolution'],
  approve: ['onay', 'approve'],
  rejectResolution: ['çözümü reddetme', 'reject the resolution'],
  finalize: ['sonuçlandırma', 'finalize'],
  reopen: ['yeniden açma', 'reopen'],
  withdraw: ['geri çekme', 'withdraw'],
  duplicateMerged: ['mükerrer başvuru birleştirildi', 'duplicate merged'],
};

/** The ticket's activities by type (activities/ticket-activities.contract.ts). */
const ACTIVITY: Record<string, Pair> = {
  recordTicketEvents: ['başvuru kaydını ve denetim izini yazma', 'writing the ticket’s record and audit trail'],
  sendNotification: ['SMS bildirimi gönderme', 'sending the SMS notification'],
  computeApprovalChain: ['onay zincirini hesaplama', 'working out the approval chain'],
  getDepartmentRouting: ['birimin atama ayarlarını okuma', 'reading the department’s routing'],
  pickLeastLoadedExpert: ['en az işi olan uzmanı seçme', 'picking the least-loaded expert'],
};

const pickIn = (lang: Language) => (pair: Pair) => pair[lang === 'tr' ? 0 : 1];

export function auditTexts(lang: Language) {
  const pick = pickIn(lang);
  const command = (name: string | null) => (name ? `“${COMMAND[name] ? pick(COMMAND[name]) : name}”` : '—');
  const activity = (name: string | null) => (name ? (ACTIVITY[name] ? pick(ACTIVITY[name]) : name) : '—');
  const span = (ms: number | null) => (ms === null ? '—' : humanSpan(ms, lang));
  return {
    a: (key: AuditTextKey) => pick(TEXT[key]),
    channel: (c: Channel) => pick(CHANNEL[c]),
    /** Who acted on a timeline line: a staff member by name, the citizen, the system; the engine otherwise. */
    who: (line: HistoryLine) => {
      if (!line.actor) return pick(TEXT.engine);
      if (line.actor.kind === 'STAFF') return line.actor.name ?? line.actor.id ?? '—';
      return pick(line.actor.kind === 'CITIZEN' ? TEXT.citizen : TEXT.system);
    },
    /** One sentence per kind of event, in the console's language. */
    sentence: (line: HistoryLine): string => {
      const tr = lang === 'tr';
      switch (line.kind) {
        case 'WORKFLOW_STARTED':
          return line.detail ? (tr ? 'Süreç önceki çalıştırmadan devam etti.' : 'The workflow continued from its previous run.') : tr ? 'Başvurunun süreci başladı.' : 'The ticket’s workflow started.';
        case 'COMMAND_ACCEPTED':
          return tr ? `${command(line.command)} komutunu gönderdi; motor kabul etti.` : `Sent the command ${command(line.command)}; the engine accepted it.`;
        case 'COMMAND_COMPLETED':
          return tr ? `${command(line.command)} komutu uygulandı.` : `The command ${command(line.command)} was applied.`;
        case 'COMMAND_REFUSED':
          return tr ? `${command(line.command)} komutu reddedildi: ${line.detail ?? ''}` : `The command ${command(line.command)} was refused: ${line.detail ?? ''}`;
        case 'ACTIVITY_SCHEDULED':
          return tr ? `Görev planlandı: ${activity(line.activity)}.` : `Activity scheduled: ${activity(line.activity)}.`;
        case 'ACTIVITY_COMPLETED':
          return tr ? `Görev tamamlandı: ${activity(line.activity)}.` : `Activity completed: ${activity(line.activity)}.`;
        case 'ACTIVITY_FAILED':
          return tr ? `Görev başarısız: ${activity(line.activity)} (${line.detail ?? ''}).` : `Activity failed: ${activity(line.activity)} (${line.detail ?? ''}).`;
        case 'LOCAL_ACTIVITY':
          return tr ? `Görev tamamlandı: ${activity(line.activity)}.` : `Done: ${activity(line.activity)}.`;
        case 'TIMER_STARTED':
          return tr ? `Saat kuruldu: ${span(line.durationMs)}.` : `Clock set for ${span(line.durationMs)}.`;
        case 'TIMER_FIRED':
          return tr ? `Saat doldu (${span(line.durationMs)}).` : `Clock fired (${span(line.durationMs)}).`;
        case 'TIMER_CANCELED':
          return tr ? `Saat iptal edildi (${span(line.durationMs)}).` : `Clock cancelled (${span(line.durationMs)}).`;
        case 'SIGNAL':
          return tr ? `Sinyal alındı: ${command(line.detail)}.` : `Signal received: ${command(line.detail)}.`;
        case 'SIGNAL_SENT':
          return tr ? `Başka bir başvuruya sinyal gönderildi (${command(line.command)}): ${line.detail ?? ''}.` : `Signal ${command(line.command)} sent to ${line.detail ?? ''}.`;
        case 'CONTINUED_AS_NEW':
          return tr ? 'Süreç yeni bir çalıştırmayla devam etti (continue-as-new).' : 'The workflow continued as new.';
        case 'WORKFLOW_COMPLETED':
          return tr ? 'Başvurunun süreci tamamlandı.' : 'The ticket’s workflow completed.';
        case 'WORKFLOW_FAILED':
          return tr ? `Süreç hata ile bitti: ${line.detail ?? ''}` : `The workflow failed: ${line.detail ?? ''}`;
        case 'ENGINE_STEP':
          return tr ? `Motor adımı (${line.type})` : `Engine step (${line.type})`;
        case 'OTHER':
          return line.type;
      }
    },
  };
}

/** "36 sa", "15 gün", "90 sn": a timer's length. */
function humanSpan(ms: number, lang: Language): string {
  const unit = (value: number, u: 'day' | 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(lang === 'tr' ? 'tr-TR' : 'en-GB', { style: 'unit', unit: u, unitDisplay: 'long', maximumFractionDigits: 1 }).format(value);
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return unit(ms / 86_400_000, 'day');
  if (ms >= 3_600_000) return unit(ms / 3_600_000, 'hour');
  if (ms >= 60_000) return unit(ms / 60_000, 'minute');
  return unit(ms / 1000, 'second');
}
