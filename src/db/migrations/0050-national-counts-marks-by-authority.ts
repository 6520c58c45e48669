import { sql, type Kysely } from 'kysely';

// Issue 15, speed: a change anywhere in a quarter made the next national or commissioner's dashboard
// count all of England's quarter again (migration 0013), about 150 ms of SQL at national scale on every
// busy day's view. A mark now also says which authority the change touched (the facts row's authority,
// before and after), so the reader counts again only the authorities marked and keeps the rest
// (dashboards/national-counts.cache.ts). A mark with no authority (those written before this
// migration) still means the whole quarter.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table national_counts_stale add column local_authority_code text;

    create or replace function national_counts_mark_episodes() returns trigger language plpgsql as $fn$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into national_counts_stale (period_key, local_authority_code)
        select distinct financial_period_key(quit_date), local_authority_code from new_rows;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        insert into national_counts_stale (period_key, local_authority_code)
        select distinct financial_period_key(quit_date), local_authority_code from old_rows;
      end if;
      return null;
    end
    $fn$;

    create or replace function national_counts_mark_referrals() returns trigger language plpgsql as $fn$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into national_counts_stale (period_key, local_authority_code)
        select distinct financial_period_key(received_on), local_authority_code from new_rows;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        insert into national_counts_stale (period_key, local_authority_code)
        select distinct financial_period_key(received_on), local_authority_code from old_rows;
      end if;
      return null;
    end
    $fn$;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
