import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { badRequest } from '../common/problem';
import type { ExportFormat } from './analysis-query.dto';
import type { Table } from './analysis.types';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The answer in the asked format: the figures as JSON, one table as CSV, or every table as an
 * XLSX workbook (one sheet each) written by exceljs's streaming WorkbookWriter straight into the
 * response, so a long period's rows are never held as one workbook in memory.
 */
export function exportAs<T>(format: ExportFormat | undefined, table: string | undefined, figures: T, tables: (figures: T) => Table[], name: string): T | StreamableFile {
  if (!format || format === 'json') {
    if (table !== undefined) throw badRequest('table', 'a table is chosen only for format=csv');
    return figures;
  }
  const all = tables(figures);
  if (format === 'csv') {
    const chosen = all.find((t) => t.name === table);
    if (!chosen) throw badRequest('table', `format=csv exports one table: one of ${all.map((t) => t.name).join(', ')}`);
    // A byte-order mark, so spreadsheet programs read the Turkish letters as UTF-8.
    return new StreamableFile(Buffer.from(`\uFEFF${toCsv(chosen)}`, 'utf8'), { type: CSV_TYPE, disposition: `attachment; filename="${name}-${chosen.name}.csv"` });
  }
  if (table !== undefined) throw badRequest('table', 'format=xlsx exports every table; leave table out');
  const stream = new PassThrough();
  void writeWorkbook(all, stream).catch((error: unknown) => stream.destroy(error as Error));
  return new StreamableFile(stream, { type: XLSX_TYPE, disposition: `attachment; filename="${name}.xlsx"` });
}

async function writeWorkbook(tables: Table[], stream: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name.slice(0, 31));
    const header = sheet.addRow(table.columns);
    header.font = { bold: true };
    header.commit();
    for (const row of table.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
}

/** RFC 4180 CSV; a text cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function toCsv(table: Table): string {
  const cell = (value: string | number | null): string => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
