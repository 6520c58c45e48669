// Synthetic national data for the returns benchmark: every upper-tier authority in England, each with a
// stop smoking service it commissions, and a number of financial years of referrals, people, treatment
// episodes, four-week outcomes and aids, at national volumes. See bench/README.md.
//
//   node bench/generate-national.ts --seed 42 --years 5 --scale 1 [--first-year 2020]
//                                   [--database-url postgres://…] [--data-dir .data/pglite-national]
//
// Deterministic: the same seed, years, scale and first year give the same rows, ids included, byte for
// byte (no Math.random, no clock). Sized from the reference data: each authority's share of the national
// quit dates is its adults (ONS mid-2023, 18+) times its smoking prevalence (APS, Fingertips 92443, the
// latest year with a value; counties from their districts, weighted by adults). Outcome rates are drawn
// around the national ones (docs/domain.md, Four-week outcome: about 54% quit at four weeks, about 12% of
// quits CO-verified).
//
// Loads with multi-row INSERT … SELECT FROM unnest($1::uuid[], …): one statement per table per batch of
// a few thousand episodes, each batch one transaction. It works the same on PostgreSQL and PGlite with
// no new dependency, and one array parameter per column stays far from the 65,535-parameter limit.
// Generation of the next batch overlaps the database's work on the previous one.

import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { syncReferenceData } from '../src/modules/organisations/reference-data.repository.ts';
import { seedAffectedMedicines } from '../src/modules/medicines/medicines.seed.ts';

// ---------------------------------------------------------------------------------------------------
// Seeded randomness: sfc32, seeded through splitmix32 (both small, fast and well tested)

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    const s = splitmix32(seed >>> 0);
    this.a = s();
    this.b = s();
    this.c = s();
    this.d = s();
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }
  /** 0 … n-1 */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

/** A weighted code list, sampled by binary search over the cumulative weights. */
export class Weighted<T> {
  readonly values: T[];
  private readonly cum: Float64Array;
  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = entries.map((e) => e[0]);
    this.cum = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, w], i) => {
      total += w;
      this.cum[i] = total;
    });
    for (let i = 0; i < this.cum.length; i++) this.cum[i]! /= total;
  }
  sample(rng: Rng): T {
    const r = rng.next();
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------------------
// Code lists and the national shape of the data. Codes follow src/db/migrations and
// src/modules/episodes/programme.ts; the demographic codes follow the NHS Data Dictionary.

/** Quit dates by month of the financial year (April first): Stoptober and January peak, December dips. */
const MONTH_WEIGHTS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.95, 1.25, 1.0, 0.7, 1.35, 1.1, 1.05];

/** National quit dates in a year, relative to 240,000, for the first five years generated (then repeating). */
const YEAR_FACTORS = [0.97, 0.99, 1.0, 1.02, 0.99];
export const NATIONAL_QUIT_DATES_PER_YEAR = 240_000;

export const INTERVENTION_TYPES = new Weighted([
  ['07', 3],
  ['08', 38],
  ['09', 30],
  ['10', 5],
  ['11', 2],
  ['12', 1],
  ['13', 9],
  ['14', 3],
  ['15', 6],
  ['97', 3],
] as const);

/** Settings (our keys, DEFAULT_SETTINGS), with a small effect on the quit rate so some settings need exception reasons. */
const SETTINGS: readonly (readonly [string, number, number])[] = [
  ['community', 46, 0.02],
  ['pharmacy', 20, -0.06],
  ['general_practice', 15, 0.0],
  ['hospital', 6, -0.05],
  ['psychiatric', 3, -0.1],
  ['dental', 0.4, 0.0],
  ['childrens_centre', 1, 0.0],
  ['educational', 1, 0.05],
  ['prison', 2, 0.1],
  ['military', 0.2, 0.1],
  ['other', 3.4, -0.02],
];
const SETTING_CODES = new Weighted(SETTINGS.map(([c, w]) => [c, w] as const));
const SETTING_EFFECT = new Map(SETTINGS.map(([c, , e]) => [c, e]));

/** Aids by financial year: varenicline was withdrawn from 2021 to 2023, Swap to Stop began in 2023/24, cytisine came in 2024. */
function aidsFor(year: number): Weighted<string> {
  if (year <= 2020)
    return new Weighted([
      ['combination_nrt', 38],
      ['single_nrt', 12],
      ['varenicline', 20],
      ['bupropion', 2],
      ['e_cigarette', 14],
      ['none', 14],
    ]);
  if (year <= 2022)
    return new Weighted([
      ['combination_nrt', 45],
      ['single_nrt', 14],
      ['varenicline', year === 2021 ? 3 : 6],
      ['bupropion', 2],
      ['e_cigarette', 20],
      ['none', 16 - (year === 2021 ? 0 : 3)],
    ]);
  if (year === 2023)
    return new Weighted([
      ['combination_nrt', 36],
      ['single_nrt', 10],
      ['varenicline', 12],
      ['cytisine', 1],
      ['bupropion', 1],
      ['e_cigarette', 8],
      ['e_cigarette_swap_to_stop', 22],
      ['none', 10],
    ]);
  return new Weighted([
    ['combination_nrt', 32],
    ['single_nrt', 9],
    ['varenicline', 14],
    ['cytisine', 6],
    ['bupropion', 1],
    ['e_cigarette', 6],
    ['e_cigarette_swap_to_stop', 24],
    ['none', 8],
  ]);
}
const SECOND_AID = new Weighted([
  ['e_cigarette', 50],
  ['single_nrt', 50],
] as const);

/**
 * Common mental health condition among people setting a quit date: about a third, this generator's
 * assumption (docs/domain.md, Who smokes, gives the smoking rate among people with depression or anxiety,
 * not this share).
 */
