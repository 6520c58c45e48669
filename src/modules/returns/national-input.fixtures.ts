// A national publication's input to attack in tests, in memory: every upper-tier authority in England, one
// quarter's episodes drawn with the shapes bench/generate-national.ts uses, without a database. The same
// seed always gives the same input. Test-only.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { addDays, type IsoDate } from '../../platform/dates.ts';
import type { PublicationInput } from './publication.ts';
import { quarterRange, type Quarter } from '../../platform/quarters.ts';
import type { EpisodeFact, ReferralFact } from './return-measures.ts';
import { computeReturn } from './return-definition.ts';

/** mulberry32: small, fast, seeded; the same seed gives the same publication. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, entries: readonly (readonly [T, number])[]): () => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * total;
    for (const [v, w] of entries) {
      r -= w;
      if (r < 0) return v;
    }
    return entries[entries.length - 1]![0];
  };
}

type Authority = { code: string; name: string; regionCode: string; regionName: string; adults: number };

export function authoritiesOfEngland(): Authority[] {
  const rows = parse(
    readFileSync(new URL('../../../data/reference/la_england_upper_tier.csv', import.meta.url)),
    {
      columns: true,
      bom: true,
    },
  ) as Record<string, string>[];
  return rows.map((r) => ({
    code: r.utla_code!,
    name: r.utla_name!,
    regionCode: r.region_code!,
    regionName: r.region_name!,
    adults: Number(r.pop_18plus_mid2023),
  }));
}

export type NationalOptions = {
  seed: number;
  /** Quit dates in England in the quarter; 60,000 is a national quarter (bench: 240,000 a year). */
  quitDates?: number;
  /** Share of authorities that submitted; the rest are left out, as a collection in progress is. */
  submitted?: number;
  financialYear?: number;
  quarter?: Quarter;
};

type Weights<T> = readonly (readonly [T, number])[];
const shape = <T>(entries: Weights<T>) => entries;

/** How often each answer is drawn: the shapes bench/generate-national.ts uses. */
const SHAPES = {
  sex: shape([
    ['female', 52],
    ['male', 47],
    ['not_stated', 0.7],
    ['not_known', 0.3],
  ]),
  gender: shape([
    ['yes', 93],
    ['no', 1],
    ['not_stated', 3],
    ['not_known', 3],
  ]),
  age: shape([
    [17, 0.5],
    [21, 7],
    [30, 20],
    [40, 22],
    [50, 22],
    [60, 17.5],
    [70, 11],
  ]),
  ethnic: shape(
    (
      [
        ['A', 75],
        ['B', 1.2],
        ['C', 5],
        ['D', 1],
        ['E', 0.5],
        ['F', 0.6],
        ['G', 0.6],
        ['H', 2],
        ['J', 2],
        ['K', 1],
        ['L', 1],
        ['M', 1.5],
        ['N', 1.5],
        ['P', 0.5],
        ['R', 0.3],
        ['S', 1],
        ['Z', 3],
        ['99', 2],
      ] as const
    ).map(([c, w]) => [c as string, w] as const),
  ),
  pregnant: shape([
    ['no', 60],
    ['yes', 1],
    ['not_stated', 20],
    ['not_known', 19],
  ]),
  free: shape([
    ['yes', 40],
    ['no', 50],
    ['not_known', 10],
  ]),
  nsSec: shape(
    (
      [
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
      ] as const
    ).map(([c, w]) => [c as string, w] as const),
  ),
  orientation: shape([
    ['heterosexual', 84],
    ['gay_or_lesbian', 2.2],
    ['bisexual', 1.8],
    ['other', 0.5],
    ['not_sure', 0.5],
    ['not_stated', 5],
    ['not_known', 6],
  ]),
  intervention: shape(
    (
      [
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
      ] as const
    ).map(([c, w]) => [c as string, w] as const),
  ),
  setting: shape([
    ['community', 46],
    ['pharmacy', 20],
    ['general_practice', 15],
    ['hospital', 6],
    ['psychiatric', 3],
    ['dental', 0.4],
    ['childrens_centre', 1],
    ['educational', 1],
    ['prison', 2],
    ['military', 0.2],
    ['other', 3.4],
  ]),
  aid: shape([
    ['combination_nrt', 32],
    ['single_nrt', 9],
    ['varenicline', 14],
    ['cytisine', 6],
    ['bupropion', 1],
    ['e_cigarette', 6],
    ['e_cigarette_swap_to_stop', 24],
    ['none', 8],
  ]),
  secondAid: shape([
    ['e_cigarette', 50],
    ['single_nrt', 50],
  ]),
  mentalHealth: shape([
    ['depression', 12],
    ['anxiety', 10],
    ['both', 11],
    ['other', 3],
    ['none', 55],
    ['not_known', 9],
  ] as const),
  tt: shape([
    ['yes', 8],
    ['no', 80],
    ['not_known', 12],
  ] as const),
  source: shape([
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
    [null, 13],
  ]),
};

type Draw = { [K in keyof typeof SHAPES]: () => (typeof SHAPES)[K][number][0] };

