// Coming back after a relapse: a new quit attempt started in one step from a finished one. The earlier
// episode is not touched; the new one is linked to it with the relapse-prevention plan, so the person's
// history reads in order and the caseload can show who came back.
import type { Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import * as repo from './episode.repository.ts';
import { RESTART_REFUSALS, restartCandidate, restartRefusal, type AttemptFacts } from './relapse-restart.ts';

export { relapseLinks } from './episode.repository.ts';

export type RelapsePlan = { relapsedOn: IsoDate; whatHappened: string; preventionPlan: string };

const factsOf = (rows: Awaited<ReturnType<typeof repo.attemptsOfPerson>>): AttemptFacts[] =>
  rows.map((r) => ({
    id: r.id,
    startedOn: r.started_on,
    quitDate: r.quit_date,
    outcomeKnown: r.outcome !== null,
    closed: r.closed_at !== null,
    followedByRestart: r.next_id !== null,
  }));

/** Why a new attempt cannot follow this episode (in the words the page shows), or null when it can. */
export async function restartRefusalFor(
  db: Executor,
  user: StaffUser,
  episode: { id: string; person_id: string },
): Promise<string | null> {
  const all = factsOf(await repo.attemptsOfPerson(db, serviceScope(user), episode.person_id));
  const from = all.find((e) => e.id === episode.id);
  if (!from) throw notFound('Episode not found');
  const refusal = restartRefusal(from, all);
  return refusal ? RESTART_REFUSALS[refusal] : null;
}

/** The episode the person's page offers to start again from, or null. */
export async function restartFromForPerson(db: Executor, user: StaffUser, personId: string) {
  return restartCandidate(factsOf(await repo.attemptsOfPerson(db, serviceScope(user), personId)))?.id ?? null;
}

/**
 * Starts the new attempt: the same person, service and area, the mental health facts carried over (they
 * are asked again at the assessment), today as its start. Refused (409) when the rule says no; the
 * earlier episode's row is locked first, so two sends at once start one attempt.
 */
export async function startAfterRelapse(
  trx: Executor,
  user: StaffUser,
  fromEpisodeId: string,
  plan: RelapsePlan,
  { today, now, requestId }: { today: IsoDate; now: Date; requestId?: string },
) {
  const scope = serviceScope(user);
  const from = await trx
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', fromEpisodeId)
    .where('service_organisation_id', '=', scope.organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!from) throw notFound('Episode not found');
  const refusal = await restartRefusalFor(trx, user, from);
  if (refusal) throw new HttpError(409, 'A new quit attempt cannot start from this episode', refusal);
  const episode = await trx
    .insertInto('episodes')
    .values({
      person_id: from.person_id,
      service_organisation_id: scope.organisationId,
      local_authority_code: from.local_authority_code,
      referral_id: null,
      started_on: today,
      adviser_user_id: user.id,
      mental_health: from.mental_health,
      in_talking_therapies: from.in_talking_therapies,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('episode_relapses')
    .values({
      episode_id: episode.id,
      previous_episode_id: from.id,
      relapsed_on: plan.relapsedOn,
      what_happened: plan.whatHappened,
      prevention_plan: plan.preventionPlan,
      recorded_by: user.id,
      recorded_at: now,
    })
    .execute();
  await audit(
    trx,
    user,
    {
      action: 'create',
      entityType: 'episode',
      entityId: episode.id,
      detail: `after relapse from ${from.id}`,
    },
    requestId,
  );
  return { episodeId: episode.id };
}
