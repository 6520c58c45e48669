import type { Executor } from '../../db/database.ts';
import { isUuid } from '../../platform/validation.ts';

// Queries for notes to the person's clinician and the facts a note reports. Callers have already checked
// the episode is in scope (findEpisode); every query below is also pinned to its episode.

export async function listClinicianNotes(db: Executor, episodeId: string) {
  return db
    .selectFrom('clinician_notes as n')
    .leftJoin('users as u', 'u.id', 'n.created_by')
    .selectAll('n')
    .select('u.name as created_by_name')
    .where('n.episode_id', '=', episodeId)
    .orderBy('n.created_at', 'desc')
    .execute();
}

export async function findClinicianNote(db: Executor, episodeId: string, noteId: string) {
  if (!isUuid(noteId)) return undefined;
  return (await listClinicianNotes(db, episodeId)).find((n) => n.id === noteId);
}

export async function insertClinicianNote(
  db: Executor,
  episodeId: string,
  recipient: string,
  body: string,
  userId: string,
): Promise<string> {
  const r = await db
    .insertInto('clinician_notes')
    .values({ episode_id: episodeId, recipient, body, created_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Records whether the person agrees to us sharing their progress, and with which clinician. */
export async function setClinicianConsent(
  db: Executor,
  episodeId: string,
  serviceOrganisationId: string,
  v: { consent: boolean; name: string | null; organisation: string | null; contact: string | null },
): Promise<void> {
  await db
    .updateTable('episodes')
    .set({
      consent_share_with_clinician: v.consent,
      clinician_name: v.name,
      clinician_organisation: v.organisation,
      clinician_contact: v.contact,
    })
    .where('id', '=', episodeId)
    .where('service_organisation_id', '=', serviceOrganisationId)
    .execute();
}

/** Sessions whose attendance is recorded, for the note's count of sessions attended and missed. */
export async function recordedAttendance(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_sessions')
    .select(['attended'])
    .where('episode_id', '=', episodeId)
    .where('attended', 'is not', null)
    .execute();
}

/** Mood measures, oldest first, for the note's first and latest scores. */
export async function moodMeasuresInOrder(db: Executor, episodeId: string) {
  return db
    .selectFrom('mood_measures')
    .select(['instrument', 'total', 'taken_on'])
    .where('episode_id', '=', episodeId)
    .orderBy('taken_on')
    .orderBy('recorded_at')
    .execute();
}
