import { sql, type Kysely } from 'kysely';

// One row per referral with what the dashboards count it by, already resolved: the authority it went to,
// the day it arrived and the day of its first contact attempt (both in England's calendar), and where it
// came from (self, or the referring organisation's type). Finding each referral's first contact attempt
// among its events, for every referral in England over a year, was most of a dashboard's time
// (bench/README.md); here it is read from one narrow row.
//
// As episode_facts (migration 0011): derived from one view, referral_fact_source, never written by
// application code, and kept equal to the view by statement-level triggers on every table the view
// reads, in the same transaction, with the referral rows' lock taken first so two changes at once
// cannot leave stale facts. referral-facts.db.test.ts checks it after every kind of change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create view referral_fact_source as
    select
      r.id as referral_id,
      r.local_authority_code,
      r.service_organisation_id,
      r.referrer_organisation_id,
      (r.created_at at time zone 'Europe/London')::date as received_on,
      case when r.source = 'self' then 'self' else ro.type end as referral_kind,
      (select (min(ev.occurred_at) at time zone 'Europe/London')::date
         from referral_events ev where ev.referral_id = r.id and ev.kind = 'contact_attempt') as first_contact_on
    from referrals r
    left join organisations ro on ro.id = r.referrer_organisation_id;

    create table referral_facts (
      referral_id uuid primary key references referrals(id) on delete cascade,
      local_authority_code text not null,
      service_organisation_id uuid not null,
      referrer_organisation_id uuid,
      received_on date not null,
      referral_kind text,
      first_contact_on date
    );
    create index referral_facts_received_idx on referral_facts (received_on);
    create index referral_facts_la_received_idx on referral_facts (local_authority_code, received_on);
    create index referral_facts_referrer_idx on referral_facts (referrer_organisation_id) where referrer_organisation_id is not null;

    create function refresh_referral_facts(ids uuid[]) returns void language plpgsql as $fn$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      perform 1 from referrals where id = any(ids) order by id for no key update;
      with src as materialized (
        select * from referral_fact_source s where s.referral_id = any(ids)
      ), gone as (
        delete from referral_facts f
        where f.referral_id = any(ids) and not exists (select 1 from src where src.referral_id = f.referral_id)
      )
      insert into referral_facts select * from src
      on conflict (referral_id) do update set
          local_authority_code = excluded.local_authority_code,
          service_organisation_id = excluded.service_organisation_id,
          referrer_organisation_id = excluded.referrer_organisation_id,
          received_on = excluded.received_on,
          referral_kind = excluded.referral_kind,
          first_contact_on = excluded.first_contact_on
        where referral_facts is distinct from excluded;
    end
    $fn$;

    create function referral_facts_from_referrals() returns trigger language plpgsql as $fn$
    begin
      perform refresh_referral_facts(array(select id from changed_rows));
      return null;
    end
    $fn$;
    create trigger referral_facts_referrals_insert after insert on referrals
      referencing new table as changed_rows for each statement execute function referral_facts_from_referrals();
    create trigger referral_facts_referrals_update after update on referrals
      referencing new table as changed_rows for each statement execute function referral_facts_from_referrals();

    -- Only contact attempts decide the first contact; every other event (received, accepted…) is skipped.
    create function referral_facts_from_events() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform refresh_referral_facts(array(select distinct referral_id from new_rows where kind = 'contact_attempt'));
      elsif tg_op = 'DELETE' then
        perform refresh_referral_facts(array(select distinct referral_id from old_rows where kind = 'contact_attempt'));
      else
        perform refresh_referral_facts(array(
          select referral_id from new_rows where kind = 'contact_attempt'
          union select referral_id from old_rows where kind = 'contact_attempt'));
      end if;
      return null;
    end
    $fn$;
    create trigger referral_facts_events_insert after insert on referral_events
      referencing new table as new_rows for each statement execute function referral_facts_from_events();
    create trigger referral_facts_events_update after update on referral_events
      referencing old table as old_rows new table as new_rows for each statement execute function referral_facts_from_events();
    create trigger referral_facts_events_delete after delete on referral_events
      referencing old table as old_rows for each statement execute function referral_facts_from_events();

    -- A referring organisation's type is the source counted.
    create function referral_facts_from_organisations() returns trigger language plpgsql as $fn$
    begin
      perform refresh_referral_facts(array(
        select f.referral_id from referral_facts f
        join new_rows n on n.id = f.referrer_organisation_id
        join old_rows o on o.id = n.id
        where n.type is distinct from o.type));
      return null;
    end
    $fn$;
    create trigger referral_facts_organisations_update after update on organisations
      referencing old table as old_rows new table as new_rows for each statement execute function referral_facts_from_organisations();

    insert into referral_facts select * from referral_fact_source;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
