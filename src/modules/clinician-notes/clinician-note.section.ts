import type { Database } from '../../db/database.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { listClinicianNotes } from './clinician-note.service.ts';

// What the episode page shows of notes to the person's therapist or GP: whether they agreed to sharing,
// how many notes have been written, and where to write one.

export async function clinicianNotesSection(db: Database, episode: EpisodeRow) {
  const notes = await listClinicianNotes(db, episode.id);
  return {
    href: `/episodes/${episode.id}/clinician-note`,
    consent: episode.consent_share_with_clinician,
    notesCount: notes.length,
  };
}
