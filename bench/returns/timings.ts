import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import {
  computeReturns,
  computeReturnSql,
  computeYearReturns,
} from '../../src/modules/returns/return-counts.repository.ts';
import { log, now } from '../pg-cluster.ts';
import { asOf, fmt, lastYear, QUARTER, quarterDates, S } from './settings.ts';

// The two things timed

export type Timing = { median: number; runs: number[] };
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** `warmups` untimed runs, then `repeats` timed runs; the median, in ms, and the last run's result. */
export async function timed<T>(
  work: () => Promise<T>,
  warmups = 1,
  repeats = S.repeats,
): Promise<{ timing: Timing; result: T }> {
  for (let i = 0; i < warmups; i++) await work();
  let result = undefined as T;
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = now();
    result = await work();
    runs.push(now() - t);
  }
  return { timing: { median: median(runs), runs }, result };
}

/** The baseline: one plain scan of the period's episodes, grouped by authority, counting them by outcome. */
export async function baseline(db: Database, start: string, end: string): Promise<number> {
  const r = await sql<{
    code: string | null;
    n: number;
    quit: number;
    co: number;
    not_quit: number;
    lost: number;
  }>`
    select e.local_authority_code as code,
           count(*)::int as n,
           (count(*) filter (where o.outcome in ('quit_self_reported', 'quit_co_verified')))::int as quit,
           (count(*) filter (where o.outcome = 'quit_co_verified'))::int as co,
           (count(*) filter (where o.outcome = 'not_quit'))::int as not_quit,
           (count(*) filter (where o.outcome = 'lost_to_follow_up'))::int as lost
      from episodes e
      left join episode_outcomes o on o.episode_id = e.id
     where e.quit_date between ${start}::date and ${end}::date
     group by e.local_authority_code`.execute(db);
  return r.rows.reduce((s, x) => s + x.n, 0);
}

export const RETURN_SQL = 'src/modules/returns/return-counts.repository.ts';

/**
 * Every authority's return for the quarters, the way the product makes them: computeYearReturns with
 * authorities 'all' (one GROUPING SETS pass for every quarter asked and the whole country), computeReturns
 * with 'all' (one pass per quarter), or computeReturnSql once per authority per quarter (`concurrency` at
 * a time), as each authority generating its own would. Gives back the quit dates counted, summed over the
 * returns, to check against the baseline.
 */
export async function allReturns(
  db: Database,
  codes: string[],
  quarters: (1 | 2 | 3 | 4)[],
  mode: Mode,
): Promise<number> {
  let setQuitDate = 0;
  const req = (quarter: 1 | 2 | 3 | 4) => ({ financialYear: lastYear(), quarter, asOf: asOf() });
  if (mode.kind === 'year') {
    const year = await computeYearReturns(db, {
      financialYear: lastYear(),
      quarters,
      asOf: asOf(),
      authorities: 'all',
    });
    for (const returns of year.values())
      for (const r of returns.values()) setQuitDate += r.totals.setQuitDate;
    return setQuitDate;
  }
  if (mode.kind === 'all') {
    for (const q of quarters) {
      const returns = await computeReturns(db, { ...req(q), authorities: 'all' });
      for (const r of returns.values()) setQuitDate += r.totals.setQuitDate;
    }
    return setQuitDate;
  }
  const jobs = quarters.flatMap((q) => codes.map((code) => ({ code, q })));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const ret = await computeReturnSql(db, job.code, req(job.q));
      setQuitDate += ret.totals.setQuitDate;
    }
  };
  await Promise.all(Array.from({ length: mode.concurrency }, worker));
  return setQuitDate;
}

export type Row = {
  label: string;
  /** The product's way of making every authority's return at once; the aim is judged on these rows. */
  headline: boolean;
  returns: Timing;
  base: Timing;
  returnsEpisodes: number;
  baseEpisodes: number;
};

export type Mode = { kind: 'year' } | { kind: 'all' } | { kind: 'each'; concurrency: number };
export const modeLabel = (m: Mode) =>
  m.kind === 'year'
    ? "computeYearReturns('all'), one call for the year"
    : m.kind === 'all'
      ? "computeReturns('all'), one call per quarter"
      : `computeReturnSql per authority${m.concurrency > 1 ? `, ${m.concurrency} at a time` : ''}`;

/**
 * The product's way of making every authority's returns at once, on which the aim is judged: the quarter
 * by computeReturns (computeYearReturns for one quarter is the same call), the year by computeYearReturns.
 */
const isHeadline = (m: Mode, quarters: number) => (quarters > 1 ? m.kind === 'year' : m.kind === 'all');

export async function measure(db: Database, modes: Mode[]): Promise<Row[]> {
  const codes = (
    await sql<{ code: string }>`select code from local_authorities order by code`.execute(db)
  ).rows.map((r) => r.code);
  const fy = lastYear();
  const fyLabel = `${fy}/${String((fy + 1) % 100).padStart(2, '0')}`;
  const periods = [
    {
      label: `${fyLabel} Q${QUARTER}`,
      quarters: [QUARTER] as (1 | 2 | 3 | 4)[],
      range: quarterDates(fy, QUARTER),
    },
    {
      label: `${fyLabel} Q1-Q4`,
      quarters: [1, 2, 3, 4] as (1 | 2 | 3 | 4)[],
      range: { start: quarterDates(fy, 1).start, end: quarterDates(fy, 4).end },
    },
  ];
  const rows: Row[] = [];
  for (const p of periods) {
    for (const m of modes) {
      // 153 calls a quarter take a while at full scale: the per-authority runs are timed once, the 'all'
      // run just before having warmed the same data; two at a time only for the quarter.
      if (m.kind === 'each' && m.concurrency > 1 && p.quarters.length > 1) continue;
      // For one quarter computeYearReturns is computeReturns: nothing to compare.
      if (m.kind === 'year' && p.quarters.length === 1) continue;
      const [warmups, repeats] = m.kind === 'each' ? [0, 1] : [1, S.repeats];
      const label = `${p.label}, ${modeLabel(m)}`;
      log(`${label}: every authority's return (${warmups} warm-up, ${repeats} timed)…`);
      const r = await timed(() => allReturns(db, codes, p.quarters, m), warmups, repeats);
      log(`${label}: the GROUP BY baseline…`);
      const b = await timed(() => baseline(db, p.range.start, p.range.end));
      rows.push({
        label,
        headline: isHeadline(m, p.quarters.length),
        returns: r.timing,
        base: b.timing,
        returnsEpisodes: r.result,
        baseEpisodes: b.result,
      });
      log(`  returns ${fmt(r.timing.median, 1)} ms, baseline ${fmt(b.timing.median, 1)} ms`);
    }
  }
  return rows;
}
