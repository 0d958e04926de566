import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call, type paths } from '../api/client';
import { downloadFile } from '../download';
import { count, dateTime } from '../format';
import { useI18n } from '../i18n';
import { auditTexts, CHANNELS } from './audit-texts';

type LogQuery = NonNullable<paths['/contacts']['get']['parameters']['query']>;
type Outcome = NonNullable<LogQuery['outcome']>;
const OUTCOMES: Outcome[] = ['TICKET_CREATED', 'INFORMATION_GIVEN', 'REFERRED_ELSEWHERE', 'HUNG_UP', 'DUPLICATE_OF_OPEN_TICKET'];
const FIELDS = ['from', 'to', 'channel', 'outcome', 'recordedBy', 'phone'] as const;
type Field = (typeof FIELDS)[number];

const DAY = 86_400_000;
/** Midnight of a local (Istanbul) day, as an instant: the log's days are Türkiye's days. */
const midnight = (day: string) => new Date(`${day}T00:00:00+03:00`).toISOString();

/**
 * The contact log (GET /contacts): every call, with or without a ticket, filtered by period,
 * channel, outcome, agent and caller's phone (kept in the address, so a filtered log can be
 * bookmarked), paged with "more", and downloadable as CSV or XLSX in the console's language.
 * Auditors see phones masked. It refreshes only when asked (each read is logged as a read of
 * personal data): the "refresh" button reads the pages shown again.
 */
export function Contacts() {
  const { t, lang, outcome } = useI18n();
  const { a, channel } = auditTexts(lang);
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>;
  const [draft, setDraft] = useState(applied);
  const [exportError, setExportError] = useState<string | null>(null);

  const query: LogQuery = {
    from: applied.from ? midnight(applied.from) : undefined,
    to: applied.to ? new Date(Date.parse(midnight(applied.to)) + DAY).toISOString() : undefined,
    channel: (applied.channel || undefined) as LogQuery['channel'],
    outcome: (applied.outcome || undefined) as Outcome | undefined,
    recordedBy: applied.recordedBy || undefined,
    phone: applied.phone || undefined,
  };
  const log = useInfiniteQuery({
    queryKey: ['contacts', query],
    queryFn: ({ pageParam }) => call(api.GET('/contacts', { params: { query: { ...query, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Each read of the log is a read of personal data (phones, notes: one pii_reads row per entry
    // shown), so it is read when someone asks: on opening, filtering, "more" and "refresh", never
    // by a timer or a return to the window.
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    staleTime: Infinity,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const f of FIELDS) if (draft[f].trim()) next.set(f, draft[f].trim());
    setParams(next, { replace: true });
  }
  function clear() {
    setDraft(Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<Field, string>);
    setParams(new URLSearchParams(), { replace: true });
  }
  const exportAs = (format: 'csv' | 'xlsx') => {
    setExportError(null);
    downloadFile('/contacts', { ...query, format }, `contacts.${format}`).catch((e: Error) => setExportError(e.message));
  };
  // The agents already on screen, offered by name for the agent filter (which takes their id).
  const agents = [...new Map(items.map((c) => [c.recordedBy, c.recordedByName ?? c.recordedBy])).entries()];
  const input = (f: Field, label: string, type = 'text', list?: string) => (
    <div className="field">
      <label htmlFor={`c-${f}`}>{label}</label>
      <input id={`c-${f}`} type={type} list={list} value={draft[f]} onChange={(e) => setDraft({ ...draft, [f]: e.target.value })} />
    </div>
  );

  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">{t('contacts')}</h1>
      <form className="filters card" aria-label={a('filters')} onSubmit={apply}>
        {input('from', a('from'), 'date')}
        {input('to', a('to'), 'date')}
        <div className="field">
          <label htmlFor="c-channel">{a('channel')}</label>
          <select id="c-channel" value={draft.channel} onChange={(e) => setDraft({ ...draft, channel: e.target.value })}>
            <option value="">{a('all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channel(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-outcome">{a('outcome')}</label>
          <select id="c-outcome" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}>
            <option value="">{a('all')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {outcome(o)}
              </option>
            ))}
          </select>
        </div>
        {input('recordedBy', a('agent'), 'text', 'c-agents')}
        <datalist id="c-agents">
          {agents.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </datalist>
        {input('phone', a('phone'), 'tel')}
        <div className="list-more">
          <button type="submit">{a('apply')}</button>
          <button type="button" className="secondary" onClick={clear}>
            {a('clear')}
          </button>
        </div>
      </form>
      <div className="list-more">
        <button type="button" className="secondary" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {a('refresh')}
        </button>
        <button type="button" className="secondary" onClick={() => exportAs('csv')}>
          {a('exportCsv')}
        </button>
        <button type="button" className="secondary" onClick={() => exportAs('xlsx')}>
          {a('exportXlsx')}
        </button>
        <span className="muted">{a('exportNote')}</span>
      </div>
      {exportError && (
        <p role="alert" className="error">
          {exportError}
        </p>
      )}
      {log.isPending && <p>{t('loading')}</p>}
      {log.error && (
        <p role="alert" className="error">
          {log.error.message}
        </p>
      )}
      {log.data && items.length === 0 && <p>{a('noEntries')}</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('at')}</th>
                <th scope="col">{a('channel')}</th>
                <th scope="col">{t('outcome')}</th>
                <th scope="col">{t('number')}</th>
                <th scope="col">{t('phone')}</th>
                <th scope="col">{t('by')}</th>
                <th scope="col">{t('note')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td>{dateTime(c.at, lang)}</td>
                  <td>{channel(c.channel)}</td>
                  <td>{outcome(c.outcome)}</td>
                  <td>{c.ticketNumber ? <Link to={`/tickets/${c.ticketNumber}`}>{c.ticketNumber}</Link> : '—'}</td>
                  <td>{c.phone ?? '—'}</td>
                  <td>{c.recordedByName ?? c.recordedBy}</td>
                  <td>{c.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.data && (
        <div className="list-more">
          <span>
            {count(items.length, lang)} {a('shown')}
          </span>
          {log.hasNextPage && (
            <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
              {a('more')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
