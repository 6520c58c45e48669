// CSV for every dashboard table: the same rows the page shows, in the same order, with the figures as
// the page shows them (a published table's '*' stays '*'). A cell a spreadsheet would read as a formula
// (=, +, -, @ at the start of text) is prefixed with an apostrophe; numbers are written as they are.
import type { FastifyReply } from 'fastify';

export type CsvCell = string | number | null;
export type CsvTable = { name: string; headers: readonly string[]; rows: readonly (readonly CsvCell[])[] };

function cell(v: CsvCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: Pick<CsvTable, 'headers' | 'rows'>): string {
  return [table.headers, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A number rounded for a file: one decimal place for rates, none for counts. */
export const csvNumber = (v: number | string | null, decimals = 1): CsvCell =>
  v === null ? null : typeof v === 'string' ? v : Math.round(v * 10 ** decimals) / 10 ** decimals;

/** Sends one table as a CSV download, named after the dashboard, the table and the period. */
export function sendCsv(reply: FastifyReply, fileName: string, table: CsvTable) {
  const safe = fileName.replace(/[^A-Za-z0-9_-]+/g, '-');
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${safe}.csv"`)
    .header('cache-control', 'no-store')
    .send(toCsv(table));
}
