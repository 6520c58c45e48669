import type { Database } from '../../db/database.ts';
import type { EpisodeRow } from './episode.repository.ts';

// What the episode page shows of this part of treatment. Being built out: see the episode work in progress.
export async function moodSection(_db: Database, _episode: EpisodeRow, ..._rest: unknown[]): Promise<Record<string, unknown>> {
  return {};
}
