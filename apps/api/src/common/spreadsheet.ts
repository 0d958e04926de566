import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { PassThrough, type Writable } from 'node:stream';
import { columnLabel, sheetLabel } from './export-labels';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The languages a download's headers and sheet names come in (the console's own). */
export const EXPORT_LANGS = ['tr', 'en'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** The `lang` query parameter of every download, as documented (README, "CSV and XLSX downloads"). */
export const LANG_DOC =
  'For format=csv or xlsx: headers and sheet names in Turkish (tr: CSV separated by `;` with decimal commas, as Turkish Excel reads it) or English (en: `,`); absent: machine names and `,`. Every CSV starts with a UTF-8 byte-order mark';

/** One table of a download: machine names for its columns; the labels come from export-labels.ts. */
export interface SheetTable {
  name: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * How a CSV is written for a reader. Turkish Excel (Windows' regional settings for Turkey) splits
 * a CSV at `;` because the comma is its decimal separator, and reads the file as UTF-8 only with a
 * byte-order mark; so `lang=tr` writes `;`, decimal commas and Turkish headers. `lang=en` writes
 * `,`, decimal points and English headers. No `lang` keeps the machine names and `,` (scripts).
 * Every variant starts with the BOM (harmless to parsers that strip it, needed by Excel).
 */
export interface CsvDialect {
  separator: ',' | ';';
  decimal: '.' | ',';
}

export const csvDialect = (lang: ExportLang | undefined): CsvDialect => (lang === 'tr' ? { separator: ';', decimal: ',' } : { separator: ',', decimal: '.' });

/** The headers a reader sees: labels in `lang`, or the machine names when no language is asked for. */
export const headersOf = (table: SheetTable, lang: ExportLang | undefined): string[] => (lang ? table.columns.map((c) => columnLabel(c, lang)) : table.columns);

/** RFC 4180 CSV in the dialect (no BOM); a text cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function toCsv(table: SheetTable, lang?: ExportLang): string {
  const { separator, decimal } = csvDialect(lang);
  const needsQuotes = new RegExp(`["${separator}\\r\\n]`);
  const cell = (value: string | number | null): string => {
    if (value === null) return '';
    if (typeof value === 'number') return decimal === ',' ? String(value).replace('.', ',') : String(value);
    const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [headersOf(table, lang), ...table.rows].map((row) => row.map(cell).join(separator)).join('\r\n') + '\r\n';
}

/** The CSV file's bytes: byte-order mark, then the table. */
export const csvFile = (table: SheetTable, lang?: ExportLang): Buffer => Buffer.from(`\uFEFF${toCsv(table, lang)}`, 'utf8');

/**
 * Every table as one XLSX workbook (one sheet each, named and headed in `lang`), written by
 * exceljs's streaming WorkbookWriter into `stream`, so a long table is never held whole in memory.
 */
export async function writeWorkbook(tables: SheetTable[], stream: Writable, lang?: ExportLang): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  for (const table of tables) {
    // Excel allows 31 characters and none of : \ / ? * [ ] in a sheet name.
    const sheet = workbook.addWorksheet((lang ? sheetLabel(table.name, lang) : table.name).replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
    const header = sheet.addRow(headersOf(table, lang));
    header.font = { bold: true };
    header.commit();
    for (const row of table.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
}

/** A table as a download: CSV (with its BOM) or an XLSX workbook streamed as it is written. */
export function downloadOf(table: SheetTable, format: 'csv' | 'xlsx', lang: ExportLang | undefined, fileName: string): StreamableFile {
  if (format === 'csv') return new StreamableFile(csvFile(table, lang), { type: CSV_TYPE, disposition: `attachment; filename="${fileName}.csv"` });
  const stream = new PassThrough();
  void writeWorkbook([table], stream, lang).catch((error: unknown) => stream.destroy(error as Error));
  return new StreamableFile(stream, { type: XLSX_TYPE, disposition: `attachment; filename="${fileName}.xlsx"` });
}
