import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { ClusterMap, type MapPoint } from '../map';
import { useMemo } from 'react';
import { api, call, type paths, type TicketListItem } from '../api/client';
import { count, dateTime, duration } from '../format';
import { useI18n } from '../i18n';
import { SAFETY_REFETCH_MS, useCategories, useCategoryName } from '../queries';

/** GET /tickets' query without the cursor: what a list screen asks for. */
export type ListQuery = Omit<NonNullable<paths['/tickets']['get']['parameters']['query']>, 'cursor'>;
type ListPage = paths['/tickets']['get']['responses'][200]['content']['application/json'];

/** Rows per page: a page is one more "more" away. */
export const PAGE_SIZE = 50;

/** One list's pages, shared by the list and whoever needs its order (the "next ticket" after an action). */
const listQuery = (query: ListQuery) => ({
  queryKey: ['tickets', query],
  refetchInterval: SAFETY_REFETCH_MS, // the live feed (live.ts) invalidates ['tickets', …]; this is the safety net
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last: ListPage) => last.nextCursor ?? undefined,
  queryFn: ({ pageParam }: { pageParam: string | undefined }): Promise<ListPage> =>
    call(api.GET('/tickets', { params: { query: { limit: PAGE_SIZE, ...query, ...(pageParam ? { cursor: pageParam } : {}) } } })),
});

/** The ticket numbers a list shows now (the pages loaded so far), in its order. */
export function useListedNumbers(query: ListQuery): string[] {
  const list = useInfiniteQuery(listQuery(query));
  return list.data?.pages.flatMap((page) => page.items.map((item) => item.number)) ?? [];
}

/**
 * A list of tickets the API pages by keyset: the first page with how many the list holds, then
 * "more" for the next page (nextCursor). Each row carries what a worker decides by: the subject,
 * channel, place, time left on the SLA, the assignee by name and the flags. `linkTo` opens a ticket.
 */
export function TicketList({ query, linkTo, current }: { query: ListQuery; linkTo: (number: string) => string; current?: string }) {
  const { t, status, channel, lang } = useI18n();
  const categoryName = useCategoryName();
  const list = useInfiniteQuery(listQuery(query));

  if (list.isPending) return <p>{t('loading')}</p>;
  if (list.error) return <p role="alert" className="error">{list.error.message}</p>;
  const items = list.data.pages.flatMap((page) => page.items);
  const total = list.data.pages[0]?.total;
  if (items.length === 0) return <p>{t('empty')}</p>;
  const totalText = total ? `${count(total.count, lang)}${total.more ? '+' : ''}` : '';

  return (
    <>
      <p className="list-count" role="status">
        {t('showing')} {count(items.length, lang)} / {totalText}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('number')}</th>
            <th scope="col">{t('subject')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('location')}</th>
            <th scope="col">{t('received')}</th>
            <th scope="col">{t('timeLeft')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item: TicketListItem) => (
            <tr key={item.number} aria-current={item.number === current ? 'true' : undefined} className={item.sla?.breached ? 'breached' : undefined}>
              <td>
                <Link to={linkTo(item.number)}>{item.number}</Link>
                <div className="muted small">{channel(item.channel)}</div>
              </td>
              <td>
                <strong>{categoryName(item.category)}</strong>
                {item.subject && <div className="subject">{item.subject}</div>}
                <Flags item={item} />
              </td>
              <td>
                {status(item.status)}
                {item.assigneeName && <div className="muted small">{item.assigneeName}</div>}
              </td>
              <td>{[item.district, item.neighbourhood].filter(Boolean).join(' / ') || '—'}</td>
              <td>{dateTime(item.receivedAt, lang)}</td>
              <td>
                <SlaLeft sla={item.sla} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.hasNextPage && (
        <button type="button" className="secondary more" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t('loading') : t('more')}
        </button>
      )}
    </>
  );
}

/**
 * The same list on a map: a pin for every row loaded so far that has a position (staff lists
 * carry it), clustered; a click on a pin opens the ticket (`linkTo`). "More" loads the next page
 * onto the map as onto the table.
 */
export function TicketListMap({ query, linkTo }: { query: ListQuery; linkTo: (number: string) => string }) {
  const { t, lang } = useI18n();
  const categories = useCategories();
  const navigate = useNavigate();
  const list = useInfiniteQuery(listQuery(query));
  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const points = useMemo<MapPoint[]>(
    () =>
      items.flatMap((item) => {
        if (item.lat === null || item.lng === null) return [];
        const c = categories.data?.find((x) => x.code === item.category);
        const name = c ? (lang === 'tr' ? c.name : c.nameEn) : item.category;
        return [{ id: item.number, lat: item.lat, lng: item.lng, title: `${item.number} · ${name}` }];
      }),
    [items, categories.data, lang],
  );
  if (list.isPending) return <p>{t('loading')}</p>;
  if (list.error) return <p role="alert" className="error">{list.error.message}</p>;
  const unplaced = items.length - points.length;
  return (
    <>
      <p className="list-count" role="status">
        {t('showing')} {count(points.length, lang)} / {count(items.length, lang)}
        {unplaced > 0 && ` · ${count(unplaced, lang)} ${t('withoutPlace')}`}
      </p>
      <ClusterMap points={points} onOpen={(number) => void navigate(linkTo(number))} label={t('queueMap')} countLabel={t('tickets')} />
      {list.hasNextPage && (
        <button type="button" className="secondary more" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t('loading') : t('more')}
        </button>
      )}
    </>
  );
}

/** The row's flags as short tags: reopened, sent back by an approver, called about again (how often), waiting for the citizen. */
function Flags({ item }: { item: TicketListItem }) {
  const { t, lang } = useI18n();
  const f = item.flags;
  if (!f) return null;
  return (
    <div className="flags">
      {f.reopened && <span className="tag flag">{t('flagReopened')}</span>}
      {f.rejectedBack && <span className="tag flag">{t('flagRejectedBack')}</span>}
      {f.calledAgain > 0 && (
        <span className="tag flag">
          {t('flagCalledAgain')} ×{count(f.calledAgain, lang)}
        </span>
      )}
      {f.waitingForCitizen && <span className="tag flag">{t('flagWaiting')}</span>}
    </div>
  );
}

/** Time left until the SLA runs out, how long overdue, or paused (no due time while the clock stands). */
function SlaLeft({ sla }: { sla: TicketListItem['sla'] }) {
  const { t, lang } = useI18n();
  if (!sla) return <>—</>;
  if (!sla.dueAt) return <>{sla.breached ? t('overdue') : sla.percentUsed != null ? t('paused') : '—'}</>;
  const left = Date.parse(sla.dueAt) - Date.now();
  return left >= 0 ? (
    <span>
      {duration(left, lang)} {t('remaining')}
    </span>
  ) : (
    <span className="error">
      {duration(left, lang)} {t('overdue')}
    </span>
  );
}
