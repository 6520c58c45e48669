import type { Database } from '../../db/database.ts';
import { jobQueueInstalled, jobStateCounts, type JobStateCount } from './jobs.repository.ts';

/** How many jobs of each name are in each state (none before the queue's schema is installed). */
export async function jobQueueCounts(db: Database): Promise<JobStateCount[]> {
  return (await jobQueueInstalled(db)) ? jobStateCounts(db) : [];
}
