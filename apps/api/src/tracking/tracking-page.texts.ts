import type { TicketStatus, TicketType } from '../../../../libs/domain/src';
import type { CitizenEventType } from '../tickets/ticket-view.mapper';
import type { StepState, TrackingStep } from './tracking-steps';

/** The tracking page's words, Turkish and English: every label the template shows. */
export type PageLanguage = 'tr' | 'en';

/** Who runs the center: the page's header and footer. */
export const CITY_NAME: Record<PageLanguage, string> = { tr: 'Mersin Büyükşehir Belediyesi', en: 'Mersin Metropolitan Municipality' };
export const CENTER_LINE = 'ALO 185';
/** The WhatsApp line (0324 185 00 00): where citizens write to the center. */
export const WHATSAPP_URL = 'https://wa.me/903241850000';

export interface PageTexts {
  title: string;
  status: string;
  timeline: string;
  reopen: string;
  reason: string;
  answer: string;
  send: string;
  withdraw: string;
  withdrawConfirm: string;
  done: string;
  closed: string;
  number: string;
  type: string;
  category: string;
  district: string;
  steps: string;
  expected: string;
  centerAnswer: string;
  whatNow: string;
  nothingToDo: string;
  reopenUntil: string;
  rate: string;
  rating: string;
  comment: string;
  rated: string;
  stars: (n: number) => string;
  contact: string;
  kvkk: string;
  other: string;
  notFoundTitle: string;
  notFound: string;
  waitingForYou: string;
  failed: string;
  closureQuestion: string;
  closureYes: string;
  closureNo: string;
  closureReason: string;
  /** Issue 20: a staff question at the top, a referral named, no SMS promised that will not come, the reopening confirmed. */
  questionFromStaff: string;
  referredTo: string;
  referredReach: string;
  nothingToDoSms: string;
  noMoreSms: string;
  reopened: string;
}

export const TEXTS: Record<PageLanguage, PageTexts> = {
  tr: {
    title: 'Başvuru takibi', status: 'Durum', timeline: 'Geçmiş', reopen: 'Sonuçtan memnun değilim, yeniden aç', reason: 'Gerekçeniz',
    answer: 'Cevabınız', send: 'Gönder', withdraw: 'Başvurumu geri çek', withdrawConfirm: 'Başvurumu geri çekmek istediğimi onaylıyorum',
    done: 'İşleminiz alındı.', closed: 'Bu başvuru kapatılmıştır. Bilgi için ALO 185’i arayabilirsiniz.',
    number: 'Başvuru numarası', type: 'Tür', category: 'Konu', district: 'İlçe', steps: 'Başvurunuzun aşamaları',
    expected: 'Beklenen çözüm tarihi', centerAnswer: 'Belediyemizin cevabı', whatNow: 'Şimdi ne yapabilirsiniz?',
    nothingToDo: 'Şu an sizden bir şey beklenmiyor.', reopenUntil: 'Yeniden açma süresi',
    rate: 'Hizmetimizi değerlendirin', rating: 'Puanınız (1 en kötü, 5 en iyi)', comment: 'Yorumunuz (isteğe bağlı)',
    rated: 'Değerlendirmeniz için teşekkür ederiz', stars: (n) => `${n} / 5`,
    contact: 'Sorularınız için ALO 185’i arayın ya da WhatsApp hattımıza yazın: 0324 185 00 00',
    kvkk: 'Kişisel verilerin korunması (KVKK) aydınlatma metni', other: 'English',
    notFoundTitle: 'Bağlantı geçersiz', notFound: 'Bu bağlantıyla bir başvuru bulunamadı. Bağlantıyı SMS’ten eksiksiz açtığınızdan emin olun ya da ALO 185’i arayın.',
    waitingForYou: 'Sizden ek bilgi bekleniyor', failed: 'İşlem yapılamadı',
    closureQuestion: 'Sorununuz gerçekten çözüldü mü?', closureYes: 'Evet, çözüldü', closureNo: 'Hayır, çözülmedi — yeniden aç',
    closureReason: 'Hâlâ ne sorun var?',
    questionFromStaff: 'Belediyemizin size sorusu',
    referredTo: 'Başvurunuz yetki alanımız dışında olduğu için sorumlu kuruma yönlendirildi',
    referredReach: 'Kuruma ulaşmak için',
    nothingToDoSms: 'Şu an sizden bir şey beklenmiyor. Gelişmeler SMS ile bildirilecek.',
    noMoreSms: 'Bu başvuru için bizden başka SMS gelmeyecek. Bu sayfadan durumunu görebilirsiniz.',
    reopened: 'Başvurunuz yeniden açıldı. Koordinasyon merkezi yeniden inceleyecek.',
  },
  en: {
    title: 'Request tracking', status: 'Status', timeline: 'History', reopen: 'I am not satisfied, reopen', reason: 'Your reason',
    answer: 'Your answer', send: 'Send', withdraw: 'Withdraw my request', withdrawConfirm: 'I confirm that I want to withdraw my request',
    done: 'Done.', closed: 'This request is closed. For information, call ALO 185.',
    number: 'Request number', type: 'Type', category: 'Subject', district: 'District', steps: 'The stages of your request',
    expected: 'Expected resolution date', centerAnswer: 'Our answer', whatNow: 'What you can do now',
    nothingToDo: 'Nothing is needed from you now.', reopenUntil: 'You can reopen it until',
    rate: 'Rate our service', rating: 'Your rating (1 worst, 5 best)', comment: 'Your comment (optional)',
    rated: 'Thank you for your rating', stars: (n) => `${n} / 5`,
    contact: 'For questions call ALO 185 or write to our WhatsApp line: +90 324 185 00 00',
    kvkk: 'Personal data protection (KVKK) notice', other: 'Türkçe',
    notFoundTitle: 'Link not valid', notFound: 'No request was found for this link. Make sure you opened the whole link from the SMS, or call ALO 185.',
    waitingForYou: 'We are waiting for information from you', failed: 'That did not work',
    closureQuestion: 'Is your issue really fixed?', closureYes: 'Yes, it is fixed', closureNo: 'No, it is not — reopen',
    closureReason: 'What is still wrong?',
    questionFromStaff: 'Our question to you',
    referredTo: 'Your request is outside our remit and was referred to the institution responsible',
    referredReach: 'How to reach them',
    nothingToDoSms: 'Nothing is needed from you now. You will be told of progress by SMS.',
    noMoreSms: 'No more SMS will come from us about this request. This page shows where it stands.',
    reopened: 'Your request was reopened. The coordination center will look at it again.',
  },
};

