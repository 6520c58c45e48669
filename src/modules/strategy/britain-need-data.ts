import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { BritainInputs, NationPrevalence } from './britain-need.ts';

// The shipped reference data for Wales and Scotland (data/reference/, README there for sources and
// licences) read into the inputs of the Britain estimate, once per process.

const REF = (name: string) => fileURLToPath(new URL(`../../../data/reference/${name}`, import.meta.url));
type Row = Record<string, string>;
const readCsv = (name: string): Row[] =>
  parse(readFileSync(REF(name)), { columns: true, bom: true, skip_empty_lines: true }) as Row[];

function positive(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`Reference data: ${what} is not a positive number (${value})`);
  return n;
}

function prevalenceOf(row: Row | undefined, nation: string): NationPrevalence {
  if (!row) throw new Error(`Reference data: no row for ${nation} in britain_nations.csv`);
  const pct = positive(row.smoking_prevalence_pct, `smoking prevalence in ${nation}`);
  if (pct > 100) throw new Error(`Reference data: smoking prevalence in ${nation} is over 100%`);
  return {
    pct,
    year: positive(row.prevalence_year, `prevalence year in ${nation}`),
    source: row.prevalence_source ?? '',
  };
}

export function readBritainInputs(): BritainInputs {
  const nations = readCsv('britain_nations.csv');
  const wales = nations.find((r) => r.nation_code === 'W92000004');
  const scotland = nations.find((r) => r.nation_code === 'S92000003');
  return {
    wales: {
      authorities: readCsv('la_wales.csv').map((r) => ({
        code: r.code ?? '',
        name: r.name ?? '',
        popAll: positive(r.pop_all_ages_mid2023, `people in ${r.name}`),
        pop18: positive(r.pop_18plus_mid2023, `adults in ${r.name}`),
      })),
      prevalence: prevalenceOf(wales, 'Wales'),
      populationSource: wales?.population_source ?? '',
    },
    scotland: {
      popAll: positive(scotland?.pop_all_ages_mid2023, 'people in Scotland'),
      populationSource: scotland?.population_source ?? '',
      prevalence: prevalenceOf(scotland, 'Scotland'),
    },
  };
}

let cached: BritainInputs | undefined;
/** Read on first use and kept: the files do not change while Mortar runs. */
export function britainInputs(): BritainInputs {
  cached ??= readBritainInputs();
  return cached;
}
