import type { Language } from './i18n';

/** Every time is shown in Türkiye's time, in the chosen language's format (Turkish by default). */
export const TIME_ZONE = 'Europe/Istanbul';
const locale = (lang: Language) => (lang === 'tr' ? 'tr-TR' : 'en-GB');

export function dateTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
}

export function count(n: number, lang: Language): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

export function percent(fraction: number, lang: Language): string {
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** A countdown: "2 sa 5 dk" left, or how long overdue (negative). */
export function duration(ms: number, lang: Language): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const unit = (value: number, u: 'day' | 'hour' | 'minute') => new Intl.NumberFormat(locale(lang), { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const parts = days ? [unit(days, 'day'), unit(hours, 'hour')] : hours ? [unit(hours, 'hour'), unit(minutes, 'minute')] : [unit(minutes, 'minute')];
  return parts.join(' ');
}
