import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { JOB_RETRY } from '../../platform/job-queue.ts';
import { JOB_STATE_LABELS, JOB_STATES, jobStateLabel, summariseJobs } from './job-states.ts';
import { jobQueueInstalled, jobStateCounts, troubledJobs } from './jobs.repository.ts';

// The job queue as a national administrator sees it: how many of each job are queued, running, done,
// waiting to retry or failed, and the latest that had trouble. Jobs run across every organisation, so
// this is national work. Nothing about a person is shown: jobs carry none, and their output is not read.

const ADMIN = ['national_administrator'] as const;
const TROUBLED_SHOWN = 50;

export function registerJobsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/admin/jobs', { config: { access: ADMIN } }, async (_request, reply) => {
    const installed = await jobQueueInstalled(db);
    const summary = installed ? summariseJobs(await jobStateCounts(db)) : [];
    const troubled = installed ? await troubledJobs(db, TROUBLED_SHOWN) : [];
    return reply.page('jobs/views/jobs.njk', {
      title: 'Jobs',
      installed,
      states: JOB_STATES.map((s) => ({ key: s, label: JOB_STATE_LABELS[s] })),
      summary,
      troubled: troubled.map((j) => ({ ...j, stateLabel: jobStateLabel(j.state) })),
      troubledShown: TROUBLED_SHOWN,
      retryLimit: JOB_RETRY.retryLimit,
    });
  });
}
