import { sql, type Kysely } from 'kysely';

// Every authority's dashboard counts for one quarter, kept once worked out (issue 6): the commissioner's
// dashboard compares the year to date with the region and England, which means counting every episode
// and referral in England for up to four quarters on each view. A quarter's counts are kept with the day
// they were counted "as of" (a person with no outcome becomes lost to follow-up as days pass), and are
// used again only while nothing in that quarter has changed.
//
// What changed is recorded by the database itself, not by application code: statement-level triggers on
// episode_facts and referral_facts (which are themselves kept current by triggers) add a mark for each
// quarter a change touched, before and after. A quarter with any mark is worked out again. The reader
// that does so deletes the marks it can see and counts, both in one REPEATABLE READ snapshot, so a change
// committed after that snapshot keeps its mark for the next reader (national-counts.cache.db.test.ts). Each
// change adds a row of its own rather than updating a shared one, so busy writers never queue on a lock.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table national_counts_cache (
      period_key integer primary key,
      as_of date not null,
      counts jsonb not null,
      computed_at timestamptz not null default now()
    );

    create table national_counts_stale (
      id bigint generated always as identity primary key,
      period_key integer not null
    );
    create index national_counts_stale_period_idx on national_counts_stale (period_key);

    -- The financial quarter of a date as financial year * 10 + quarter (20253 is 2025/26 Q3).
    create function financial_period_key(d date) returns integer language sql immutable as $fn$
      select (extract(year from d)::int - case when extract(month from d) <= 3 then 1 else 0 end) * 10
        + case when extract(month from d) <= 3 then 4 else (extract(month from d)::int - 4) / 3 + 1 end
    $fn$;

    create function national_counts_mark_episodes() returns trigger language plpgsql as $fn$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into national_counts_stale (period_key) select distinct financial_period_key(quit_date) from new_rows;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        insert into national_counts_stale (period_key) select distinct financial_period_key(quit_date) from old_rows;
      end if;
      return null;
    end
    $fn$;

    create function national_counts_mark_referrals() returns trigger language plpgsql as $fn$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into national_counts_stale (period_key) select distinct financial_period_key(received_on) from new_rows;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        insert into national_counts_stale (period_key) select distinct financial_period_key(received_on) from old_rows;
      end if;
      return null;
    end
    $fn$;
  `.execute(db);

  for (const [table, fn] of [
    ['episode_facts', 'national_counts_mark_episodes'],
    ['referral_facts', 'national_counts_mark_referrals'],
  ] as const) {
    const t = sql.raw(table);
    const f = sql.raw(fn);
    await sql`
      create trigger ${sql.raw(`national_counts_${table}_insert`)} after insert on ${t}
        referencing new table as new_rows for each statement execute function ${f}();
      create trigger ${sql.raw(`national_counts_${table}_update`)} after update on ${t}
        referencing old table as old_rows new table as new_rows for each statement execute function ${f}();
      create trigger ${sql.raw(`national_counts_${table}_delete`)} after delete on ${t}
        referencing old table as old_rows for each statement execute function ${f}();
    `.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
