import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../auth';
import { Link, useParams } from 'react-router';
import { api, call, type QueueName, type TicketListItem } from '../api/client';
import { count, dateTime, percent } from '../format';
import { useI18n } from '../i18n';
import { SAFETY_REFETCH_MS, useCategories, useExperts } from '../queries';
import { TicketPanel } from './TicketPage';

/** Approved tickets the coordination center finalizes: a status list, not one of the API's queues. */
export const FINALIZE_LIST = 'finalize';
const QUEUE_NAMES: readonly string[] = ['triage', 'department', 'mine', 'approvals', 'at-risk', 'stuck', 'following'] satisfies QueueName[];

/** A work queue, refreshed by itself; a ticket opens beside the list. */
export function QueuePage() {
  const { queue = 'triage', number } = useParams();
  const { t, queue: queueLabel, status, lang } = useI18n();
  const categories = useCategories();
  const categoryName = (code: string) => {
    const c = categories.data?.find((x) => x.code === code);
    return c ? (lang === 'tr' ? c.name : c.nameEn) : code;
  };
  const isQueue = QUEUE_NAMES.includes(queue);
  const [sort, setSort] = useState<'-received' | 'received'>(queue === FINALIZE_LIST ? 'received' : '-received');
  const list = useQuery({
    queryKey: ['tickets', queue, sort],
    refetchInterval: SAFETY_REFETCH_MS,
    queryFn: () =>
      call(
        api.GET('/tickets', {
          params: { query: isQueue ? { queue: queue as QueueName, sort, limit: 50 } : { status: 'APPROVED', sort, limit: 50 } },
        }),
      ),
  });
  const title = isQueue ? queueLabel(queue as QueueName) : t('toFinalize');

  return (
    <div className={number ? 'split' : undefined}>
      <section aria-labelledby="queue-title" className="queue">
        <div className="queue-head">
          <h1 id="queue-title">{title}</h1>
          <label className="lang">
            {t('sort')}
            <select value={sort} onChange={(e) => setSort(e.target.value === 'received' ? 'received' : '-received')}>
              <option value="-received">{t('newest')}</option>
              <option value="received">{t('oldest')}</option>
            </select>
          </label>
        </div>
        {queue === 'department' && <ExpertsLoad />}
        {list.isPending && <p>{t('loading')}</p>}
        {list.error && <p role="alert" className="error">{list.error.message}</p>}
        {list.data && list.data.items.length === 0 && <p>{t('empty')}</p>}
        {list.data && list.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('number')}</th>
                <th scope="col">{t('category')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('location')}</th>
                <th scope="col">{t('received')}</th>
                <th scope="col">{t('sla')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((item: TicketListItem) => (
                <tr key={item.number} aria-current={item.number === number ? 'true' : undefined} className={item.sla?.breached ? 'breached' : undefined}>
                  <td>
                    <Link to={`/queues/${queue}/${item.number}`}>{item.number}</Link>
                  </td>
                  <td>{categoryName(item.category)}</td>
                  <td>{status(item.status)}</td>
                  <td>{[item.district, item.neighbourhood].filter(Boolean).join(' / ') || '—'}</td>
                  <td>{dateTime(item.receivedAt, lang)}</td>
                  <td>{item.sla?.percentUsed != null ? percent(item.sla.percentUsed / 100, lang) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {number && <TicketPanel number={number} />}
    </div>
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
