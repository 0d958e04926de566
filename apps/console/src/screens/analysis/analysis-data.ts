import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, call, tokenStore, type paths } from '../../api/client';

export type SummaryQuery = NonNullable<paths['/analysis/summary']['get']['parameters']['query']>;
export type Summary = paths['/analysis/summary']['get']['responses'][200]['content']['application/json'];
export type DepartmentReport = paths['/analysis/departments/{id}/report']['get']['responses'][200]['content']['application/json'];

export const FILTER_KEYS = ['institution', 'department', 'category', 'district', 'channel', 'type', 'segment'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const DAY = 86_400_000;
/** YYYY-MM-DD of an instant in Istanbul (UTC+3 all year). */
export const localDay = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 10);
/** Midnight of a local day, as an instant. */
const midnight = (day: string) => new Date(`${day}T00:00:00+03:00`).toISOString();

/**
 * The dashboard's filters live in the address (?from=…&department=…): a filtered view can be
 * bookmarked, and the department report opens with the same period and filters.
 */
export function useAnalysisFilters() {
  const [params, setParams] = useSearchParams();
  const today = localDay(Date.now());
  const fromDay = params.get('from') ?? localDay(Date.now() - 29 * DAY);
  const toDay = params.get('to') ?? today;
  const values = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<FilterKey, string>;
  const set = (key: FilterKey | 'from' | 'to', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const query: SummaryQuery = { from: midnight(fromDay), to: new Date(Date.parse(midnight(toDay)) + DAY).toISOString() };
  for (const key of FILTER_KEYS) if (values[key]) (query as Record<string, string>)[key] = values[key];
  return { fromDay, toDay, values, set, query, search: params.toString() };
}

export const useSummary = (query: SummaryQuery) =>
  useQuery({ queryKey: ['analysis', 'summary', query], queryFn: () => call(api.GET('/analysis/summary', { params: { query } })), placeholderData: (previous) => previous });

export type HotSpotsQuery = NonNullable<paths['/analysis/hot-spots']['get']['parameters']['query']>;
export const useHotSpots = (query: HotSpotsQuery) =>
  useQuery({ queryKey: ['analysis', 'hot-spots', query], queryFn: () => call(api.GET('/analysis/hot-spots', { params: { query } })), placeholderData: (previous) => previous });

export const useDepartmentReport = (id: string, query: SummaryQuery) =>
  useQuery({ queryKey: ['analysis', 'report', id, query], queryFn: () => call(api.GET('/analysis/departments/{id}/report', { params: { path: { id }, query } })) });

/** Downloads an export (CSV of one table, XLSX of all) with the session's token, as a file. */
/** An export of the figures, its values (channels, categories, statuses…) as labels in the console's language `lang`. */
export async function downloadExport(path: string, query: SummaryQuery | HotSpotsQuery, format: 'csv' | 'xlsx', table: string | undefined, lang: 'tr' | 'en'): Promise<void> {
  const search = new URLSearchParams({ ...(query as Record<string, string>), format, ...(table ? { table } : {}), lang });
  const res = await fetch(`${path}?${search.toString()}`, { headers: { Authorization: `Bearer ${tokenStore.read()?.accessToken ?? ''}` } });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `analysis.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
