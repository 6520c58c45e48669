import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { computeReturns, computeYearReturns } from '../src/modules/returns/return-counts.repository.ts';
import { baseline } from './returns/timings.ts';
import { loadavg } from 'node:os';

const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: 4 });
const db = handle.db;
const asOf = '2026-12-07' as never;
const fy = 2024;
const t = async (label: string, f: () => Promise<unknown>, n = 3) => {
  await f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f();
    xs.push(performance.now() - s);
  }
  xs.sort((a, b) => a - b);
  console.log(label.padEnd(40), xs.map((x) => x.toFixed(0)).join(' '), 'load', loadavg()[0]!.toFixed(1));
  return xs[1]!;
};
const modes = (process.argv[2] ?? 'base,year,four').split(',');
for (let round = 0; round < 2; round++) {
  if (modes.includes('base')) await t('baseline year', () => baseline(db, '2024-04-01', '2025-03-31'));
  if (modes.includes('year'))
    await t('computeYearReturns', () => computeYearReturns(db, { financialYear: fy, asOf, authorities: 'all' }));
  if (modes.includes('four'))
    await t('four in turn', async () => {
      for (const q of [1, 2, 3, 4] as const) await computeReturns(db, { financialYear: fy, quarter: q, asOf, authorities: 'all' });
    });
  if (modes.includes('q'))
    await t('one quarter', () => computeReturns(db, { financialYear: fy, quarter: 4, asOf, authorities: 'all' }));
}
await handle.close();
void sql;
