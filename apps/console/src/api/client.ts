import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { paths, components };

/** A problem+json answer (RFC 9457), as the API sends every error. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; messages: string[] }[];
}

/** An API refusal: its status and problem, thrown by `call` so TanStack Query sees it as an error. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
  /** The messages the API gave for one field (400s name the field). */
  fieldMessages(field: string): string[] {
    return (this.problem.errors ?? []).filter((e) => e.field === field).flatMap((e) => e.messages);
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Where the session's tokens live (sessionStorage: gone when the tab closes). */
const STORE = 'teksin.console.session';

export const tokenStore = {
  read(): (Tokens & { user: SignedInUser }) | null {
    const raw = sessionStorage.getItem(STORE);
    return raw ? (JSON.parse(raw) as Tokens & { user: SignedInUser }) : null;
  },
  write(session: Tokens & { user: SignedInUser }): void {
    sessionStorage.setItem(STORE, JSON.stringify(session));
  },
  clear(): void {
    sessionStorage.removeItem(STORE);
  },
};

type LoginAnswer = paths['/auth/login']['post']['responses'][200]['content']['application/json'];
export type SignedInUser = LoginAnswer['user'];

let refreshing: Promise<boolean> | null = null;
/** Listeners told when the session ends (refresh refused): the app goes back to sign-in. */
export const sessionEnded = new EventTarget();

/** One refresh at a time; the new pair replaces the old (the old refresh token stops working). */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = tokenStore.read();
    if (!session) return false;
    const res = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
    if (!res.ok) return false;
    const body = (await res.json()) as LoginAnswer;
    tokenStore.write({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user });
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const auth: Middleware = {
  onRequest({ request }) {
    const session = tokenStore.read();
    if (session) request.headers.set('Authorization', `Bearer ${session.accessToken}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || request.url.includes('/auth/')) return response;
    // An expired access token: refresh once and resend.
    if (await refresh()) {
      const retry = new Request(request, { headers: new Headers(request.headers) });
      retry.headers.set('Authorization', `Bearer ${tokenStore.read()!.accessToken}`);
      return fetch(retry);
    }
    endSession();
    return response;
  },
};

function endSession(): void {
  tokenStore.clear();
  sessionEnded.dispatchEvent(new Event('ended'));
}

/**
 * A GET outside the typed client (the CSV and XLSX downloads), with the session's token and the
 * same rule: an expired access token is refreshed once and the request sent again.
 */
export async function fetchWithSession(url: string): Promise<Response> {
  const send = () => fetch(url, { headers: { Authorization: `Bearer ${tokenStore.read()?.accessToken ?? ''}` } });
  const response = await send();
  if (response.status !== 401) return response;
  if (await refresh()) return send();
  endSession();
  return response;
}

/**
 * A multipart POST outside the typed client (a file upload), with the session's token, the
 * upload's progress (0–1) as it goes, and the same rule for an expired access token: refreshed
 * once and sent again. Resolves to the answer's body; a refusal throws its ApiError.
 */
export async function postFormWithSession<T>(url: string, form: FormData, onProgress?: (fraction: number) => void): Promise<T> {
  const send = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Authorization', `Bearer ${tokenStore.read()?.accessToken ?? ''}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress?.(event.loaded / event.total);
      };
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new Error('network error'));
      xhr.send(form);
    });
  let answer = await send();
  if (answer.status === 401) {
    if (!(await refresh())) {
      endSession();
    } else {
      answer = await send();
    }
  }
  const body = (() => {
    try {
      return answer.text ? (JSON.parse(answer.text) as unknown) : null;
    } catch {
      return null;
    }
  })();
  if (answer.status < 200 || answer.status >= 300) {
    const problem = (body && typeof body === 'object' ? body : { title: String(answer.status), status: answer.status }) as Problem;
    throw new ApiError({ ...problem, status: problem.status ?? answer.status });
  }
  return body as T;
}

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** Unwraps an openapi-fetch answer: the data, or an ApiError with the problem. */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const problem = (error && typeof error === 'object' ? error : { title: response.statusText, status: response.status }) as Problem;
    throw new ApiError({ ...problem, status: problem.status ?? response.status });
  }
  return data as T;
}

export type StaffTicket = Extract<paths['/tickets/{number}']['get']['responses'][200]['content']['application/json'], { id: string }>;
export type TicketListItem = paths['/tickets']['get']['responses'][200]['content']['application/json']['items'][number];
export type QueueName = NonNullable<NonNullable<paths['/tickets']['get']['parameters']['query']>['queue']>;
export type ActionRoute = NonNullable<StaffTicket['actions']>[number];
export type AttachmentList = paths['/tickets/{number}/attachments']['get']['responses'][200]['content']['application/json'];
export type Attachment = AttachmentList['items'][number];
export type AttachmentKind = Attachment['kind'];
