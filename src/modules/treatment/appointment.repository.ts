// Appointments, the service's sites, advisers and opening days, and the diary's list of booked sessions.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isUuid } from '../../platform/validation.ts';

export async function listForSession(db: Executor, sessionId: string) {
  return db
    .selectFrom('appointments as a')
    .leftJoin('sites as s', 's.id', 'a.site_id')
    .innerJoin('users as u', 'u.id', 'a.adviser_user_id')
    .selectAll('a')
    .select(['s.name as site_name', 'u.name as adviser_name'])
    .where('a.session_id', '=', sessionId)
    .orderBy('a.booked_at', 'desc')
    .execute();
}

export async function findBooked(db: Executor, sessionId: string) {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'booked')
    .forUpdate()
    .executeTakeFirst();
}

/** The days of the episode's other sessions: held, or booked and not ended. */
export async function otherSessionDays(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_sessions as s')
    .leftJoin('appointments as a', (j) => j.onRef('a.session_id', '=', 's.id').on('a.status', '=', 'booked'))
    .select(['s.id', 's.held_on', 'a.starts_at'])
    .where('s.episode_id', '=', episodeId)
    .where((eb) => eb.or([eb('s.held_on', 'is not', null), eb('a.id', 'is not', null)]))
    .execute();
}

export async function insertAppointment(
  db: Executor,
  v: {
    session_id: string;
    starts_at: Date;
    mode: 'face_to_face' | 'phone' | 'video';
    site_id: string | null;
    adviser_user_id: string;
    booked_by: string;
  },
) {
  const row = await db.insertInto('appointments').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function moveAppointment(
  db: Executor,
  id: string,
  v: {
    starts_at: Date;
    mode: 'face_to_face' | 'phone' | 'video';
    site_id: string | null;
    adviser_user_id: string;
  },
) {
  await db.updateTable('appointments').set(v).where('id', '=', id).execute();
}

export async function endAppointment(
  db: Executor,
  id: string,
  v:
    | { status: 'cancelled'; reason: string; ended_by: string }
    | { status: 'did_not_attend'; next_step: 'rebook' | 'contact' | 'close'; ended_by: string },
) {
  await db
    .updateTable('appointments')
    .set({ ...v, ended_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setSessionDay(db: Executor, sessionId: string, day: string) {
  await db.updateTable('episode_sessions').set({ scheduled_on: day }).where('id', '=', sessionId).execute();
}

export async function sitesOf(db: Executor, organisationId: string) {
  return db
    .selectFrom('sites')
    .select(['id', 'name', 'address', 'postcode'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export async function advisersOf(db: Executor, organisationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .where('role', 'in', ['adviser', 'service_manager'])
    .where('active', '=', true)
    .orderBy('name')
    .execute();
}

export async function openingDays(db: Executor, organisationId: string) {
  const row = await db
    .selectFrom('service_opening_days')
    .select('days')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.days;
}

export async function saveOpeningDays(db: Executor, organisationId: string, days: number[], userId: string) {
  await db
    .insertInto('service_opening_days')
    .values({ organisation_id: organisationId, days, updated_by: userId, updated_at: sql<Date>`now()` })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({ days, updated_by: userId, updated_at: sql<Date>`now()` }),
    )
    .execute();
}

/** Booked appointments of the service's open episodes between two instants, for the diary. */
export async function bookedBetween(
  db: Executor,
  organisationId: string,
  from: Date,
  to: Date,
  filter: { adviserId?: string; siteId?: string },
) {
  let q = db
    .selectFrom('appointments as a')
    .innerJoin('episode_sessions as s', 's.id', 'a.session_id')
    .innerJoin('episodes as e', 'e.id', 's.episode_id')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .innerJoin('users as u', 'u.id', 'a.adviser_user_id')
    .leftJoin('sites as t', 't.id', 'a.site_id')
    .select([
      'a.id',
      'a.starts_at',
      'a.mode',
      'a.site_id',
      't.name as site_name',
      'u.name as adviser_name',
      's.id as session_id',
      's.kind',
      'e.id as episode_id',
      'p.given_name',
      'p.family_name',
      'p.phone',
    ])
    .where('e.service_organisation_id', '=', organisationId)
    .where('a.status', '=', 'booked')
    .where('a.starts_at', '>=', from)
    .where('a.starts_at', '<', to);
  if (filter.adviserId && isUuid(filter.adviserId)) q = q.where('a.adviser_user_id', '=', filter.adviserId);
  if (filter.siteId && isUuid(filter.siteId)) q = q.where('a.site_id', '=', filter.siteId);
  return q.orderBy('a.starts_at').orderBy('p.family_name').limit(2000).execute();
}
