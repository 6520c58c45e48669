import { sql, type Kysely } from 'kysely';

// Issue 15, speed: what the triggers cost each referral made through the API (bench/README.md, Profile of
// one referral). Same results, found more cheaply; audit.routes.db.test.ts and referral-facts.db.test.ts
// still compare both tables with the views they are derived from.
//
// 1. audit_reach_of (migration 0016) looked up the holders of every new audit row in audit_subjects
//    through a lateral join on the transition table. The planner cannot push a condition on an outer row
//    into the view's union branches that have a WHERE or a join, so the second referral branch scanned
//    every referral and the episode branches every session, medicine, mood measure, safety task, alert
//    and note: 14 ms of each referral's 18 ms in the database with a few thousand referrals, and growing
//    with the tables. Asked once per audit row with the type and id as parameters, the same view is
//    index look-ups behind one-time filters (only the branch of that type runs). The generic plan is
//    forced: PostgreSQL would otherwise plan the twelve branches afresh on every call (a custom plan
//    looks cheaper, as it drops the branches of other types), which cost 7 ms of planning a referral.
//
// 2. A new referral's facts (migration 0012) went through refresh_referral_facts: a row lock no one else
//    can contend for (the row is not yet committed) and an upsert, whose UPDATE half fired the national
//    counts marks a second time. A new referral's row is now inserted straight from referral_fact_source;
//    if a contact attempt written by the same statement refreshed it first, that row stands (it came
//    from the same view, after the referral existed). Updates still go through refresh_referral_facts.
//    The statement takes the ids as a parameter, in a function of its own, so its plan is made once per
//    connection: written against the transition table, it was planned again on every statement.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_reach_of() returns trigger language plpgsql
    set plan_cache_mode = force_generic_plan as $fn$
    declare
      n record;
    begin
      for n in select * from new_rows loop
        insert into audit_reach (organisation_id, audit_event_id, at, action, actor_user_id, actor_api_key_id, holds, acted)
        select org, n.id, n.at, n.action, n.actor_user_id, n.actor_api_key_id, bool_or(holds), bool_or(acted)
        from (
          select h.organisation_id as org, true as holds, false as acted from audit_subjects h
          where h.entity_type = n.entity_type and h.entity_id = audit_entity_uuid(n.entity_id)
          union all
          select n.organisation_id, false, true where n.organisation_id is not null
        ) x
        group by org;
      end loop;
      return null;
    end
    $fn$;

    drop trigger referral_facts_referrals_insert on referrals;
    create function insert_referral_facts(ids uuid[]) returns void language plpgsql
    set plan_cache_mode = force_generic_plan as $fn$
    begin
      insert into referral_facts
      select s.* from referral_fact_source s where s.referral_id = any(ids)
      on conflict (referral_id) do nothing;
    end
    $fn$;
    create function referral_facts_from_new_referrals() returns trigger language plpgsql as $fn$
    begin
      perform insert_referral_facts(array(select id from changed_rows));
      return null;
    end
    $fn$;
    create trigger referral_facts_referrals_insert after insert on referrals
      referencing new table as changed_rows for each statement execute function referral_facts_from_new_referrals();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
