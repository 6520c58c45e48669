import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { londonDate } from '../../platform/clock.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { alertsRaisedOn, serviceLetterhead } from '../medicines/medicines.service.ts';
import type { MoodScores } from '../mood/mood.ts';
import { clinicianNote, clinicianRecipient, type ClinicianNoteInput } from './clinician-note.ts';
import type { ClinicianConsentInput } from './clinician-note.schemas.ts';
import * as repo from './clinician-note.repository.ts';

// Loading what a note to the person's clinician says, saving a note, and recording their consent. The
// pure wording is in clinician-note.ts; callers have found the episode in the user's scope first.

/** What the note to the person's clinician says, loaded for one episode. */
export async function clinicianNoteInput(
  db: Executor,
  episode: EpisodeRow,
  user: StaffUser,
  today: string,
): Promise<ClinicianNoteInput> {
  const [service, sessions, measures, alerts] = await Promise.all([
    serviceLetterhead(db, episode.service_organisation_id),
    repo.recordedAttendance(db, episode.id),
    repo.moodMeasuresInOrder(db, episode.id),
    alertsRaisedOn(db, episode.id),
  ]);
  const firstAndLatest = (instrument: 'phq9' | 'gad7') => {
    const of = measures.filter((m) => m.instrument === instrument);
    return { first: of[0], latest: of.length > 1 ? of[of.length - 1] : undefined };
  };
  const phq9 = firstAndLatest('phq9');
  const gad7 = firstAndLatest('gad7');
  const baseline: MoodScores = { phq9: phq9.first?.total ?? null, gad7: gad7.first?.total ?? null };
  const latest: MoodScores = { phq9: phq9.latest?.total ?? null, gad7: gad7.latest?.total ?? null };
  const dates = (xs: (string | undefined)[]) => xs.filter((d): d is string => d !== undefined).sort();
  return {
    person: {
      name: `${episode.given_name} ${episode.family_name}`,
      dateOfBirth: episode.date_of_birth,
      nhsNumber: episode.nhs_number,
    },
    clinician: { name: episode.clinician_name ?? '', organisation: episode.clinician_organisation },
    service,
    adviser: { name: user.name },
    quitDate: episode.quit_date,
    sessions: {
      attended: sessions.filter((s) => s.attended).length,
      missed: sessions.filter((s) => s.attended === false).length,
    },
    fourWeekOutcome: (episode.four_week_outcome as FourWeekOutcome | null) ?? null,
    mood: measures.length
      ? {
          baseline,
          latest,
          baselineOn: dates([phq9.first?.taken_on, gad7.first?.taken_on])[0] ?? null,
          latestOn: dates([phq9.latest?.taken_on, gad7.latest?.taken_on]).at(-1) ?? null,
        }
      : null,
    medicineAlerts: alerts.map((a) => ({
      name: a.name,
      event: a.trigger,
      direction: a.direction,
      raisedOn: londonDate(a.raisedAt),
      acknowledged: a.acknowledged,
      letterProducedOn: a.letterProducedAt ? londonDate(a.letterProducedAt) : null,
    })),
    today,
  };
}

/** Writes the note as it reads today and saves it, with its audit row; returns the note's id and recipient. */
export async function saveClinicianNote(
  db: Database,
  user: StaffUser,
  episode: EpisodeRow,
  today: string,
  requestId: string,
): Promise<{ id: string; recipient: string }> {
  const input = await clinicianNoteInput(db, episode, user, today);
  const recipient = clinicianRecipient(input.clinician);
  const id = await db.transaction().execute(async (trx) => {
    const id = await repo.insertClinicianNote(trx, episode.id, recipient, clinicianNote(input), user.id);
    await audit(trx, user, { action: 'create', entityType: 'clinician_note', entityId: id }, requestId);
    return id;
  });
  return { id, recipient };
}

/** Records whether the person agrees to us sharing their progress and who their clinician is. */
export async function recordClinicianConsent(
  db: Database,
  user: StaffUser,
  episode: EpisodeRow,
  c: ClinicianConsentInput,
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.setClinicianConsent(trx, episode.id, serviceScope(user).organisationId, {
      consent: c.consent === 'yes',
      name: c.clinicianName ?? null,
      organisation: c.clinicianOrganisation ?? null,
      contact: c.clinicianContact ?? null,
    });
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'episode',
        entityId: episode.id,
        detail: `consent to share with clinician: ${c.consent}`,
      },
      requestId,
    );
  });
}

export const listClinicianNotes = (db: Executor, episodeId: string) => repo.listClinicianNotes(db, episodeId);
export const findClinicianNote = (db: Executor, episodeId: string, noteId: string) =>
  repo.findClinicianNote(db, episodeId, noteId);
