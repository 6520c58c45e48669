import { inTransaction, type Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { serviceScope } from '../../platform/scope.ts';
import { deriveStatus } from '../referrals/referral-status.ts';
import { linkReferralToPerson, referralForEpisode } from '../referrals/referral.service.ts';
import { loadEvents } from '../referrals/referral.service.ts';
import * as repo from './episode.repository.ts';
import type { NewPersonInput } from './episode.schemas.ts';

// The episodes module's face to the modules built on it (treatment, mood, medicines): they read an
// episode through here, never through the repository, which stays this module's own.
export { caseload, findEpisode, type EpisodeRow } from './episode.repository.ts';

export type EpisodePhase = 'preparing' | 'quit_attempt' | 'outcome_recorded' | 'closed';

export const PHASE_LABELS: Record<EpisodePhase, string> = {
  preparing: 'Preparing to quit',
  quit_attempt: 'Quit attempt under way',
  outcome_recorded: 'Four-week outcome recorded',
  closed: 'Closed',
};

/** Where an episode is, from its facts. Pure. */
export function episodePhase(e: {
  quit_date: string | null;
  closed_at: Date | null;
  four_week_outcome: string | null;
}): EpisodePhase {
  if (e.closed_at) return 'closed';
  if (e.four_week_outcome) return 'outcome_recorded';
  if (e.quit_date) return 'quit_attempt';
  return 'preparing';
}

const STARTABLE = ['accepted', 'quit_date_set', 'outcome_recorded'];

// Both starts date the episode by the application's day in England (the caller's clock), never by the
// column's default: the database's current_date is its session's time zone's, a day behind England
// between midnight and 01:00 in British Summer Time.

/**
 * Starts treatment for an accepted referral. The person joins their history with the service when it
 * already knows them (relapse and re-entry are normal), otherwise they are added.
 */
export async function startEpisodeFromReferral(
  db: Database,
  user: StaffUser,
  referralId: string,
  { startedOn, requestId }: { startedOn: IsoDate; requestId?: string },
) {
  const referral = await referralForEpisode(db, user, referralId);
  const scope = serviceScope(user);
  const status = deriveStatus(await loadEvents(db, referralId));
  if (!STARTABLE.includes(status)) {
    throw new HttpError(409, 'Treatment cannot start yet', 'Accept the referral before starting treatment.');
  }
  const existing = await db
    .selectFrom('episodes')
    .select('id')
    .where('referral_id', '=', referralId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  if (existing) return { episodeId: existing.id, created: false };

  return db.transaction().execute(async (trx) => {
    const personId =
      referral.person_id ??
      (await repo.matchPerson(trx, scope, {
        nhsNumber: referral.nhs_number,
        givenName: referral.given_name,
        familyName: referral.family_name,
        dateOfBirth: referral.date_of_birth,
      })) ??
      (
        await trx
          .insertInto('people')
          .values({
            service_organisation_id: scope.organisationId,
            local_authority_code: referral.local_authority_code,
            given_name: referral.given_name,
            family_name: referral.family_name,
            date_of_birth: referral.date_of_birth,
            postcode: referral.postcode,
            phone: referral.phone,
            email: referral.email,
            nhs_number: referral.nhs_number,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await linkReferralToPerson(trx, referralId, personId);
    const episode = await trx
      .insertInto('episodes')
      .values({
        person_id: personId,
        service_organisation_id: scope.organisationId,
        local_authority_code: referral.local_authority_code,
        referral_id: referralId,
        started_on: startedOn,
        adviser_user_id: user.id,
        mental_health: referral.mental_health,
        in_talking_therapies: referral.in_talking_therapies,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'episode', entityId: episode.id, detail: 'from referral' },
      requestId,
    );
    return { episodeId: episode.id, created: true };
  });
}

/** Someone the service meets directly, with no referral. */
export async function startEpisodeForNewPerson(
  db: Database,
  user: StaffUser,
  input: NewPersonInput,
  {
    localAuthorityCode,
    startedOn,
    requestId,
  }: { localAuthorityCode: string | null; startedOn: IsoDate; requestId?: string },
) {
  const scope = serviceScope(user);
  return inTransaction(db, async (trx) => {
    const personId =
      (await repo.matchPerson(trx, scope, {
        nhsNumber: input.nhsNumber ?? null,
        givenName: input.givenName,
        familyName: input.familyName,
        dateOfBirth: input.dateOfBirth,
      })) ??
      (
        await trx
          .insertInto('people')
          .values({
            service_organisation_id: scope.organisationId,
            local_authority_code: localAuthorityCode,
            given_name: input.givenName,
            family_name: input.familyName,
            date_of_birth: input.dateOfBirth,
            postcode: input.postcode,
            phone: input.phone ?? null,
            email: input.email ?? null,
            nhs_number: input.nhsNumber ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const episode = await trx
      .insertInto('episodes')
      .values({
        person_id: personId,
        service_organisation_id: scope.organisationId,
        local_authority_code: localAuthorityCode,
        referral_id: null,
        started_on: startedOn,
        adviser_user_id: user.id,
        mental_health: input.mentalHealth,
        in_talking_therapies: input.inTalkingTherapies,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'episode', entityId: episode.id, detail: 'met directly' },
      requestId,
    );
    return { episodeId: episode.id, personId };
  });
}

/** An episode for its service's staff; the read is audited. */
export async function viewEpisode(db: Database, user: StaffUser, id: string, requestId?: string) {
  const episode = await repo.findEpisode(db, serviceScope(user), id);
  if (!episode) throw notFound('Episode not found');
  await audit(db, user, { action: 'view', entityType: 'episode', entityId: id }, requestId);
  return episode;
}

export async function viewPerson(db: Database, user: StaffUser, id: string, requestId?: string) {
  const scope = serviceScope(user);
  const person = await repo.findPerson(db, scope, id);
  if (!person) throw notFound('Person not found');
  const episodes = await repo.episodesOfPerson(db, scope, id);
  await audit(db, user, { action: 'view', entityType: 'person', entityId: id }, requestId);
  return { person, episodes };
}
