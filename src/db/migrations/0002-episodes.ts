import { sql, type Kysely } from 'kysely';

// Treatment episodes (issue 3). Merged migrations never change: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A person as a stop smoking service knows them. Owned by the service; one person, many episodes.
    create table people (
      id uuid primary key default gen_random_uuid(),
      service_organisation_id uuid not null references organisations(id),
      local_authority_code text references local_authorities(code),
      given_name text not null,
      family_name text not null,
      date_of_birth date not null,
      postcode text not null,
      phone text,
      email text,
      nhs_number text,
      created_at timestamptz not null default now()
    );
    create index people_service_idx on people (service_organisation_id, family_name);
    create index people_nhs_idx on people (service_organisation_id, nhs_number) where nhs_number is not null;

    alter table referrals add column person_id uuid references people(id);

    create table episodes (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      service_organisation_id uuid not null references organisations(id),
      local_authority_code text references local_authorities(code),
      referral_id uuid references referrals(id),
      adviser_user_id uuid references users(id),
      started_on date not null default current_date,
      quit_date date,
      intervention_type text,
      setting text,
      mental_health text not null default 'not_known'
        check (mental_health in ('depression', 'anxiety', 'both', 'other', 'none', 'not_known')),
      mental_health_basis text not null default 'not_known'
        check (mental_health_basis in ('diagnosed', 'self_reported', 'not_known')),
      in_talking_therapies text not null default 'not_known' check (in_talking_therapies in ('yes', 'no', 'not_known')),
      consent_share_with_clinician boolean not null default false,
      clinician_name text,
      clinician_organisation text,
      clinician_contact text,
      closed_at timestamptz,
      closed_reason text,
      created_at timestamptz not null default now()
    );
    create index episodes_service_idx on episodes (service_organisation_id, quit_date);
    create index episodes_person_idx on episodes (person_id, started_on);
    create index episodes_referral_idx on episodes (referral_id);
    create index episodes_la_quit_idx on episodes (local_authority_code, quit_date);

    create table episode_assessments (
      episode_id uuid primary key references episodes(id),
      assessed_on date not null,
      cigarettes_per_day integer check (cigarettes_per_day between 0 and 200),
      time_to_first_cigarette text,
      heaviness_index integer check (heaviness_index between 0 and 6),
      past_quit_attempts integer check (past_quit_attempts between 0 and 200),
      what_helped text,
      co_ppm integer check (co_ppm between 0 and 100),
      vaping_status text,
      beliefs text,
      goals text,
      preferences text,
      recorded_by uuid references users(id),
      recorded_at timestamptz not null default now()
    );

    -- The list an administrator maintains, seeded from the default list in the code.
    create table affected_medicines (
      code text primary key,
      name text not null,
      also_known_as text[] not null default '{}',
      concern text not null check (concern in ('significant', 'review')),
      advice text not null,
      advice_on_relapse text not null,
      source text not null,
      reviewed_on date,
      active boolean not null default true,
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id)
    );

    create table episode_medicines (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      name text not null,
      medicine_code text references affected_medicines(code),
      prescriber_kind text not null default 'gp' check (prescriber_kind in ('gp', 'psychiatrist', 'other')),
      prescriber_name text,
      stopped_at timestamptz,
      recorded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index episode_medicines_episode_idx on episode_medicines (episode_id);

    create table episode_sessions (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      kind text not null check (kind in (
        'pre_quit_assessment', 'quit_date', 'week_1', 'week_2', 'week_3', 'four_week_follow_up',
        'extra', 'twelve_week_follow_up', 'fifty_two_week_follow_up')),
      scheduled_on date not null,
      mode text check (mode in ('in_person', 'telephone', 'video', 'group')),
      attended boolean,
      held_on date,
      co_ppm integer check (co_ppm between 0 and 100),
      smoked_since_last boolean,
      smoked_days_15_to_28 boolean,
      cravings integer check (cravings between 0 and 5),
      withdrawal text,
      notes text,
      recorded_by uuid references users(id),
      recorded_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index episode_sessions_episode_idx on episode_sessions (episode_id, scheduled_on);
    create index episode_sessions_diary_idx on episode_sessions (scheduled_on) where attended is null;

    create table episode_aids (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      aid text not null,
      supplied_on date not null,
      supply text,
      session_id uuid references episode_sessions(id),
      recorded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index episode_aids_episode_idx on episode_aids (episode_id, supplied_on);

    create table mood_measures (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      session_id uuid references episode_sessions(id),
      instrument text not null check (instrument in ('phq9', 'gad7')),
      items smallint[] not null,
      total smallint not null,
      taken_on date not null,
      recorded_by uuid references users(id),
      recorded_at timestamptz not null default now()
    );
    create index mood_measures_episode_idx on mood_measures (episode_id, taken_on);

    create table safety_tasks (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      mood_measure_id uuid references mood_measures(id),
      raised_at timestamptz not null default now(),
      raised_by uuid references users(id),
      completed_at timestamptz,
      completed_by uuid references users(id),
      action_taken text
    );
    create index safety_tasks_open_idx on safety_tasks (episode_id) where completed_at is null;

    create table medicine_alerts (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      episode_medicine_id uuid references episode_medicines(id),
      medicine_code text not null,
      trigger text not null check (trigger in ('quit_date_set', 'switched_to_nrt_or_vape', 'relapse')),
      direction text not null check (direction in ('levels_may_rise', 'levels_may_fall')),
      raised_at timestamptz not null default now(),
      acknowledged_at timestamptz,
      acknowledged_by uuid references users(id),
      letter_produced_at timestamptz
    );
    create index medicine_alerts_episode_idx on medicine_alerts (episode_id);

    -- The national four-week outcome, as decided by the pure rule, and who or what recorded it.
    create table episode_outcomes (
      episode_id uuid primary key references episodes(id),
      outcome text not null check (outcome in ('quit_co_verified', 'quit_self_reported', 'not_quit', 'lost_to_follow_up')),
      follow_up_on date,
      smoked_days_15_to_28 boolean,
      co_ppm integer check (co_ppm between 0 and 100),
      reason text not null,
      session_id uuid references episode_sessions(id),
      recorded_by uuid references users(id),
      recorded_at timestamptz not null default now()
    );

    -- 12 and 52 weeks: local good practice, not used by the national rule.
    create table episode_local_outcomes (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      weeks integer not null check (weeks in (12, 52)),
      contact_on date not null,
      abstinent boolean not null,
      co_ppm integer check (co_ppm between 0 and 100),
      recorded_by uuid references users(id),
      recorded_at timestamptz not null default now(),
      unique (episode_id, weeks)
    );

    create table clinician_notes (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      recipient text not null,
      body text not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );

    create table job_runs (
      id bigint generated always as identity primary key,
      job text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      affected integer,
      error text
    );
    create index job_runs_job_idx on job_runs (job, started_at desc);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
