// The national smoking data as published: England, England by service type, each ICB and each local
// authority, disclosure-controlled as one whole by the published return's rule (returns/disclosure.ts and
// returns/secondary-suppression.ts, reused, not restated). Pure.
//
// England's row is exact (national figures are); every other figure is 0, hidden (1 to 7) or rounded to
// the nearest 5. The rows add up (service types, ICBs and authorities each to England) and the smoking
// statuses add up to "asked", so secondary suppression hides more figures until no hidden count can be
// worked out from the rest. Every view (the national page, a commissioner's, the CSV and JSON) filters this
// one publication, so no two views can be set side by side to undo it.

import { SUPPRESSED, countsShownAs, disclose, ruleOf, type Disclosed } from '../returns/disclosure.ts';
import { PRIMARY, SECONDARY, SHOWN, suppress, type Relation } from '../returns/secondary-suppression.ts';
import type { AreaFit } from './nhs-areas.ts';
import {
  SERVICE_TYPES,
  SERVICE_TYPE_NAMES,
  SMOKING_MEASURES,
  addCounts,
  zeroCounts,
  type KeyedCounts,
  type SmokingCounts,
  type SmokingMeasure,
} from './smoking-data.ts';

export const ENGLAND = 'E92000001';
export const NOT_KNOWN = 'not_known';
export type RowLevel = 'england' | 'service_type' | 'icb' | 'local_authority';
export type PublishedRow = {
  level: RowLevel;
  code: string;
  name: string;
  /** An authority's ICB code; null otherwise. */
  icbCode: string | null;
  figures: Record<SmokingMeasure, Disclosed>;
};
export type SmokingPublication = { rows: PublishedRow[]; hidden: { primary: number; secondary: number } };

type RowInput = Omit<PublishedRow, 'figures'> & { counts: SmokingCounts };
const STATUSES: SmokingMeasure[] = ['smokes', 'exSmoker', 'neverSmoked', 'otherAnswer'];

/** The rows before disclosure: England, service types, ICBs and authorities (codes in order). */
export function publicationRows(
  groups: readonly KeyedCounts[],
  areas: ReadonlyMap<string, AreaFit>,
  authorityNames: ReadonlyMap<string, string>,
): RowInput[] {
  const england = zeroCounts();
  const byType = new Map(SERVICE_TYPES.map((t) => [t, zeroCounts()]));
  const byIcb = new Map<string, { name: string; counts: SmokingCounts }>();
  const byAuthority = new Map<string, SmokingCounts>();
  for (const g of groups) {
    addCounts(england, g.counts);
    addCounts(byType.get(g.serviceType)!, g.counts);
    const la = g.localAuthorityCode ?? NOT_KNOWN;
    byAuthority.set(la, addCounts(byAuthority.get(la) ?? zeroCounts(), g.counts));
    const icb = g.localAuthorityCode ? areas.get(g.localAuthorityCode)?.icb : undefined;
    const key = icb?.code ?? NOT_KNOWN;
    const entry = byIcb.get(key) ?? { name: icb?.name ?? 'Not known', counts: zeroCounts() };
    byIcb.set(key, { ...entry, counts: addCounts(entry.counts, g.counts) });
  }
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    { level: 'england', code: ENGLAND, name: 'England', icbCode: null, counts: england },
    ...SERVICE_TYPES.map((t) => ({
      level: 'service_type' as const,
      code: t,
      name: SERVICE_TYPE_NAMES[t],
      icbCode: null,
      counts: byType.get(t)!,
    })),
    ...sorted(byIcb).map(([code, v]) => ({
      level: 'icb' as const,
      code,
      name: v.name,
      icbCode: null,
      counts: v.counts,
    })),
    ...sorted(byAuthority).map(([code, counts]) => ({
      level: 'local_authority' as const,
      code,
      name: code === NOT_KNOWN ? 'Not known' : (authorityNames.get(code) ?? code),
      icbCode: code === NOT_KNOWN ? null : (areas.get(code)?.icb.code ?? null),
      counts,
    })),
  ];
}

/** Which rows add up to England: each level below it. */
function relationsOf(rows: readonly RowInput[], cell: (row: number, m: number) => number): Relation[] {
  const out: Relation[] = [];
  const M = SMOKING_MEASURES.length;
  for (const level of ['service_type', 'icb', 'local_authority'] as const) {
    const members = rows.flatMap((r, i) => (r.level === level ? [i] : []));
    for (let m = 0; m < M; m++)
      out.push({ plus: members.map((i) => cell(i, m)), minus: [cell(0, m)], lo: 0, hi: 0 });
  }
  const at = (s: SmokingMeasure) => SMOKING_MEASURES.indexOf(s);
  rows.forEach((_, i) =>
    out.push({ plus: STATUSES.map((s) => cell(i, at(s))), minus: [cell(i, at('asked'))], lo: 0, hi: 0 }),
  );
  return out;
}

/** The publication: every figure disclosed, with secondary suppression across all rows at once. */
export function publishSmokingData(rows: readonly RowInput[]): SmokingPublication {
  const rule = ruleOf();
  const M = SMOKING_MEASURES.length;
  const cell = (row: number, m: number) => row * M + m;
  const values = rows.flatMap((r) => SMOKING_MEASURES.map((m) => r.counts[m]));
  const n = values.length;
  const shown: Disclosed[] = [];
  const shownLo: number[] = [];
  const shownHi: number[] = [];
  for (let c = 0; c < n; c++) {
    const exact = Math.floor(c / M) === 0; // England's row
    const options = { ...rule, exact };
    const d = disclose(values[c]!, options);
    shown.push(d);
    const known = d === SUPPRESSED ? { lo: values[c]!, hi: values[c]! } : countsShownAs(d, options);
    shownLo.push(known.lo);
    shownHi.push(known.hi);
  }
  const primary = shown.map((d) => d === SUPPRESSED);
  const { state } = suppress({
    values,
    shownLo,
    shownHi,
    // A reader cannot tell a small count from one hidden to protect it, and a 0 is never hidden.
    hiddenLo: values.map(() => 1),
    hiddenHi: values.map(() => Infinity),
    primary,
    eligible: values.map((v, c) => v > 0 && !primary[c]),
    relations: relationsOf(rows, cell),
    minCandidates: 2,
  });
  let p = 0;
  let s = 0;
  const published = rows.map(({ counts: _counts, ...row }, r) => {
    const figures = {} as Record<SmokingMeasure, Disclosed>;
    SMOKING_MEASURES.forEach((m, i) => {
      const c = cell(r, i);
      if (state[c] === PRIMARY) p++;
      if (state[c] === SECONDARY) s++;
      figures[m] = state[c] === SHOWN ? shown[c]! : SUPPRESSED;
    });
    return { ...row, figures };
  });
  return { rows: published, hidden: { primary: p, secondary: s } };
}
