
/*
 * The API answers its refusals in English (problem+json: a code, a detail, and for a 400 each
 * field with its messages). The console says them in its own language: one table per thing the
 * API names — the code, the field, the kind of validation failure — each with Turkish and
 * English. A failure the table does not know keeps the API's own words (never a blank).
 */

type Language = 'tr' | 'en';
/** The parts of a problem+json answer this reads (client.ts's Problem has them). */
interface ProblemLike {
  title: string;
  detail?: string;
  code?: string;
}
type Pair = readonly [tr: string, en: string];

/**
 * Every code a problem can carry (ApiErrorCode and DomainErrorCode): apps/api's
 * problem-texts.spec.ts fails when a code has no texts here.
 */
export const CODE_TEXTS: Record<string, Pair> = {
  VALIDATION_FAILED: ['Bazı alanlar hatalı: işaretli alanları düzeltin.', 'Some fields are wrong: correct the marked fields.'],
  MALFORMED_JSON: ['İstek okunamadı (bozuk veri). Sayfayı yenileyip tekrar deneyin.', 'The request could not be read (malformed data). Reload and try again.'],
  BAD_REQUEST: ['İstek hatalı.', 'The request is malformed.'],
  UNSUPPORTED_MEDIA_TYPE: ['İstek biçimi desteklenmiyor.', 'The request’s format is not supported.'],
  PAYLOAD_TOO_LARGE: ['Gönderilen metin çok uzun.', 'What was sent is too long.'],
  UNAUTHENTICATED: ['Oturumunuz sona erdi: tekrar giriş yapın.', 'Your session has ended: sign in again.'],
  FORBIDDEN: ['Bu işlem için yetkiniz yok.', 'You are not allowed to do this.'],
  NOT_FOUND: ['Bulunamadı.', 'Not found.'],
  TICKET_CLOSED: ['Başvuru kapanmış: işlem yapılamaz.', 'The ticket is closed: nothing more can be done.'],
  TICKET_NOT_READY: ['Başvuru henüz hazır değil: birazdan tekrar deneyin.', 'The ticket is not ready yet: try again in a moment.'],
  REQUEST_ID_REUSED: ['Bu istek başka bir işlem için kullanılmış: formu yeniden gönderin.', 'This request was used for another action: send the form again.'],
  REQUEST_IN_PROGRESS: ['İlk gönderim hâlâ işleniyor: birazdan tekrar deneyin.', 'The first submission is still being handled: try again shortly.'],
  IDEMPOTENCY_KEY_REUSED: ['Bu kayıt farklı bilgilerle zaten gönderildi: formu yenileyip tekrar kaydedin.', 'This record was already sent with other details: reset the form and record again.'],
  DATABASE_UNAVAILABLE: ['Sistem şu an yanıt vermiyor: hiçbir şey kaydedilmedi, birazdan tekrar deneyin.', 'The system is not answering: nothing was recorded, try again shortly.'],
  DATABASE_TIMEOUT: ['İstek çok uzun sürdü: daha az şey isteyin ya da tekrar deneyin.', 'The request took too long: ask for less or try again.'],
  ATTACHMENT_TOO_LARGE: ['Dosya çok büyük.', 'The file is too large.'],
  ATTACHMENT_TOO_MANY_PIXELS: ['Görüntü çok büyük (piksel sayısı sınırın üstünde).', 'The image is too large (too many pixels).'],
  ATTACHMENT_TYPE_UNSUPPORTED: ['Bu dosya türü eklenemez: JPEG, PNG, WebP, HEIC ya da PDF ekleyin.', 'This type of file cannot be attached: attach JPEG, PNG, WebP, HEIC or PDF.'],
  ATTACHMENT_UNREADABLE: ['Dosya okunamadı (eksik ya da bozuk).', 'The file cannot be read (truncated or corrupt).'],
  ATTACHMENT_ACTIVE_CONTENT: ['PDF betik ya da gömülü dosya içeriyor: eklenemez.', 'The PDF has scripts or embedded files: it cannot be attached.'],
  ATTACHMENT_LIMIT_REACHED: ['Bu başvurunun ek sınırı doldu.', 'This ticket has as many attachments as it may have.'],
  TOO_MANY_SIGN_IN_ATTEMPTS: ['Çok fazla giriş denemesi: biraz bekleyip tekrar deneyin.', 'Too many sign-in attempts: wait and try again.'],
  IDENTITY_PROVIDER_UNAVAILABLE: ['Kimlik sağlayıcıya ulaşılamıyor: birazdan tekrar deneyin.', 'The identity provider cannot be reached: try again shortly.'],
  TOO_MANY_REQUESTS: ['Çok fazla istek: biraz bekleyip tekrar deneyin.', 'Too many requests: wait and try again.'],
  RATING_NOT_OPEN: ['Başvuru henüz puanlanamaz.', 'The ticket cannot be rated yet.'],
  ALREADY_RATED: ['Başvuru zaten puanlanmış.', 'The ticket has been rated already.'],
  CLOSURE_CHECK_NOT_OPEN: ['Yanıt bekleyen bir kapanış kontrolü yok.', 'No closure check is waiting for an answer.'],
  CITIZEN_NOT_TEXTABLE: ['Vatandaşın numarası cep telefonu değil: SMS gönderilemez.', 'The citizen’s number is not a mobile: no SMS can be sent.'],
  TRACKING_LINK_UNAVAILABLE: ['Bu başvurunun geçerli bir takip bağlantısı yok.', 'This ticket has no working tracking link.'],
  WORKFLOW_UNAVAILABLE: ['Sonuç bilinmiyor: aynı formu tekrar göndermek güvenlidir.', 'The outcome is unknown: sending the same form again is safe.'],
  LIVE_FEED_UNAVAILABLE: ['Canlı güncellemeler şu an alınamıyor; sayfa kendini yine de yeniler.', 'Live updates are not available right now; the page still refreshes by itself.'],
  DEPUTY_OF_SELF: ['Kişi kendi vekili olamaz.', 'A person cannot be their own deputy.'],
  DEPUTY_OTHER_DEPARTMENT: ['Vekil, asılla aynı birimde çalışmalı.', 'The deputy must work in the principal’s department.'],
  DEPUTY_OVERLAP: ['Bu tarihlerde başka bir vekalet var.', 'Another deputyship covers those dates.'],
  INTERNAL_ERROR: ['Beklenmeyen bir hata oluştu.', 'Something unexpected went wrong.'],
  OIDC_ACCOUNT_NOT_LINKED: ['Bu hesap bir personel kaydına bağlı değil.', 'This account is not linked to a staff member.'],
  OIDC_ACCOUNT_LINKED_ELSEWHERE: ['Bu hesap başka bir personele bağlı.', 'This account is linked to another staff member.'],
  INVALID_TRANSITION: ['Başvuru bu arada değişti: bu işlem artık yapılamaz.', 'The ticket changed meanwhile: this action no longer applies.'],
  INVALID_COMMAND: ['İşlemin bilgileri eksik ya da hatalı.', 'The action’s details are missing or wrong.'],
  REOPEN_WINDOW_CLOSED: ['Yeniden açma süresi geçti.', 'The reopen window has passed.'],
  SEPARATION_OF_DUTIES: ['Kendi çözümünüzü ya da aynı turda ikinci kez onaylayamazsınız.', 'You cannot approve your own resolution, or twice in one round.'],
};

