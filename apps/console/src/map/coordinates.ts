/** Six decimals, as the tickets table keeps a position (about 10 cm). */
export const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** A field's text as a coordinate within ±limit, or null. */
export const coordinate = (text: string, limit: number): number | null => {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : null;
};

