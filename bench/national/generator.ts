import type { Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { syncReferenceData } from '../../src/modules/organisations/reference-data.repository.ts';
import { seedAffectedMedicines } from '../../src/modules/medicines/medicines.seed.ts';
import { loadAuthorities, type Authority } from './authorities.ts';
import { EpisodeGenerator } from './episodes.ts';
import { Rng } from './random.ts';
import { GENERATED_TABLES, makeIdFactory, type Exec, type TableCounts } from './rows.ts';
import { planQuitDates, setUpServices } from './services.ts';

export type GenerateOptions = {
  seed: number;
  /** How many financial years, from firstYear. */
  years: number;
  /** Fraction of national volume: 1 is about 240,000 quit dates a year. */
  scale: number;
  /** The first financial year by its first calendar year (2020 is April 2020 to March 2021). */
  firstYear: number;
  /** Episodes per batch (one transaction). */
  batchEpisodes?: number;
  /** Progress on stderr: a bar on a terminal, a line each 10% otherwise; false for none. */
  progress?: boolean;
};

export type GenerateSummary = {
  seconds: number;
  rows: number;
  rowsPerSecond: number;
  counts: TableCounts;
  byYear: { year: number; quitDates: number; referrals: number }[];
  outcomes: Record<string, number>;
  cmhcShare: number;
  authorities: Authority[];
};

/**
 * Generates the national data into an empty, migrated database with its reference data loaded
 * (regions and local_authorities). Throws if the database already has episodes or organisations.
 */
export async function generateNational(exec: Exec, opts: GenerateOptions): Promise<GenerateSummary> {
  const t0 = performance.now();
  const { seed, years, scale, firstYear } = opts;
  checkOptions(opts);
  const authorities = await authoritiesForEmptyDatabase(exec);

  const rng = new Rng(seed);
  const id = makeIdFactory(seed);
  const services = await setUpServices(exec, authorities, firstYear, rng, id);
  const plan = planQuitDates(authorities, years, scale, rng);
  const totalEpisodes = plan.flat().reduce((a, b) => a + b, 0);
  const g = new EpisodeGenerator(exec, rng, id, {
    totalEpisodes,
    batchEpisodes: opts.batchEpisodes ?? 4000,
    progress: opts.progress !== false,
    organisations: services.organisations,
    commissions: services.commissions,
  });
  const byYear: GenerateSummary['byYear'] = [];
  for (let y = 0; y < years; y++) {
    await g.year(firstYear + y, plan[y]!, services.params);
    byYear.push({ year: firstYear + y, quitDates: plan[y]!.reduce((a, b) => a + b, 0), referrals: 0 });
  }
  await g.finish();
  await countReferralsByYear(exec, byYear);

  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    rows: g.rowsWritten,
    rowsPerSecond: g.rowsWritten / seconds,
    counts: g.counts,
    byYear,
    outcomes: g.outcomeTally,
    cmhcShare: totalEpisodes > 0 ? g.cmhc / totalEpisodes : 0,
    authorities,
  };
}

function checkOptions({ seed, years, scale }: GenerateOptions): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error('seed must be a whole number from 0 to 4294967295');
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new Error('years must be from 1 to 20');
  if (!(scale > 0 && scale <= 10)) throw new Error('scale must be above 0 and at most 10');
}

/** The authorities, once the database is found empty and holding the reference data. */
async function authoritiesForEmptyDatabase(exec: Exec): Promise<Authority[]> {
  const existing = await exec(
    'select (select count(*) from episodes)::int as e, (select count(*) from organisations)::int as o, (select count(*) from local_authorities)::int as l',
  );
  const ex = existing.rows[0] as { e: number; o: number; l: number };
  if (ex.e > 0 || ex.o > 0)
    throw new Error(
      `The database already has ${ex.e} episodes and ${ex.o} organisations: generate into an empty one`,
    );

  const authorities = loadAuthorities();
  if (ex.l !== authorities.length)
    throw new Error(
      `local_authorities has ${ex.l} rows, the reference table ${authorities.length}: load the reference data first`,
    );
  return authorities;
}

/** Referrals per year, as stored (received in the financial year). */
async function countReferralsByYear(exec: Exec, byYear: GenerateSummary['byYear']): Promise<void> {
  const ry = await exec(
    `select case when extract(month from created_at) >= 4 then extract(year from created_at) else extract(year from created_at) - 1 end::int as fy, count(*)::int as n
       from referrals group by 1 order by 1`,
  );
  const refByYear = new Map(ry.rows.map((r) => [r.fy as number, r.n as number]));
  for (const b of byYear) b.referrals = refByYear.get(b.year) ?? 0;
}

/**
 * A checksum of every generated table: its row count and the sum of a 64-bit hash of each whole row.
 * Order-independent, and cheap enough at any scale (no giant string).
 */
export async function tableChecksums(exec: Exec): Promise<Record<string, { rows: number; sum: string }>> {
  const out: Record<string, { rows: number; sum: string }> = {};
  for (const t of GENERATED_TABLES) {
    const r = await exec(
      `select count(*)::int as n, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text as s from ${t} t`,
    );
    out[t] = { rows: r.rows[0]!.n as number, sum: r.rows[0]!.s as string };
  }
  return out;
}

/** Prepares a database for the generator: migrations and the reference data (regions, authorities). */
export async function prepareDatabase(db: Database): Promise<void> {
  await migrateToLatest(db);
  await syncReferenceData(db);
  await seedAffectedMedicines(db);
}

/** After a load: statistics and the visibility map, as autovacuum would leave a live database. */
export async function vacuumAnalyse(exec: Exec): Promise<void> {
  // episode_facts too: the triggers that keep it current leave a dead row for each change.
  for (const t of [...GENERATED_TABLES, 'episode_facts']) await exec(`vacuum (analyze) ${t}`);
}

export function describeSummary(s: GenerateSummary, label: string): string {
  const n = s.counts.episodes;
  const pct = (k: string) => ((100 * (s.outcomes[k] ?? 0)) / Math.max(1, n)).toFixed(1);
  const quits = (s.outcomes.quit_co_verified ?? 0) + (s.outcomes.quit_self_reported ?? 0);
  const lines = [
    `${label}: ${s.rows.toLocaleString('en-GB')} rows in ${s.seconds.toFixed(1)} s, ${Math.round(s.rowsPerSecond).toLocaleString('en-GB')} rows/s`,
    `  ${GENERATED_TABLES.map((t) => `${t} ${s.counts[t].toLocaleString('en-GB')}`).join(', ')}`,
    `  quit dates by year: ${s.byYear.map((b) => `${b.year}/${String((b.year + 1) % 100).padStart(2, '0')} ${b.quitDates.toLocaleString('en-GB')} (referrals ${b.referrals.toLocaleString('en-GB')})`).join('; ')}`,
    `  outcomes: quit ${((100 * quits) / Math.max(1, n)).toFixed(1)}% (CO-verified ${pct('quit_co_verified')}%, ${((100 * (s.outcomes.quit_co_verified ?? 0)) / Math.max(1, quits)).toFixed(1)}% of quits), not quit ${pct('not_quit')}%, lost ${pct('lost_to_follow_up')}%; common mental health condition ${(100 * s.cmhcShare).toFixed(1)}%`,
  ];
  return lines.join('\n');
}