/** The fields intake and the contact log send, as the form calls them. */
export const FIELD_TEXTS: Record<string, Pair> = {
  channel: ['Kanal', 'Channel'],
  type: ['Tür', 'Type'],
  category: ['Kategori', 'Category'],
  segment: ['Başvuran grubu', 'Segment'],
  language: ['Dil', 'Language'],
  requester: ['Arayan', 'Caller'],
  'requester.name': ['Arayanın adı', 'Caller’s name'],
  'requester.phone': ['Telefon', 'Phone'],
  description: ['Açıklama', 'Description'],
  location: ['Konum', 'Location'],
  'location.district': ['İlçe', 'District'],
  'location.neighbourhood': ['Mahalle', 'Neighbourhood'],
  'location.address': ['Adres', 'Address'],
  'location.lat': ['Enlem', 'Latitude'],
  'location.lng': ['Boylam', 'Longitude'],
  public: ['Herkese açık', 'Public'],
  phone: ['Telefon', 'Phone'],
  outcome: ['Sonuç', 'Outcome'],
  ticketNumber: ['Başvuru no', 'Ticket number'],
  note: ['Not', 'Note'],
  'Idempotency-Key': ['Kayıt anahtarı', 'Record key'],
};

/**
 * The kinds of validation failure the intake and contact forms can get, recognised by the
 * API's English message (class-validator's and the services' own), with the numbers or names
 * the message carries.
 */
