// Publications to attack in tests: small random ones for property tests (a national one is
// national-input.fixtures.ts's), and storing a publication's returns as submitted. Test-only (fast-check is
// a development dependency).

import fc from 'fast-check';
import type { IsoDate } from '../../platform/dates.ts';
import { episodeFactArb } from './facts.fixtures.ts';
import type { Database } from '../../db/database.ts';
import type { PublicationInput } from './publication.ts';
import type { Quarter } from '../../platform/quarters.ts';
import { computeReturn } from './return-definition.ts';

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
