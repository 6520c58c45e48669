import { sql, type Kysely } from 'kysely';

// The national trajectory to the 1.5 million goal (issue 12): one milestone a financial year, set by the
// national team, and every change to one kept (who, when, from what to what) so the history can be shown.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table national_milestones (
      financial_year integer primary key check (financial_year between 2025 and 2034),
      target integer not null check (target between 0 and 10000000),
      updated_at timestamptz not null,
      updated_by uuid references users(id)
    );
    create table national_milestone_changes (
      id bigint generated always as identity primary key,
      financial_year integer not null check (financial_year between 2025 and 2034),
      before integer,
      after integer,
      actor_user_id uuid references users(id),
      occurred_at timestamptz not null,
      check (before is distinct from after)
    );
    create index national_milestone_changes_by_time on national_milestone_changes (occurred_at desc, id desc);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
