// Mood measures and safety tasks. Every function takes an episode id the caller has already found within
// its service's scope (findEpisode), or a scope itself; none of them widens what a caller can see.
import type { ServiceScope } from '../../platform/scope.ts';
import type { Executor } from '../../db/database.ts';
import type { Instrument } from './mood.schemas.ts';

/** Every PHQ-9 and GAD-7 of an episode, oldest first (the first of each is the baseline). */
export async function measuresOfEpisode(db: Executor, episodeId: string) {
  return db
    .selectFrom('mood_measures as m')
    .leftJoin('episode_sessions as s', 's.id', 'm.session_id')
    .leftJoin('users as u', 'u.id', 'm.recorded_by')
    .select([
      'm.id',
      'm.instrument',
      'm.items',
      'm.total',
      'm.taken_on',
      'm.session_id',
      'm.recorded_at',
      's.kind as session_kind',
      'u.name as recorded_by_name',
    ])
    .where('m.episode_id', '=', episodeId)
    .orderBy('m.taken_on')
    .orderBy('m.recorded_at')
    .orderBy('m.id')
    .execute();
}
export type MeasureRow = Awaited<ReturnType<typeof measuresOfEpisode>>[number];

export async function insertMeasure(
  db: Executor,
  v: {
    episodeId: string;
    instrument: Instrument;
    items: number[];
    total: number;
    takenOn: string;
    sessionId: string | null;
    userId: string;
  },
) {
  return db
    .insertInto('mood_measures')
    .values({
      episode_id: v.episodeId,
      instrument: v.instrument,
      items: v.items,
      total: v.total,
      taken_on: v.takenOn,
      session_id: v.sessionId,
      recorded_by: v.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The episode's sessions a measure may be linked to. */
export async function sessionsOfEpisode(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_sessions')
    .select(['id', 'kind', 'scheduled_on', 'held_on'])
    .where('episode_id', '=', episodeId)
    .orderBy('scheduled_on')
    .orderBy('created_at')
    .execute();
}

const taskColumns = [
  't.id',
  't.episode_id',
  't.mood_measure_id',
  't.raised_at',
  't.completed_at',
  't.action_taken',
  'r.name as raised_by_name',
  'c.name as completed_by_name',
  'm.total as measure_total',
  'm.taken_on as measure_taken_on',
  'm.items as measure_items',
] as const;

/** Every safety task of an episode, open ones first, then the newest. */
export async function safetyTasksOfEpisode(db: Executor, episodeId: string) {
  return db
    .selectFrom('safety_tasks as t')
    .leftJoin('users as r', 'r.id', 't.raised_by')
    .leftJoin('users as c', 'c.id', 't.completed_by')
    .leftJoin('mood_measures as m', 'm.id', 't.mood_measure_id')
    .select(taskColumns)
    .where('t.episode_id', '=', episodeId)
    .orderBy((eb) => eb.case().when('t.completed_at', 'is', null).then(0).else(1).end())
    .orderBy('t.raised_at', 'desc')
    .execute();
}
export type SafetyTaskRow = Awaited<ReturnType<typeof safetyTasksOfEpisode>>[number];

/** One safety task, only when it is on this episode and the episode is the scope's. */
export async function findSafetyTask(
  db: Executor,
  scope: ServiceScope,
  episodeId: string,
  taskId: string,
  opts: { forUpdate?: boolean } = {},
) {
  let q = db
    .selectFrom('safety_tasks as t')
    .innerJoin('episodes as e', 'e.id', 't.episode_id')
    .leftJoin('users as r', 'r.id', 't.raised_by')
    .leftJoin('users as c', 'c.id', 't.completed_by')
    .leftJoin('mood_measures as m', 'm.id', 't.mood_measure_id')
    .select(taskColumns)
    .where('t.id', '=', taskId)
    .where('t.episode_id', '=', episodeId)
    .where('e.service_organisation_id', '=', scope.organisationId);
  if (opts.forUpdate) q = q.forUpdate('t');
  return q.executeTakeFirst();
}

/**
 * An open task raised from a questionnaire that could not be saved (item 9 answered, another answer
 * missing): the saved questionnaire takes it over rather than raising a second task for the same answer.
 */
export async function openUnlinkedSafetyTask(db: Executor, episodeId: string) {
  return db
    .selectFrom('safety_tasks')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('completed_at', 'is', null)
    .where('mood_measure_id', 'is', null)
    .orderBy('raised_at')
    .executeTakeFirst();
}

export async function insertSafetyTask(
  db: Executor,
  v: { episodeId: string; moodMeasureId: string | null; userId: string },
) {
  return db
    .insertInto('safety_tasks')
    .values({ episode_id: v.episodeId, mood_measure_id: v.moodMeasureId, raised_by: v.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function linkSafetyTask(db: Executor, taskId: string, moodMeasureId: string) {
  await db
    .updateTable('safety_tasks')
    .set({ mood_measure_id: moodMeasureId })
    .where('id', '=', taskId)
    .execute();
}

/** Completes a task that is still open; undefined when someone else completed it first. */
export async function completeSafetyTask(
  db: Executor,
  taskId: string,
  v: { userId: string; actionTaken: string },
) {
  return db
    .updateTable('safety_tasks')
    .set({ completed_at: new Date(), completed_by: v.userId, action_taken: v.actionTaken })
    .where('id', '=', taskId)
    .where('completed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Open safety tasks across a service, oldest first, with whose they are. */
export async function openSafetyTasksOfService(db: Executor, organisationId: string) {
  return db
    .selectFrom('safety_tasks as t')
    .innerJoin('episodes as e', 'e.id', 't.episode_id')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('users as r', 'r.id', 't.raised_by')
    .leftJoin('users as a', 'a.id', 'e.adviser_user_id')
    .select([
      't.id',
      't.episode_id',
      't.raised_at',
      'p.given_name',
      'p.family_name',
      'r.name as raised_by_name',
      'a.name as adviser_name',
    ])
    .where('e.service_organisation_id', '=', organisationId)
    .where('t.completed_at', 'is', null)
    .orderBy('t.raised_at')
    .limit(500)
    .execute();
}