/** Every status in the citizen's words (a new status does not compile until it has them). */
export const STATUS_LABELS: Record<PageLanguage, Record<TicketStatus, string>> = {
  tr: {
    RECEIVED: 'Alındı', TRIAGE: 'Koordinasyon merkezinde', IN_DEPARTMENT: 'İlgili birimde', IN_PROGRESS: 'Çözüm uzmanında',
    WAITING_FOR_CITIZEN: 'Sizden bilgi bekleniyor', IN_APPROVAL: 'Onay sürecinde', APPROVED: 'Onaylandı', RESOLVED: 'Sonuçlandı',
    REFERRED: 'Yetkili kuruma yönlendirildi', REJECTED: 'Reddedildi', CLOSED: 'Kapandı',
  },
  en: {
    RECEIVED: 'Received', TRIAGE: 'At the coordination center', IN_DEPARTMENT: 'At the department', IN_PROGRESS: 'With the expert',
    WAITING_FOR_CITIZEN: 'Waiting for your information', IN_APPROVAL: 'In approval', APPROVED: 'Approved', RESOLVED: 'Resolved',
    REFERRED: 'Referred to the responsible institution', REJECTED: 'Rejected', CLOSED: 'Closed',
  },
};

export const STEP_LABELS: Record<PageLanguage, Record<TrackingStep, string>> = {
  tr: { RECEIVED: 'Alındı', AT_CENTER: 'Koordinasyon merkezinde', AT_DEPARTMENT: 'İlgili birimde', BEING_SOLVED: 'Çözülüyor', APPROVED: 'Onaylandı', RESOLVED: 'Sonuçlandı', REFERRED: 'Yönlendirildi' },
  en: { RECEIVED: 'Received', AT_CENTER: 'At the center', AT_DEPARTMENT: 'At the department', BEING_SOLVED: 'Being solved', APPROVED: 'Approved', RESOLVED: 'Resolved', REFERRED: 'Referred' },
};

export const STEP_STATE: Record<PageLanguage, Record<StepState['state'], string>> = {
  tr: { done: 'tamamlandı', current: 'şu anki aşama', todo: 'sırada' },
  en: { done: 'done', current: 'current stage', todo: 'to come' },
};

export const TYPE_LABELS: Record<PageLanguage, Record<TicketType, string>> = {
  tr: { REQUEST: 'Talep', COMPLAINT: 'Şikayet', SUGGESTION: 'Öneri', INFORMATION: 'Bilgi', REPORT: 'İhbar', THANKS: 'Teşekkür' },
  en: { REQUEST: 'Request', COMPLAINT: 'Complaint', SUGGESTION: 'Suggestion', INFORMATION: 'Information', REPORT: 'Report', THANKS: 'Thanks' },
};

