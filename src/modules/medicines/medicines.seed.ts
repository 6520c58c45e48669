import type { Database } from '../../db/database.ts';
import { DEFAULT_AFFECTED_MEDICINES } from './medicines.defaults.ts';

/**
 * Seeds the list of psychiatric medicines affected by stopping smoking. Run after every migration; it
 * adds only codes the list does not have, as after the first seeding the list is the administrators'.
 */
export async function seedAffectedMedicines(db: Database): Promise<void> {
  await db
    .insertInto('affected_medicines')
    .values(
      DEFAULT_AFFECTED_MEDICINES.map((m) => ({
        code: m.code,
        name: m.name,
        also_known_as: [...m.alsoKnownAs],
        concern: m.concern,
        advice: m.advice,
        advice_on_relapse: m.adviceOnRelapse,
        source: m.source,
        source_url: m.sourceUrl,
        source_checked_on: m.sourceCheckedOn,
        reviewed_on: m.reviewedOn,
        updated_by: null,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}
