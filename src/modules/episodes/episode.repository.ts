import type { Executor } from '../../db/database.ts';
import type { ServiceScope } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';

/** One episode with its person, only within the service's scope. */
export async function findEpisode(db: Executor, scope: ServiceScope, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('users as a', 'a.id', 'e.adviser_user_id')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .selectAll('e')
    .select([
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.postcode',
      'p.phone',
      'p.email',
      'p.nhs_number',
      'a.name as adviser_name',
      'o.outcome as four_week_outcome',
      'o.follow_up_on',
      'o.reason as outcome_reason',
    ])
    .where('e.id', '=', id)
    .where('e.service_organisation_id', '=', scope.organisationId)
    .executeTakeFirst();
}

export type EpisodeRow = NonNullable<Awaited<ReturnType<typeof findEpisode>>>;

export async function findPerson(db: Executor, scope: ServiceScope, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', id)
    .where('service_organisation_id', '=', scope.organisationId)
    .executeTakeFirst();
}

export async function episodesOfPerson(db: Executor, scope: ServiceScope, personId: string) {
  return db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select([
      'e.id',
      'e.started_on',
      'e.quit_date',
      'e.closed_at',
      'e.closed_reason',
      'e.referral_id',
      'o.outcome',
    ])
    .where('e.person_id', '=', personId)
    .where('e.service_organisation_id', '=', scope.organisationId)
    .orderBy('e.started_on')
    .orderBy('e.created_at')
    .execute();
}

/**
 * A person already known to the service: same NHS number, or same name and date of birth. Relapse and
 * re-entry are normal, so a new referral for them joins their history rather than starting another.
 */
export async function matchPerson(
  db: Executor,
  scope: ServiceScope,
  p: { nhsNumber: string | null; givenName: string; familyName: string; dateOfBirth: string },
) {
  let q = db.selectFrom('people').select('id').where('service_organisation_id', '=', scope.organisationId);
  q = p.nhsNumber
    ? q.where('nhs_number', '=', p.nhsNumber)
    : q
        .where((eb) => eb(eb.fn('lower', ['given_name']), '=', p.givenName.toLowerCase()))
        .where((eb) => eb(eb.fn('lower', ['family_name']), '=', p.familyName.toLowerCase()))
        .where('date_of_birth', '=', p.dateOfBirth);
  return (await q.orderBy('created_at').executeTakeFirst())?.id;
}

/** The service's caseload: open episodes with what is next. */
export async function caseload(db: Executor, scope: ServiceScope, opts: { includeClosed?: boolean } = {}) {
  let q = db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .leftJoin('users as a', 'a.id', 'e.adviser_user_id')
    .select((eb) => [
      'e.id',
      'e.person_id',
      'e.started_on',
      'e.quit_date',
      'e.mental_health',
      'e.closed_at',
      'p.given_name',
      'p.family_name',
      'o.outcome',
      'a.name as adviser_name',
      eb
        .selectFrom('safety_tasks as s')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('s.episode_id', '=', 'e.id')
        .where('s.completed_at', 'is', null)
        .as('open_safety_tasks'),
      eb
        .selectFrom('medicine_alerts as m')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('m.episode_id', '=', 'e.id')
        .where('m.acknowledged_at', 'is', null)
        .as('open_medicine_alerts'),
      eb
        .selectFrom('episode_sessions as ss')
        .select((s) => s.fn.min('ss.scheduled_on').as('d'))
        .whereRef('ss.episode_id', '=', 'e.id')
        .where('ss.attended', 'is', null)
        .as('next_session_on'),
      eb
        .selectFrom('episode_relapses as r')
        .select('r.relapsed_on')
        .whereRef('r.episode_id', '=', 'e.id')
        .as('relapsed_on'),
    ])
    .where('e.service_organisation_id', '=', scope.organisationId);
  if (!opts.includeClosed) q = q.where('e.closed_at', 'is', null).where('o.outcome', 'is', null);
  return q.orderBy('e.started_on', 'desc').limit(500).execute();
}

/** A person's episodes at the service as the relapse rule reads them (relapse-restart.ts), oldest first. */
export async function attemptsOfPerson(db: Executor, scope: ServiceScope, personId: string) {
  return db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .leftJoin('episode_relapses as r', 'r.previous_episode_id', 'e.id')
    .select(['e.id', 'e.started_on', 'e.quit_date', 'e.closed_at', 'o.outcome', 'r.episode_id as next_id'])
    .where('e.person_id', '=', personId)
    .where('e.service_organisation_id', '=', scope.organisationId)
    .orderBy('e.started_on')
    .orderBy('e.created_at')
    .execute();
}

/** The attempts either side of an episode in a relapse: the one it came back from, and the one after it. */
export async function relapseLinks(db: Executor, episodeId: string) {
  const [before, after] = await Promise.all([
    db
      .selectFrom('episode_relapses as r')
      .innerJoin('episodes as p', 'p.id', 'r.previous_episode_id')
      .select([
        'r.previous_episode_id',
        'r.relapsed_on',
        'r.what_happened',
        'r.prevention_plan',
        'p.started_on as previous_started_on',
      ])
      .where('r.episode_id', '=', episodeId)
      .executeTakeFirst(),
    db
      .selectFrom('episode_relapses as r')
      .innerJoin('episodes as n', 'n.id', 'r.episode_id')
      .select(['r.episode_id', 'r.relapsed_on', 'n.started_on as next_started_on'])
      .where('r.previous_episode_id', '=', episodeId)
      .executeTakeFirst(),
  ]);
  return { before: before ?? null, after: after ?? null };
}
