import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, type StaffTicket } from '../api/client';
import { useAuth } from '../auth';
import { clocksOf } from '../clocks';
import { dateTime, duration } from '../format';
import { useI18n } from '../i18n';
import { accessLost, useCategories, useDepartments, useTicket } from '../queries';
import { TicketMap } from '../map';
import { ActionForms } from './ActionForms';
import { TicketAttachments } from './Attachments';
import { PublicTicketView } from './PublicTicketView';

export function TicketRoute() {
  const { number = '' } = useParams();
  return <TicketPanel number={number} page />;
}

/** Every staff view of a ticket: status, requester, clocks, the actions the API allows now, the timeline. */
export function TicketPanel({ number, page = false }: { number: string; page?: boolean }) {
  const { t } = useI18n();
  const ticket = useTicket(number);
  const Heading = page ? 'h1' : 'h2';
  if (ticket.isPending) return <p>{t('loading')}</p>;
  if (ticket.error) {
    // Shown once had the screen read it before (access lost, e.g. after a reopen): the query has stopped polling it.
    const lost = accessLost(ticket.error) && ticket.data !== undefined;
    return (
      <section className="ticket" aria-labelledby="ticket-title">
        <Heading id="ticket-title">{number}</Heading>
        <p role="alert" className="error">
          {lost ? t('accessLost') : accessLost(ticket.error) ? t('notFound') : ticket.error.message}
        </p>
      </section>
    );
  }
  const view = ticket.data;
  // Platform users get the public view (or, on what they submitted, the citizen's): no `id`.
  if (!('id' in view)) return <PublicTicketView view={view} heading={Heading} />;
  return <StaffTicketView view={view} heading={Heading} />;
}

function StaffTicketView({ view, heading: Heading }: { view: StaffTicket; heading: 'h1' | 'h2' }) {
  const { t, status, lang, event, type, channel, segment } = useI18n();
  const { has } = useAuth();
  const categories = useCategories();
  const departments = useDepartments();
  const category = categories.data?.find((c) => c.code === view.category);
  const department = departments.data?.find((d) => d.id === view.departmentId);
  const name = (item: { name: string; nameEn: string } | undefined, fallback: string) => (item ? (lang === 'tr' ? item.name : item.nameEn) : fallback);

  return (
    <section className="ticket" aria-labelledby="ticket-title">
      <Heading id="ticket-title">
        {view.number} <span className={`status status-${view.status}`}>{status(view.status)}</span>
      </Heading>
      <dl className="facts">
        <dt>{t('type')}</dt>
        <dd>{type(view.type)}</dd>
        <dt>{t('category')}</dt>
        <dd>{name(category, view.category)}</dd>
        <dt>{t('department')}</dt>
        <dd>{view.departmentId ? name(department, view.departmentId) : '—'}</dd>
        <dt>{t('expert')}</dt>
        <dd>{view.assigneeId ? (view.staffNames[view.assigneeId] ?? view.assigneeId) : '—'}</dd>
        <dt>{t('channel')}</dt>
        <dd>
          {channel(view.channel)} · {segment(view.segment)}
        </dd>
        <dt>{t('requester')}</dt>
        <dd>
          {view.requester.name} · {view.requester.phone}
        </dd>
        <dt>{t('location')}</dt>
        <dd>{[view.location.district, view.location.neighbourhood, view.location.address].filter(Boolean).join(' / ') || '—'}</dd>
        <dt>{t('received')}</dt>
        <dd>{dateTime(view.receivedAt, lang)}</dd>
      </dl>
      {view.location.lat !== null && view.location.lng !== null && <TicketMap lat={view.location.lat} lng={view.location.lng} label={`${t('ticketMap')} ${view.number}`} />}
      <p className="description">{view.description}</p>
      {view.citizenUnreachable && (
        <p className="alert" role="alert">
          {t('unreachable')}: {view.citizenUnreachable.reason} ({dateTime(view.citizenUnreachable.at, lang)})
        </p>
      )}
      {has('AGENT', 'COORDINATOR') && <ResendLink number={view.number} />}
      {view.citizenRating && (
        <p>
          <strong>{t('rating')}:</strong> {view.citizenRating.rating} / 5{view.citizenRating.comment ? ` — ${view.citizenRating.comment}` : ''}
        </p>
      )}
      {view.citizenMessages.length > 0 && (
        <>
          <h3>{t('citizenMessages')}</h3>
          <ol className="timeline">
            {view.citizenMessages.map((message) => (
              <li key={`${message.at}-${message.body}`}>
                <time dateTime={message.at}>{dateTime(message.at, lang)}</time> <span className="tag">{channel(message.channel)}</span>
                <p className="entry-text">{message.body}</p>
                {message.media.map((media, i) => (
                  <a key={media.url} href={media.url} rel="noreferrer noopener" target="_blank">
                    {t('attachment')} {i + 1}
                  </a>
                ))}
              </li>
            ))}
          </ol>
        </>
      )}

      <Clocks view={view} />

      <TicketAttachments view={view} />

      <h3>{t('actions')}</h3>
      <ActionForms view={view} />

      <h3>{t('timeline')}</h3>
      <ol className="timeline">
        {[...view.timeline].reverse().map((entry) => (
          <li key={entry.seq}>
            <time dateTime={entry.at}>{dateTime(entry.at, lang)}</time> <strong>{event(entry.type)}</strong>
            {entry.actor.id && <span className="muted"> · {view.staffNames[entry.actor.id] ?? entry.actor.id}</span>}
            {entry.data.visibility === 'INTERNAL' && <span className="tag">{t('internal')}</span>}
            {entry.data.visibility === 'PUBLIC' && <span className="tag">{t('public')}</span>}
            {entry.data.onBehalfOfCitizen === true && <span className="tag">{t('onBehalf')}</span>}
            {entry.texts &&
              Object.entries(entry.texts).map(([key, text]) => (
                <p key={key} className="entry-text">
                  {text}
                </p>
              ))}
          </li>
        ))}
      </ol>
      {has('AUDITOR', 'COORDINATOR', 'ADMIN') && (
        <p>
          <Link to={`/tickets/${view.number}/history`}>{t('history')}</Link>
        </p>
      )}
    </section>
  );
}

