// The treatment of one referral, for its referrer's clinical resources (fhir-clinical.ts decides what of
// it they may see). Called only for a referral the caller's scope has already found (viewReferral).
import type { Executor } from '../../db/database.ts';

export async function treatmentOfReferral(db: Executor, referralId: string) {
  const episodes = await db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select([
      'e.id',
      'e.consent_share_with_clinician',
      'o.outcome',
      'o.follow_up_on',
      'o.co_ppm',
      'o.recorded_at as outcome_recorded_at',
    ])
    .where('e.referral_id', '=', referralId)
    .orderBy('e.started_on')
    .orderBy('e.id')
    .execute();
  const ids = episodes.map((e) => e.id);
  const moods = ids.length
    ? await db
        .selectFrom('mood_measures')
        .select(['episode_id', 'instrument', 'items', 'total', 'taken_on', 'recorded_at'])
        .where('episode_id', 'in', ids)
        .orderBy('taken_on')
        .orderBy('recorded_at')
        .execute()
    : [];
  return { episodes, moods };
}
