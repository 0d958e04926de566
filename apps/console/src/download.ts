import { ApiError, fetchWithSession, type Problem } from './api/client';

/**
 * The console's language for a download's headers, sheet names and CSV dialect (the API's
 * `lang`: Turkish gives `;`-separated CSV with decimal commas, as Turkish Excel reads it). Read
 * from the page, which the I18nProvider keeps in step, so no caller has to pass it along.
 */
export const downloadLang = (): 'tr' | 'en' => (document.documentElement.lang === 'en' ? 'en' : 'tr');

/** Fetches a CSV or XLSX download with the session's token (refreshed if it expired) and saves it under the API's file name. */
export async function downloadFile(path: string, params: Record<string, string | number | undefined>, fallbackName: string): Promise<void> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  search.set('lang', downloadLang());
  const res = await fetchWithSession(`${path}?${search.toString()}`);
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as Problem | null;
    throw new ApiError(problem ?? { title: res.statusText, status: res.status });
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
