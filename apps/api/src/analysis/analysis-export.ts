import { StreamableFile } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { badRequest } from '../common/problem';
import { csvFile, CSV_TYPE, writeWorkbook, XLSX_TYPE, type ExportLang } from '../common/spreadsheet';
import type { ExportFormat } from './analysis-query.dto';
import type { Table } from './analysis.types';

export { CSV_TYPE, toCsv, XLSX_TYPE } from '../common/spreadsheet';

/**
 * The answer in the asked format: the figures as JSON, one table as CSV, or every table as an
 * XLSX workbook (one sheet each) written by exceljs's streaming WorkbookWriter straight into the
 * response, so a long period's rows are never held as one workbook in memory. `lang` picks the
 * headers, sheet names and CSV dialect (common/spreadsheet.ts: `;` and decimal commas for Turkish Excel).
 */
export function exportAs<T>(format: ExportFormat | undefined, table: string | undefined, figures: T, tables: (figures: T) => Table[], name: string, lang?: ExportLang): T | StreamableFile {
  if (!format || format === 'json') {
    if (table !== undefined) throw badRequest('table', 'a table is chosen only for format=csv');
    if (lang !== undefined) throw badRequest('lang', 'a language is chosen only for format=csv or xlsx');
    return figures;
  }
  const all = tables(figures);
  if (format === 'csv') {
    const chosen = all.find((t) => t.name === table);
    if (!chosen) throw badRequest('table', `format=csv exports one table: one of ${all.map((t) => t.name).join(', ')}`);
    return new StreamableFile(csvFile(chosen, lang), { type: CSV_TYPE, disposition: `attachment; filename="${name}-${chosen.name}.csv"` });
  }
  if (table !== undefined) throw badRequest('table', 'format=xlsx exports every table; leave table out');
  const stream = new PassThrough();
  void writeWorkbook(all, stream, lang).catch((error: unknown) => stream.destroy(error as Error));
  return new StreamableFile(stream, { type: XLSX_TYPE, disposition: `attachment; filename="${name}.xlsx"` });
}
