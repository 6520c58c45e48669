// The SQL of messages to the person: their say in messages, what planning and composing read of the record
// (read afresh each time, never copied into the outbox), and the tasks their answers raise.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { MessageChannel, MessageTaskKind } from '../../db/schema.ts';
import { isUuid } from '../../platform/validation.ts';

export async function findPreferences(db: Executor, personId: string) {
  return db
    .selectFrom('message_preferences')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export type PreferencesRow = NonNullable<Awaited<ReturnType<typeof findPreferences>>>;

export async function savePreferences(
  db: Executor,
  v: {
    personId: string;
    consent: boolean;
    channel: MessageChannel | null;
    earliestHour: number;
    latestHour: number;
    userId: string;
    now: Date;
  },
) {
  // Consent given again (by the person, to their adviser) lifts an earlier stop; withdrawn, it keeps it.
  const values = {
    consent: v.consent,
    channel: v.channel,
    earliest_hour: v.earliestHour,
    latest_hour: v.latestHour,
    updated_by: v.userId,
    updated_at: v.now,
    ...(v.consent ? { stopped_at: null, stopped_how: null } : {}),
  };
  await db
    .insertInto('message_preferences')
    .values({ person_id: v.personId, ...values })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
    .execute();
}

/** Stops every message to the person; a stop already recorded keeps its first time and way. */
export async function stopPreferences(
  db: Executor,
  personId: string,
  how: 'reply' | 'link' | 'adviser',
  now: Date,
  userId: string | null,
) {
  await db
    .insertInto('message_preferences')
    .values({
      person_id: personId,
      consent: false,
      channel: null,
      stopped_at: now,
      stopped_how: how,
      updated_by: userId,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({
        stopped_at: sql<Date>`coalesce(message_preferences.stopped_at, excluded.stopped_at)`,
        stopped_how: sql<
          'reply' | 'link' | 'adviser'
        >`coalesce(message_preferences.stopped_how, excluded.stopped_how)`,
        updated_by: userId,
        updated_at: now,
      }),
    )
    .execute();
}

export async function personContacts(db: Executor, personId: string) {
  return db
    .selectFrom('people')
    .select(['id', 'phone', 'email'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

/** An episode as planning and composing read it: open or closed, its quit date, whether an outcome is in. */
export async function episodeFacts(db: Executor, episodeId: string) {
  return db
    .selectFrom('episodes as e')
    .innerJoin('organisations as o', 'o.id', 'e.service_organisation_id')
    .leftJoin('episode_outcomes as x', 'x.episode_id', 'e.id')
    .select([
      'e.id',
      'e.person_id',
      'e.quit_date',
      'e.closed_at',
      'x.outcome',
      'o.name as service_name',
      // The service's own number, else the one it publishes in the directory.
      (eb) =>
        eb.fn
          .coalesce(
            'o.phone',
            eb
              .selectFrom('directory_services as d')
              .select('d.phone')
              .whereRef('d.organisation_id', '=', 'o.id')
              .limit(1),
          )
          .as('service_phone'),
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst();
}

export type EpisodeFacts = NonNullable<Awaited<ReturnType<typeof episodeFacts>>>;

export async function openEpisodesOfPerson(db: Executor, personId: string) {
  return db
    .selectFrom('episodes')
    .select('id')
    .where('person_id', '=', personId)
    .where('closed_at', 'is', null)
    .execute();
}

/** An appointment with its episode and where it is, for its reminder. */
export async function appointmentFacts(db: Executor, appointmentId: string) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('episode_sessions as s', 's.id', 'a.session_id')
    .innerJoin('episodes as e', 'e.id', 's.episode_id')
    .leftJoin('sites as t', 't.id', 'a.site_id')
    .select([
      'a.id',
      'a.starts_at',
      'a.status',
      'a.mode',
      'e.id as episode_id',
      'e.person_id',
      'e.closed_at',
      't.name as site_name',
      't.address as site_address',
      't.postcode as site_postcode',
    ])
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
}

/** The episode's appointments still booked from `from` on. */
export async function bookedAppointmentsFrom(db: Executor, episodeId: string, from: Date) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('episode_sessions as s', 's.id', 'a.session_id')
    .select('a.id')
    .where('s.episode_id', '=', episodeId)
    .where('a.status', '=', 'booked')
    .where('a.starts_at', '>', from)
    .execute();
}

/**
 * People whose number ends in the same nine digits, across every service: a STOP reply comes from a number,
 * and the caller compares each as a whole once parsed, however it was typed.
 */
export async function peopleWithNumberEnding(db: Executor, lastNine: string) {
  return db
    .selectFrom('people')
    .select(['id', 'phone'])
    .where(sql<boolean>`regexp_replace(phone, '[^0-9]', '', 'g') like ${`%${lastNine}`}`)
    .execute();
}

/** The transaction's own time, as the database stamps the rows it writes. */
export async function transactionTime(db: Executor): Promise<Date> {
  const r = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(r.rows[0]!.now);
}

// --- Tasks ---------------------------------------------------------------------------------------------

export async function insertTask(
  db: Executor,
  v: { episodeId: string; messageId: string | null; kind: MessageTaskKind; now: Date },
) {
  const row = await db
    .insertInto('message_tasks')
    .values({ episode_id: v.episodeId, message_id: v.messageId, kind: v.kind, raised_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The service's open tasks with the person's name, for the caseload. */
export async function openTasksOfService(db: Executor, organisationId: string) {
  return db
    .selectFrom('message_tasks as k')
    .innerJoin('episodes as e', 'e.id', 'k.episode_id')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['k.id', 'k.kind', 'k.raised_at', 'k.episode_id', 'p.given_name', 'p.family_name'])
    .where('e.service_organisation_id', '=', organisationId)
    .where('k.done_at', 'is', null)
    .orderBy('k.raised_at')
    .limit(500)
    .execute();
}

export async function tasksOfEpisode(db: Executor, episodeId: string) {
  return db
    .selectFrom('message_tasks as k')
    .leftJoin('users as u', 'u.id', 'k.done_by')
    .select(['k.id', 'k.kind', 'k.raised_at', 'k.done_at', 'k.note', 'u.name as done_by_name'])
    .where('k.episode_id', '=', episodeId)
    .orderBy('k.raised_at')
    .execute();
}

export async function findTask(db: Executor, episodeId: string, taskId: string) {
  if (!isUuid(taskId)) return undefined;
  return db
    .selectFrom('message_tasks as k')
    .leftJoin('users as u', 'u.id', 'k.done_by')
    .select(['k.id', 'k.kind', 'k.raised_at', 'k.done_at', 'k.note', 'u.name as done_by_name'])
    .where('k.episode_id', '=', episodeId)
    .where('k.id', '=', taskId)
    .executeTakeFirst();
}

/** Marks the task done; false when someone else did a moment ago. */
export async function completeTask(db: Executor, taskId: string, userId: string, note: string, now: Date) {
  const r = await db
    .updateTable('message_tasks')
    .set({ done_at: now, done_by: userId, note })
    .where('id', '=', taskId)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The kind of a message's answer, if it has one. */
export async function answerOf(db: Executor, messageId: string) {
  return db
    .selectFrom('message_tasks')
    .select('kind')
    .where('message_id', '=', messageId)
    .where('kind', '<>', 'not_delivered')
    .executeTakeFirst();
}
