import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

// Reference data: the authorities, their adults and smoking prevalence, and real postcodes in each

const REF = (name: string) => fileURLToPath(new URL(`../../data/reference/${name}`, import.meta.url));

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
  const latest = latestPrevalence(readCsv('smoking_prevalence_aps_18plus_ltla_2011_2024.csv'));
  const byUtla = new Map<string, Csv[]>();
  for (const d of lower) byUtla.set(d.utla_code!, [...(byUtla.get(d.utla_code!) ?? []), d]);
  const out = upper.map((u) => authorityOf(u, byUtla.get(u.utla_code!) ?? [], latest));
  fillFromRegion(out);
  addPostcodes(out);
  return out.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
}

type Prevalence = Map<string, { year: number; pct: number }>;

/** The latest year with a value, for each Fingertips area code. */
function latestPrevalence(aps: Csv[]): Prevalence {
  const latest: Prevalence = new Map();
  for (const r of aps) {
    if (r.smoking_prevalence_pct === '' || r.smoking_prevalence_pct === undefined) continue;
    const year = Number(r.year);
    const pct = Number(r.smoking_prevalence_pct);
    const code = r.area_code_fingertips!;
    const prev = latest.get(code);
    if (!prev || year > prev.year) latest.set(code, { year, pct });
  }
  return latest;
}

/** An upper-tier authority, its prevalence its districts' weighted by their adults. */
function authorityOf(u: Csv, districts: Csv[], latest: Prevalence): Authority {
  const valueFor = (ltla23: string, ltla: string) => latest.get(ltla23) ?? latest.get(ltla);
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
}

/** No APS value at all (Isles of Scilly, City of London): the region's figure, weighted by adults. */
function fillFromRegion(out: Authority[]): void {
  for (const a of out) {
    if (Number.isFinite(a.prevalence)) continue;
    const peers = out.filter((p) => p.regionCode === a.regionCode && Number.isFinite(p.prevalence));
    const w = peers.reduce((s, p) => s + p.pop18, 0);
    a.prevalence = peers.reduce((s, p) => s + p.prevalence * p.pop18, 0) / w;
    a.prevalenceBasis = 'no APS value: the region, weighted by adults';
  }
}

/** Real postcodes: up to 60 sectors per authority, spread through its list, from the shipped postcode table. */
function addPostcodes(out: Authority[]): void {
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
}
