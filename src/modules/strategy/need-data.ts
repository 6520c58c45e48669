import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { ApsPoint, AuthorityInput, DistrictInput, NeedInputs } from './need.ts';

// The shipped reference data (data/reference/, OGL v3) read into the inputs of the need estimate, once
// per process: 153 upper-tier authorities and their adults (ONS mid-2023), their 296 districts and
// adults, and APS adult smoking prevalence by district 2011 to 2024 (OHID Fingertips 92443).

const REF = (name: string) => fileURLToPath(new URL(`../../../data/reference/${name}`, import.meta.url));
type Row = Record<string, string>;
const readCsv = (name: string): Row[] =>
  parse(readFileSync(REF(name)), { columns: true, bom: true, skip_empty_lines: true }) as Row[];

export const ENGLAND_CODE = 'E92000001';

/** Districts that Fingertips still reports after they were merged into new unitary authorities (April 2023). */
export const PREDECESSORS: Readonly<Record<string, readonly string[]>> = {
  E06000063: ['E07000026', 'E07000028', 'E07000029'], // Cumberland: Allerdale, Carlisle, Copeland
  E06000064: ['E07000027', 'E07000030', 'E07000031'], // Westmorland and Furness: Barrow-in-Furness, Eden, South Lakeland
  E06000065: ['E07000163', 'E07000164', 'E07000165', 'E07000166', 'E07000167', 'E07000168', 'E07000169'], // North Yorkshire
};

function positive(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`Reference data: ${what} is not a positive number (${value})`);
  return n;
}

export function readNeedInputs(): NeedInputs {
  const upper = readCsv('la_england_upper_tier.csv');
  const lower = readCsv('la_england_lower_tier.csv');
  const apsRows = readCsv('smoking_prevalence_aps_18plus_ltla_2011_2024.csv');

  const aps = new Map<string, ApsPoint[]>();
  for (const r of apsRows) {
    const code = r.area_code_fingertips ?? '';
    const raw = (r.smoking_prevalence_pct ?? '').trim();
    const pct = raw === '' ? null : Number(raw);
    if (pct !== null && !(Number.isFinite(pct) && pct >= 0 && pct <= 100))
      throw new Error(`Reference data: prevalence ${raw} for ${code}`);
    const points = aps.get(code) ?? [];
    points.push({ year: Number(r.year), pct });
    aps.set(code, points);
  }

  const districtsOf = new Map<string, DistrictInput[]>();
  for (const d of lower) {
    const utla = d.utla_code ?? '';
    const list = districtsOf.get(utla) ?? [];
    list.push({
      code: d.ltla_code ?? '',
      code23: d.ltla23_code || (d.ltla_code ?? ''),
      name: d.ltla_name ?? '',
      pop18: positive(d.pop_18plus_mid2023, `adults in ${d.ltla_name}`),
    });
    districtsOf.set(utla, list);
  }

  const authorities: AuthorityInput[] = upper.map((u) => ({
    code: u.utla_code ?? '',
    name: u.utla_name ?? '',
    regionName: u.region_name ?? '',
    pop18: positive(u.pop_18plus_mid2023, `adults in ${u.utla_name}`),
    districts: districtsOf.get(u.utla_code ?? '') ?? [],
  }));
  return { authorities, aps, predecessors: PREDECESSORS, englandCode: ENGLAND_CODE };
}

let cached: NeedInputs | undefined;
/** Read on first use and kept: the files do not change while Mortar runs. */
export function needInputs(): NeedInputs {
  cached ??= readNeedInputs();
  return cached;
}
