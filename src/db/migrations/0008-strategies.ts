import { sql, type Kysely } from 'kysely';

// Local strategies (issue 6): an authority's aims for a period of financial quarters, a target for each
// indicator in each quarter, and the history of every change. Financial years are named by their first
// calendar year (2026 is April 2026 to March 2027), as in the returns. That one authority's strategies do
// not overlap is checked by the application under a lock on the authority's row: an exclusion constraint
// would need btree_gist, which the embedded database does not ship.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table strategies (
      id uuid primary key default gen_random_uuid(),
      local_authority_code text not null references local_authorities(code),
      title text not null check (length(title) between 1 and 200),
      aims text not null check (length(aims) between 1 and 5000),
      start_year integer not null check (start_year between 2000 and 2099),
      start_quarter integer not null check (start_quarter between 1 and 4),
      end_year integer not null check (end_year between 2000 and 2099),
      end_quarter integer not null check (end_quarter between 1 and 4),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      check (end_year * 4 + end_quarter >= start_year * 4 + start_quarter)
    );
    create index strategies_authority_idx on strategies (local_authority_code, start_year, start_quarter);

    -- Indicator codes live in the application (indicators.ts), so a new indicator needs no migration.
    create table strategy_targets (
      strategy_id uuid not null references strategies(id) on delete cascade,
      indicator_code text not null check (length(indicator_code) between 1 and 60),
      financial_year integer not null check (financial_year between 2000 and 2099),
      quarter integer not null check (quarter between 1 and 4),
      target numeric(14, 4) not null,
      primary key (strategy_id, indicator_code, financial_year, quarter)
    );
    create index strategy_targets_period_idx on strategy_targets (financial_year, quarter);

    create table strategy_changes (
      id bigint generated always as identity primary key,
      strategy_id uuid not null references strategies(id) on delete cascade,
      actor_user_id uuid references users(id),
      occurred_at timestamptz not null default now(),
      summary text not null check (length(summary) between 1 and 1000),
      before jsonb,
      after jsonb
    );
    create index strategy_changes_strategy_idx on strategy_changes (strategy_id, id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
