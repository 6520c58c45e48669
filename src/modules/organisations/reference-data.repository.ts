import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

const LA_FILE = new URL('../../../data/reference/la_england_upper_tier.csv', import.meta.url);

type LaRow = {
  utla_code: string;
  utla23_code: string;
  utla_name: string;
  official_name: string;
  la_type: string;
  region_code: string;
  region_name: string;
  pop_all_ages_mid2023: string;
  pop_18plus_mid2023: string;
};

const intOrNull = (v: string) => (v === '' ? null : Number.parseInt(v, 10));

/**
 * Loads England's regions and upper-tier authorities. Idempotent: run after every migration (with the
 * medicines list's first seeding, `seedAffectedMedicines`).
 */
export async function syncReferenceData(
  db: Database,
): Promise<{ regions: number; localAuthorities: number }> {
  const rows = parse(await readFile(LA_FILE), { columns: true, bom: true }) as LaRow[];
  const regions = new Map(rows.map((r) => [r.region_code, r.region_name]));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('regions')
      .values([...regions].map(([code, name]) => ({ code, name })))
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: sql`excluded.name` }))
      .execute();
    await trx
      .insertInto('local_authorities')
      .values(
        rows.map((r) => ({
          code: r.utla_code,
          previous_code: r.utla23_code !== r.utla_code ? r.utla23_code : null,
          name: r.utla_name,
          official_name: r.official_name || null,
          la_type: r.la_type,
          region_code: r.region_code,
          pop_all_ages: intOrNull(r.pop_all_ages_mid2023),
          pop_18plus: intOrNull(r.pop_18plus_mid2023),
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          previous_code: sql`excluded.previous_code`,
          name: sql`excluded.name`,
          official_name: sql`excluded.official_name`,
          la_type: sql`excluded.la_type`,
          region_code: sql`excluded.region_code`,
          pop_all_ages: sql`excluded.pop_all_ages`,
          pop_18plus: sql`excluded.pop_18plus`,
        }),
      )
      .execute();
  });
  return { regions: regions.size, localAuthorities: rows.length };
}
