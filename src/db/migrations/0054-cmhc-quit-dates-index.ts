import { sql, type Kysely } from 'kysely';

// Issue 15, speed: the national dashboard and the national trajectory count England's quit dates by
// people with a common mental health condition since the goal began (1 April 2025), up to three times a
// view. That read every episode since then and kept a third: 1.3 s for two years at national scale
// (bench/README.md). This index holds only those episodes' quit dates, so the count comes from the index
// alone (16 ms for the same two years). Its condition must say what CMHC_CONDITIONS says
// (dashboards/indicator.repository.ts), or PostgreSQL cannot use it; cmhc-quit-dates.db.test.ts checks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index episode_facts_cmhc_quit_date_idx on episode_facts (quit_date)
      where mental_health in ('anxiety', 'both', 'depression');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
