import { sql, type Kysely } from 'kysely';

// The figures a funding case needs (issue 12): what each service costs a year, as its commissioner
// records it (a contract value and tariffs per person supported and per four-week quit, any of them), and
// the national team's assumptions for extending integrated support to every Talking Therapies service,
// each change kept (who, when, from what to what). Money is in whole pence.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table service_costs (
      service_organisation_id uuid not null references organisations(id),
      financial_year integer not null check (financial_year between 2015 and 2045),
      contract_value_pence bigint check (contract_value_pence between 0 and 100000000000),
      per_person_pence integer check (per_person_pence between 0 and 100000000),
      per_quit_pence integer check (per_quit_pence between 0 and 100000000),
      updated_at timestamptz not null,
      updated_by uuid references users(id),
      primary key (service_organisation_id, financial_year),
      check (num_nonnulls(contract_value_pence, per_person_pence, per_quit_pence) > 0)
    );
    create table funding_assumptions (
      name text primary key,
      value numeric not null check (value >= 0),
      updated_at timestamptz not null,
      updated_by uuid references users(id)
    );
    create table funding_assumption_changes (
      id bigint generated always as identity primary key,
      name text not null,
      before numeric,
      after numeric,
      actor_user_id uuid references users(id),
      occurred_at timestamptz not null,
      check (before is distinct from after)
    );
    create index funding_assumption_changes_by_time on funding_assumption_changes (occurred_at desc, id desc);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
