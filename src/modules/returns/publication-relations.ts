// The cells of a publication and every relation between them that the true figures satisfy: within each
// area's tables (the categories add up to the total, the outcomes to "set a quit date", CO-verified quits
// are at most the quits, linked breakdowns nest) and between areas (each area is the sum of its
// children). Secondary suppression (secondary-suppression.ts) protects every hidden figure against all
// of them, as publication.ts asks. Pure.

import { EPISODE_MEASURES, MEASURES, type Measure } from './return-measures.ts';
import { BREAKDOWN_KEYS, measuresOf, type BreakdownKey } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { TOTAL_CATEGORY, categoriesInOrder, figuresOf } from './return-figures.ts';
import type { Relation } from './secondary-suppression.ts';

/** Aid categories with an e-cigarette (Swap to Stop yes or no), and those without (Swap to Stop no). */
const E_CIGARETTE = [
  'e_cigarette_only',
  'nrt_and_e_cigarette',
  'other_medicine_and_e_cigarette',
  'more_than_one_medicine_and_e_cigarette',
];
const MEDICINE_ONLY = [
  'nrt_only',
  'varenicline_only',
  'cytisine_only',
  'bupropion_only',
  'more_than_one_medicine',
  'none',
];

/**
 * Breakdowns read from the same item of the episode, whose categories therefore relate: a category of one
 * is exactly the sum of categories of the other (`equal`), or at most that sum. return-breakdowns.ts says
 * why each holds (cmhcOf, aidCategoryOf, swapToStopOf); publication.test.ts checks them on generated facts.
 */
export const LINKED_CATEGORIES: readonly {
  left: readonly [BreakdownKey, readonly string[]];
  right: readonly [BreakdownKey, readonly string[]];
  equal: boolean;
}[] = [
  { left: ['cmhc', ['yes']], right: ['condition', ['depression', 'anxiety', 'both']], equal: true },
  { left: ['cmhc', ['no']], right: ['condition', ['other', 'none']], equal: true },
  { left: ['cmhc', ['not_stated']], right: ['condition', ['not_known']], equal: true },
  {
    left: ['swap_to_stop', ['yes']],
    right: ['aid', E_CIGARETTE],
    equal: false,
  },
  { left: ['swap_to_stop', ['not_known']], right: ['aid', ['not_known']], equal: false },
  {
    left: ['aid', MEDICINE_ONLY],
    right: ['swap_to_stop', ['no']],
    equal: false,
  },
  // The same three read from the other side: each follows from one above, as both breakdowns add up to
  // the same total, but propagation takes one relation at a time, and an attacker who counts each pair
  // of categories apart sees them directly (publication.test.ts, PROPERTY_SEED=29).
  {
    left: ['aid', [...MEDICINE_ONLY, ...E_CIGARETTE]],
    right: ['swap_to_stop', ['yes', 'no']],
    equal: false,
  },
  {
    left: ['aid', [...MEDICINE_ONLY, 'not_known']],
    right: ['swap_to_stop', ['no', 'not_known']],
    equal: false,
  },
  {
    left: ['swap_to_stop', ['yes', 'not_known']],
    right: ['aid', [...E_CIGARETTE, 'not_known']],
    equal: false,
  },
];

/** The outcomes that add up to "set a quit date", each person in exactly one. */
const OUTCOME_MEASURES = ['quitSelfReported', 'notQuit', 'lostToFollowUp', 'pending'] as const;

/** What the relations need of an area: its return, and the area its figures add up into (null: none). */
export type RelatedArea = { data: QuarterlyReturn; parent: number | null };

/** Where each figure of an area is: breakdown ('total' for the totals), category, measure. */
type CellMap = Map<string, Map<string, Int32Array>>;
const MEASURE_INDEX = new Map<Measure, number>(MEASURES.map((m, i) => [m, i]));
const NO_CELL = -1;
type Cells = {
  values: number[];
  areaOf: number[];
  where: { breakdown: BreakdownKey | 'total'; category: string; measure: Measure }[];
  maps: CellMap[];
};
type CellOf = (area: number, breakdown: string, category: string, measure: Measure) => number;
type Add = (plus: readonly number[], minus: readonly number[], equal: boolean) => void;

