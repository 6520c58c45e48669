import { sql, type Kysely } from 'kysely';

// Publications of the quarterly returns (issue 10): the tables anyone may read without signing in. Only
// the figures as published are kept (disclosure-controlled as one whole, never the exact ones), so the
// public pages cannot show an exact figure by mistake. One publication per quarter: a second, made after
// another return came in, could be subtracted from the first to give that return's figures exactly.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table published_returns (
      id uuid primary key default gen_random_uuid(),
      financial_year integer not null check (financial_year between 2000 and 2100),
      quarter integer not null check (quarter between 1 and 4),
      returns integer not null check (returns > 0),
      data jsonb not null,
      published_by uuid references users(id),
      published_at timestamptz not null default now(),
      unique (financial_year, quarter)
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
