import { sql, type Kysely } from 'kysely';

// The parameters of the need estimate (docs/domain.md, Estimate of need), one row per scope: the national row
// (local_authority_code null) holds the share of adults with a common mental health condition and the
// relative rate, set by a national analyst (no row: Mortar's defaults); a row for an authority holds the
// local estimate its commissioner entered, with its source, which replaces the computed figure there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table need_parameters (
      id uuid primary key default gen_random_uuid(),
      local_authority_code text references local_authorities(code),
      cmhc_share double precision check (cmhc_share between 0.05 and 0.5),
      relative_rate double precision check (relative_rate between 1 and 3),
      local_estimate integer check (local_estimate between 0 and 10000000),
      local_source text check (length(local_source) between 1 and 500),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id),
      check (
        (local_authority_code is null and cmhc_share is not null and relative_rate is not null
          and local_estimate is null and local_source is null)
        or (local_authority_code is not null and cmhc_share is null and relative_rate is null
          and local_estimate is not null and local_source is not null)
      )
    );
    create unique index need_parameters_one_per_scope on need_parameters ((coalesce(local_authority_code, 'national')));
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
