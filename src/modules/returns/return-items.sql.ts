// Counting by stored code; naming by the definition. The return's SQL groups the quarter's episodes by
// what is stored (each code as it is, the age band's youngest age, the set of aids supplied as a sorted
// array of codes), once per item, with GROUPING SETS. Each stored value is then put in its breakdown
// category by the pure definition's own categoryOf, so the categories cannot differ from computeReturn's;
// return-counts.repository.db.test.ts checks the counts.
import { sql, type RawBuilder } from 'kysely';
import type { MentalHealth } from '../referrals/demographics.ts';
import type { EpisodeFact } from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, type BreakdownKey } from './return-breakdowns.ts';

const BLANK_FACT: EpisodeFact = {
  episodeId: '',
  localAuthorityCode: null,
  serviceOrganisationId: '',
  quitDate: null,
  referralReceivedOn: null,
  outcome: 'pending',
  dateOfBirth: null,
  sex: null,
  genderSameAsBirth: null,
  ethnicCategory: null,
  pregnant: null,
  freePrescriptions: null,
  nsSec: null,
  sexualOrientation: null,
  interventionType: null,
  setting: null,
  aids: [],
  mentalHealth: null as unknown as MentalHealth,
  inTalkingTherapies: null as unknown as EpisodeFact['inTalkingTherapies'],
  referralSource: null,
};

/** The aids supplied, from the JSON text of the fact table's sorted array of codes. */
const aidsOfText = (v: string | null): string[] => (v === null ? [] : (JSON.parse(v) as string[]));

/** The fact for someone `age` whole years old on their quit date: born that many years before it, to the day. */
const factOfAge = (age: number) => ({ dateOfBirth: '2000-01-01', quitDate: `${2000 + age}-01-01` });

/**
 * The ages at which the definition's age band changes, found by asking the definition itself, so the SQL
 * can group ages into bands (width_bucket) without a copy of the bands: a bucket is then named by its
 * youngest age, which categoryOf puts in the same band as every other age in the bucket.
 */
const AGE_BAND_STARTS: readonly number[] = (() => {
  const bandOf = (age: number) => BREAKDOWNS.age_band.categoryOf({ ...BLANK_FACT, ...factOfAge(age) });
  const starts: number[] = [];
  for (let age = 1; age <= 150; age++) if (bandOf(age) !== bandOf(age - 1)) starts.push(age);
  return starts;
})();

/**
 * The stored items the return is grouped by: the column each is read from, the breakdowns it feeds, and
 * the fact a stored value stands for (for categoryOf).
 */