const MENTAL_HEALTH = new Weighted([
  ['depression', 12],
  ['anxiety', 10],
  ['both', 11],
  ['other', 3],
  ['none', 55],
  ['not_known', 9],
] as const);

const SEX = new Weighted([
  ['female', 52],
  ['male', 47],
  ['not_stated', 0.7],
  ['not_known', 0.3],
] as const);
const GENDER_SAME = new Weighted([
  ['yes', 93],
  ['no', 1],
  ['not_stated', 3],
  ['not_known', 3],
] as const);
/** Age at quit date, by band: [lowest age, highest age, weight]. */
const AGE_BANDS = new Weighted([
  [[16, 17], 0.5],
  [[18, 24], 7],
  [[25, 34], 20],
  [[35, 44], 22],
  [[45, 54], 22],
  [[55, 64], 17.5],
  [[65, 90], 11],
] as const);
/** NHS Data Dictionary ETHNIC CATEGORY (2001 census codes), Z not stated, 99 not known. */
const ETHNIC_OUTSIDE_LONDON = new Weighted([
  ['A', 80],
  ['B', 1],
  ['C', 4],
  ['D', 0.8],
  ['E', 0.3],
  ['F', 0.5],
  ['G', 0.5],
  ['H', 1.5],
  ['J', 2],
  ['K', 0.7],
  ['L', 0.7],
  ['M', 0.8],
  ['N', 1],
  ['P', 0.3],
  ['R', 0.2],
  ['S', 0.7],
  ['Z', 3],
  ['99', 2],
] as const);
const ETHNIC_LONDON = new Weighted([
  ['A', 44],
  ['B', 2.5],
  ['C', 12],
  ['D', 2],
  ['E', 1],
  ['F', 1],
  ['G', 1.5],
  ['H', 4],
  ['J', 2.5],
  ['K', 3.5],
  ['L', 3.5],
  ['M', 5],
  ['N', 6],
  ['P', 1.5],
  ['R', 0.8],
  ['S', 3],
  ['Z', 4],
  ['99', 2.7],
] as const);
/** NS-SEC analytic classes 1 to 8, students, not classified, not known (src/modules/referrals/demographics.ts). */
const NS_SEC = new Weighted([
  ['1', 4],
  ['2', 9],
  ['3', 9],
  ['4', 6],
  ['5', 6],
  ['6', 17],
  ['7', 20],
  ['8', 13],
  ['students', 2],
  ['not_classified', 8],
  ['not_known', 6],
] as const);
/** Sexual orientation (the 2015 standard's answers, as src/modules/referrals/demographics.ts codes them). */
const SEXUAL_ORIENTATION = new Weighted([
  ['heterosexual', 84],
  ['gay_or_lesbian', 2.2],
  ['bisexual', 1.8],
  ['other', 0.5],
  ['not_sure', 0.5],
  ['not_stated', 5],
  ['not_known', 6],
] as const);

/** Who referred the people who set a quit date; 'none' means met directly, with no referral. */
const REFERRAL_SOURCES = [
  ['self', 28],
  ['gp_practice', 26],
  ['talking_therapies', 6],
  ['community_mental_health_team', 2.5],
  ['pharmacy', 8],
  ['foodbank', 1.5],
  ['housing', 2.5],
  ['homelessness', 1.2],
  ['addiction_support', 2.3],
  ['family_income_support', 1.2],
  ['community_other', 3.3],
  ['local_authority', 2.5],
  ['none', 13],
] as const;
type ReferralSource = (typeof REFERRAL_SOURCES)[number][0];
const SOURCE_NO_CMHC = new Weighted(REFERRAL_SOURCES);
/** People with depression or anxiety come more often from Talking Therapies and mental health teams. */
const SOURCE_CMHC = new Weighted(
  REFERRAL_SOURCES.map(([s, w]) =>
    s === 'talking_therapies'
      ? ([s, 16] as const)
      : s === 'community_mental_health_team'
        ? ([s, 5] as const)
        : [s, w],
  ),
);
/** The referrer organisations every authority has, and how many of each (GP practices: several). */
const REFERRER_ORGS: readonly (readonly [Exclude<ReferralSource, 'self' | 'none'>, number, string])[] = [
  ['talking_therapies', 1, 'NHS Talking Therapies'],
  ['gp_practice', 4, 'GP practice'],
  ['community_mental_health_team', 1, 'Community Mental Health Team'],
  ['pharmacy', 2, 'Community Pharmacy'],
  ['foodbank', 1, 'Foodbank'],
  ['housing', 1, 'Housing Options'],
  ['homelessness', 1, 'Homelessness Outreach'],
  ['addiction_support', 1, 'Drug and Alcohol Service'],
  ['family_income_support', 1, 'Family Hub'],
  ['community_other', 1, 'Community Wellbeing Centre'],
  ['local_authority', 1, 'Public Health Team'],
];

const GIVEN = (
  'Olivia Amelia Isla Ava Mia Sophia Grace Lily Freya Emily Chloe Sarah Emma Jessica Lauren Hannah ' +
  'Rebecca Amy Laura Gemma Priya Aisha Fatima Zara Joanne Karen Susan Julie Tracey Michelle Noah ' +
  'Oliver George Leo Harry Jack Jacob Charlie Thomas Oscar James William Daniel Joshua Ryan Liam ' +
  'Connor Callum Mohammed Ali Adam Omar Kwame Tomasz Piotr David Paul Mark Steven Gary Darren Lee ' +
  'Alex Sam Jordan Robin Casey Jamie'
).split(' ');
const FAMILY = (
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans ' +
  'Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper ' +
  'Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis ' +
  'Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell ' +
  'Collins Morgan Kelly Begum Miller Cox Marshall Ahmed Simpson Anderson Ellis Adams Wilkinson ' +
  'Hussain Nowak Kowalski Mensah Okafor Murphy Ashworth Fletcher Shah Chen Nguyen'
).split(' ');

