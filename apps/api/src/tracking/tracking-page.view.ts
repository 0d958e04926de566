import type { TicketStatus, TicketType } from '../../../../libs/domain/src';
import type { CitizenEventType, CitizenTicketView } from '../tickets/ticket-view.mapper';
import type { StepState, TrackingStep } from './tracking-steps';

export type PageLanguage = 'tr' | 'en';

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Who runs the center: the page's header and footer. */
export const CITY_NAME: Record<PageLanguage, string> = { tr: 'Mersin Büyükşehir Belediyesi', en: 'Mersin Metropolitan Municipality' };
export const CENTER_LINE = 'ALO 185';
/** The WhatsApp line (0324 185 00 00): where citizens write to the center. */
export const WHATSAPP_URL = 'https://wa.me/903241850000';

interface PageTexts {
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
}

const TEXTS: Record<PageLanguage, PageTexts> = {
  tr: {
    title: 'Başvuru takibi', status: 'Durum', timeline: 'Geçmiş', reopen: 'Sonuçtan memnun değilim, yeniden aç', reason: 'Gerekçeniz',
    answer: 'Cevabınız', send: 'Gönder', withdraw: 'Başvurumu geri çek', withdrawConfirm: 'Başvurumu geri çekmek istediğimi onaylıyorum',
    done: 'İşleminiz alındı.', closed: 'Bu başvuru kapatılmıştır. Bilgi için ALO 185’i arayabilirsiniz.',
    number: 'Başvuru numarası', type: 'Tür', category: 'Konu', district: 'İlçe', steps: 'Başvurunuzun aşamaları',
    expected: 'Beklenen çözüm tarihi', centerAnswer: 'Belediyemizin cevabı', whatNow: 'Şimdi ne yapabilirsiniz?',
    nothingToDo: 'Şu an sizden bir şey beklenmiyor. Gelişmeler SMS ile bildirilecek.', reopenUntil: 'Yeniden açma süresi',
    rate: 'Hizmetimizi değerlendirin', rating: 'Puanınız (1 en kötü, 5 en iyi)', comment: 'Yorumunuz (isteğe bağlı)',
    rated: 'Değerlendirmeniz için teşekkür ederiz', stars: (n) => `${n} / 5`,
    contact: 'Sorularınız için ALO 185’i arayın ya da WhatsApp hattımıza yazın: 0324 185 00 00',
    kvkk: 'Kişisel verilerin korunması (KVKK) aydınlatma metni', other: 'English',
    notFoundTitle: 'Bağlantı geçersiz', notFound: 'Bu bağlantıyla bir başvuru bulunamadı. Bağlantıyı SMS’ten eksiksiz açtığınızdan emin olun ya da ALO 185’i arayın.',
    waitingForYou: 'Sizden ek bilgi bekleniyor', failed: 'İşlem yapılamadı',
    closureQuestion: 'Sorununuz gerçekten çözüldü mü?', closureYes: 'Evet, çözüldü', closureNo: 'Hayır, çözülmedi — yeniden aç',
    closureReason: 'Hâlâ ne sorun var?',
  },
  en: {
    title: 'Request tracking', status: 'Status', timeline: 'History', reopen: 'I am not satisfied, reopen', reason: 'Your reason',
    answer: 'Your answer', send: 'Send', withdraw: 'Withdraw my request', withdrawConfirm: 'I confirm that I want to withdraw my request',
    done: 'Done.', closed: 'This request is closed. For information, call ALO 185.',
    number: 'Request number', type: 'Type', category: 'Subject', district: 'District', steps: 'The stages of your request',
    expected: 'Expected resolution date', centerAnswer: 'Our answer', whatNow: 'What you can do now',
    nothingToDo: 'Nothing is needed from you now. You will be told of progress by SMS.', reopenUntil: 'You can reopen it until',
    rate: 'Rate our service', rating: 'Your rating (1 worst, 5 best)', comment: 'Your comment (optional)',
    rated: 'Thank you for your rating', stars: (n) => `${n} / 5`,
    contact: 'For questions call ALO 185 or write to our WhatsApp line: +90 324 185 00 00',
    kvkk: 'Personal data protection (KVKK) notice', other: 'Türkçe',
    notFoundTitle: 'Link not valid', notFound: 'No request was found for this link. Make sure you opened the whole link from the SMS, or call ALO 185.',
    waitingForYou: 'We are waiting for information from you', failed: 'That did not work',
    closureQuestion: 'Is your issue really fixed?', closureYes: 'Yes, it is fixed', closureNo: 'No, it is not — reopen',
    closureReason: 'What is still wrong?',
  },
};