const ITEMS = [
  { name: 'sex', sql: sql`f.sex`, breakdowns: ['sex'], fact: (v: string | null) => ({ sex: v }) },
  {
    name: 'gender',
    sql: sql`f.gender_same_as_birth`,
    breakdowns: ['gender_identity'],
    fact: (v: string | null) => ({ genderSameAsBirth: v }),
  },
  {
    name: 'age',
    // The band's youngest age (0 below the first band).
    sql: sql`case width_bucket(f.age, ${sql.lit(`{${AGE_BAND_STARTS.join(',')}}`)}::int[]) ${sql.join(
      AGE_BAND_STARTS.map((from, i) => sql`when ${sql.lit(i + 1)} then ${sql.lit(from)}`),
      sql` `,
    )} when 0 then 0 end`,
    breakdowns: ['age_band'],
    fact: (v: string | null) => (v === null ? { dateOfBirth: null } : factOfAge(Number(v))),
  },
  {
    name: 'ethnic',
    sql: sql`f.ethnic_category`,
    breakdowns: ['ethnic_group'],
    fact: (v: string | null) => ({ ethnicCategory: v }),
  },
  {
    name: 'pregnant',
    sql: sql`f.pregnant`,
    breakdowns: ['pregnant'],
    fact: (v: string | null) => ({ pregnant: v }),
  },
  {
    name: 'free_prescriptions',
    sql: sql`f.free_prescriptions`,
    breakdowns: ['free_prescriptions'],
    fact: (v: string | null) => ({ freePrescriptions: v }),
  },
  { name: 'ns_sec', sql: sql`f.ns_sec`, breakdowns: ['ns_sec'], fact: (v: string | null) => ({ nsSec: v }) },
  {
    name: 'orientation',
    sql: sql`f.sexual_orientation`,
    breakdowns: ['sexual_orientation'],
    fact: (v: string | null) => ({ sexualOrientation: v }),
  },
  {
    name: 'intervention',
    sql: sql`f.intervention_type`,
    breakdowns: ['intervention_type'],
    fact: (v: string | null) => ({ interventionType: v }),
  },
  {
    name: 'setting',
    sql: sql`f.setting`,
    breakdowns: ['setting'],
    fact: (v: string | null) => ({ setting: v }),
  },
  // The set of aids supplied, as a sorted array of codes (grouped as an array; its JSON text is the key).
  {
    name: 'aids',
    sql: sql`f.aids`,
    breakdowns: ['aid', 'swap_to_stop'],
    fact: (v: string | null) => ({ aids: aidsOfText(v) }),
  },
  {
    name: 'mental_health',
    sql: sql`f.mental_health`,
    breakdowns: ['cmhc', 'condition'],
    fact: (v: string | null) => ({ mentalHealth: v as MentalHealth }),
  },
  {
    name: 'talking_therapies',
    sql: sql`f.in_talking_therapies`,
    breakdowns: ['in_talking_therapies'],
    fact: (v: string | null) => ({ inTalkingTherapies: v as EpisodeFact['inTalkingTherapies'] }),
  },
  {
    name: 'referral',
    sql: sql`f.referral_kind`,
    breakdowns: ['referral_source'],
    fact: (v: string | null) => ({ referralSource: v }),
  },
] as const satisfies readonly {
  name: string;
  sql: RawBuilder<unknown>;
  breakdowns: readonly BreakdownKey[];
  fact: (v: string | null) => Partial<EpisodeFact>;
}[];

/** Every breakdown is fed by exactly one stored item (checked when the module loads). */
{
  const fed = ITEMS.flatMap((i) => [...i.breakdowns]).sort();
  if (JSON.stringify(fed) !== JSON.stringify([...BREAKDOWN_KEYS].sort())) {
    throw new Error(`The return SQL groups by items that do not cover every breakdown: ${fed.join(', ')}`);
  }
}

/** Breakdown item names double as column names in the SQL: they must be plain identifiers. */
const column = (name: string) => {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a safe column name: ${name}`);
  return sql.raw(name);
};

const asText = (name: string) => (name === 'aids' ? sql`to_json(aids)::text` : sql`${column(name)}::text`);

/**
 * The SQL pieces that group a row of `episode_facts f` (with its `la`) by every item at once: `picked`,
 * each item's stored value as a column named for it; `sets`, one grouping set per item (the outcomes are
 * counted in columns, return-counts.repository.ts); `item` and `key`, CASE branches naming a grouped
 * row's item and its stored value as text.
 */
export const ITEM_SQL = {
  picked: sql.join(ITEMS.map((i) => sql`${i.sql} as ${column(i.name)}`)),
  sets: sql.join(ITEMS.map((i) => sql`(la, ${column(i.name)})`)),
  /** The item whose grouped rows the totals are added up from (any would do: each counts every row once). */
  totalsFrom: ITEMS[0].name as string,
  item: sql.join(
    ITEMS.map((i) => sql`when grouping(${column(i.name)}) = 0 then ${sql.lit(i.name)}`),
    sql` `,
  ),
  key: sql.join(
    ITEMS.map((i) => sql`when grouping(${column(i.name)}) = 0 then ${asText(i.name)}`),
    sql` `,
  ),
};

const ITEM_BY_NAME = new Map<string, (typeof ITEMS)[number]>(ITEMS.map((i) => [i.name, i]));

/**
 * The breakdown categories a stored value of an item counts in (one per breakdown the item feeds), as the
 * definition's categoryOf names them. Several stored values may share a category.
 */
export function categoriesOf(
  itemName: string,
  key: string | null,
): readonly (readonly [BreakdownKey, string])[] {
  const item = ITEM_BY_NAME.get(itemName);
  if (!item) throw new Error(`The return SQL grouped by ${itemName}, which is not one of its items`);
  const fact: EpisodeFact = { ...BLANK_FACT, ...item.fact(key) };
  return item.breakdowns.map((b) => [b, BREAKDOWNS[b].categoryOf(fact)] as const);
}
