import { useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { CHANNEL_CODES, SEGMENT_CODES, STATUS_CODES, useI18n } from '../i18n';
import { useCategories, useDepartments, useDistricts } from '../queries';
import { OrderSelect } from './QueuePage';
import { TicketList, type ListQuery } from './TicketList';
import { TicketPanel } from './TicketPage';

/** The search's fields as they stand in the address (so a search can be bookmarked and shared). */
const FIELDS = ['q', 'status', 'departmentId', 'category', 'district', 'neighbourhood', 'channel', 'segment', 'from', 'to', 'sla', 'sort'] as const;
type Field = (typeof FIELDS)[number];
type Order = NonNullable<ListQuery['sort']>;

/** Türkiye's midnight of a date field (YYYY-MM-DD), as the API's ISO 8601; `nextDay` for an inclusive "to". */
function dayStart(date: string, nextDay = false): string {
  const day = new Date(`${date}T00:00:00+03:00`);
  if (nextDay) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

/** The address's fields as GET /tickets' query: dates to times, the SLA state to its filter or queue. */
export function listQueryOf(params: URLSearchParams): ListQuery {
  const get = (field: Field) => params.get(field) || undefined;
  const sla = get('sla');
  const query: Record<string, unknown> = {
    q: get('q'),
    status: get('status'),
    departmentId: get('departmentId'),
    category: get('category'),
    district: get('district'),
    neighbourhood: get('district') ? get('neighbourhood') : undefined,
    channel: get('channel'),
    segment: get('segment'),
    from: get('from') ? dayStart(get('from')!) : undefined,
    to: get('to') ? dayStart(get('to')!, true) : undefined,
    slaBreached: sla === 'breached' ? 'true' : sla === 'ok' ? 'false' : undefined,
    queue: sla === 'at-risk' ? 'at-risk' : undefined,
    sort: get('sort') ?? (get('q') ? 'relevance' : '-received'),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as ListQuery;
}

/** One box and the filters: any ticket the reader may open, found by its words (Turkish-aware) and narrowed by the filters. */
export function SearchPage() {
  const { number } = useParams();
  const [params, setParams] = useSearchParams();
  const { t, lang, status, channel, segment } = useI18n();
  const categories = useCategories();
  const departments = useDepartments();
  const districts = useDistricts();
  const [district, setDistrict] = useState(params.get('district') ?? '');
  const [tooShort, setTooShort] = useState(false);
  const neighbourhoods = districts.data?.find((d) => d.name === district)?.neighbourhoods ?? [];
  const label = (item: { name: string; nameEn: string }) => (lang === 'tr' ? item.name : item.nameEn);
  const query = listQueryOf(params);
  const search = params.toString();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const q = String(form.get('q') ?? '').trim();
    // The API needs a word of 3 letters or digits to search by: say so before asking.
    if (q && !/[\p{L}\p{N}]{3,}/u.test(q)) return setTooShort(true);
    setTooShort(false);
    const next = new URLSearchParams();
    for (const field of FIELDS) {
      const value = String(form.get(field) ?? '').trim();
      if (value) next.set(field, value);
    }
    if (!q && next.get('sort') === 'relevance') next.delete('sort');
    setParams(next);
  }

  function changeOrder(order: Order) {
    const next = new URLSearchParams(params);
    next.set('sort', order);
    setParams(next);
  }

  const select = (field: Field, options: { value: string; label: string }[], title: string) => (
    <div className="field">
      <label htmlFor={`search-${field}`}>{title}</label>
      <select id={`search-${field}`} name={field} defaultValue={params.get(field) ?? ''}>
        <option value="">{t('any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className={number ? 'split' : undefined}>
      <section aria-labelledby="search-title" className="queue">
        <div className="queue-head">
          <h1 id="search-title">{t('search')}</h1>
          <OrderSelect<Order> value={query.sort ?? '-received'} onChange={changeOrder} relevance={!!query.q} />
        </div>
        <form className="search-form" role="search" onSubmit={submit} key={search}>
          <div className="field search-box">
            <label htmlFor="search-q">{t('searchText')}</label>
            <input id="search-q" name="q" type="search" defaultValue={params.get('q') ?? ''} aria-describedby={tooShort ? 'search-q-error' : undefined} />
            {tooShort && (
              <p id="search-q-error" role="alert" className="error">
                {t('minChars')}
              </p>
            )}
          </div>
          <fieldset className="filters">
            <legend>{t('filters')}</legend>
            {select('status', STATUS_CODES.map((s) => ({ value: s, label: status(s) })), t('status'))}
            {select('departmentId', (departments.data ?? []).map((d) => ({ value: d.id, label: label(d) })), t('department'))}
            {select('category', (categories.data ?? []).map((c) => ({ value: c.code, label: label(c) })), t('category'))}
            <div className="field">
              <label htmlFor="search-district">{t('district')}</label>
              <select id="search-district" name="district" value={district} onChange={(e) => setDistrict(e.target.value)}>
                <option value="">{t('any')}</option>
                {districts.data?.map((d) => (
                  <option key={d.name}>{d.name}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="search-neighbourhood">{t('neighbourhood')}</label>
              <select id="search-neighbourhood" name="neighbourhood" disabled={!neighbourhoods.length} defaultValue={params.get('neighbourhood') ?? ''}>
                <option value="">{t('any')}</option>
                {neighbourhoods.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </div>
            {select('channel', CHANNEL_CODES.map((c) => ({ value: c, label: channel(c) })), t('channel'))}
            {select('segment', SEGMENT_CODES.map((s) => ({ value: s, label: segment(s) })), t('segment'))}
            <div className="field">
              <label htmlFor="search-from">{t('dateFrom')}</label>
              <input id="search-from" name="from" type="date" defaultValue={params.get('from') ?? ''} />
            </div>
            <div className="field">
              <label htmlFor="search-to">{t('dateTo')}</label>
              <input id="search-to" name="to" type="date" defaultValue={params.get('to') ?? ''} />
            </div>
            {select(
              'sla',
              [
                { value: 'breached', label: t('slaBreachedOption') },
                { value: 'ok', label: t('slaNotBreached') },
                { value: 'at-risk', label: t('slaAtRisk') },
              ],
              t('slaState'),
            )}
            <input type="hidden" name="sort" value={params.get('sort') ?? ''} />
          </fieldset>
          <div className="search-actions">
            <button type="submit">{t('apply')}</button>
            <button type="button" className="secondary" onClick={() => (setDistrict(''), setParams(new URLSearchParams()))}>
              {t('clearFilters')}
            </button>
          </div>
        </form>
        <TicketList key={search} query={query} linkTo={(n) => `/search/${n}${search ? `?${search}` : ''}`} current={number} />
      </section>
      {number && <TicketPanel number={number} />}
    </div>
  );
}
