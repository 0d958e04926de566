import type { CitizenTicketView } from '../tickets/ticket-views.schema';
import { TRACKING_PAGE_STYLE } from './tracking-page.styles';
import { trackingPageScript } from './tracking-page.script';
import { renderPhotoUpload, renderTrackingPhotos, TRACKING_PHOTOS_STYLE, UPLOAD_TEXTS, type TrackingPhoto } from './tracking-photos';
import { CENTER_LINE, CITY_NAME, EVENT_LABELS, KVKK_NOTICE, STATUS_LABELS, STEP_LABELS, STEP_STATE, TEXTS, TYPE_LABELS, WHATSAPP_URL, type PageLanguage } from './tracking-page.texts';
import type { StepState } from './tracking-steps';

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Everything the page shows that is not in the citizen's ticket view. */
export interface TrackingPageFacts {
  categoryName: string | null;
  steps: StepState[];
  expectedBy: string | null;
  rating: { rating: number; comment: string | null } | null;
  /** The closure-check SMS asked "is it really fixed?" and waits for the answer. */
  closureCheckOpen?: boolean;
  /** A referred ticket: the institution it went to, and how the citizen reaches it. */
  referredTo?: { name: string; contact: string } | null;
  /** Whether progress will be texted (an open ticket, a number that takes SMS): the page promises no SMS otherwise. */
  smsUpdates?: boolean;
  /** The photos the citizen may see (tracking-photos.ts): their own, and the AFTER photos once the resolution was approved. */
  photos?: TrackingPhoto[];
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
<meta name="robots" content="noindex"><title>${escape(title)}</title><style nonce="${escape(nonce)}">${TRACKING_PAGE_STYLE}${TRACKING_PHOTOS_STYLE}</style></head>
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
      const where = s.step === 'REFERRED' && facts?.referredTo ? `: ${facts.referredTo.name}` : '';
      return `<li class="${s.state}"${current}><span class="dot" aria-hidden="true">${s.state === 'done' ? '✓' : i + 1}</span><strong>${escape(STEP_LABELS[language][s.step] + where)}</strong><span class="state">${escape(STEP_STATE[language][s.state])}</span>${s.at ? `<span class="when">${time(s.at, language)}</span>` : ''}</li>`;
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

  // What the citizen must see first: staff's question with the answer box, the reopening confirmed, where a referral went.
  const question = view.status === 'WAITING_FOR_CITIZEN' ? [...view.timeline].reverse().find((e) => e.type === 'CITIZEN_INFO_REQUESTED') : undefined;
  const questionText = question ? Object.values(question.texts ?? {}).join('\n') : '';
  const asked =
    view.status === 'WAITING_FOR_CITIZEN'
      ? `<section aria-labelledby="question-h" class="question"><h2 id="question-h">${escape(t.questionFromStaff)}</h2>${questionText ? `<blockquote>${escape(questionText)}</blockquote>` : `<p>${escape(t.waitingForYou)}</p>`}${form('info-provided', t.answer, 'answer', 'answer')}<p class="result" role="status" aria-live="polite"></p></section>`
      : '';
  const last = view.timeline.at(-1);
  const reopened = last?.type === 'REOPENED' && !['RESOLVED', 'CLOSED'].includes(view.status) ? `<p class="confirmation" role="status">${escape(t.reopened)} ${time(last.at, language)}</p>` : '';
  const referred = facts?.referredTo
    ? `<section aria-labelledby="referred-h" class="referred"><h2 id="referred-h">${escape(t.referredTo)}: ${escape(facts.referredTo.name)}</h2><p>${escape(t.referredReach)}: ${escape(facts.referredTo.contact)}</p></section>`
    : '';
  const idle = facts?.smsUpdates ? t.nothingToDoSms : `${t.nothingToDo} ${t.noMoreSms}`;

  const switchHref = `?k=${encodeURIComponent(token)}&lang=${language === 'tr' ? 'en' : 'tr'}`;
  const body = `<h1>${escape(t.title)}</h1>
${reopened}${asked}${referred}
<section aria-labelledby="what"><h2 id="what">${escape(t.number)}: ${escape(view.number)}</h2><dl>
<dt>${escape(t.status)}</dt><dd id="status">${escape(STATUS_LABELS[language][view.status])}</dd>
<dt>${escape(t.type)}</dt><dd>${escape(TYPE_LABELS[language][view.type])}</dd>
<dt>${escape(t.category)}</dt><dd>${escape(facts?.categoryName ?? view.category)}</dd>
${view.location.district ? `<dt>${escape(t.district)}</dt><dd>${escape(view.location.district)}</dd>` : ''}
${facts?.expectedBy ? `<dt>${escape(t.expected)}</dt><dd>${time(facts.expectedBy, language, false)}</dd>` : ''}
</dl></section>
${steps.length ? `<section aria-labelledby="steps"><h2 id="steps">${escape(t.steps)}</h2><ol class="steps">${stepItems}</ol></section>` : ''}
${answerText ? `<section aria-labelledby="answer-h"><h2 id="answer-h">${escape(t.centerAnswer)}</h2><blockquote>${escape(answerText)}</blockquote></section>` : ''}
${renderTrackingPhotos(facts?.photos, language)}
${view.status !== 'CLOSED' ? renderPhotoUpload(language) : ''}
<section aria-labelledby="now"><h2 id="now">${escape(t.whatNow)}</h2>${actions || `<p>${escape(asked ? t.nothingToDo : idle)}</p>`}<p id="result" class="result" role="status" aria-live="polite"></p></section>
<section aria-labelledby="history"><h2 id="history">${escape(t.timeline)}</h2><ol class="history">${items}</ol></section>`;

  const script = `<script nonce="${escape(nonce)}">${trackingPageScript({ number: view.number, token, done: t.done, failed: t.failed, upload: UPLOAD_TEXTS[language] })}</script>`;
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
  return frame(language, KVKK_NOTICE[language].title, nonce, KVKK_NOTICE[language].body, '', `?lang=${language === 'tr' ? 'en' : 'tr'}`);
}