/** Every figure of every area as a cell, with where it is and its true value. */
function cellsOf(areas: readonly RelatedArea[]): Cells {
  const values: number[] = [];
  const areaOf: number[] = [];
  const where: Cells['where'] = [];
  const maps: CellMap[] = areas.map((a, i) => {
    const map: CellMap = new Map();
    for (const f of figuresOf(a.data)) {
      let byCategory = map.get(f.breakdown);
      if (!byCategory) map.set(f.breakdown, (byCategory = new Map()));
      let byMeasure = byCategory.get(f.category);
      if (!byMeasure) byCategory.set(f.category, (byMeasure = new Int32Array(MEASURES.length).fill(NO_CELL)));
      byMeasure[MEASURE_INDEX.get(f.measure)!] = values.length;
      values.push(f.value);
      areaOf.push(i);
      where.push(f);
    }
    return map;
  });
  return { values, areaOf, where, maps };
}

/** The relations within area i's tables. */
function addTableRelations(a: RelatedArea, i: number, cellOf: CellOf, add: Add): void {
  const rows: [string, string][] = [['total', TOTAL_CATEGORY]];
  for (const b of BREAKDOWN_KEYS) {
    const categories = categoriesInOrder(b, a.data.breakdowns[b]).map(([c]) => c);
    for (const c of categories) rows.push([b, c]);
    for (const m of measuresOf(b)) {
      add(
        categories.map((c) => cellOf(i, b, c, m)),
        [cellOf(i, 'total', TOTAL_CATEGORY, m)],
        true,
      );
    }
  }
  for (const [b, c] of rows) {
    add(
      [cellOf(i, b, c, 'setQuitDate')],
      OUTCOME_MEASURES.map((m) => cellOf(i, b, c, m)),
      true,
    );
    add([cellOf(i, b, c, 'quitCoVerified')], [cellOf(i, b, c, 'quitSelfReported')], false);
  }
  for (const link of LINKED_CATEGORIES) {
    for (const m of EPISODE_MEASURES) {
      add(
        link.left[1].map((c) => cellOf(i, link.left[0], c, m)),
        link.right[1].map((c) => cellOf(i, link.right[0], c, m)),
        link.equal,
      );
    }
  }
}

/** Each area's figures are the sum of its children's: a child without the figure adds 0. */
function addSumRelations(
  areas: readonly RelatedArea[],
  maps: readonly CellMap[],
  cellOf: CellOf,
  add: Add,
): void {
  areas.forEach((_, p) => {
    const children = areas.map((a, i) => (a.parent === p ? i : NO_CELL)).filter((i) => i !== NO_CELL);
    if (children.length === 0) return;
    for (const [breakdown, byCategory] of maps[p]!) {
      for (const [category, byMeasure] of byCategory) {
        byMeasure.forEach((cell, m) => {
          if (cell === NO_CELL) return;
          const parts = children
            .map((ch) => cellOf(ch, breakdown, category, MEASURES[m]!))
            .filter((c) => c !== NO_CELL);
          add(parts, [cell], true);
        });
      }
    }
  });
}

/** The cells of the areas and every relation between them that the true figures satisfy. */
export function cellsAndRelations(areas: readonly RelatedArea[]) {
  const { values, areaOf, where, maps } = cellsOf(areas);
  const cellOf: CellOf = (area, breakdown, category, measure) =>
    maps[area]!.get(breakdown)?.get(category)?.[MEASURE_INDEX.get(measure)!] ?? NO_CELL;

  const relations: Relation[] = [];
  // Only relations the true figures satisfy: an imported return that does not add up gives an attacker
  // no equation either, and a false one would make the attack contradict itself.
  const add: Add = (plus, minus, equal) => {
    let sum = 0;
    for (const c of plus) {
      if (c === NO_CELL) return;
      sum += values[c]!;
    }
    for (const c of minus) {
      if (c === NO_CELL) return;
      sum -= values[c]!;
    }
    if (equal ? sum !== 0 : sum > 0) return;
    relations.push({ plus, minus, lo: equal ? 0 : -Infinity, hi: 0 });
  };

  areas.forEach((a, i) => addTableRelations(a, i, cellOf, add));
  addSumRelations(areas, maps, cellOf, add);
  return { values, areaOf, where, relations };
}
