import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

// Reads pg-boss's own table (schema `pgboss`, platform/job-queue.ts). Only what a job is and how it
// went: never its data or output, which could one day carry something about a person.

export type JobStateCount = { name: string; state: string; count: number };

export type JobRow = {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  start_after: Date;
};

/** False until the queue's schema is installed (a database Mortar has not started on yet). */
export async function jobQueueInstalled(db: Database): Promise<boolean> {
  const { rows } = await sql<{ installed: boolean }>`
    select to_regclass('pgboss.job') is not null as installed`.execute(db);
  return rows[0]?.installed ?? false;
}

export async function jobStateCounts(db: Database): Promise<JobStateCount[]> {
  const { rows } = await sql<JobStateCount>`
    select name, state::text as state, count(*)::int as count
    from pgboss.job group by name, state order by name, state`.execute(db);
  return rows;
}

/** The latest jobs that failed, are waiting to retry or were retried, newest first. */
export async function troubledJobs(db: Database, limit: number): Promise<JobRow[]> {
  const { rows } = await sql<JobRow>`
    select id::text as id, name, state::text as state, retry_count, created_on, started_on, completed_on,
      start_after
    from pgboss.job
    where state in ('failed', 'retry') or retry_count > 0
    order by created_on desc, id
    limit ${limit}`.execute(db);
  return rows;
}
