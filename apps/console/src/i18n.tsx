import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ActionRoute, paths, QueueName, StaffTicket } from './api/client';

export type Language = 'tr' | 'en';
type Status = StaffTicket['status'];
type TicketType = StaffTicket['type'];
type ContactOutcome = paths['/contacts']['get']['responses'][200]['content']['application/json']['items'][number]['outcome'];
type EventType = StaffTicket['timeline'][number]['type'];
type Pair = readonly [tr: string, en: string];
type Channel = StaffTicket['channel'];
type Segment = StaffTicket['segment'];

/** Turkish first, English second; a missing key fails to compile where it is keyed by an API enum. */
const STATUS: Record<Status, Pair> = {
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

const TYPE: Record<TicketType, Pair> = {
  REQUEST: ['Talep', 'Request'],
  COMPLAINT: ['Şikayet', 'Complaint'],
  SUGGESTION: ['Öneri', 'Suggestion'],
  INFORMATION: ['Bilgi', 'Information'],
  REPORT: ['İhbar', 'Report'],
  THANKS: ['Teşekkür', 'Thanks'],
};

const CHANNEL: Record<Channel, Pair> = {
  CALL_CENTER: ['Çağrı merkezi', 'Call center'],
  WHATSAPP: ['WhatsApp', 'WhatsApp'],
  SOCIAL_MEDIA: ['Sosyal medya', 'Social media'],
  WEB: ['Web', 'Web'],
  CONTACT_POINT: ['İrtibat noktası', 'Contact point'],
  SMS: ['SMS', 'SMS'],
};

const SEGMENT: Record<Segment, Pair> = {
  CITIZEN: ['Vatandaş', 'Citizen'],
  MUHTAR: ['Muhtar', 'Muhtar'],
  TRADESPERSON: ['Esnaf', 'Tradesperson'],
  COUNCIL_MEMBER: ['Meclis üyesi', 'Council member'],
};

const OUTCOME: Record<ContactOutcome, Pair> = {
  TICKET_CREATED: ['Başvuru açıldı', 'Ticket created'],
  INFORMATION_GIVEN: ['Bilgi verildi', 'Information given'],
  REFERRED_ELSEWHERE: ['Başka kuruma yönlendirildi', 'Referred elsewhere'],
  HUNG_UP: ['Arayan kapattı', 'Caller hung up'],
  DUPLICATE_OF_OPEN_TICKET: ['Açık başvurunun tekrarı', 'Duplicate of an open ticket'],
};

const QUEUE: Record<QueueName, Pair> = {
  triage: ['Ön değerlendirme', 'Triage'],
  department: ['Birim kuyruğu', 'Department'],
  mine: ['Görevlerim', 'My tasks'],
  approvals: ['Onay kutum', 'My approvals'],
  'at-risk': ['Süresi daralan', 'At risk'],
  stuck: ['Takılan', 'Stuck'],
  following: ['Takip ettiklerim', 'Following'],
};

const ACTION: Record<ActionRoute, Pair> = {
  'assign-department': ['Birime ata', 'Assign department'],
  'reassign-department': ['Başka birime aktar', 'Reassign department'],
  'return-to-center': ['Merkeze iade et', 'Return to center'],
  refer: ['Yetki dışı: yönlendir', 'Refer elsewhere'],
  reject: ['Reddet', 'Reject'],
  answer: ['Doğrudan yanıtla', 'Answer directly'],
  'assign-expert': ['Uzman ata', 'Assign expert'],
  'request-info': ['Vatandaştan bilgi iste', 'Request information'],
  'info-provided': ['Vatandaşın yanıtını kaydet', 'Record the citizen’s answer'],
  notes: ['Not ekle', 'Add note'],
  resolution: ['Çözümü gönder', 'Submit resolution'],
  approve: ['Onayla', 'Approve'],
  'reject-resolution': ['Çözümü reddet', 'Reject resolution'],
  finalize: ['Sonuçlandır', 'Finalize'],
  reopen: ['Vatandaş adına yeniden aç', 'Reopen for the caller'],
  withdraw: ['Vatandaş adına geri çek', 'Withdraw for the caller'],
};

const EVENT: Record<EventType, Pair> = {
  RECEIVED: ['Başvuru alındı', 'Received'],
  DEPARTMENT_ASSIGNED: ['Birime atandı', 'Department assigned'],
  DEPARTMENT_REASSIGNED: ['Başka birime aktarıldı', 'Department reassigned'],
  RETURNED_TO_CENTER: ['Merkeze iade edildi', 'Returned to center'],
  REFERRED: ['Yönlendirildi', 'Referred'],
  REJECTED: ['Reddedildi', 'Rejected'],
  MERGED_INTO: ['Başka başvuruyla birleştirildi', 'Merged into another'],
  DUPLICATE_MERGED: ['Mükerrer başvuru birleştirildi', 'Duplicate merged in'],
  ANSWERED_DIRECTLY: ['Doğrudan yanıtlandı', 'Answered directly'],
  EXPERT_ASSIGNED: ['Uzman atandı', 'Expert assigned'],
  EXPERT_ASSIGNMENT_PENDING: ['Uzman ataması bekliyor', 'Expert assignment pending'],
  CITIZEN_INFO_REQUESTED: ['Vatandaştan bilgi istendi', 'Information requested'],
  CITIZEN_INFO_PROVIDED: ['Vatandaş bilgi verdi', 'Citizen answered'],
  NOTE_ADDED: ['Not eklendi', 'Note added'],
  RESOLUTION_SUBMITTED: ['Çözüm gönderildi', 'Resolution submitted'],
  APPROVED_AT_LEVEL: ['Kademe onayı', 'Approved at level'],
  RESOLUTION_APPROVED: ['Çözüm onaylandı', 'Resolution approved'],
  RESOLUTION_REJECTED: ['Çözüm reddedildi', 'Resolution rejected'],
  APPROVAL_REMINDER: ['Onay hatırlatması', 'Approval reminder'],
  APPROVAL_ESCALATED: ['Onay üst amire taşındı', 'Approval escalated'],
  FINALIZED: ['Sonuçlandırıldı', 'Finalized'],
  REOPENED: ['Yeniden açıldı', 'Reopened'],
  WITHDRAWN: ['Geri çekildi', 'Withdrawn'],
  SLA_PAUSED: ['Süre durduruldu', 'SLA paused'],
  SLA_RESUMED: ['Süre devam ediyor', 'SLA resumed'],
  SLA_THRESHOLD_REACHED: ['Süre eşiği aşıldı', 'SLA threshold reached'],
  SLA_BREACHED: ['Süre aşıldı', 'SLA breached'],
  LEGAL_DEADLINE_WARNING: ['Yasal süre uyarısı', 'Legal deadline warning'],
  LEGAL_DEADLINE_MISSED: ['Yasal süre kaçırıldı', 'Legal deadline missed'],
  ATTACHED: ['Ek eklendi', 'Attachment added'],
  MEDIA_FETCH_FAILED: ['Vatandaşın fotoğrafı alınamadı', 'Citizen’s photo could not be fetched'],
  CLOSED: ['Kapandı', 'Closed'],
};

const TEXT = {
  appName: ['Teksin Personel Konsolu', 'Teksin Staff Console'],
  skip: ['İçeriğe geç', 'Skip to content'],
  signIn: ['Giriş yap', 'Sign in'],
  signOut: ['Çıkış', 'Sign out'],
  username: ['Kullanıcı adı', 'Username'],
  password: ['Parola', 'Password'],
  language: ['Dil', 'Language'],
  intake: ['Yeni çağrı', 'New call'],
  contacts: ['Temas kaydı', 'Contact log'],
  queues: ['Kuyruklar', 'Queues'],
  phone: ['Telefon', 'Phone'],
  callerName: ['Arayanın adı', 'Caller’s name'],
  callerTickets: ['Arayanın başvuruları', 'Caller’s tickets'],
  noCallerTickets: ['Bu numarayla başvuru yok.', 'No tickets from this number.'],
  open: ['açık', 'open'],
  type: ['Tür', 'Type'],
  category: ['Kategori', 'Category'],
  categorySearch: ['Kategori ara', 'Search categories'],
  department: ['Birim', 'Department'],
  sla: ['Çözüm süresi', 'SLA'],
  hours: ['saat', 'hours'],
  district: ['İlçe', 'District'],
  neighbourhood: ['Mahalle', 'Neighbourhood'],
  address: ['Adres', 'Address'],
  description: ['Açıklama', 'Description'],
  choose: ['Seçiniz', 'Choose'],
  submitTicket: ['Başvuruyu kaydet (Ctrl+Enter)', 'Record ticket (Ctrl+Enter)'],
  created: ['Başvuru kaydedildi', 'Ticket recorded'],
  linkSentBySms: ['takip bağlantısı vatandaşa SMS ile gönderildi', 'the tracking link was sent to the citizen by SMS'],
  resendLink: ['Takip bağlantısını SMS ile yeniden gönder', 'Re-send the tracking link by SMS'],
  linkResending: ['Takip bağlantısı SMS ile gönderiliyor', 'The tracking link is being sent by SMS'],
  linkAlreadyRequested: ['Takip bağlantısı az önce gönderildi', 'The tracking link was just sent'],
  noTicket: ['Başvuru açılmadan biten çağrı', 'Call that made no ticket'],
  outcome: ['Sonuç', 'Outcome'],
  duplicateOf: ['Mükerrer olduğu açık başvuru', 'Open ticket it duplicates'],
  note: ['Not', 'Note'],
  logContact: ['Çağrıyı kaydet', 'Log the call'],
  contactLogged: ['Çağrı kaydedildi', 'Call logged'],
  number: ['Başvuru no', 'Ticket no'],
  status: ['Durum', 'Status'],
  received: ['Alındı', 'Received'],
  due: ['Süre sonu', 'Due'],
  empty: ['Bu kuyrukta başvuru yok.', 'This queue is empty.'],
  loading: ['Yükleniyor…', 'Loading…'],
  notFound: ['Başvuru bulunamadı (ya da görme yetkiniz yok).', 'Ticket not found (or not yours to see).'],
  requester: ['Başvuran', 'Requester'],
  unreachable: ['Vatandaşa SMS ile ulaşılamıyor; telefonla arayın', 'The citizen cannot be reached by SMS; call them'],
  rating: ['Vatandaşın puanı', 'Citizen’s rating'],
  citizenMessages: ['Vatandaşın mesajları (WhatsApp/SMS)', 'The citizen’s messages (WhatsApp/SMS)'],
  attachment: ['Ek', 'Attachment'],
  location: ['Konum', 'Location'],
  timeline: ['Zaman çizelgesi', 'Timeline'],
  clocks: ['Süreler', 'Clocks'],
  slaClock: ['Çözüm süresi (SLA)', 'SLA'],
  legalClock: ['Yasal yanıt süresi (3071)', 'Legal deadline (Law 3071)'],
  approvalClock: ['Onay kademesi', 'Approval level'],
  remaining: ['kalan', 'left'],
  overdue: ['gecikti', 'overdue'],
  paused: ['durduruldu', 'paused'],
  stopped: ['durdu', 'stopped'],
  actions: ['İşlemler', 'Actions'],
  noActions: ['Şu an yapabileceğiniz bir işlem yok.', 'Nothing for you to do now.'],
  send: ['Gönder', 'Send'],
  conflict: ['Bu başvuru siz bakarken değişti, güncel hali yüklendi. Şimdi:', 'This ticket changed a moment ago and has been reloaded. Now:'],
  done: ['İşlem tamam', 'Done'],
  outcomeUnknown: [
    'Sunucu zamanında yanıt veremedi; işlemin yapılıp yapılmadığı belli değil. Formu aynen yeniden göndermek güvenlidir: işlem yalnızca bir kez uygulanır.',
    'The server could not answer in time, so it is not known whether this was done. Sending the same form again is safe: it is applied only once.',
  ],
  history: ['Olay geçmişi (denetim)', 'Event history (audit)'],
  downloadJson: ['JSON indir', 'Download JSON'],
  reason: ['Gerekçe', 'Reason'],
  text: ['Metin', 'Text'],
  visibility: ['Görünürlük', 'Visibility'],
  internal: ['Kurum içi', 'Internal'],
  citizenVisible: ['Vatandaş görür', 'Citizen sees it'],
  audience: ['Kime', 'Audience'],
  citizenOnlyAnswer: ['Yalnızca vatandaşa', 'To the citizen only'],
  publicAnswer: ['Kamuya açık yanıt — Open311’de yayımlanır', 'Public answer — shown on Open311'],
  public: ['Kamuya açık', 'Public'],
  expert: ['Uzman', 'Expert'],
  openLoad: ['açık iş', 'open'],
  institution: ['Kurum', 'Institution'],
  summary: ['Vatandaşa özet', 'Summary for the citizen'],
  question: ['Soru', 'Question'],
  answer: ['Yanıt', 'Answer'],
  channel: ['Kanal', 'Channel'],
  resolution: ['Çözüm', 'Resolution'],
  chain: ['Onay zinciri', 'Approval chain'],
  level: ['Kademe', 'Level'],
  signedInAs: ['Oturum', 'Signed in'],
  at: ['Zaman', 'Time'],
  by: ['Kaydeden', 'By'],
  temporal: ['İş akışı', 'Workflow'],
  toFinalize: ['Sonuçlandırılacak', 'To finalize'],
  eventType: ['Olay', 'Event'],
  eventSummary: ['Ayrıntı', 'Detail'],
  temporalUi: ['Temporal arayüzünde aç', 'Open in the Temporal UI'],
  liveReconnecting: ['Canlı güncellemeler yeniden bağlanıyor…', 'Live updates reconnecting…'],
  liveOffline: ['Çevrimdışı: değişiklikler bağlantı gelince görünecek', 'Offline: changes will show when the connection is back'],
  onBehalf: ['vatandaş adına', 'for the citizen'],
  openTicket: ['Başvuru aç', 'Open ticket'],
  go: ['Git', 'Go'],
  sort: ['Sıralama', 'Order'],
  newest: ['En yeni önce', 'Newest first'],
  oldest: ['En eski önce', 'Oldest first'],
  expertsLoad: ['Uzmanların açık işleri', 'Experts’ open tickets'],
  badCredentials: ['Kullanıcı adı veya parola hatalı.', 'Wrong username or password.'],
  // Issue 20 (part A): the platform users' ticket screen, lost access, the category picker, the phone-width menu.
  readOnlyTicket: ['Salt okunur: başvurunun vatandaşa açık adımları', 'Read-only: the ticket’s citizen-visible steps'],
  steps: ['Adımlar', 'Steps'],
  publicAnswers: ['Kamuya açık yanıtlar', 'Public answers'],
  noPublicAnswer: ['Henüz kamuya açık bir yanıt yok.', 'No public answer yet.'],
  resolvedAt: ['Çözüldü', 'Resolved'],
  closedAt: ['Kapandı', 'Closed'],
  reopenUntil: ['Yeniden açılabilir (son gün)', 'Can be reopened until'],
  reopenCount: ['Yeniden açılma sayısı', 'Times reopened'],
  accessLost: [
    'Bu başvuruyu artık göremiyorsunuz (başka bir aşamaya ya da birime geçti). Bu ekran başvuruyu yenilemeyi durdurdu.',
    'You can no longer see this ticket (it moved to another stage or department). This screen has stopped refreshing it.',
  ],
  chooseCategory: ['Kategori seçin: başvuru kategorisiz kaydedilemez.', 'Choose a category: a ticket cannot be recorded without one.'],
  noCategoryMatch: ['Aramaya uyan kategori yok.', 'No category matches the search.'],
  categoryHelp: ['Aşağı/yukarı ok ile gezin, Boşluk ya da Enter ile seçin.', 'Move with the Up/Down arrows, choose with Space or Enter.'],
  menu: ['Menü', 'Menu'],
  // Issue 20, part C: intake limits, drafts kept across an expired session, the next ticket.
  characters: ['karakter', 'characters'],
  charactersOver: ['karakter sınırı aşıldı', 'over the character limit'],
  sessionExpiredTextKept: ['Oturumunuz sona erdi; yazdığınız metin saklandı. Tekrar giriş yapın, kaldığınız yere döneceksiniz.', 'Your session expired; your text was kept. Sign in again to return where you were.'],
  draftRestored: ['Gönderilmemiş metniniz geri getirildi.', 'Your unsent text was restored.'],
  nextInQueue: ['Bu kuyruktaki sonraki başvuru', 'Next ticket in this queue'],
  queueDone: ['Bu kuyrukta başka başvuru yok.', 'No other ticket in this queue.'],
  // Finding tickets and the rows of a list (issue 20).
  search: ['Başvuru ara', 'Find tickets'],
  searchText: ['Aranacak sözcük', 'Words to find'],
  find: ['Başvuru no ya da sözcük', 'Ticket no or words'],
  filters: ['Süzgeçler', 'Filters'],
  apply: ['Ara', 'Search'],
  clearFilters: ['Temizle', 'Clear'],
  any: ['Tümü', 'Any'],
  segment: ['Başvuran grubu', 'Segment'],
  dateFrom: ['Alınma: başlangıç', 'Received from'],
  dateTo: ['Alınma: bitiş', 'Received to'],
  slaState: ['Süre durumu', 'SLA state'],
  slaBreachedOption: ['Süresi aşılan', 'Breached'],
  slaNotBreached: ['Süresi aşılmayan', 'Not breached'],
  slaAtRisk: ['Süresi daralan', 'At risk'],
  deadlineFirst: ['Süresi en yakın önce', 'Deadline nearest first'],
  relevance: ['En uygun önce', 'Best match first'],
  showing: ['Gösterilen', 'Showing'],
  subject: ['Konu', 'Subject'],
  timeLeft: ['Kalan süre', 'Time left'],
  more: ['Daha fazla göster', 'Show more'],
  flagReopened: ['Yeniden açıldı', 'Reopened'],
  flagRejectedBack: ['Onaydan döndü', 'Sent back by approver'],
  flagCalledAgain: ['Tekrar arandı', 'Called again'],
  flagWaiting: ['Vatandaş bekleniyor', 'Waiting for citizen'],
  minChars: ['En az 3 harflik bir sözcük yazın.', 'Type a word of at least 3 letters.'],
  latitude: ['Enlem', 'Latitude'],
  longitude: ['Boylam', 'Longitude'],
  placeMap: ['Harita: çağrının yeri', 'Map: the place of the call'],
  placeMapHelp: [
    'Haritaya tıklayın ya da iğneyi sürükleyin; enlem ve boylamı elle de yazabilirsiniz.',
    'Click the map or drag the pin; latitude and longitude can also be typed.',
  ],
  pinAgainst: ['İğne şu mahalle için konuldu', 'Pin placed for'],
  noBoundaries: [
    'Mahalle sınırı verisi yok: iğnenin seçilen mahallede olduğunu gözle kontrol edin.',
    'No neighbourhood boundaries: check by eye that the pin is in the chosen neighbourhood.',
  ],
  ticketMap: ['Harita: başvurunun yeri', 'Map: the ticket’s place'],
  listView: ['Liste', 'List'],
  mapView: ['Harita', 'Map'],
  queueMap: ['Harita: listedeki başvurular', 'Map: the tickets of the list'],
  withoutPlace: ['konumu olmayan', 'without a position'],
  tickets: ['başvuru', 'tickets'],
  // Issue 21: photos and documents of a ticket.
  photos: ['Fotoğraflar ve belgeler', 'Photos and documents'],
  noAttachments: ['Henüz fotoğraf ya da belge yok.', 'No photos or documents yet.'],
  addPhoto: ['Fotoğraf ekle', 'Add photo'],
  addPhotoHelp: ['Telefonda kamera açılır; JPEG, PNG, WebP, HEIC ya da PDF.', 'On a phone the camera opens; JPEG, PNG, WebP, HEIC or PDF.'],
  photoKind: ['Ne fotoğrafı?', 'Photo of what?'],
  kindCITIZEN: ['Vatandaşın gönderdikleri', 'Sent by the citizen'],
  kindINTAKE: ['Çağrı kaydında eklenenler', 'Added at intake'],
  kindBEFORE: ['Önce', 'Before'],
  kindAFTER: ['Sonra', 'After'],
  kindShortINTAKE: ['Çağrı kaydı', 'Intake'],
  kindShortBEFORE: ['Önce (işten önce)', 'Before (the problem)'],
  kindShortAFTER: ['Sonra (yapılan iş)', 'After (the work done)'],
  uploading: ['Yükleniyor', 'Uploading'],
  uploaded: ['Fotoğraf eklendi', 'Photo attached'],
  photo: ['fotoğraf', 'photo'],
  openFullSize: ['büyük hâlini yeni sekmede aç', 'open full size in a new tab'],
  pdfDocument: ['PDF belge', 'PDF document'],
  resolutionPhotos: ['Uzmanın fotoğrafları', 'The expert’s photos'],
  noResolutionPhotos: ['Uzman fotoğraf eklemedi.', 'The expert attached no photo.'],
} as const satisfies Record<string, Pair>;

export type TextKey = keyof typeof TEXT;

/** The codes a console shows as labels, for screens that list them (filters). */
export const CHANNEL_CODES = Object.keys(CHANNEL) as Channel[];
export const SEGMENT_CODES = Object.keys(SEGMENT) as Segment[];
export const STATUS_CODES = Object.keys(STATUS) as Status[];

interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: TextKey): string;
  status(status: Status): string;
  type(type: TicketType): string;
  outcome(outcome: ContactOutcome): string;
  queue(queue: QueueName): string;
  channel(channel: Channel): string;
  segment(segment: Segment): string;
  action(action: ActionRoute): string;
  event(type: EventType): string;
}

const LANG_KEY = 'teksin.console.lang';
const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'tr'));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Language) => {
    localStorage.setItem(LANG_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const pick = (pair: Pair) => pair[lang === 'tr' ? 0 : 1];
    return {
      lang,
      setLang,
      t: (key) => pick(TEXT[key]),
      status: (s) => pick(STATUS[s]),
      type: (ty) => pick(TYPE[ty]),
      outcome: (o) => pick(OUTCOME[o]),
      queue: (q) => pick(QUEUE[q]),
      channel: (c) => pick(CHANNEL[c]),
      segment: (sg) => pick(SEGMENT[sg]),
      action: (a) => pick(ACTION[a]),
      event: (e) => pick(EVENT[e]),
    };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Ctx);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
