/*
 * The category picker's search, apart from the widget: which categories a caller's words find,
 * best first. Pure (no React, no DOM) so it is unit-tested on its own.
 */

/** What a category offers the search: its names, code and everyday keywords. */
export interface SearchableCategory {
  code: string;
  name: string;
  nameEn: string;
  keywords?: string[];
}

const LETTERS: Record<string, string> = { ı: 'i', ç: 'c', ş: 's', ğ: 'g', ö: 'o', ü: 'u', â: 'a', î: 'i', û: 'u' };

/**
 * Turkish-aware folding: lower-cased the Turkish way (İ → i, I → ı), then ı/ç/ş/ğ/ö/ü and the
 * circumflexes to their plain letters, so "KALDIRIM", "kaldırım" and "kaldirim" are one word.
 */
export function foldTurkish(text: string): string {
  return text
    .toLocaleLowerCase('tr')
    .replace(/[ıçşğöüâîû]/g, (ch) => LETTERS[ch] ?? ch)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

const words = (text: string) => foldTurkish(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * How well one query word fits a category: 4 when it is a whole keyword ("kaldırım" of road
 * repair, not the "kaldırım" of "kaldırım işgali"), 3 a whole word, 2 when a word starts with
 * it, 1 when it is inside one, 0 when not at all.
 */
function fit(token: string, phrases: string[], tokens: string[]): number {
  if (phrases.includes(token)) return 4;
  if (tokens.includes(token)) return 3;
  if (tokens.some((w) => w.startsWith(token))) return 2;
  return tokens.some((w) => w.includes(token)) ? 1 : 0;
}

/**
 * The categories every word of the query finds (in a name, the code or a keyword), best fit
 * first and otherwise in the order given. An empty query finds all, in order.
 */
export function searchCategories<C extends SearchableCategory>(categories: readonly C[], query: string): C[] {
  const needle = words(query);
  if (!needle.length) return [...categories];
  const scored = categories.flatMap((category, index) => {
    const keywords = (category.keywords ?? []).map(foldTurkish);
    const tokens = [...words(category.name), ...words(category.nameEn), ...words(category.code.replace(/_/g, ' ')), ...keywords.flatMap(words)];
    const fits = needle.map((token) => fit(token, keywords, tokens));
    return fits.every((f) => f > 0) ? [{ category, index, score: fits.reduce((a, b) => a + b, 0) }] : [];
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((s) => s.category);
}