export const FAILURE_TEXTS: { kind: string; match: RegExp; say: (m: RegExpMatchArray) => Pair }[] = [
  { kind: 'missing', match: /should not be null or undefined/, say: () => ['Gerekli.', 'Required.'] },
  { kind: 'notObject', match: /must be an object|must be either object or array/, say: () => ['Eksik ya da hatalı bilgi.', 'Missing or malformed.'] },
  { kind: 'notNumber', match: /must be a number|must not be (less|greater) than/, say: () => ['Geçerli bir sayı girin.', 'Enter a valid number.'] },
  { kind: 'notBoolean', match: /must be a boolean value/, say: () => ['Evet ya da hayır olmalı.', 'Must be yes or no.'] },
  { kind: 'unexpected', match: /should not exist/, say: () => ['Bu alan gönderilmemeli.', 'This field must not be sent.'] },
  { kind: 'empty', match: /must not be empty|should not be empty|must not be empty or whitespace only/, say: () => ['Boş bırakılamaz.', 'Must not be empty.'] },
  { kind: 'control', match: /must not contain control characters/, say: () => ['Görünmeyen denetim karakterleri içeremez.', 'Must not contain control characters.'] },
  { kind: 'tooLong', match: /must be shorter than or equal to (\d+) characters/, say: (m) => [`En fazla ${m[1]} karakter olabilir.`, `At most ${m[1]} characters.`] },
  { kind: 'notText', match: /must be a string/, say: () => ['Metin olmalı.', 'Must be text.'] },
  { kind: 'notOneOf', match: /must be one of the following values/, say: () => ['Listeden bir değer seçin.', 'Choose a value from the list.'] },
  { kind: 'phone', match: /must be a valid phone number/, say: () => ['Geçerli bir telefon numarası girin (ör. 0532 123 45 67).', 'Enter a valid phone number (e.g. 0532 123 45 67).'] },
  { kind: 'unknownCategory', match: /unknown category/, say: () => ['Listeden bir kategori seçin.', 'Choose a category from the list.'] },
  { kind: 'unknownDistrict', match: /is not a district of Mersin/, say: () => ['Mersin’in bir ilçesini seçin.', 'Choose one of Mersin’s districts.'] },
  { kind: 'unknownNeighbourhood', match: /is not a neighbourhood of (.+?) \(/, say: (m) => [`${m[1]} ilçesinin bir mahallesini seçin.`, `Choose a neighbourhood of ${m[1]}.`] },
  { kind: 'districtNeeded', match: /is needed with a neighbourhood/, say: () => ['Mahalle seçildiyse ilçe de seçilmeli.', 'Choose the district of the neighbourhood.'] },
  { kind: 'duplicateNeedsTicket', match: /a duplicate call names the open ticket/, say: () => ['Tekrar arama için açık başvurunun numarasını yazın.', 'A duplicate call names the open ticket.'] },
  { kind: 'onlyDuplicateNamesTicket', match: /only a DUPLICATE_OF_OPEN_TICKET contact names a ticket/, say: () => ['Başvuru numarası yalnız tekrar aramada yazılır.', 'Only a duplicate call names a ticket.'] },
  { kind: 'ticketMissing', match: /ticket (\S+) does not exist/, say: (m) => [`${m[1]} numaralı başvuru yok.`, `Ticket ${m[1]} does not exist.`] },
  { kind: 'ticketNotOpen', match: /ticket (\S+) is not open/, say: (m) => [`${m[1]} numaralı başvuru açık değil.`, `Ticket ${m[1]} is not open.`] },
  { kind: 'segment', match: /comes from your account|only the coordination center records a request in another segment/, say: () => ['Başvuran grubu hesabınızdan gelir.', 'The segment comes from your account.'] },
  { kind: 'key', match: /must be 1 to 255 printable ASCII characters/, say: () => ['Kayıt anahtarı geçersiz: formu yenileyin.', 'The record key is invalid: reset the form.'] },
];

const pick = ([tr, en]: Pair, lang: Language) => (lang === 'tr' ? tr : en);

/** One field's message in the console's language (the API's own words if the kind is unknown). */
export function fieldMessage(message: string, lang: Language): string {
  for (const failure of FAILURE_TEXTS) {
    const m = message.match(failure.match);
    if (m) return pick(failure.say(m), lang);
  }
  return message;
}

/** A field's name in the console's language (the API's path if unknown). */
export const fieldName = (field: string, lang: Language): string => {
  const texts = FIELD_TEXTS[field];
  return texts ? pick(texts, lang) : field;
};

/** What a refusal says as a whole: the code's text, or the API's detail if the code is unknown. */
export function problemMessage(problem: ProblemLike, lang: Language): string {
  const texts = problem.code ? CODE_TEXTS[problem.code] : undefined;
  return texts ? pick(texts, lang) : (problem.detail ?? problem.title);
}

/** The kind a message is recognised as, or null (for tests: every failure intake can get has one). */
export const failureKind = (message: string): string | null => FAILURE_TEXTS.find((f) => f.match.test(message))?.kind ?? null;
