import type { TicketStatus } from '../../../../libs/domain/src';
import type { CitizenEventType, CitizenTicketView } from '../tickets/ticket-view.mapper';

export type PageLanguage = 'tr' | 'en';

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface PageTexts {
  title: string;
  status: string;
  timeline: string;
  reopen: string;
  reason: string;
  answer: string;
  send: string;
  withdraw: string;
  done: string;
  closed: string;
}

const TEXTS: Record<PageLanguage, PageTexts> = {
  tr: {
    title: 'Başvuru takibi', status: 'Durum', timeline: 'Geçmiş', reopen: 'Sonuçtan memnun değilim, yeniden aç', reason: 'Gerekçeniz',
    answer: 'Cevabınız', send: 'Gönder', withdraw: 'Başvurumu geri çek', done: 'İşleminiz alındı.',
    closed: 'Bu başvuru kapatılmıştır. Bilgi için ALO 185’i arayabilirsiniz.',
  },
  en: {
    title: 'Request tracking', status: 'Status', timeline: 'History', reopen: 'I am not satisfied, reopen', reason: 'Your reason',
    answer: 'Your answer', send: 'Send', withdraw: 'Withdraw my request', done: 'Done.',
    closed: 'This request is closed. For information, call ALO 185.',
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

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}li{margin:.5rem 0}blockquote{margin:.25rem 1rem;color:#333}textarea{display:block;width:100%;min-height:4rem}';

/**
 * The citizen's tracking page: status, the citizen-visible timeline, and the citizen's own
 * commands (answer a question, reopen, withdraw), which call the REST routes with the token.
 * Its inline <script> and <style> carry the response's CSP nonce (common/security-headers.ts).
 */
export function renderTrackingPage(view: CitizenTicketView, token: string, language: PageLanguage, nonce: string): string {
  const t = TEXTS[language];
  const items = view.timeline
    .map((e) => `<li><time>${escape(new Date(e.at).toLocaleString(language === 'tr' ? 'tr-TR' : 'en-GB', { timeZone: 'Europe/Istanbul' }))}</time> — ${escape(EVENT_LABELS[language][e.type])}${Object.values(e.texts ?? {}).map((x) => `<blockquote>${escape(x)}</blockquote>`).join('')}</li>`)
    .join('');
  const form = (command: string, label: string, field: string) =>
    `<form data-command="${command}" data-field="${field}"><label>${escape(label)}<textarea name="${field}" required maxlength="2000"></textarea></label><button>${escape(t.send)}</button></form>`;
  const actions = [
    view.status === 'WAITING_FOR_CITIZEN' ? form('info-provided', t.answer, 'answer') : '',
    view.status === 'RESOLVED' ? `<h2>${escape(t.reopen)}</h2>${form('reopen', t.reason, 'reason')}` : '',
    !['RESOLVED', 'CLOSED'].includes(view.status) ? `<form data-command="withdraw"><button>${escape(t.withdraw)}</button></form>` : '',
  ].join('');
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(t.title)} ${escape(view.number)}</title>
<style nonce="${escape(nonce)}">${STYLE}</style></head>
<body><h1>${escape(t.title)} — ${escape(view.number)}</h1>
<p><strong>${escape(t.status)}:</strong> <span id="status">${escape(STATUS_LABELS[language][view.status])}</span></p>
<h2>${escape(t.timeline)}</h2><ol>${items}</ol>${actions}<p id="result" role="status"></p>
<script nonce="${escape(nonce)}">
const number=${jsonInScript(view.number)}, token=${jsonInScript(token)};
document.querySelectorAll('form[data-command]').forEach(f=>f.addEventListener('submit',async ev=>{ev.preventDefault();
 const field=f.dataset.field, body=field?{[field]:f.elements[field].value}:{};
 const r=await fetch('/tickets/'+encodeURIComponent(number)+'/'+f.dataset.command,{method:'POST',headers:{'Content-Type':'application/json','X-Tracking-Token':token},body:JSON.stringify(body)});
 const j=await r.json().catch(()=>({}));document.getElementById('result').textContent=r.ok?${jsonInScript(t.done)}:(j.detail||r.status);
 if(r.ok)setTimeout(()=>location.reload(),800);}));
</script></body></html>`;
}

/**
 * The page of a tracking link whose ticket closed longer ago than TRACKING_TOKEN_TTL_AFTER_CLOSE:
 * that it is closed, and nothing else about it.
 */
export function renderClosedPage(number: string, language: PageLanguage, nonce: string): string {
  const t = TEXTS[language];
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(t.title)} ${escape(number)}</title><style nonce="${escape(nonce)}">${STYLE}</style></head>
<body><h1>${escape(t.title)} — ${escape(number)}</h1><p>${escape(t.closed)}</p></body></html>`;
}

/** JSON safe inside a <script> element (no "</script>" or "<!--" can close it early). */
const jsonInScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
