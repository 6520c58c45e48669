// What the administrators' jobs page calls each of pg-boss's job states, and the order it shows them in.

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_STATE_LABELS: Record<JobState, string> = {
  created: 'Queued',
  retry: 'Waiting to retry',
  active: 'Running',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function jobStateLabel(state: string): string {
  return (JOB_STATE_LABELS as Record<string, string>)[state] ?? state;
}

export type JobSummary = { name: string; counts: Record<JobState, number> };

/** One row per job with a count for every state (0 where it has none), jobs in name order. */
export function summariseJobs(rows: readonly { name: string; state: string; count: number }[]): JobSummary[] {
  const byName = new Map<string, JobSummary>();
  for (const r of rows) {
    let s = byName.get(r.name);
    if (!s) {
      s = {
        name: r.name,
        counts: Object.fromEntries(JOB_STATES.map((k) => [k, 0])) as Record<JobState, number>,
      };
      byName.set(r.name, s);
    }
    if ((JOB_STATES as readonly string[]).includes(r.state)) s.counts[r.state as JobState] += r.count;
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
