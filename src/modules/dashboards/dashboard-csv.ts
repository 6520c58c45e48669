// CSV for every dashboard table: the same rows the page shows, in the same order, with the figures as
// the page shows them (a published table's '*' stays '*'). Written by the one CSV writer (platform/csv.ts),
// which makes formula-like text inert.
import type { FastifyReply } from 'fastify';
import { toCsv, type CsvCell } from '../../platform/csv.ts';

export type { CsvCell };
export type CsvTable = { name: string; headers: readonly string[]; rows: readonly (readonly CsvCell[])[] };

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
    .send(toCsv(table.headers, table.rows));
}
