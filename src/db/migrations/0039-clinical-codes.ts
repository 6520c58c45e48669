import { sql, type Kysely } from 'kysely';

// Clinical codes for each step of someone's journey (issue 14): one log, written by the services when a
// step happens, rather than a column on each event table. Why a log: the steps live in six tables
// (advice records, referrals, assessments, plans, outcomes) and a step can give more than one code; the
// referrer's page, the FHIR API and letters read one place; and the term is kept as it was shown, so a
// later change to the code list does not rewrite what a GP was told to add. Which codes a step gives is
// decided only by platform/step-codes.ts codesForStep.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table clinical_codes (
      id uuid primary key default gen_random_uuid(),
      step text not null check (step in ('smoking_status_at_referral', 'vba_given', 'referral_made',
        'referral_declined', 'smoking_status_at_assessment', 'quit_date_set', 'four_week_outcome')),
      advice_record_id uuid references advice_records(id),
      referral_id uuid references referrals(id),
      episode_id uuid references episodes(id),
      code text not null check (code ~ '^[1-9][0-9]{5,17}$'),
      display text not null check (length(display) between 1 and 255),
      value_code text check (value_code ~ '^[1-9][0-9]{5,17}$'),
      value_display text check (length(value_display) between 1 and 255),
      value_date date,
      value_quantity integer check (value_quantity >= 0),
      value_unit text check (value_unit in ('ppm')),
      occurred_on date not null,
      -- The order of a step's codes (a status before its reading), as codesForStep gave them.
      position smallint not null check (position >= 0),
      created_at timestamptz not null default now(),
      check (num_nonnulls(advice_record_id, referral_id, episode_id) >= 1),
      check ((value_code is null) = (value_display is null)),
      check ((value_quantity is null) = (value_unit is null)),
      check (num_nonnulls(value_code, value_date, value_quantity) <= 1)
    );
    create index clinical_codes_referral on clinical_codes (referral_id) where referral_id is not null;
    create index clinical_codes_episode on clinical_codes (episode_id) where episode_id is not null;
    create index clinical_codes_advice on clinical_codes (advice_record_id) where advice_record_id is not null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
