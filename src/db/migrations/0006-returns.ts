import { sql, type Kysely } from 'kysely';

// The quarterly return (issue 5): the demographic items the national data set breaks every count by,
// recorded on the episode, and the return itself with every version and every step of its sign-off.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table episodes
      add column sex text check (sex in ('male', 'female', 'not_stated', 'not_known')),
      add column gender_same_as_birth text check (gender_same_as_birth in ('yes', 'no', 'not_stated', 'not_known')),
      add column ethnic_category text,
      add column pregnant text check (pregnant in ('yes', 'no', 'not_applicable', 'not_known')),
      add column free_prescriptions text check (free_prescriptions in ('yes', 'no', 'not_known')),
      add column ns_sec text,
      add column sexual_orientation text;

    create table returns (
      id uuid primary key default gen_random_uuid(),
      local_authority_code text not null references local_authorities(code),
      -- The financial year by its first calendar year: 2026 is April 2026 to March 2027.
      financial_year integer not null check (financial_year between 2000 and 2100),
      quarter integer not null check (quarter between 1 and 4),
      status text not null default 'draft' check (status in ('draft', 'signed_off', 'approved', 'submitted')),
      source text not null default 'mortar' check (source in ('mortar', 'import')),
      current_version integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (local_authority_code, financial_year, quarter)
    );
    create index returns_period_idx on returns (financial_year, quarter);

    -- Every generated or imported version is kept whole, so versions can be compared and any published
    -- figure traced back.
    create table return_versions (
      id uuid primary key default gen_random_uuid(),
      return_id uuid not null references returns(id),
      version integer not null,
      provisional boolean not null,
      data jsonb not null,
      validation jsonb not null default '[]',
      exception_reasons jsonb not null default '{}',
      generated_by uuid references users(id),
      generated_at timestamptz not null default now(),
      unique (return_id, version)
    );

    create table return_events (
      id bigint generated always as identity primary key,
      return_id uuid not null references returns(id),
      kind text not null check (kind in ('generated', 'imported', 'signed_off', 'approved', 'submitted', 'rejected', 'reopened')),
      version integer,
      message text,
      actor_user_id uuid references users(id),
      occurred_at timestamptz not null default now()
    );
    create index return_events_return_idx on return_events (return_id, id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