/** What each citizen-visible event means, in the citizen's words; keyed by the event type, so a renamed event fails to compile. */
export const EVENT_LABELS: Record<PageLanguage, Record<CitizenEventType, string>> = {
  tr: {
    RECEIVED: 'Başvurunuz alındı', DEPARTMENT_ASSIGNED: 'İlgili birime iletildi', DEPARTMENT_REASSIGNED: 'Başka bir birime iletildi', REFERRED: 'Yetkili kuruma yönlendirildi',
    REJECTED: 'Başvuru işleme alınmadı', MERGED_INTO: 'Aynı konudaki başka bir başvuruyla birleştirildi', ANSWERED_DIRECTLY: 'Yanıtlandı',
    CITIZEN_INFO_REQUESTED: 'Sizden bilgi istendi', CITIZEN_INFO_PROVIDED: 'Bilginiz alındı', NOTE_ADDED: 'Bilgilendirme',
    FINALIZED: 'Sonuçlandı', REOPENED: 'Yeniden açıldı', WITHDRAWN: 'Geri çekildi', CLOSED: 'Kapandı',
  },
  en: {
    RECEIVED: 'Request received', DEPARTMENT_ASSIGNED: 'Sent to the responsible department', DEPARTMENT_REASSIGNED: 'Sent on to another department', REFERRED: 'Referred to the responsible institution',
    REJECTED: 'Not taken up', MERGED_INTO: 'Merged with another request on the same matter', ANSWERED_DIRECTLY: 'Answered',
    CITIZEN_INFO_REQUESTED: 'Information requested from you', CITIZEN_INFO_PROVIDED: 'Your information received', NOTE_ADDED: 'Update',
    FINALIZED: 'Resolved', REOPENED: 'Reopened', WITHDRAWN: 'Withdrawn', CLOSED: 'Closed',
  },
};

/**
 * The personal-data notice (KVKK Law 6698, Article 10): its title and its body, already markup
 * (headings and paragraphs of fixed text; CITY_NAME holds nothing to escape).
 */
export const KVKK_NOTICE: Record<PageLanguage, { title: string; body: string }> = {
  tr: {
    title: 'KVKK aydınlatma metni',
    body: `<h1>Kişisel Verilerin Korunması Aydınlatma Metni</h1><section>
<p>6698 sayılı Kişisel Verilerin Korunması Kanunu’nun 10. maddesi uyarınca, veri sorumlusu sıfatıyla ${CITY_NAME.tr} (ve su/kanalizasyon başvurularında MESKİ Genel Müdürlüğü) olarak sizi bilgilendiririz.</p>
<h2>Hangi verileri işliyoruz?</h2><p>Adınız, telefon numaranız, başvurunuzun metni, adres ve konum bilgisi, WhatsApp/SMS ile gönderdiğiniz mesajlar ve görseller ile başvurunuzun işlem kayıtları.</p>
<h2>Hangi amaçla?</h2><p>Başvurunuzu almak, ilgili birime iletmek, sonuçlandırmak, sizi SMS veya WhatsApp ile bilgilendirmek ve 3071 sayılı Dilekçe Hakkının Kullanılmasına Dair Kanun kapsamındaki yükümlülüklerimizi yerine getirmek. Hukuki sebep: kanunlarda öngörülme ve kamu görevinin yerine getirilmesi (KVKK m. 5/2-a, ç, e).</p>
<h2>Kimlerle paylaşıyoruz?</h2><p>Yalnızca başvurunuzla ilgili belediye birimleri; yetki alanımız dışındaki konularda sorumlu kamu kurumu; mesajların iletimi için SMS/WhatsApp hizmet sağlayıcımız.</p>
<h2>Ne kadar saklıyoruz?</h2><p>Başvuru kayıtları mevzuattaki saklama süreleri boyunca tutulur; takip bağlantınız başvurunuz kapandıktan sonra belirli bir süre sonra çalışmaz.</p>
<h2>Haklarınız</h2><p>KVKK’nın 11. maddesi uyarınca verilerinize erişme, düzeltilmesini veya silinmesini isteme ve itiraz etme haklarınızı ALO 185 üzerinden ya da belediyemize yazılı başvuruyla kullanabilirsiniz.</p></section>`,
  },
  en: {
    title: 'KVKK notice',
    body: `<h1>Personal Data Protection Notice</h1><section>
<p>Under Article 10 of the Personal Data Protection Law No. 6698 (KVKK), ${CITY_NAME.en} (and, for water and sewerage requests, MESKİ) informs you as data controller.</p>
<h2>What we process</h2><p>Your name, phone number, the text of your request, address and location, the WhatsApp/SMS messages and pictures you send, and the processing record of your request.</p>
<h2>Why</h2><p>To receive your request, pass it to the responsible unit, resolve it, keep you informed by SMS or WhatsApp, and meet our duties under Law No. 3071 on the right of petition. Legal ground: required by law and performance of a public duty (KVKK Art. 5/2-a, ç, e).</p>
<h2>Who receives it</h2><p>Only the municipal units handling your request; the responsible public institution when the matter is outside our remit; our SMS/WhatsApp provider, to deliver messages.</p>
<h2>How long</h2><p>Request records are kept for the periods the law requires; your tracking link stops working some time after your request is closed.</p>
<h2>Your rights</h2><p>Under Article 11 of the KVKK you may ask to see, correct or erase your data and object to its processing, through ALO 185 or in writing to the municipality.</p></section>`,
  },
};
