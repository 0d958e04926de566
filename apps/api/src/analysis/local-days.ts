/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Every local day a period [from, to) touches, in order: the daily series' rows, each present even when empty. */
export function localDays(from: Date, to: Date, timeZone: string): string[] {
  const first = localDay(from, timeZone);
  const last = localDay(new Date(to.getTime() - 1), timeZone);
  const days: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); ; d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    if (day > last) return days;
    days.push(day);
  }
}