/** SLA, legal and approval-level clocks as countdowns (updated every 30 seconds). */
function Clocks({ view }: { view: StaffTicket }) {
  const { t, lang } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const left = (ms: number) => (ms >= 0 ? `${duration(ms, lang)} ${t('remaining')}` : `${duration(ms, lang)} ${t('overdue')}`);
  const rows = clocksOf(view, now).map((clock) => {
    switch (clock.kind) {
      case 'sla':
        return { label: t('slaClock'), text: left(clock.remainingMs) + (clock.state === 'running' ? '' : ` (${t(clock.state)})`), late: clock.late };
      case 'legal':
        return { label: t('legalClock'), text: clock.stopped ? t('stopped') : `${left(clock.remainingMs)} · ${dateTime(clock.dueAt, lang)}`, late: clock.late };
      case 'approval':
        return { label: t('approvalClock'), text: `${clock.level} / ${clock.levels} · ${view.staffNames[clock.approverId] ?? clock.approverId} · ${dateTime(clock.since, lang)}`, late: clock.late };
    }
  });
  if (!rows.length) return null;
  return (
    <>
      <h3>{t('clocks')}</h3>
      <dl className="clocks">
        {rows.map((row) => (
          <div key={row.label} className={row.late ? 'late' : undefined}>
            <dt>{row.label}</dt>
            <dd>{row.text}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/**
 * The center re-sends the citizen's tracking link to the number on file (the link itself never
 * reaches the console: it carries the citizen's own rights). A second click within the API's
 * window texts nothing more and says so.
 */
function ResendLink({ number }: { number: string }) {
  const { t, lang } = useI18n();
  const resend = useMutation({
    mutationFn: () => call(api.POST('/tickets/{number}/resend-link', { params: { path: { number } } })),
  });
  return (
    <p className="resend-link">
      <button type="button" className="secondary" disabled={resend.isPending} onClick={() => resend.mutate()}>
        {t('resendLink')}
      </button>{' '}
      <span role="status">
        {resend.data &&
          `${t(resend.data.status === 'SENDING' ? 'linkResending' : 'linkAlreadyRequested')}: ${resend.data.to} (${resend.data.requestedByName ?? resend.data.requestedBy}, ${dateTime(resend.data.requestedAt, lang)})`}
      </span>
      {resend.error && (
        <span role="alert" className="error">
          {' '}
          {resend.error.message}
        </span>
      )}
    </p>
  );
}
