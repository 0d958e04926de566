import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { departmentReportTables, hotSpotTables } from '../analysis/analysis-tables';
import { CHANNELS } from '../../../../libs/domain/src';
import { CONTACT_OUTCOMES } from '../../../../libs/database/src/entities';
import { hasCodeLabel, hasColumnLabel, hasSheetLabel } from './export-labels';
import { csvFile, toCsv, writeWorkbook, type SheetTable } from './spreadsheet';

const table: SheetTable = { name: 'rates', columns: ['measure', 'rate', 'note'], rows: [['çözüm; ığüşöç', 0.75, '=1+1'], ['x', 12, null]] };

/** Splits a CSV line by `separator`, honouring quotes (what Excel and every CSV reader do). */
function parseCsv(text: string, separator: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i += 1) {
        const ch = line[i];
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === separator && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      return [...cells, cell];
    });
}

describe('CSV and XLSX downloads in the reader’s language', () => {
  it('Turkish: BOM, `;` separator, decimal comma, Turkish headers; a cell with `;` is quoted', () => {
    const bytes = csvFile(table, 'tr');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(parseCsv(text, ';')).toEqual([
      ['Ölçü', 'Oran', 'Not'],
      ['çözüm; ığüşöç', '0,75', "'=1+1"],
      ['x', '12', ''],
    ]);
    expect(text.split('\r\n')[0]).toBe('Ölçü;Oran;Not');
  });

  it('English: `,` and decimal points, English headers; no language: machine names (scripts)', () => {
    expect(parseCsv(toCsv(table, 'en'), ',')).toEqual([
      ['Measure', 'Rate', 'Note'],
      ['çözüm; ığüşöç', '0.75', "'=1+1"],
      ['x', '12', ''],
    ]);
    expect(toCsv(table).split('\r\n')[0]).toBe('measure,rate,note');
  });

  it('XLSX: sheet names and headers in the language, Turkish letters intact, numbers as numbers', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeWorkbook([table, { name: 'tickets-by-district', columns: ['key', 'count'], rows: [['Yenişehir', 3]] }], stream, 'tr');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Oranlar', 'Başvuru - ilçe']);
    expect(book.worksheets[0].getRow(1).values).toEqual([undefined, 'Ölçü', 'Oran', 'Not']);
    expect(book.worksheets[0].getRow(2).values).toEqual([undefined, 'çözüm; ığüşöç', 0.75, '=1+1']);
    expect(book.worksheets[1].getRow(2).values).toEqual([undefined, 'Yenişehir', 3]);
  });

  it('every column, table and code a download carries has its labels', () => {
    const tables = [
      ...departmentReportTables({ summary: fakeSummary(), worstCategories: [], oldestOpen: [] } as never),
      ...hotSpotTables({ openByPlace: [], surges: [] } as never),
      { name: 'contacts', columns: ['at', 'channel', 'outcome', 'phone', 'ticket_number', 'recorded_by', 'note'], rows: [] },
    ];
    expect(tables.flatMap((t) => t.columns).filter((c) => !hasColumnLabel(c))).toEqual([]);
    expect(tables.map((t) => t.name).filter((n) => !hasSheetLabel(n))).toEqual([]);
    expect([...CHANNELS.filter((c) => !hasCodeLabel('channel', c)), ...CONTACT_OUTCOMES.filter((c) => !hasCodeLabel('outcome', c))]).toEqual([]);
  });
});

/** A summary with every list empty: only the tables' names and columns matter here. */
function fakeSummary() {
  const speed = { count: 0, medianHours: null, p90Hours: null };
  const rate = { base: 0, count: 0, rate: null };
  return {
    volumes: { contacts: { byChannel: [], byOutcome: [] }, tickets: { byChannel: [], byType: [], byCategory: [], byDepartment: [], byDistrict: [], bySegment: [] }, daily: [], weekly: [] },
    registration: rate,
    speed: { toDepartment: speed, toExpert: speed, toResolution: speed, toClose: speed, approvalLevels: [], sla: { tickets: 0, breached: 0, compliance: null }, legal: { due: 0, onTime: 0, compliance: null } },
    quality: { reopen: rate, referral: rate, returnToCenter: rate, satisfaction: { ratings: 0, satisfied: 0, satisfiedShare: null }, closureCheckNotFixed: rate, stuckNow: 0 },
  };
}
