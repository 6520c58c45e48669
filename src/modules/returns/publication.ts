// THE rule for what a publication of quarterly returns shows: England, each region and each authority that
// submitted, every figure of every table, disclosure-controlled as one whole. Pure.
//
// Each figure first gets the primary rule (disclose: 0 stays 0, 1 to 7 hidden, the rest rounded to the
// nearest 5), except England's totals, which are exact (national totals are not suppressed). That alone is not enough: within a table the categories add up to the
// total, the four outcomes add up to "set a quit date", the mental health categories nest, and the
// authorities add up to their region and the regions to England. Anyone can put those relations together
// with the intervals the rounded figures give and work some hidden counts out exactly (an authority with a
// total of 20, 10 men, 15 women and 0 "not known" has exactly 1 "not stated"). So secondary suppression
// (secondary-suppression.ts) hides the fewest further figures it takes, smallest first, for every hidden
// count to keep at least two possible values against every relation (publication-relations.ts lists
// them). England's totals stay exact except where one must be hidden for a smaller area's sake. A figure
// is never hidden when it is 0.

import { MEASURE_NAMES, type ReturnRow } from './csv-layout.ts';
import {
  SUPPRESSED,
  countsShownAs,
  disclose,
  ruleOf,
  type Disclosed,
  type DisclosureOptions,
} from './disclosure.ts';
import { quarterLabel, type Quarter } from '../../platform/quarters.ts';
import { cellsAndRelations } from './publication-relations.ts';
import { MEASURES, type Measure } from './return-measures.ts';
import { BREAKDOWN_KEYS, type BreakdownKey } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { TOTAL_CATEGORY, categoriesInOrder, sumReturns } from './return-figures.ts';
import { PRIMARY, SECONDARY, SHOWN, suppress } from './secondary-suppression.ts';

/** GSS code of England. */
export const ENGLAND = 'E92000001';

export type AreaLevel = 'england' | 'region' | 'authority';

export type PublishedFigures = {
  totals: Record<Measure, Disclosed>;
  /** Category code to counts, as in a return; null where a breakdown cannot split a count. */
  breakdowns: Record<BreakdownKey, Record<string, Record<Measure, Disclosed | null>>>;
};

export type PublishedArea = PublishedFigures & {
  level: AreaLevel;
  code: string;
  name: string;
  /** An authority's region; null for England and the regions. */
  regionCode: string | null;
  /** How many authorities' returns the figures add up (1 for an authority), of how many there are. */
  returns: number;
  authorities: number;
};

export type PublicationRule = {
  threshold: number;
  base: number;
  /** Values an attacker must still be left with for each hidden count. */
  minCandidates: number;
};

export type Publication = {
  financialYear: number;
  quarter: Quarter;
  label: string;
  rule: PublicationRule;
  /** England first, then each region, then each authority. */
  areas: PublishedArea[];
  /** Figures hidden: small counts, and others hidden to protect them. */
  hidden: { primary: number; secondary: number; figures: number };
};

export type PublicationOptions = DisclosureOptions & {
  /** Default 2: no hidden count may be worked out exactly. */
  minCandidates?: number;
  /** England's totals exact unless one must be hidden (default), or rounded like every other figure. */
  englandTotalsExact?: boolean;
};

export type PublicationInput = {
  financialYear: number;
  quarter: Quarter;
  regions: readonly {
    code: string;
    name: string;
    /** Authorities in the region, submitted or not. */
    authorities: number;
    /** The submitted returns, each the authority's whole return. */
    returns: readonly { code: string; name: string; data: QuarterlyReturn }[];
  }[];
};

type AreaInput = Omit<PublishedArea, keyof PublishedFigures> & {
  data: QuarterlyReturn;
  parent: number | null;
  /** The area's totals are published exact (England's), not rounded. */
  exactTotals: boolean;
};

function publishAreas(
  financialYear: number,
  quarter: Quarter,
  areas: readonly AreaInput[],
  options: PublicationOptions,
): Publication {
  const rule = ruleOf(options);
  const minCandidates = options.minCandidates ?? 2;
  const { values, areaOf, where, relations } = cellsAndRelations(areas);
  const n = values.length;
  const shownLo: number[] = new Array<number>(n);
  const shownHi: number[] = new Array<number>(n);
  const hiddenLo: number[] = new Array<number>(n);
  const hiddenHi: number[] = new Array<number>(n);
  const primary: boolean[] = new Array<boolean>(n);
  const eligible: boolean[] = new Array<boolean>(n);
  const shown: Disclosed[] = new Array<Disclosed>(n);
  const rules = { exact: { ...rule, exact: true }, rounded: { ...rule, exact: false } };
  for (let c = 0; c < n; c++) {
    const exact = areas[areaOf[c]!]!.exactTotals && where[c]!.breakdown === 'total';
    const v = values[c]!;
    const d = disclose(v, exact ? rules.exact : rules.rounded);
    shown[c] = d;
    primary[c] = d === SUPPRESSED;
    eligible[c] = v > 0 && !primary[c];
    // A reader cannot tell a small count from a figure hidden to protect one, and a 0 is never hidden:
    // a hidden figure could be any count from 1 up.
    hiddenLo[c] = 1;
    hiddenHi[c] = Infinity;
    if (d === SUPPRESSED)
      shownLo[c] = shownHi[c] = v; // never shown
    else {
      const known = countsShownAs(d, exact ? rules.exact : rules.rounded);
      shownLo[c] = known.lo;
      shownHi[c] = known.hi;
    }
  }
  const { state } = suppress({
    values,
    shownLo,
    shownHi,
    hiddenLo,
    hiddenHi,
    primary,
    eligible,
    relations,
    minCandidates,
  });

  const published = areas.map((a) => emptyFigures(a.data));
  let primaryCount = 0;
  let secondaryCount = 0;
  for (let c = 0; c < n; c++) {
    if (state[c] === PRIMARY) primaryCount++;
    if (state[c] === SECONDARY) secondaryCount++;
    const { breakdown, category, measure } = where[c]!;
    const value = state[c] === SHOWN ? shown[c]! : SUPPRESSED;
    const figures = published[areaOf[c]!]!;
    if (breakdown === 'total') figures.totals[measure] = value;
    else figures.breakdowns[breakdown][category]![measure] = value;
  }
  return {
    financialYear,
    quarter,
    label: quarterLabel(financialYear, quarter),
    rule: { threshold: rule.threshold, base: rule.base, minCandidates },
    areas: areas.map(({ data: _data, parent: _parent, exactTotals: _exact, ...area }, i) => ({
      ...area,
      ...published[i]!,
    })),
    hidden: { primary: primaryCount, secondary: secondaryCount, figures: n },
  };
}

