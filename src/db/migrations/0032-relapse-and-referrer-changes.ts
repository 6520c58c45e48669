import { sql, type Kysely } from 'kysely';

// Two parts of issue 13 ("Reach the person").
//
// Coming back after a relapse: a new quit attempt started from a finished one, linked to it
// so the history reads in order, with what led to smoking again and the plan to stay smokefree this
// time. The earlier episode is never changed; each finished attempt leads to at most one new one, so
// the same relapse sent twice cannot start two.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table episode_relapses (
      episode_id uuid primary key references episodes(id),
      previous_episode_id uuid not null unique references episodes(id),
      relapsed_on date not null,
      what_happened text not null check (length(what_happened) between 1 and 2000),
      prevention_plan text not null check (length(prevention_plan) between 1 and 2000),
      recorded_by uuid references users(id),
      recorded_at timestamptz not null,
      check (episode_id <> previous_episode_id)
    );

    -- A referrer may withdraw a referral, or correct the person's contact details, until the service
    -- accepts it (referral-status.ts): 'withdrawn' is a status, 'details_corrected' a note like a
    -- contact attempt.
    alter table referral_events drop constraint referral_events_kind_check;
    alter table referral_events add constraint referral_events_kind_check check (kind in (
      'received', 'contact_attempt', 'contacted', 'accepted', 'declined', 'unable_to_contact',
      'quit_date_set', 'outcome_recorded', 'closed', 'withdrawn', 'details_corrected'));
  `.execute(db);
}