// ---------------------------------------------------------------------------------------------------
// Reference data: the authorities, their adults and smoking prevalence, and real postcodes in each

const REF = (name: string) => fileURLToPath(new URL(`../data/reference/${name}`, import.meta.url));

/** Districts that Fingertips still reports after they were merged into new unitary authorities (April 2023). */
const LEGACY_DISTRICTS: Record<string, string[]> = {
  E06000063: ['E07000026', 'E07000028', 'E07000029'], // Cumberland: Allerdale, Carlisle, Copeland
  E06000064: ['E07000027', 'E07000030', 'E07000031'], // Westmorland and Furness: Barrow, Eden, South Lakeland
  E06000065: ['E07000163', 'E07000164', 'E07000165', 'E07000166', 'E07000167', 'E07000168', 'E07000169'], // North Yorkshire
};

export type Authority = {
  code: string;
  name: string;
  regionCode: string;
  pop18: number;
  /** Adult smoking prevalence, percent. */
  prevalence: number;
  /** Where the prevalence came from, for the printed summary. */
  prevalenceBasis: string;
  /** Postcode sectors ("LS6 1") and their unit codes ("AN", "AP", …) in this authority. */
  postcodes: { sector: string; units: string[] }[];
};

type Csv = Record<string, string>;
const readCsv = (name: string) => parse(readFileSync(REF(name)), { columns: true, bom: true }) as Csv[];

export function loadAuthorities(): Authority[] {
  const upper = readCsv('la_england_upper_tier.csv');
  const lower = readCsv('la_england_lower_tier.csv');
  const aps = readCsv('smoking_prevalence_aps_18plus_ltla_2011_2024.csv');

  // The latest year with a value, for each Fingertips area code.
  const latest = new Map<string, { year: number; pct: number }>();
  for (const r of aps) {
    if (r.smoking_prevalence_pct === '' || r.smoking_prevalence_pct === undefined) continue;
    const year = Number(r.year);
    const pct = Number(r.smoking_prevalence_pct);
    const code = r.area_code_fingertips!;
    const prev = latest.get(code);
    if (!prev || year > prev.year) latest.set(code, { year, pct });
  }
  const valueFor = (ltla23: string, ltla: string) => latest.get(ltla23) ?? latest.get(ltla);

  const byUtla = new Map<string, Csv[]>();
  for (const d of lower) byUtla.set(d.utla_code!, [...(byUtla.get(d.utla_code!) ?? []), d]);

  const out: Authority[] = upper.map((u) => {
    const districts = byUtla.get(u.utla_code!) ?? [];
    let weighted = 0;
    let weight = 0;
    const years = new Set<number>();
    for (const d of districts) {
      const v = valueFor(d.ltla23_code!, d.ltla_code!);
      if (!v) continue;
      const w = Number(d.pop_18plus_mid2023);
      weighted += v.pct * w;
      weight += w;
      years.add(v.year);
    }
    let prevalence = weight > 0 ? weighted / weight : NaN;
    let basis =
      districts.length > 1
        ? `${districts.length} districts weighted by adults, APS ${[...years].join('/')}`
        : `APS ${[...years].join('/')}`;
    const legacy = LEGACY_DISTRICTS[u.utla_code!];
    if (!(weight > 0) && legacy) {
      const vals = legacy.map((c) => latest.get(c)).filter((v) => v !== undefined);
      if (vals.length > 0) {
        prevalence = vals.reduce((a, v) => a + v.pct, 0) / vals.length;
        basis = `mean of ${vals.length} former districts, APS ${[...new Set(vals.map((v) => v.year))].join('/')}`;
      }
    }
    return {
      code: u.utla_code!,
      name: u.utla_name!,
      regionCode: u.region_code!,
      pop18: Number(u.pop_18plus_mid2023),
      prevalence,
      prevalenceBasis: basis,
      postcodes: [],
    };
  });

  // No APS value at all (Isles of Scilly, City of London): the region's figure, weighted by adults.
  for (const a of out) {
    if (Number.isFinite(a.prevalence)) continue;
    const peers = out.filter((p) => p.regionCode === a.regionCode && Number.isFinite(p.prevalence));
    const w = peers.reduce((s, p) => s + p.pop18, 0);
    a.prevalence = peers.reduce((s, p) => s + p.prevalence * p.pop18, 0) / w;
    a.prevalenceBasis = 'no APS value: the region, weighted by adults';
  }

  // Real postcodes: up to 60 sectors per authority, spread through its list, from the shipped postcode table.
  const sectors = new Map<string, { sector: string; units: string[] }[]>();
  const text = gunzipSync(readFileSync(REF('postcodes.tsv.gz'))).toString('utf8');
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split('\t');
    const la = f[2]!;
    const unitsText = f[3] ?? '';
    if (!la.startsWith('E') || unitsText.length < 2) continue;
    const units: string[] = [];
    for (let i = 0; i + 1 < unitsText.length; i += 2) units.push(unitsText.slice(i, i + 2));
    const list = sectors.get(la) ?? [];
    list.push({ sector: f[0]!, units });
    sectors.set(la, list);
  }
  for (const a of out) {
    const list = sectors.get(a.code) ?? [];
    const step = Math.max(1, Math.floor(list.length / 60));
    a.postcodes = list.filter((_, i) => i % step === 0).slice(0, 60);
    if (a.postcodes.length === 0) throw new Error(`No postcodes found for ${a.code} ${a.name}`);
  }
  return out.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------
// Ids, dates

