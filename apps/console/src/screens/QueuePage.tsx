import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { type QueueName } from '../api/client';
import { useAuth } from '../auth';
import { count } from '../format';
import { useI18n } from '../i18n';
import { useExperts } from '../queries';
import { TicketList, TicketListMap, useListedNumbers, type ListQuery } from './TicketList';
import { TicketPanel } from './TicketPage';
import { QueueContext } from './queue-context';

/** Approved tickets the coordination center finalizes: a status list, not one of the API's queues. */
export const FINALIZE_LIST = 'finalize';
const QUEUE_NAMES: readonly string[] = ['triage', 'department', 'mine', 'approvals', 'at-risk', 'stuck', 'following'] satisfies QueueName[];

/** The orders a list offers; `deadline` (the SLA running out first) is how a coordinator works a queue. */
export type ListOrder = '-received' | 'received' | 'deadline';
const ORDERS: readonly ListOrder[] = ['-received', 'received', 'deadline'];

/** A work queue, refreshed by itself, paged ("more"), with how many it holds; a ticket opens beside the list. */
export function QueuePage() {
  const { queue = 'triage', number } = useParams();
  const { t, queue: queueLabel } = useI18n();
  const isQueue = QUEUE_NAMES.includes(queue);
  const [sort, setSort] = useState<ListOrder>(queue === FINALIZE_LIST ? 'received' : '-received');
  const title = isQueue ? queueLabel(queue as QueueName) : t('toFinalize');
  const query: ListQuery = isQueue ? { queue: queue as QueueName, sort } : { status: 'APPROVED', sort };
  const numbers = useListedNumbers(query);
  // In the address (?view=map), so opening a ticket from the map keeps the map beside it.
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'map' ? 'map' : 'list';
  const setView = (v: 'list' | 'map') => setParams(v === 'map' ? { view: 'map' } : {}, { replace: true });

  return (
    <div className={number ? 'split' : undefined}>
      <section aria-labelledby="queue-title" className="queue">
        <div className="queue-head">
          <h1 id="queue-title">{title}</h1>
          <OrderSelect value={sort} onChange={setSort} />
          <div className="view-switch" role="group" aria-label={`${t('listView')} / ${t('mapView')}`}>
            {(['list', 'map'] as const).map((v) => (
              <button key={v} type="button" className={view === v ? undefined : 'secondary'} aria-pressed={view === v} onClick={() => setView(v)}>
                {t(v === 'list' ? 'listView' : 'mapView')}
              </button>
            ))}
          </div>
        </div>
        {queue === 'department' && <ExpertsLoad />}
        {view === 'list' ? (
          <TicketList key={`${queue}:${sort}`} query={query} linkTo={(n) => `/queues/${queue}/${n}`} current={number} />
        ) : (
          <TicketListMap key={`${queue}:${sort}`} query={query} linkTo={(n) => `/queues/${queue}/${n}?view=map`} />
        )}
      </section>
      {number && (
        <QueueContext.Provider value={{ queue, numbers }}>
          <TicketPanel number={number} />
        </QueueContext.Provider>
      )}
    </div>
  );
}

/** The order of a list: newest, oldest, or the deadline nearest first (and best match, for a text search). */
export function OrderSelect<V extends string>({ value, onChange, relevance = false }: { value: V; onChange: (order: V) => void; relevance?: boolean }) {
  const { t } = useI18n();
  const label: Record<string, string> = { '-received': t('newest'), received: t('oldest'), deadline: t('deadlineFirst'), relevance: t('relevance') };
  return (
    <label className="lang">
      {t('sort')}
      <select value={value} onChange={(e) => onChange(e.target.value as V)}>
        {(relevance ? ['relevance', ...ORDERS] : ORDERS).map((order) => (
          <option key={order} value={order}>
            {label[order]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A manager's view of the department: each expert with their open tickets. */
function ExpertsLoad() {
  const { user, has } = useAuth();
  const { t, lang } = useI18n();
  const experts = useExperts(has('MANAGER', 'DEPARTMENT_HEAD') ? user?.departmentId ?? null : null);
  if (!experts.data?.length) return null;
  return (
    <p className="experts-load">
      <strong>{t('expertsLoad')}:</strong>{' '}
      {experts.data.map((e, i) => (
        <span key={e.id}>
          {i > 0 && ' · '}
          {e.name} {count(e.openTickets, lang)}
        </span>
      ))}
    </p>
  );
}
