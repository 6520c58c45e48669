import type { Database } from '../../db/database.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { latestDeliveryLines } from '../letters/letter-delivery.service.ts';
import { listClinicianNotes } from './clinician-note.service.ts';

// What the episode page shows of notes to the person's therapist or GP: whether they agreed to sharing,
// how many notes have been written, and where to write one.

export async function clinicianNotesSection(db: Database, episode: EpisodeRow) {
  const [notes, letters] = await Promise.all([
    listClinicianNotes(db, episode.id),
    latestDeliveryLines(db, episode.id),
  ]);
  return {
    href: `/episodes/${episode.id}/clinician-note`,
    consent: episode.consent_share_with_clinician,
    notesCount: notes.length,
    // The latest note's sending by secure email, if it was sent.
    latestSent: notes.map((n) => letters.byNote[n.id]).find(Boolean) ?? null,
  };
}
