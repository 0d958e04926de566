import { useQuery } from '@tanstack/react-query';
import { api, ApiError, call } from './api/client';
import { useI18n } from './i18n';

/**
 * Queues, lists and tickets refresh on the live feed (live.ts: GET /events), not by polling. This
 * slow refetch (and the one on window focus, TanStack Query's default) is a safety net only: for
 * a change the feed could not attribute, e.g. a ticket that left the reader's scope while no API
 * process remembered who could see it before.
 */
export const SAFETY_REFETCH_MS = 5 * 60_000;

export const useQueues = () =>
  useQuery({ queryKey: ['queues'], queryFn: () => call(api.GET('/queues')), refetchInterval: SAFETY_REFETCH_MS });

/** A refusal of a ticket (403, or the 404 the API gives a ticket one may not open): an answer that will not change by asking again. */
export const accessLost = (error: unknown): boolean => error instanceof ApiError && (error.status === 403 || error.status === 404);

/** One ticket, refreshed by itself until the API refuses it: then no request more (no retry, no polling, no refetch on focus). */
export const useTicket = (number: string) =>
  useQuery({
    queryKey: ['ticket', number],
    queryFn: () => call(api.GET('/tickets/{number}', { params: { path: { number } } })),
    refetchInterval: (query) => (accessLost(query.state.error) ? false : SAFETY_REFETCH_MS),
    refetchOnWindowFocus: (query) => !accessLost(query.state.error),
  });

/** Reference data changes rarely: fetched once per session. */
const reference = { staleTime: Infinity, gcTime: Infinity } as const;
export const useCategories = () => useQuery({ queryKey: ['categories'], queryFn: () => call(api.GET('/categories')), ...reference });
export const useDepartments = () => useQuery({ queryKey: ['departments'], queryFn: () => call(api.GET('/departments')), ...reference });
export const useDistricts = () => useQuery({ queryKey: ['districts'], queryFn: () => call(api.GET('/districts')), ...reference });
export const useInstitutions = () => useQuery({ queryKey: ['institutions'], queryFn: () => call(api.GET('/institutions')), ...reference });
export const useExperts = (departmentId: string | null) =>
  useQuery({
    queryKey: ['experts', departmentId],
    enabled: !!departmentId,
    queryFn: () => call(api.GET('/departments/{departmentId}/experts', { params: { path: { departmentId: departmentId! } } })),
  });

/** A category's label in the console's language (its code until the catalogue is loaded, or when it is not in it). */
export function useCategoryName(): (code: string) => string {
  const categories = useCategories();
  const { lang } = useI18n();
  return (code) => {
    const c = categories.data?.find((x) => x.code === code);
    return c ? (lang === 'tr' ? c.name : c.nameEn) : code;
  };
}
