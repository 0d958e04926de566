import { useQuery } from '@tanstack/react-query';
import { api, call } from './api/client';

/** The contact log still refreshes by itself every this many milliseconds (it has no live events). */
export const REFRESH_MS = 4_000;

/**
 * Queues, lists and tickets refresh on the live feed (live.ts: GET /events), not by polling. This
 * slow refetch (and the one on window focus, TanStack Query's default) is a safety net only: for
 * a change the feed could not attribute, e.g. a ticket that left the reader's scope while no API
 * process remembered who could see it before.
 */
export const SAFETY_REFETCH_MS = 5 * 60_000;

export const useQueues = () =>
  useQuery({ queryKey: ['queues'], queryFn: () => call(api.GET('/queues')), refetchInterval: SAFETY_REFETCH_MS });

export const useTicket = (number: string) =>
  useQuery({ queryKey: ['ticket', number], queryFn: () => call(api.GET('/tickets/{number}', { params: { path: { number } } })), refetchInterval: SAFETY_REFETCH_MS });

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
