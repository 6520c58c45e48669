// SQL for the treatment part of an episode: assessment, plan, sessions, aids, outcomes and the diary.
// Queries only; the rules are in treatment.service.ts, outcome.service.ts and the pure modules.
import { sql } from 'kysely';
import type { ServiceScope } from '../../platform/scope.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { Executor } from '../../db/database.ts';
import { isUuid } from '../../platform/validation.ts';

export { isUuid };

/**
 * Locks the episode for the rest of the transaction and reads what decisions depend on, so two advisers
 * saving at once are serialised and the second sees what the first wrote.
 */
export async function lockEpisode(db: Executor, id: string) {
  return db
    .selectFrom('episodes')
    .select(['id', 'quit_date', 'closed_at', 'referral_id', 'started_on', 'service_organisation_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The day the referral was made, in England. */
export async function referralDate(db: Executor, referralId: string | null): Promise<IsoDate | null> {
  if (!referralId) return null;
  const row = await db
    .selectFrom('referrals')
    .select(sql<string>`to_char(created_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('on'))
    .where('id', '=', referralId)
    .executeTakeFirst();
  return row?.on ?? null;
}

export async function findAssessment(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_assessments')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
}
export type AssessmentRow = NonNullable<Awaited<ReturnType<typeof findAssessment>>>;

export async function upsertAssessment(db: Executor, v: Omit<AssessmentRow, 'recorded_at'>): Promise<void> {
  const { episode_id: _id, ...rest } = v;
  await db
    .insertInto('episode_assessments')
    .values(v)
    .onConflict((oc) => oc.column('episode_id').doUpdateSet({ ...rest, recorded_at: sql`now()` }))
    .execute();
}

export async function updateEpisode(
  db: Executor,
  id: string,
  v: Partial<{
    mental_health: string;
    mental_health_basis: string;
    in_talking_therapies: string;
    quit_date: string;
    intervention_type: string;
    setting: string;
  }>,
): Promise<void> {
  await db.updateTable('episodes').set(v).where('id', '=', id).execute();
}

export async function listSessions(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_sessions as s')
    .leftJoin('users as u', 'u.id', 's.recorded_by')
    .selectAll('s')
    .select('u.name as recorded_by_name')
    .where('s.episode_id', '=', episodeId)
    .orderBy('s.scheduled_on')
    .orderBy('s.created_at')
    .execute();
}
export type SessionRow = Awaited<ReturnType<typeof listSessions>>[number];

export async function findSession(db: Executor, episodeId: string, sessionId: string) {
  if (!isUuid(sessionId)) return undefined;
  return db
    .selectFrom('episode_sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
}

export async function insertSessions(
  db: Executor,
  rows: { episode_id: string; kind: string; scheduled_on: IsoDate }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await db.insertInto('episode_sessions').values(rows).returning('id').execute();
  return out.map((r) => r.id);
}

export async function rescheduleSession(db: Executor, id: string, scheduledOn: IsoDate): Promise<void> {
  await db.updateTable('episode_sessions').set({ scheduled_on: scheduledOn }).where('id', '=', id).execute();
}

export async function updateSession(
  db: Executor,
  id: string,
  v: {
    attended: boolean;
    held_on: IsoDate | null;
    mode: string | null;
    co_ppm: number | null;
    smoked_since_last: boolean | null;
    smoked_days_15_to_28?: boolean | null;
    cravings: number | null;
    withdrawal: string | null;
    notes: string | null;
    recorded_by: string;
    scheduled_on?: IsoDate;
  },
): Promise<void> {
  await db
    .updateTable('episode_sessions')
    .set({ ...v, recorded_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function listAids(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_aids')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('supplied_on')
    .orderBy('created_at')
    .execute();
}

export async function insertAid(
  db: Executor,
  v: {
    episode_id: string;
    aid: string;
    supplied_on: IsoDate;
    supply: string | null;
    supply_days: number | null;
    session_id: string | null;
    recorded_by: string;
  },
): Promise<string> {
  return (await db.insertInto('episode_aids').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findOutcome(db: Executor, episodeId: string) {
  return db.selectFrom('episode_outcomes').selectAll().where('episode_id', '=', episodeId).executeTakeFirst();
}

/** The four-week outcome, once: false when one was already there (the job or another adviser got there first). */
export async function insertOutcome(
  db: Executor,
  v: {
    episode_id: string;
    outcome: 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up';
    follow_up_on: IsoDate | null;
    smoked_days_15_to_28: boolean | null;
    co_ppm: number | null;
    reason: string;
    session_id: string | null;
    recorded_by: string | null;
  },
): Promise<boolean> {
  const row = await db
    .insertInto('episode_outcomes')
    .values(v)
    .onConflict((oc) => oc.column('episode_id').doNothing())
    .returning('episode_id')
    .executeTakeFirst();
  return !!row;
}

/** Replaces a "lost to follow-up" with the outcome of a follow-up held in the window but recorded late. */
export async function replaceLostOutcome(
  db: Executor,
  v: Parameters<typeof insertOutcome>[1],
): Promise<boolean> {
  const { episode_id, ...rest } = v;
  const row = await db
    .updateTable('episode_outcomes')
    .set({ ...rest, recorded_at: sql`now()` })
    .where('episode_id', '=', episode_id)
    .where('outcome', '=', 'lost_to_follow_up')
    .returning('episode_id')
    .executeTakeFirst();
  return !!row;
}

export async function listLocalOutcomes(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_local_outcomes')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('weeks')
    .execute();
}

export async function upsertLocalOutcome(
  db: Executor,
  v: {
    episode_id: string;
    weeks: 12 | 52;
    contact_on: IsoDate;
    abstinent: boolean;
    co_ppm: number | null;
    recorded_by: string;
  },
): Promise<void> {
  await db
    .insertInto('episode_local_outcomes')
    .values(v)
    .onConflict((oc) =>
      oc.columns(['episode_id', 'weeks']).doUpdateSet({
        contact_on: v.contact_on,
        abstinent: v.abstinent,
        co_ppm: v.co_ppm,
        recorded_by: v.recorded_by,
        recorded_at: sql`now()`,
      }),
    )
    .execute();
}

/** Sessions of the standard programme: once the four-week outcome is known they are no longer due. */
export const STANDARD_KINDS = [
  'pre_quit_assessment',
  'quit_date',
  'week_1',
  'week_2',
  'week_3',
  'four_week_follow_up',
] as const;

/**
 * The service's sessions not yet recorded, due up to `to` (overdue ones included), for open episodes.
 * Standard sessions of an episode whose four-week outcome is recorded are left out: they can no longer
 * happen as planned, and the diary is for what is still to do.
 */
export async function diary(db: Executor, scope: ServiceScope, to: IsoDate) {
  return db
    .selectFrom('episode_sessions as s')
    .innerJoin('episodes as e', 'e.id', 's.episode_id')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .leftJoin('users as a', 'a.id', 'e.adviser_user_id')
    .select([
      's.id',
      's.kind',
      's.scheduled_on',
      's.episode_id',
      'e.quit_date',
      'e.mental_health',
      'p.given_name',
      'p.family_name',
      'p.phone',
      'a.name as adviser_name',
      'o.outcome',
    ])
    .where('e.service_organisation_id', '=', scope.organisationId)
    .where('e.closed_at', 'is', null)
    .where('s.attended', 'is', null)
    .where('s.scheduled_on', '<=', to)
    .where((eb) => eb.or([eb('o.episode_id', 'is', null), eb('s.kind', 'not in', [...STANDARD_KINDS])]))
    .orderBy('s.scheduled_on')
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .limit(1000)
    .execute();
}

/** Open episodes with no four-week outcome whose quit date is on or before `lastQuitDate`. */
export async function episodesPastFollowUpWindow(db: Executor, lastQuitDate: IsoDate) {
  // From the open episodes kept by migration 0052, not every episode in England; the rule is still
  // checked on each.
  return db
    .selectFrom('open_episodes as oe')
    .innerJoin('episodes as e', 'e.id', 'oe.episode_id')
    .select(['e.id', 'e.quit_date', 'e.referral_id', 'e.service_organisation_id'])
    .where('e.quit_date', 'is not', null)
    .where('e.quit_date', '<=', lastQuitDate)
    .where('e.closed_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('episode_outcomes as o').select('o.episode_id').whereRef('o.episode_id', '=', 'e.id'),
        ),
      ),
    )
    .orderBy('e.quit_date')
    .limit(5000)
    .execute();
}