/** Every status in the citizen's words (a new status does not compile until it has them). */
const STATUS_LABELS: Record<PageLanguage, Record<TicketStatus, string>> = {
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

const STEP_LABELS: Record<PageLanguage, Record<TrackingStep, string>> = {
  tr: { RECEIVED: 'Alındı', AT_CENTER: 'Koordinasyon merkezinde', AT_DEPARTMENT: 'İlgili birimde', BEING_SOLVED: 'Çözülüyor', APPROVED: 'Onaylandı', RESOLVED: 'Sonuçlandı' },
  en: { RECEIVED: 'Received', AT_CENTER: 'At the center', AT_DEPARTMENT: 'At the department', BEING_SOLVED: 'Being solved', APPROVED: 'Approved', RESOLVED: 'Resolved' },
};

const STEP_STATE: Record<PageLanguage, Record<StepState['state'], string>> = {
  tr: { done: 'tamamlandı', current: 'şu anki aşama', todo: 'sırada' },
  en: { done: 'done', current: 'current stage', todo: 'to come' },
};

const TYPE_LABELS: Record<PageLanguage, Record<TicketType, string>> = {
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

/** Mobile first: one column, large touch targets, system fonts, contrast above WCAG AA. */
const STYLE = [
  ':root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--brand:#0b4f8a;--ok:#1d6b34;--line:#c8c8c8}',
  '*{box-sizing:border-box}body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f6f7f9}',
  'header,footer{background:var(--brand);color:#fff;padding:.75rem 1rem}header p,footer p{margin:0}header a,footer a{color:#fff}',
  'main{max-width:40rem;margin:0 auto;padding:1rem}section{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}',
  'h1{font-size:1.4rem;margin:.25rem 0}h2{font-size:1.15rem;margin:0 0 .5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:0}dt{color:var(--muted)}dd{margin:0}',
  'ol.steps{list-style:none;padding:0;margin:0}ol.steps li{position:relative;padding:0 0 .9rem 2.25rem}ol.steps li::before{content:"";position:absolute;left:.45rem;top:1.6rem;bottom:0;border-left:2px solid var(--line)}ol.steps li:last-child::before{display:none}',
  '.dot{position:absolute;left:0;top:.1rem;width:1.4rem;height:1.4rem;border-radius:50%;border:2px solid var(--muted);background:#fff;text-align:center;line-height:1.1rem;font-size:.8rem}',
  '.done .dot{background:var(--ok);border-color:var(--ok);color:#fff}.current .dot{border-color:var(--brand);box-shadow:0 0 0 3px #b9d4ee}.current strong{color:var(--brand)}',
  '.state,.when{display:block;color:var(--muted);font-size:.9rem}blockquote{margin:.25rem 0;padding:.5rem .75rem;border-left:4px solid var(--brand);background:#eef4fa}',
  'label{display:block;font-weight:600;margin:.5rem 0 .25rem}textarea{display:block;width:100%;min-height:5rem;font:inherit;padding:.5rem;border:1px solid var(--muted);border-radius:.25rem}',
  'button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1rem;margin-top:.5rem;border:0;border-radius:.25rem;background:var(--brand);color:#fff}button.danger{background:#8a1c1c}',
  'fieldset{border:0;padding:0;margin:0}legend{font-weight:600}.stars{display:flex;gap:.5rem;flex-wrap:wrap}.stars label{display:inline-flex;align-items:center;gap:.25rem;min-height:2.75rem;padding:0 .75rem;border:1px solid var(--muted);border-radius:.25rem;margin:0;font-weight:400}',
  '.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}.check input{width:1.4rem;height:1.4rem;margin-top:.1rem}#result:empty{display:none}#result{font-weight:600}a{color:var(--brand)}',
  'ol.history{padding-left:1.25rem}ol.history li{margin:.5rem 0}',
].join('');

/** Everything the page shows that is not in the citizen's ticket view. */
export interface TrackingPageFacts {
  categoryName: string | null;
  steps: StepState[];
  expectedBy: string | null;
  rating: { rating: number; comment: string | null } | null;
  /** The closure-check SMS asked "is it really fixed?" and waits for the answer. */
  closureCheckOpen?: boolean;
  now: Date;
}

const date = (iso: string, language: PageLanguage, withTime = true) =>
  new Date(iso).toLocaleString(language === 'tr' ? 'tr-TR' : 'en-GB', {
    timeZone: 'Europe/Istanbul',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  });
const time = (iso: string, language: PageLanguage, withTime = true) => `<time datetime="${escape(iso)}">${escape(date(iso, language, withTime))}</time>`;

function frame(language: PageLanguage, title: string, nonce: string, body: string, script = '', switchHref?: string): string {
  const t = TEXTS[language];
  const other = language === 'tr' ? 'en' : 'tr';
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title><style nonce="${escape(nonce)}">${STYLE}</style></head>
<body><header><p><strong>${escape(CITY_NAME[language])}</strong> · <a href="tel:185">${CENTER_LINE}</a>${switchHref ? ` · <a href="${escape(switchHref)}" lang="${other}" hreflang="${other}">${escape(t.other)}</a>` : ''}</p></header>
<main>${body}</main>
<footer><p>${escape(t.contact)} · <a href="${WHATSAPP_URL}">WhatsApp</a></p><p><a href="/kvkk?lang=${language}">${escape(t.kvkk)}</a></p></footer>${script}</body></html>`;
}

/**
 * The citizen's tracking page: what was asked, the six steps with their dates, the expected
 * date, the center's answer, and what the citizen may do now (answer a question, reopen with a
 * reason while the window is open, withdraw after confirming, rate once after resolution), each
 * calling the REST routes with the token. Its one inline <script> and <style> carry the
 * response's CSP nonce (common/security-headers.ts); no inline event handlers.
 */
export function renderTrackingPage(view: CitizenTicketView, token: string, language: PageLanguage, nonce: string, facts?: TrackingPageFacts): string {
  const t = TEXTS[language];
  const now = facts?.now ?? new Date();
  const steps = facts?.steps ?? [];
  const stepItems = steps
    .map((s, i) => {
      const current = s.state === 'current' ? ' aria-current="step"' : '';
      return `<li class="${s.state}"${current}><span class="dot" aria-hidden="true">${s.state === 'done' ? '✓' : i + 1}</span><strong>${escape(STEP_LABELS[language][s.step])}</strong><span class="state">${escape(STEP_STATE[language][s.state])}</span>${s.at ? `<span class="when">${time(s.at, language)}</span>` : ''}</li>`;
    })
    .join('');
  const answer = [...view.timeline].reverse().find((e) => (e.type === 'FINALIZED' || e.type === 'ANSWERED_DIRECTLY') && e.texts);
  const answerText = answer ? Object.values(answer.texts ?? {}).join('\n') : null;
  const items = view.timeline
    .map((e) => `<li>${time(e.at, language)} — ${escape(EVENT_LABELS[language][e.type])}${Object.values(e.texts ?? {}).map((x) => `<blockquote>${escape(x)}</blockquote>`).join('')}</li>`)
    .join('');

  const form = (command: string, label: string, field: string, id: string) =>
    `<form data-command="${command}" data-field="${field}"><label for="${id}">${escape(label)}</label><textarea id="${id}" name="${field}" required maxlength="2000"></textarea><button>${escape(t.send)}</button></form>`;
  const reopenOpen = view.status === 'RESOLVED' && view.reopenUntil !== null && new Date(view.reopenUntil).getTime() > now.getTime();
  const resolved = view.status === 'RESOLVED' || (view.status === 'CLOSED' && view.outcome === 'RESOLVED');
  const closure = Boolean(facts?.closureCheckOpen);
  const actions = [
    closure
      ? `<h3>${escape(t.closureQuestion)}</h3><form data-closure="yes"><button>${escape(t.closureYes)}</button></form><form data-closure="no"><label for="closure-reason">${escape(t.closureReason)}</label><textarea id="closure-reason" name="reason" required maxlength="2000"></textarea><button class="danger">${escape(t.closureNo)}</button></form>`
      : '',
    view.status === 'WAITING_FOR_CITIZEN' ? `<h3>${escape(t.waitingForYou)}</h3>${form('info-provided', t.answer, 'answer', 'answer')}` : '',
    reopenOpen && !closure
      ? `<h3>${escape(t.reopen)}</h3><p>${escape(t.reopenUntil)}: ${time(view.reopenUntil!, language)}</p>${form('reopen', t.reason, 'reason', 'reason')}`
      : '',
    resolved && !facts?.rating
      ? `<h3>${escape(t.rate)}</h3><form data-rating><fieldset><legend>${escape(t.rating)}</legend><div class="stars">${[1, 2, 3, 4, 5]
          .map((n) => `<label><input type="radio" name="rating" value="${n}" required> ${n}</label>`)
          .join('')}</div></fieldset><label for="comment">${escape(t.comment)}</label><textarea id="comment" name="comment" maxlength="1000"></textarea><button>${escape(t.send)}</button></form>`
      : '',
    resolved && facts?.rating ? `<p>${escape(t.rated)}: ${escape(t.stars(facts.rating.rating))}</p>` : '',
    !['RESOLVED', 'CLOSED'].includes(view.status)
      ? `<form data-command="withdraw"><label class="check"><input type="checkbox" name="confirm" required> ${escape(t.withdrawConfirm)}</label><button class="danger">${escape(t.withdraw)}</button></form>`
      : '',
  ].join('');

  const switchHref = `?k=${encodeURIComponent(token)}&lang=${language === 'tr' ? 'en' : 'tr'}`;
  const body = `<h1>${escape(t.title)}</h1>
<section aria-labelledby="what"><h2 id="what">${escape(t.number)}: ${escape(view.number)}</h2><dl>
<dt>${escape(t.status)}</dt><dd id="status">${escape(STATUS_LABELS[language][view.status])}</dd>
<dt>${escape(t.type)}</dt><dd>${escape(TYPE_LABELS[language][view.type])}</dd>
<dt>${escape(t.category)}</dt><dd>${escape(facts?.categoryName ?? view.category)}</dd>
${view.location.district ? `<dt>${escape(t.district)}</dt><dd>${escape(view.location.district)}</dd>` : ''}
${facts?.expectedBy ? `<dt>${escape(t.expected)}</dt><dd>${time(facts.expectedBy, language, false)}</dd>` : ''}
</dl></section>
${steps.length ? `<section aria-labelledby="steps"><h2 id="steps">${escape(t.steps)}</h2><ol class="steps">${stepItems}</ol></section>` : ''}
${answerText ? `<section aria-labelledby="answer-h"><h2 id="answer-h">${escape(t.centerAnswer)}</h2><blockquote>${escape(answerText)}</blockquote></section>` : ''}
<section aria-labelledby="now"><h2 id="now">${escape(t.whatNow)}</h2>${actions || `<p>${escape(t.nothingToDo)}</p>`}<p id="result" role="status" aria-live="polite"></p></section>
<section aria-labelledby="history"><h2 id="history">${escape(t.timeline)}</h2><ol class="history">${items}</ol></section>`;

  const script = `<script nonce="${escape(nonce)}">
const number=${jsonInScript(view.number)}, token=${jsonInScript(token)}, done=${jsonInScript(t.done)}, failed=${jsonInScript(t.failed)};
const post=async(path,body)=>{const r=await fetch(path,{method:'POST',headers:{'Content-Type':'application/json','X-Tracking-Token':token},body:JSON.stringify(body)});
 const j=await r.json().catch(()=>({}));const out=document.getElementById('result');out.textContent=r.ok?done:failed+': '+(j.detail||r.status);
 if(r.ok)setTimeout(()=>location.reload(),800);};
document.querySelectorAll('form[data-command]').forEach(f=>f.addEventListener('submit',ev=>{ev.preventDefault();
 const field=f.dataset.field;post('/tickets/'+encodeURIComponent(number)+'/'+f.dataset.command,field?{[field]:f.elements[field].value}:{});}));
document.querySelectorAll('form[data-closure]').forEach(f=>f.addEventListener('submit',ev=>{ev.preventDefault();
 const fixed=f.dataset.closure==='yes';post('/t/'+encodeURIComponent(number)+'/closure-check',fixed?{fixed}:{fixed,reason:f.elements.reason.value});}));
document.querySelectorAll('form[data-rating]').forEach(f=>f.addEventListener('submit',ev=>{ev.preventDefault();
 const comment=f.elements.comment.value.trim();post('/t/'+encodeURIComponent(number)+'/rating',{rating:Number(f.elements.rating.value),...(comment?{comment}:{})});}));
</script>`;
  return frame(language, `${t.title} ${view.number}`, nonce, body, script, switchHref);
}

/**
 * The page of a tracking link whose ticket closed longer ago than TRACKING_TOKEN_TTL_AFTER_CLOSE:
 * that it is closed, and nothing else about it.
 */
export function renderClosedPage(number: string, language: PageLanguage, nonce: string): string {
  const t = TEXTS[language];
  return frame(language, `${t.title} ${number}`, nonce, `<h1>${escape(t.title)} — ${escape(number)}</h1><section><p>${escape(t.closed)}</p></section>`);
}

/** An unknown ticket or a wrong token, for a browser: the same plain page either way, naming nothing. */
export function renderNotFoundPage(language: PageLanguage, nonce: string): string {
  const t = TEXTS[language];
  return frame(language, t.notFoundTitle, nonce, `<h1>${escape(t.notFoundTitle)}</h1><section><p>${escape(t.notFound)}</p></section>`);
}

/** The personal-data notice (KVKK Law 6698, Article 10) linked from the tracking page. */
export function renderKvkkPage(language: PageLanguage, nonce: string): string {
  const tr = `<h1>Kişisel Verilerin Korunması Aydınlatma Metni</h1><section>
<p>6698 sayılı Kişisel Verilerin Korunması Kanunu’nun 10. maddesi uyarınca, veri sorumlusu sıfatıyla ${escape(CITY_NAME.tr)} (ve su/kanalizasyon başvurularında MESKİ Genel Müdürlüğü) olarak sizi bilgilendiririz.</p>
<h2>Hangi verileri işliyoruz?</h2><p>Adınız, telefon numaranız, başvurunuzun metni, adres ve konum bilgisi, WhatsApp/SMS ile gönderdiğiniz mesajlar ve görseller ile başvurunuzun işlem kayıtları.</p>
<h2>Hangi amaçla?</h2><p>Başvurunuzu almak, ilgili birime iletmek, sonuçlandırmak, sizi SMS veya WhatsApp ile bilgilendirmek ve 3071 sayılı Dilekçe Hakkının Kullanılmasına Dair Kanun kapsamındaki yükümlülüklerimizi yerine getirmek. Hukuki sebep: kanunlarda öngörülme ve kamu görevinin yerine getirilmesi (KVKK m. 5/2-a, ç, e).</p>
<h2>Kimlerle paylaşıyoruz?</h2><p>Yalnızca başvurunuzla ilgili belediye birimleri; yetki alanımız dışındaki konularda sorumlu kamu kurumu; mesajların iletimi için SMS/WhatsApp hizmet sağlayıcımız.</p>
<h2>Ne kadar saklıyoruz?</h2><p>Başvuru kayıtları mevzuattaki saklama süreleri boyunca tutulur; takip bağlantınız başvurunuz kapandıktan sonra belirli bir süre sonra çalışmaz.</p>
<h2>Haklarınız</h2><p>KVKK’nın 11. maddesi uyarınca verilerinize erişme, düzeltilmesini veya silinmesini isteme ve itiraz etme haklarınızı ALO 185 üzerinden ya da belediyemize yazılı başvuruyla kullanabilirsiniz.</p></section>`;
  const en = `<h1>Personal Data Protection Notice</h1><section>
<p>Under Article 10 of the Personal Data Protection Law No. 6698 (KVKK), ${escape(CITY_NAME.en)} (and, for water and sewerage requests, MESKİ) informs you as data controller.</p>
<h2>What we process</h2><p>Your name, phone number, the text of your request, address and location, the WhatsApp/SMS messages and pictures you send, and the processing record of your request.</p>
<h2>Why</h2><p>To receive your request, pass it to the responsible unit, resolve it, keep you informed by SMS or WhatsApp, and meet our duties under Law No. 3071 on the right of petition. Legal ground: required by law and performance of a public duty (KVKK Art. 5/2-a, ç, e).</p>
<h2>Who receives it</h2><p>Only the municipal units handling your request; the responsible public institution when the matter is outside our remit; our SMS/WhatsApp provider, to deliver messages.</p>
<h2>How long</h2><p>Request records are kept for the periods the law requires; your tracking link stops working some time after your request is closed.</p>
<h2>Your rights</h2><p>Under Article 11 of the KVKK you may ask to see, correct or erase your data and object to its processing, through ALO 185 or in writing to the municipality.</p></section>`;
  return frame(language, language === 'tr' ? 'KVKK aydınlatma metni' : 'KVKK notice', nonce, language === 'tr' ? tr : en, '', `?lang=${language === 'tr' ? 'en' : 'tr'}`);
}

/** JSON safe inside a <script> element (no "</script>" or "<!--" can close it early). */
const jsonInScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