/** A deterministic, unique UUID (version 4 layout): 64 hashed bits, then a 12-bit table tag and a 48-bit counter. */
function makeIdFactory(seed: number) {
  const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return (tag: number, n: number): string => {
    let h1 = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(tag + 1, 0x165667b1) ^ n;
    h1 = Math.imul(h1 ^ (h1 >>> 15), 0x85ebca6b);
    h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    let h2 = Math.imul(h1 ^ Math.floor(n / 4294967296) ^ 0x9e3779b9, 0xcc9e2d51);
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0x1b873593);
    h2 ^= h2 >>> 16;
    const a = hex8(h1);
    const b = hex8(h2);
    const counter = n.toString(16).padStart(12, '0');
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(0x8000 | tag).toString(16)}-${counter}`;
  };
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
const two = (n: number) => String(n).padStart(2, '0');
/** A timestamp on a day, during working hours (UTC). */
const at = (day: number, rng: Rng) =>
  `${iso(day)} ${two(8 + rng.int(10))}:${two(rng.int(60))}:${two(rng.int(60))}+00`;

// ---------------------------------------------------------------------------------------------------
// The database side: a minimal "run this statement" that both pg.Client and PGlite satisfy

export type Exec = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export const execOf = (c: pg.Client | PGlite): Exec =>
  c instanceof PGlite
    ? async (text, params) => ({ rows: (await c.query<Record<string, unknown>>(text, params)).rows })
    : async (text, params) => ({ rows: (await c.query(text, params)).rows as Record<string, unknown>[] });

type ColumnSpec = readonly (readonly [name: string, type: string])[];

/** Column buffers for one table; `insert` turns them into one INSERT … SELECT FROM unnest(…). */
class Rows {
  readonly table: string;
  readonly spec: ColumnSpec;
  readonly columns: unknown[][];
  length = 0;
  constructor(table: string, spec: ColumnSpec) {
    this.table = table;
    this.spec = spec;
    this.columns = spec.map(() => []);
  }
  push(...values: unknown[]) {
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]);
    this.length++;
  }
  sql(): string {
    const names = this.spec.map(([n]) => n).join(', ');
    const args = this.spec.map(([, t], i) => `$${i + 1}::${t === 'text[]' ? 'text' : t}[]`).join(', ');
    const select = this.spec.map(([n, t]) => (t === 'text[]' ? `string_to_array(${n}, ',')` : n)).join(', ');
    return `insert into ${this.table} (${names}) select ${select} from unnest(${args}) as t(${names})`;
  }
}

const PEOPLE = [
  ['id', 'uuid'],
  ['service_organisation_id', 'uuid'],
  ['local_authority_code', 'text'],
  ['given_name', 'text'],
  ['family_name', 'text'],
  ['date_of_birth', 'date'],
  ['postcode', 'text'],
  ['phone', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const REFERRALS = [
  ['id', 'uuid'],
  ['reference', 'text'],
  ['source', 'text'],
  ['referrer_organisation_id', 'uuid'],
  ['service_organisation_id', 'uuid'],
  ['local_authority_code', 'text'],
  ['given_name', 'text'],
  ['family_name', 'text'],
  ['date_of_birth', 'date'],
  ['postcode', 'text'],
  ['phone', 'text'],
  ['contact_methods', 'text[]'],
  ['smoking_status', 'text'],
  ['vaping_status', 'text'],
  ['mental_health', 'text'],
  ['in_talking_therapies', 'text'],
  ['consent_share_progress', 'boolean'],
  ['person_id', 'uuid'],
  ['help_wanted', 'text'],
  ['contact_consent_version', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const REFERRAL_EVENTS = [
  ['referral_id', 'uuid'],
  ['kind', 'text'],
  ['reason', 'text'],
  ['occurred_at', 'timestamptz'],
] as const;
const EPISODES = [
  ['id', 'uuid'],
  ['person_id', 'uuid'],
  ['service_organisation_id', 'uuid'],
  ['local_authority_code', 'text'],
  ['referral_id', 'uuid'],
  ['started_on', 'date'],
  ['quit_date', 'date'],
  ['intervention_type', 'text'],
  ['setting', 'text'],
  ['mental_health', 'text'],
  ['mental_health_basis', 'text'],
  ['in_talking_therapies', 'text'],
  ['consent_share_with_clinician', 'boolean'],
  ['sex', 'text'],
  ['gender_same_as_birth', 'text'],
  ['ethnic_category', 'text'],
  ['pregnant', 'text'],
  ['free_prescriptions', 'text'],
  ['ns_sec', 'text'],
  ['sexual_orientation', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const OUTCOMES = [
  ['episode_id', 'uuid'],
  ['outcome', 'text'],
  ['follow_up_on', 'date'],
  ['smoked_days_15_to_28', 'boolean'],
  ['co_ppm', 'int4'],
  ['reason', 'text'],
  ['recorded_at', 'timestamptz'],
] as const;
const AIDS = [
  ['id', 'uuid'],
  ['episode_id', 'uuid'],
  ['aid', 'text'],
  ['supplied_on', 'date'],
  ['supply', 'text'],
  ['created_at', 'timestamptz'],
] as const;

/** The tables the generator fills, in the order they are inserted (foreign keys first). */
export const GENERATED_TABLES = [
  'organisations',
  'commissions',
  'people',
  'referrals',
  'referral_events',
  'episodes',
  'episode_outcomes',
  'episode_aids',
] as const;
export type TableCounts = Record<(typeof GENERATED_TABLES)[number], number>;

class Batch {
  people = new Rows('people', PEOPLE);
  referrals = new Rows('referrals', REFERRALS);
  events = new Rows('referral_events', REFERRAL_EVENTS);
  episodes = new Rows('episodes', EPISODES);
  outcomes = new Rows('episode_outcomes', OUTCOMES);
  aids = new Rows('episode_aids', AIDS);
  get all() {
    return [this.people, this.referrals, this.events, this.episodes, this.outcomes, this.aids];
  }
  get rowCount() {
    return this.all.reduce((s, r) => s + r.length, 0);
  }
}

async function writeBatch(exec: Exec, batch: Batch): Promise<void> {
  await exec('begin');
  try {
    for (const rows of batch.all) if (rows.length > 0) await exec(rows.sql(), rows.columns);
    await exec('commit');
  } catch (err) {
    await exec('rollback').catch(() => undefined);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// The generator

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

type LaParams = {
  la: Authority;
  sssId: string;
  referrers: Map<string, string[]>;
  quitRate: number;
  coShare: number;
  lostShare: number;
  conversion: number;
  /** People already known to this authority's service, as indexes into the person store. */
  people: number[];
};

/** Allocates `total` over `weights` by largest remainder, so the parts add up exactly. */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const base = exact.map(Math.floor);
  let left = total - base.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    base[i]!++;
    left--;
  }
  return base;
}

function progressBar(total: number, enabled: boolean) {
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  let lastDraw = 0;
  let lastDecile = -1;
  return {
    update(done: number, rows: number) {
      if (!enabled) return;
      const t = performance.now();
      const frac = total > 0 ? done / total : 1;
      const secs = (t - t0) / 1000;
      const rate = secs > 0 ? rows / secs : 0;
      const eta = frac > 0 ? (secs / frac) * (1 - frac) : 0;
      const text = `${(frac * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} quit dates, ${rows.toLocaleString('en-GB')} rows, ${Math.round(rate).toLocaleString('en-GB')} rows/s, ${secs.toFixed(0)} s, about ${eta.toFixed(0)} s left`;
      if (tty) {
        if (t - lastDraw < 200 && done < total) return;
        lastDraw = t;
        const width = 30;
        const full = Math.round(frac * width);
        process.stderr.write(`\r[generate] ${'█'.repeat(full)}${'░'.repeat(width - full)} ${text}  `);
      } else {
        const decile = Math.floor(frac * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        process.stderr.write(`[generate] ${text}\n`);
      }
    },
    done() {
      if (enabled && tty) process.stderr.write('\n');
    },
  };
}

/**
 * Generates the national data into an empty, migrated database with its reference data loaded
 * (regions and local_authorities). Throws if the database already has episodes or organisations.
 */
export async function generateNational(exec: Exec, opts: GenerateOptions): Promise<GenerateSummary> {
  const t0 = performance.now();
  const { seed, years, scale, firstYear } = opts;
  const batchEpisodes = opts.batchEpisodes ?? 4000;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error('seed must be a whole number from 0 to 4294967295');
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new Error('years must be from 1 to 20');
  if (!(scale > 0 && scale <= 10)) throw new Error('scale must be above 0 and at most 10');

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

  const rng = new Rng(seed);
  const id = makeIdFactory(seed);
  let orgN = 0;
  let personN = 0;
  let referralN = 0;
  let episodeN = 0;
  let aidN = 0;
  const TAG = { org: 1, commission: 2, person: 3, referral: 4, episode: 5, aid: 6 } as const;

  // ---- organisations and commissions: a stop smoking service per authority, and its referrers
  const orgs = new Rows('organisations', [
    ['id', 'uuid'],
    ['name', 'text'],
    ['type', 'text'],
    ['local_authority_code', 'text'],
    ['email', 'text'],
    ['created_at', 'timestamptz'],
  ]);
  const commissions = new Rows('commissions', [
    ['id', 'uuid'],
    ['local_authority_code', 'text'],
    ['service_organisation_id', 'uuid'],
    ['starts_on', 'date'],
    ['created_at', 'timestamptz'],
  ]);
  const setupDay = dayOf(`${firstYear - 1}-03-01`);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const params: LaParams[] = authorities.map((la) => {
    const sssId = id(TAG.org, ++orgN);
    orgs.push(
      sssId,
      `${la.name} Stop Smoking Service`,
      'stop_smoking_service',
      la.code,
      `stopsmoking@${slug(la.name)}.example`,
      at(setupDay, rng),
    );
    commissions.push(
      id(TAG.commission, orgN),
      la.code,
      sssId,
      iso(dayOf(`${firstYear - 1}-04-01`)),
      at(setupDay, rng),
    );
    const referrers = new Map<string, string[]>();
    for (const [type, n, label] of REFERRER_ORGS) {
      const ids: string[] = [];
      for (let i = 1; i <= n; i++) {
        const oid = id(TAG.org, ++orgN);
        ids.push(oid);
        orgs.push(oid, `${la.name} ${label}${n > 1 ? ` ${i}` : ''}`, type, la.code, null, at(setupDay, rng));
      }
      referrers.set(type, ids);
    }
    // Each authority's character: its quit rate, how often it verifies with CO, how many it loses.
    const co = rng.next();
    return {
      la,
      sssId,
      referrers,
      quitRate: clamp(rng.normal(0.54, 0.075), 0.3, 0.8),
      coShare: clamp(
        co < 0.25 ? rng.normal(0.02, 0.01) : co < 0.85 ? rng.normal(0.09, 0.04) : rng.normal(0.3, 0.1),
        0,
        0.8,
      ),
      lostShare: clamp(rng.normal(0.55, 0.12), 0.2, 0.9),
      conversion: clamp(rng.normal(0.58, 0.08), 0.35, 0.8),
      people: [],
    };
  });
  await exec('begin');
  await exec(orgs.sql(), orgs.columns);
  await exec(commissions.sql(), commissions.columns);
  await exec('commit');

  // ---- how many quit dates each authority has, each year
  const weights = authorities.map((a) => a.pop18 * a.prevalence);
  const plan: number[][] = [];
  for (let y = 0; y < years; y++) {
    const national = Math.round(
      NATIONAL_QUIT_DATES_PER_YEAR * scale * YEAR_FACTORS[y % YEAR_FACTORS.length]!,
    );
    plan.push(
      allocate(
        national,
        weights.map((w) => w * clamp(rng.normal(1, 0.04), 0.85, 1.15)),
      ),
    );
  }
  const totalEpisodes = plan.flat().reduce((a, b) => a + b, 0);

  // ---- the people store: what stays the same for a person across episodes (typed arrays, by index)
  const cap = totalEpisodes + 1;
  const pDob = new Int32Array(cap);
  const pGiven = new Uint16Array(cap);
  const pFamily = new Uint16Array(cap);
  const pSex = new Uint8Array(cap);
  const pEthnic = new Uint8Array(cap);
  const pOrient = new Uint8Array(cap);
  const pPostcode: string[] = new Array<string>(cap);
  const pId: string[] = new Array<string>(cap);
  let stored = 0;

  const postcodeIn = (la: Authority) => {
    const s = rng.pick(la.postcodes);
    return `${s.sector}${rng.pick(s.units)}`;
  };
  const phone = () => `07700 9${String(rng.int(100000)).padStart(5, '0')}`;
  const counts: TableCounts = {
    organisations: orgs.length,
    commissions: commissions.length,
    people: 0,
    referrals: 0,
    referral_events: 0,
    episodes: 0,
    episode_outcomes: 0,
    episode_aids: 0,
  };
  const outcomeTally: Record<string, number> = {
    quit_co_verified: 0,
    quit_self_reported: 0,
    not_quit: 0,
    lost_to_follow_up: 0,
  };
  let cmhc = 0;
  const byYear: GenerateSummary['byYear'] = [];
  const bar = progressBar(totalEpisodes, opts.progress !== false);
  let rowsWritten = orgs.length + commissions.length;
  let inFlight: Promise<void> = Promise.resolve();
  let batch = new Batch();
  let done = 0;

  const flush = async () => {
    const b = batch;
    batch = new Batch();
    await inFlight; // one batch in flight: the next is generated while the database writes this one
    for (const r of b.all) counts[r.table as keyof TableCounts] += r.length;
    inFlight = writeBatch(exec, b).then(() => {
      rowsWritten += b.rowCount;
    });
    // Do not leave a rejection unobserved while the next batch is generated.
    inFlight.catch(() => undefined);
  };

  const newReferral = (
    p: LaParams,
    day: number,
    source: Exclude<ReferralSource, 'none'>,
    person: { given: string; family: string; dob: number; postcode: string; personId: string | null },
    mh: string,
    inTT: string,
  ): string => {
    const rid = id(TAG.referral, ++referralN);
    const self = source === 'self';
    const viaApi = !self && (source === 'gp_practice' || source === 'talking_therapies') && rng.chance(0.5);
    const referrer = self ? null : rng.pick(p.referrers.get(source)!);
    const methods = rng.chance(0.7) ? 'phone' : rng.chance(0.5) ? 'phone,text' : 'email';
    batch.referrals.push(
      rid,
      `GEN-${String(referralN).padStart(8, '0')}`,
      self ? 'self' : viaApi ? 'api' : 'staff',
      referrer,
      p.sssId,
      p.la.code,
      person.given,
      person.family,
      iso(person.dob),
      person.postcode,
      phone(),
      methods,
      rng.chance(0.93) ? '1' : '2',
      rng.chance(0.35) ? 'current' : rng.chance(0.3) ? 'former' : 'never',
      self ? mh : mh === 'none' ? 'not_known' : mh,
      inTT,
      rng.chance(0.85),
      person.personId,
      self
        ? rng.chance(0.75)
          ? 'stop_smoking'
          : rng.chance(0.6)
            ? 'switch_to_vaping'
            : 'cut_down_first'
        : null,
      self ? 'v1' : null,
      at(day, rng),
    );
    batch.events.push(rid, 'received', null, at(day, rng));
    return rid;
  };

  for (let y = 0; y < years; y++) {
    const year = firstYear + y;
    const aids = aidsFor(year);
    const yearStart = dayOf(`${year}-04-01`);
    const monthStarts = Array.from({ length: 13 }, (_, m) =>
      dayOf(`${year + Math.floor((m + 3) / 12)}-${two(((m + 3) % 12) + 1)}-01`),
    );
    const monthW = new Weighted(
      MONTH_WEIGHTS.map((w, m) => [m, w * (monthStarts[m + 1]! - monthStarts[m]!)] as const),
    );
    const daysInYear = monthStarts[12]! - yearStart;
    const dayOfYear = () => {
      const m = monthW.sample(rng);
      return monthStarts[m]! + rng.int(monthStarts[m + 1]! - monthStarts[m]!);
    };

    // Quit dates, and referrals that never led to one, bucketed by day so every authority's rows
    // interleave in time as they would in a live system. Entries: authority index; negative = a referral only.
    const buckets: number[][] = Array.from({ length: daysInYear }, () => []);
    plan[y]!.forEach((n, a) => {
      for (let i = 0; i < n; i++) buckets[dayOfYear() - yearStart]!.push(a);
      const p = params[a]!;
      const referredEpisodes = Math.round(n * 0.87);
      const unconverted = Math.round((referredEpisodes * (1 - p.conversion)) / p.conversion);
      for (let i = 0; i < unconverted; i++) buckets[rng.int(daysInYear)]!.push(-1 - a);
    });

    for (let d = 0; d < daysInYear; d++) {
      const day = yearStart + d;
      for (const entry of buckets[d]!) {
        if (entry < 0) {
          // A referral that did not lead to a quit date.
          const p = params[-1 - entry]!;
          const mh = MENTAL_HEALTH.sample(rng);
          const src = (
            mh === 'depression' || mh === 'anxiety' || mh === 'both' ? SOURCE_CMHC : SOURCE_NO_CMHC
          ).sample(rng);
          const source = src === 'none' ? 'gp_practice' : src;
          const ageBand = AGE_BANDS.sample(rng);
          const age = ageBand[0] + rng.int(ageBand[1] - ageBand[0] + 1);
          const rid = newReferral(
            p,
            day,
            source,
            {
              given: rng.pick(GIVEN),
              family: rng.pick(FAMILY),
              dob: day - age * 365 - rng.int(365),
              postcode: postcodeIn(p.la),
              personId: null,
            },
            mh,
            source === 'talking_therapies' ? 'yes' : rng.chance(0.6) ? 'no' : 'not_known',
          );
          const r = rng.next();
          if (r < 0.55) batch.events.push(rid, 'unable_to_contact', null, at(day + 7 + rng.int(14), rng));
          else if (r < 0.85)
            batch.events.push(
              rid,
              'declined',
              rng.pick(['Not ready to quit', 'Wants to try alone', 'No reason given']),
              at(day + 1 + rng.int(10), rng),
            );
          else batch.events.push(rid, 'accepted', null, at(day + 1 + rng.int(7), rng));
          continue;
        }

        const p = params[entry]!;
        const quit = day;
        const started = quit - rng.int(15);

        // The person: someone this service has seen before (a second attempt), or someone new.
        let pi: number;
        let personId: string;
        let isNewPerson = false;
        if (p.people.length >= 20 && rng.chance(0.07)) {
          pi = p.people[rng.int(p.people.length)]!;
          personId = pId[pi]!;
        } else {
          pi = stored++;
          isNewPerson = true;
          const ageBand = AGE_BANDS.sample(rng);
          const age = ageBand[0] + rng.int(ageBand[1] - ageBand[0] + 1);
          pDob[pi] = quit - age * 365 - rng.int(365);
          pGiven[pi] = rng.int(GIVEN.length);
          pFamily[pi] = rng.int(FAMILY.length);
          pSex[pi] = SEX.values.indexOf(SEX.sample(rng));
          const ethnic = p.la.regionCode === 'E12000007' ? ETHNIC_LONDON : ETHNIC_OUTSIDE_LONDON; // London
          pEthnic[pi] = ethnic.values.indexOf(ethnic.sample(rng));
          pOrient[pi] = SEXUAL_ORIENTATION.values.indexOf(SEXUAL_ORIENTATION.sample(rng));
          pPostcode[pi] = postcodeIn(p.la);
          personId = id(TAG.person, ++personN);
          pId[pi] = personId;
          p.people.push(pi);
        }
        const dob = pDob[pi]!;
        const ageAtQuit = Math.floor((quit - dob) / 365.25);
        const sex = SEX.values[pSex[pi]!]!;
        const given = GIVEN[pGiven[pi]!]!;
        const family = FAMILY[pFamily[pi]!]!;
        const postcode = pPostcode[pi]!;
        if (isNewPerson)
          batch.people.push(
            personId,
            p.sssId,
            p.la.code,
            given,
            family,
            iso(dob),
            postcode,
            phone(),
            at(started, rng),
          );

        // Mental health, and where the referral came from.
        const mh = MENTAL_HEALTH.sample(rng);
        const hasCmhc = mh === 'depression' || mh === 'anxiety' || mh === 'both';
        if (hasCmhc) cmhc++;
        const source = (hasCmhc ? SOURCE_CMHC : SOURCE_NO_CMHC).sample(rng);
        const inTT =
          source === 'talking_therapies'
            ? 'yes'
            : hasCmhc
              ? rng.chance(0.25)
                ? 'yes'
                : rng.chance(0.7)
                  ? 'no'
                  : 'not_known'
              : rng.chance(0.8)
                ? 'no'
                : 'not_known';
        let referralId: string | null = null;
        if (source !== 'none') {
          const refDay = started - 3 - rng.int(28);
          referralId = newReferral(p, refDay, source, { given, family, dob, postcode, personId }, mh, inTT);
          batch.events.push(referralId, 'accepted', null, at(refDay + 1 + rng.int(3), rng));
          batch.events.push(referralId, 'quit_date_set', null, at(quit, rng));
        }

        // Who they are, as the national return breaks it down.
        const pregnant =
          sex !== 'female' || ageAtQuit > 50
            ? 'not_applicable'
            : rng.chance(0.07)
              ? 'yes'
              : rng.chance(0.9)
                ? 'no'
                : 'not_known';
        const setting = pregnant === 'yes' && rng.chance(0.7) ? 'maternity' : SETTING_CODES.sample(rng);
        const free =
          ageAtQuit < 19 || ageAtQuit >= 60 || pregnant === 'yes'
            ? 'yes'
            : rng.chance(0.4)
              ? 'yes'
              : rng.chance(0.85)
                ? 'no'
                : 'not_known';
        const ethnicList = p.la.regionCode === 'E12000007' ? ETHNIC_LONDON : ETHNIC_OUTSIDE_LONDON;
        const nsSec = setting === 'prison' && rng.chance(0.5) ? 'not_classified' : NS_SEC.sample(rng);
        const eid = id(TAG.episode, ++episodeN);
        batch.episodes.push(
          eid,
          personId,
          p.sssId,
          p.la.code,
          referralId,
          iso(started),
          iso(quit),
          INTERVENTION_TYPES.sample(rng),
          setting,
          mh,
          hasCmhc || mh === 'other'
            ? rng.chance(0.6)
              ? 'diagnosed'
              : 'self_reported'
            : mh === 'none'
              ? 'self_reported'
              : 'not_known',
          inTT,
          hasCmhc && rng.chance(0.5),
          sex,
          GENDER_SAME.sample(rng),
          ethnicList.values[pEthnic[pi]!]!,
          pregnant,
          free,
          nsSec,
          SEXUAL_ORIENTATION.values[pOrient[pi]!]!,
          at(started, rng),
        );

        // The four-week outcome (docs/domain.md, Four-week outcome), as recorded once follow-up closed on
        // day 42.
        const pQuit = clamp(
          p.quitRate * (hasCmhc ? 0.92 : 1.04) + (SETTING_EFFECT.get(setting) ?? 0),
          0.05,
          0.95,
        );
        const u = rng.next();
        let outcome: string;
        if (u < pQuit) outcome = rng.chance(p.coShare) ? 'quit_co_verified' : 'quit_self_reported';
        else outcome = rng.chance(p.lostShare) ? 'lost_to_follow_up' : 'not_quit';
        outcomeTally[outcome]!++;
        const followUp = quit + 25 + Math.min(17, Math.floor(Math.abs(rng.normal(3, 4))));
        if (outcome === 'lost_to_follow_up') {
          batch.outcomes.push(
            eid,
            outcome,
            null,
            null,
            null,
            'No valid follow-up by day 42 after the quit date.',
            at(quit + 43, rng),
          );
        } else {
          const quitNow = outcome !== 'not_quit';
          const co =
            outcome === 'quit_co_verified'
              ? 1 + rng.int(9)
              : outcome === 'not_quit' && rng.chance(0.2)
                ? 10 + rng.int(25)
                : null;
          batch.outcomes.push(
            eid,
            outcome,
            iso(followUp),
            !quitNow,
            co,
            quitNow
              ? co === null
                ? 'Quit, self-reported; no CO reading.'
                : `Quit, CO ${co} ppm.`
              : 'Smoked between day 15 and day 28.',
            at(followUp, rng),
          );
        }

        // Aids: one, sometimes a second alongside it.
        const aid = aids.sample(rng);
        const supplied = Math.max(started, quit - rng.int(3));
        batch.aids.push(
          id(TAG.aid, ++aidN),
          eid,
          aid,
          iso(supplied),
          aid === 'none' ? null : rng.pick(['1 week', '2 weeks']),
          at(supplied, rng),
        );
        if (aid !== 'none' && rng.chance(0.15)) {
          const second = SECOND_AID.sample(rng);
          if (second !== aid)
            batch.aids.push(id(TAG.aid, ++aidN), eid, second, iso(supplied), '2 weeks', at(supplied, rng));
        }

        done++;
        if (batch.episodes.length >= batchEpisodes) {
          await flush();
          bar.update(done, rowsWritten);
        }
      }
    }
    byYear.push({ year, quitDates: plan[y]!.reduce((a, b) => a + b, 0), referrals: 0 });
  }
  await flush();
  await inFlight;
  bar.update(done, rowsWritten);
  bar.done();

  // Referrals per year, as stored (received in the financial year).
  const ry = await exec(
    `select case when extract(month from created_at) >= 4 then extract(year from created_at) else extract(year from created_at) - 1 end::int as fy, count(*)::int as n
       from referrals group by 1 order by 1`,
  );
  const refByYear = new Map(ry.rows.map((r) => [r.fy as number, r.n as number]));
  for (const b of byYear) b.referrals = refByYear.get(b.year) ?? 0;

  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    rows: rowsWritten,
    rowsPerSecond: rowsWritten / seconds,
    counts,
    byYear,
    outcomes: outcomeTally,
    cmhcShare: totalEpisodes > 0 ? cmhc / totalEpisodes : 0,
    authorities,
  };
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

// ---------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv: string[]) {
  const o: {
    seed: number;
    years: number;
    scale: number;
    firstYear: number;
    databaseUrl?: string;
    dataDir: string;
  } = {
    seed: 42,
    years: 5,
    scale: 1,
    firstYear: 2020,
    dataDir: '.data/pglite-national',
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n)) throw new Error(`${k} needs a number`);
      i++;
      return n;
    };
    if (k === '--seed') o.seed = num();
    else if (k === '--years') o.years = num();
    else if (k === '--scale') o.scale = num();
    else if (k === '--first-year') o.firstYear = num();
    else if (k === '--database-url') {
      if (!v) throw new Error('--database-url needs a value');
      o.databaseUrl = v;
      i++;
    } else if (k === '--data-dir') {
      if (!v) throw new Error('--data-dir needs a value');
      o.dataDir = v;
      i++;
    } else if (k === '--help' || k === '-h') {
      console.log(
        'node bench/generate-national.ts --seed 42 --years 5 --scale 1 [--first-year 2020] [--database-url URL | --data-dir DIR]\n' +
          'Into an empty database: --database-url (PostgreSQL; DATABASE_URL is not read, so a dev database is never filled by accident), else an embedded PGlite data directory.',
      );
      process.exit(0);
    } else throw new Error(`Unknown argument ${k}`);
  }
  return o;
}

if (import.meta.main) {
  const o = parseArgs(process.argv.slice(2));
  const gen = { seed: o.seed, years: o.years, scale: o.scale, firstYear: o.firstYear };
  let code = 0;
  if (o.databaseUrl) {
    const handle = await openDatabase({ databaseUrl: o.databaseUrl, poolSize: 2 });
    const client = new pg.Client({ connectionString: o.databaseUrl });
    try {
      await prepareDatabase(handle.db);
      await client.connect();
      const s = await generateNational(execOf(client), gen);
      await vacuumAnalyse(execOf(client));
      console.log(describeSummary(s, `PostgreSQL (${new URL(o.databaseUrl).host})`));
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      code = 1;
    } finally {
      await client.end().catch(() => undefined);
      await handle.close();
    }
  } else {
    if (!o.dataDir.startsWith('memory://')) mkdirSync(o.dataDir, { recursive: true });
    const pglite = await PGlite.create(o.dataDir);
    const handle = await openDatabase({ pglite });
    try {
      await prepareDatabase(handle.db);
      const s = await generateNational(execOf(pglite), gen);
      await vacuumAnalyse(execOf(pglite));
      console.log(describeSummary(s, `PGlite (${o.dataDir})`));
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      code = 1;
    } finally {
      await handle.close();
      await pglite.close();
    }
  }
  process.exit(code);
}
