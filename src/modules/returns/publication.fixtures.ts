// Publications to attack in tests: a national one in memory (every upper-tier authority in England, one
// quarter's episodes drawn with the shapes bench/generate-national.ts uses, without a database) and small
// random ones for property tests. Test-only (fast-check is a development dependency).

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { addDays, type IsoDate } from '../../platform/dates.ts';
import { episodeFactArb } from './facts.fixtures.ts';
import type { Database } from '../../db/database.ts';
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

/** One quarter's submitted returns for England, generated in memory. */
export function nationalInput(options: NationalOptions): PublicationInput {
  const { seed, quitDates = 60_000, submitted = 1, financialYear = 2026, quarter = 1 } = options;
  const random = seeded(seed);
  const authorities = authoritiesOfEngland().filter(() => random() < submitted);
  const adults = authorities.reduce((s, a) => s + a.adults, 0);
  const { start } = quarterRange(financialYear, quarter);
  const asOf = addDays(start, 200);
  const pick = <T>(entries: readonly (readonly [T, number])[]) => weighted(random, entries);
  const sex = pick([
    ['female', 52],
    ['male', 47],
    ['not_stated', 0.7],
    ['not_known', 0.3],
  ]);
  const gender = pick([
    ['yes', 93],
    ['no', 1],
    ['not_stated', 3],
    ['not_known', 3],
  ]);
  const age = pick([
    [17, 0.5],
    [21, 7],
    [30, 20],
    [40, 22],
    [50, 22],
    [60, 17.5],
    [70, 11],
  ]);
  const ethnic = pick(
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
  );
  const pregnant = pick([
    ['no', 60],
    ['yes', 1],
    ['not_stated', 20],
    ['not_known', 19],
  ]);
  const free = pick([
    ['yes', 40],
    ['no', 50],
    ['not_known', 10],
  ]);
  const nsSec = pick(
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
  );
  const orientation = pick([
    ['heterosexual', 84],
    ['gay_or_lesbian', 2.2],
    ['bisexual', 1.8],
    ['other', 0.5],
    ['not_sure', 0.5],
    ['not_stated', 5],
    ['not_known', 6],
  ]);
  const intervention = pick(
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
  );
  const setting = pick([
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
  ]);
  const aid = pick([
    ['combination_nrt', 32],
    ['single_nrt', 9],
    ['varenicline', 14],
    ['cytisine', 6],
    ['bupropion', 1],
    ['e_cigarette', 6],
    ['e_cigarette_swap_to_stop', 24],
    ['none', 8],
  ]);
  const secondAid = pick([
    ['e_cigarette', 50],
    ['single_nrt', 50],
  ]);
  const mentalHealth = pick([
    ['depression', 12],
    ['anxiety', 10],
    ['both', 11],
    ['other', 3],
    ['none', 55],
    ['not_known', 9],
  ] as const);
  const tt = pick([
    ['yes', 8],
    ['no', 80],
    ['not_known', 12],
  ] as const);
  const source = pick([
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
  ]);

  const regions = new Map<
    string,
    PublicationInput['regions'][number] & {
      returns: PublicationInput['regions'][number]['returns'][number][];
    }
  >();
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
  for (const la of authorities) {
    // Each authority's own quit rate, CO verification and follow-up, as the bench generator draws them.
    const quitRate = Math.min(0.8, Math.max(0.3, 0.54 + (random() - 0.5) * 0.25));
    const coShare = random() < 0.25 ? 0.02 : random() < 0.8 ? 0.09 + (random() - 0.5) * 0.1 : 0.3;
    const lostShare = 0.55 + (random() - 0.5) * 0.3;
    const n = Math.max(1, Math.round(((quitDates * la.adults) / adults) * (0.85 + random() * 0.3)));
    const episodes: EpisodeFact[] = [];
    const referrals: ReferralFact[] = [];
    for (let i = 0; i < n; i++) {
      const quitDate = addDays(start, Math.floor(random() * 90));
      const aids = random() < 0.03 ? [] : random() < 0.15 ? [aid(), secondAid()] : [aid()];
      const r = random();
      const outcome =
        r < quitRate
          ? random() < coShare
            ? 'quit_co_verified'
            : 'quit_self_reported'
          : random() < lostShare
            ? 'lost_to_follow_up'
            : 'not_quit';
      const src = source();
      episodes.push({
        episodeId: `${la.code}-${i}`,
        localAuthorityCode: la.code,
        serviceOrganisationId: la.code,
        quitDate,
        referralReceivedOn: src ? addDays(quitDate, -7) : null,
        outcome: random() < 0.01 ? 'pending' : outcome,
        dateOfBirth: random() < 0.02 ? null : (`${Number(quitDate.slice(0, 4)) - age()}-01-01` as IsoDate),
        sex: sex(),
        genderSameAsBirth: gender(),
        ethnicCategory: ethnic(),
        pregnant: pregnant(),
        freePrescriptions: free(),
        nsSec: nsSec(),
        sexualOrientation: orientation(),
        interventionType: intervention(),
        setting: setting(),
        aids,
        mentalHealth: mentalHealth(),
        inTalkingTherapies: tt(),
        referralSource: src,
      });
      if (src)
        referrals.push({ localAuthorityCode: la.code, receivedOn: addDays(quitDate, -7), source: src });
    }
    // Referrals that did not lead to a quit date in the quarter.
    for (let i = 0; i < n * 0.7; i++) {
      referrals.push({
        localAuthorityCode: la.code,
        receivedOn: addDays(start, Math.floor(random() * 90)),
        source: source(),
      });
    }
    regions.get(la.regionCode)!.returns.push({
      code: la.code,
      name: la.name,
      data: computeReturn({ episodes, referrals, localAuthorityCode: la.code, financialYear, quarter, asOf }),
    });
  }
  return { financialYear, quarter, regions: [...regions.values()] };
}