/** One function per item that draws an answer with `random`, in its shape. */
function drawersOf(random: () => number): Draw {
  return Object.fromEntries(
    Object.entries(SHAPES).map(([item, entries]) => [item, weighted<unknown>(random, entries)]),
  ) as Draw;
}

type Region = PublicationInput['regions'][number] & {
  returns: PublicationInput['regions'][number]['returns'][number][];
};

/** Every region of England with its number of authorities, and no returns yet. */
function regionsOfEngland(): Map<string, Region> {
  const regions = new Map<string, Region>();
  for (const a of authoritiesOfEngland()) {
    const r = regions.get(a.regionCode) ?? {
      code: a.regionCode,
      name: a.regionName,
      authorities: 0,
      returns: [],
    };
    r.authorities++;
    regions.set(a.regionCode, r);
  }
  return regions;
}

type Rates = { quitRate: number; coShare: number; lostShare: number };

/** Episode i of an authority, its quit date in the 90 days from `start`. */
function drawEpisode(
  la: Authority,
  i: number,
  start: IsoDate,
  rates: Rates,
  random: () => number,
  draw: Draw,
): EpisodeFact {
  const { quitRate, coShare, lostShare } = rates;
  const quitDate = addDays(start, Math.floor(random() * 90));
  const aids = random() < 0.03 ? [] : random() < 0.15 ? [draw.aid(), draw.secondAid()] : [draw.aid()];
  const r = random();
  const outcome =
    r < quitRate
      ? random() < coShare
        ? 'quit_co_verified'
        : 'quit_self_reported'
      : random() < lostShare
        ? 'lost_to_follow_up'
        : 'not_quit';
  const src = draw.source();
  return {
    episodeId: `${la.code}-${i}`,
    localAuthorityCode: la.code,
    serviceOrganisationId: la.code,
    quitDate,
    referralReceivedOn: src ? addDays(quitDate, -7) : null,
    outcome: random() < 0.01 ? 'pending' : outcome,
    dateOfBirth: random() < 0.02 ? null : (`${Number(quitDate.slice(0, 4)) - draw.age()}-01-01` as IsoDate),
    sex: draw.sex(),
    genderSameAsBirth: draw.gender(),
    ethnicCategory: draw.ethnic(),
    pregnant: draw.pregnant(),
    freePrescriptions: draw.free(),
    nsSec: draw.nsSec(),
    sexualOrientation: draw.orientation(),
    interventionType: draw.intervention(),
    setting: draw.setting(),
    aids,
    mentalHealth: draw.mentalHealth(),
    inTalkingTherapies: draw.tt(),
    referralSource: src,
  };
}

/** One authority's episodes and referrals in the quarter, about `expected` quit dates. */
function authorityFacts(la: Authority, expected: number, start: IsoDate, random: () => number, draw: Draw) {
  // Each authority's own quit rate, CO verification and follow-up, as the bench generator draws them.
  const quitRate = Math.min(0.8, Math.max(0.3, 0.54 + (random() - 0.5) * 0.25));
  const coShare = random() < 0.25 ? 0.02 : random() < 0.8 ? 0.09 + (random() - 0.5) * 0.1 : 0.3;
  const lostShare = 0.55 + (random() - 0.5) * 0.3;
  const n = Math.max(1, Math.round(expected * (0.85 + random() * 0.3)));
  const episodes: EpisodeFact[] = [];
  const referrals: ReferralFact[] = [];
  for (let i = 0; i < n; i++) {
    const e = drawEpisode(la, i, start, { quitRate, coShare, lostShare }, random, draw);
    episodes.push(e);
    // The referral behind the episode, a week before its quit date.
    if (e.referralSource)
      referrals.push({
        localAuthorityCode: la.code,
        receivedOn: e.referralReceivedOn!,
        source: e.referralSource,
      });
  }
  // Referrals that did not lead to a quit date in the quarter.
  for (let i = 0; i < n * 0.7; i++) {
    referrals.push({
      localAuthorityCode: la.code,
      receivedOn: addDays(start, Math.floor(random() * 90)),
      source: draw.source(),
    });
  }
  return { episodes, referrals };
}

/** One quarter's submitted returns for England, generated in memory. */
export function nationalInput(options: NationalOptions): PublicationInput {
  const { seed, quitDates = 60_000, submitted = 1, financialYear = 2026, quarter = 1 } = options;
  const random = seeded(seed);
  const authorities = authoritiesOfEngland().filter(() => random() < submitted);
  const adults = authorities.reduce((s, a) => s + a.adults, 0);
  const { start } = quarterRange(financialYear, quarter);
  const asOf = addDays(start, 200);
  const draw = drawersOf(random);
  const regions = regionsOfEngland();
  for (const la of authorities) {
    const { episodes, referrals } = authorityFacts(la, (quitDates * la.adults) / adults, start, random, draw);
    regions.get(la.regionCode)!.returns.push({
      code: la.code,
      name: la.name,
      data: computeReturn({ episodes, referrals, localAuthorityCode: la.code, financialYear, quarter, asOf }),
    });
  }
  return { financialYear, quarter, regions: [...regions.values()] };
}