/** Every figure of a return as a slot to fill (null where the return has none), in the return's shape. */
function emptyFigures(ret: QuarterlyReturn): PublishedFigures {
  const totals = Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<Measure, Disclosed>;
  const breakdowns = {} as PublishedFigures['breakdowns'];
  for (const b of BREAKDOWN_KEYS) {
    breakdowns[b] = Object.fromEntries(
      categoriesInOrder(b, ret.breakdowns[b]).map(([c, counts]) => [
        c,
        Object.fromEntries(MEASURES.map((m) => [m, counts[m] === null ? null : 0])) as Record<
          Measure,
          Disclosed | null
        >,
      ]),
    );
  }
  return { totals, breakdowns };
}

/**
 * The publication of a quarter: England (the sum of every submitted return, its totals exact where safe),
 * each region (the sum of its submitted returns) and each authority that submitted, disclosure-controlled
 * together.
 */
export function buildPublication(input: PublicationInput, options: PublicationOptions = {}): Publication {
  const { financialYear, quarter } = input;
  // In code order, whatever order they came in: the same returns always give the same publication.
  const byCode = <T extends { code: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const regions = byCode(input.regions).map((r) => ({ ...r, returns: byCode(r.returns) }));
  const all = regions.flatMap((r) => r.returns.map((s) => s.data));
  const areas: AreaInput[] = [
    {
      level: 'england',
      code: ENGLAND,
      name: 'England',
      regionCode: null,
      returns: all.length,
      authorities: regions.reduce((s, r) => s + r.authorities, 0),
      data: sumReturns(ENGLAND, financialYear, quarter, all),
      parent: null,
      exactTotals: options.englandTotalsExact ?? true,
    },
  ];
  for (const r of regions) {
    areas.push({
      level: 'region',
      code: r.code,
      name: r.name,
      regionCode: null,
      returns: r.returns.length,
      authorities: r.authorities,
      data: sumReturns(
        r.code,
        financialYear,
        quarter,
        r.returns.map((s) => s.data),
      ),
      parent: 0,
      exactTotals: false,
    });
  }
  regions.forEach((r, i) => {
    for (const s of r.returns) {
      areas.push({
        level: 'authority',
        code: s.code,
        name: s.name,
        regionCode: r.code,
        returns: 1,
        authorities: 1,
        data: s.data,
        parent: 1 + i,
        exactTotals: false,
      });
    }
  });
  return publishAreas(financialYear, quarter, areas, options);
}

/** One authority's return published on its own: its tables disclosure-controlled as one whole. */
export function publishReturn(
  ret: QuarterlyReturn,
  name: string,
  options: PublicationOptions = {},
): Publication {
  return publishAreas(
    ret.period.financialYear,
    ret.period.quarter,
    [
      {
        level: 'authority',
        code: ret.localAuthorityCode,
        name,
        regionCode: null,
        returns: 1,
        authorities: 1,
        data: ret,
        parent: null,
        exactTotals: false,
      },
    ],
    options,
  );
}

/** What '*' and the rounding mean, for every page and file of a publication. */
export function publicationNote(rule: PublicationRule): string {
  return (
    `To protect people's privacy, counts from 1 to ${rule.threshold} are hidden (${SUPPRESSED}) and other counts are ` +
    `rounded to the nearest ${rule.base}; England's totals are exact. Some other figures are hidden too ` +
    `(${SUPPRESSED}), England's totals included, so that no hidden count can be worked out from the figures ` +
    `around it. ` +
    `0 means none. Percentages are worked out from the figures as published, and not shown (${SUPPRESSED}) where ` +
    `a figure behind them is hidden.`
  );
}

/** The publication in the return layout (CSV-LAYOUT.md): each area's figures in figuresOf order. */
export function publicationRows(pub: Publication): ReturnRow[] {
  const rows: ReturnRow[] = [];
  for (const a of pub.areas) {
    const push = (breakdown: BreakdownKey | 'total', category: string, measure: Measure, value: Disclosed) =>
      rows.push({
        local_authority_code: a.code,
        financial_year: pub.financialYear,
        quarter: pub.quarter,
        breakdown,
        category,
        measure: MEASURE_NAMES[measure],
        value,
      });
    for (const m of MEASURES) push('total', TOTAL_CATEGORY, m, a.totals[m]);
    for (const b of BREAKDOWN_KEYS) {
      for (const [c, counts] of categoriesInOrder(b, a.breakdowns[b])) {
        for (const m of MEASURES) {
          const v = counts[m];
          if (v !== null && v !== undefined) push(b, c, m, v);
        }
      }
    }
  }
  return rows;
}
