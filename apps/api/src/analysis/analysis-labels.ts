import { CODE_LABELS, type Pair } from '../common/export-labels';
import type { ExportLang } from '../common/spreadsheet';

export type LabelKind = 'channel' | 'type' | 'segment' | 'status' | 'outcome' | 'category' | 'department';

/** A code as an export shows it: its label in the chosen language; a code without one (or null) as it is. */
export type ValueLabels = (kind: LabelKind, code: string | null) => string | null;

/** The codes themselves (the JSON answer, and an export before labels were asked for). */
export const CODES: ValueLabels = (_kind, code) => code;

/** Labels in `lang`; categories and departments by their names in the catalogue. */
export function valueLabels(lang: ExportLang, names: { categories: NamedRow[]; departments: NamedRow[] }): ValueLabels {
  const i = lang === 'tr' ? 0 : 1;
  const named = (rows: NamedRow[]) => Object.fromEntries(rows.map((r) => [r.code, [r.name, r.nameEn] as Pair]));
  const tables: Partial<Record<LabelKind, Record<string, Pair>>> = { ...CODE_LABELS, category: named(names.categories), department: named(names.departments) };
  return (kind, code) => (code === null ? null : (tables[kind]?.[code]?.[i] ?? code));
}

export interface NamedRow {
  code: string;
  name: string;
  nameEn: string;
}