/** A small random publication: one to three regions of one to four authorities, few episodes each. */
export function smallInputArb(): fc.Arbitrary<PublicationInput> {
  const la = (r: number, a: number) => `E0${r}00000${a}`;
  return fc
    .array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }), {
      minLength: 1,
      maxLength: 3,
    })
    .chain((shape) => {
      const facts = shape.flatMap((sizes, r) =>
        sizes.map((size, a) =>
          fc.array(
            episodeFactArb({ from: '2026-04-01', days: 89, localAuthorityCodes: [la(r, a)] }).map((e) => ({
              ...e,
              quitDate: e.quitDate ?? ('2026-04-01' as IsoDate),
            })),
            { minLength: size, maxLength: size },
          ),
        ),
      );
      return fc.tuple(...facts).map((byAuthority) => {
        let i = 0;
        return {
          financialYear: 2026,
          quarter: 1 as Quarter,
          regions: shape.map((sizes, r) => ({
            code: `E1200000${r}`,
            name: `Region ${r}`,
            authorities: sizes.length + 1,
            returns: sizes.map((_, a) => {
              const episodes = byAuthority[i++]!;
              return {
                code: la(r, a),
                name: `Authority ${r}-${a}`,
                data: computeReturn({
                  episodes,
                  referrals: [],
                  localAuthorityCode: la(r, a),
                  financialYear: 2026,
                  quarter: 1,
                  asOf: '2026-12-31',
                }),
              };
            }),
          })),
        };
      });
    });
}

/** Stores the input's returns as submitted (version 1 each), as the national collection reads them. */
export async function insertSubmittedReturns(db: Database, input: PublicationInput): Promise<void> {
  for (const r of input.regions.flatMap((region) => region.returns)) {
    const row = await db
      .insertInto('returns')
      .values({
        local_authority_code: r.code,
        financial_year: input.financialYear,
        quarter: input.quarter,
        status: 'submitted',
        current_version: 1,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('return_versions')
      .values({
        return_id: row.id,
        version: 1,
        provisional: input.quarter !== 4,
        data: JSON.stringify(r.data),
        generated_by: null,
        generated_at: new Date(),
      })
      .execute();
  }
}
