import { sql, type Kysely } from 'kysely';

// Local indicators (issue 12): a commissioner's own indicator for their authority, a numerator over a
// denominator chosen from the counts Mortar holds (strategy/local-indicator-counts.ts, so a new count
// needs no migration), with a definition, an optional target and which way is better. An indicator is
// retired, never deleted, and every change is kept with who, when, before and after.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table local_indicators (
      id uuid primary key default gen_random_uuid(),
      local_authority_code text not null references local_authorities(code),
      name text not null check (length(name) between 1 and 120),
      definition text not null check (length(definition) between 1 and 1000),
      numerator text not null check (length(numerator) between 1 and 60),
      denominator text not null check (length(denominator) between 1 and 60),
      target numeric(5, 2) check (target between 0 and 100),
      better text not null check (better in ('higher', 'lower')),
      created_by uuid references users(id),
      created_at timestamptz not null,
      updated_by uuid references users(id),
      updated_at timestamptz not null,
      retired_by uuid references users(id),
      retired_at timestamptz,
      check (numerator <> denominator)
    );
    create index local_indicators_authority_idx on local_indicators (local_authority_code, created_at);

    create table local_indicator_changes (
      id bigint generated always as identity primary key,
      local_indicator_id uuid not null references local_indicators(id),
      actor_user_id uuid references users(id),
      occurred_at timestamptz not null,
      summary text not null check (length(summary) between 1 and 1000),
      before jsonb,
      after jsonb
    );
    create index local_indicator_changes_indicator_idx on local_indicator_changes (local_indicator_id, id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
