import { sql, type Kysely } from 'kysely';

// Issue 10, clinical and statistical safety. One migration for the branch, so it carries four changes:
//
// 1. Asking about smoking is recorded on its own. An advice record whose person does not smoke (or did
//    not want to say) was asked and nothing more: outcome 'asked_only', no advice given. Before this,
//    a referrer could only record someone who was asked by also ticking "I gave this advice" and
//    answering whether they wanted a referral.
//
// 2. A self-reported quit with a CO reading of 10 ppm or more is not quit (the national monitoring rule,
//    docs/clinical-safety.md H82). The four-week outcome is stored when it is recorded, so the rule in
//    four-week-outcome.ts decides new outcomes; outcomes recorded under the old rule are changed here,
//    each with an audit row, and the facts the return counts follow by their triggers.
//
// 3. One rule for which authority a referral or an episode counts for (docs/domain.md, Which quarter and
//    which authority): the authority that commissioned the service on the day (the quit date; the day a
//    referral was received), the one it was recorded against first when several did, then by code; the
//    one recorded against when none did. It is the function counting_authority, used by both fact views
//    (so the return, the service dashboard and the commissioner's dashboard count by it); referrals used
//    to count for the person's own authority whatever service received them. counting-authority.ts is the
//    same rule in TypeScript, and counting-authority.db.test.ts checks the two agree.
//
// 4. A return version keeps what it counted: each episode and referral behind its figures, with the
//    categories and outcome it was counted under, so every figure a manager signs off can list exactly
//    the episodes it counts, however the records change afterwards (return-members.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await reclassifyHighCoQuits(db);
  await sql`
    alter table advice_records drop constraint advice_records_outcome_check;
    alter table advice_records add constraint advice_records_outcome_check
      check (outcome in ('referred', 'declined', 'asked_only'));
    -- Someone only asked was given no advice.
    alter table advice_records add constraint advice_records_asked_only_check
      check (outcome <> 'asked_only' or not advice_given);

    create function counting_authority(service uuid, recorded text, on_day date) returns text
    language sql stable as $fn$
      select coalesce((
        select c.local_authority_code from commissions c
        where c.service_organisation_id = service
          and c.starts_on <= on_day and (c.ends_on is null or c.ends_on >= on_day)
        order by case when c.local_authority_code is not distinct from recorded then 0 else 1 end,
          c.local_authority_code, c.id
        limit 1), recorded)
    $fn$;

    create or replace view episode_fact_source as
    select
      e.id as episode_id,
      counting_authority(e.service_organisation_id, e.local_authority_code, e.quit_date) as local_authority_code,
      e.service_organisation_id,
      e.adviser_user_id,
      e.referral_id,
      r.referrer_organisation_id,
      e.quit_date,
      o.outcome,
      case when p.date_of_birth > e.quit_date then null else
        extract(year from e.quit_date)::int - extract(year from p.date_of_birth)::int
        - case when (extract(month from e.quit_date), extract(day from e.quit_date))
                  < (extract(month from p.date_of_birth), extract(day from p.date_of_birth)) then 1 else 0 end
      end as age,
      e.sex,
      e.gender_same_as_birth,
      e.ethnic_category,
      e.pregnant,
      e.free_prescriptions,
      e.ns_sec,
      e.sexual_orientation,
      e.intervention_type,
      e.setting,
      coalesce((select array_agg(distinct a.aid order by a.aid) from episode_aids a where a.episode_id = e.id), '{}') as aids,
      e.mental_health,
      e.in_talking_therapies,
      case when r.id is null then null when r.source = 'self' then 'self' else ro.type end as referral_kind,
      (r.created_at at time zone 'Europe/London')::date as referral_received_on
    from episodes e
    join people p on p.id = e.person_id
    left join episode_outcomes o on o.episode_id = e.id
    left join referrals r on r.id = e.referral_id
    left join organisations ro on ro.id = r.referrer_organisation_id
    where e.quit_date is not null
      and counting_authority(e.service_organisation_id, e.local_authority_code, e.quit_date) is not null;

    create or replace view referral_fact_source as
    select
      r.id as referral_id,
      counting_authority(r.service_organisation_id, r.local_authority_code,
        (r.created_at at time zone 'Europe/London')::date) as local_authority_code,
      r.service_organisation_id,
      r.referrer_organisation_id,
      (r.created_at at time zone 'Europe/London')::date as received_on,
      case when r.source = 'self' then 'self' else ro.type end as referral_kind,
      (select (min(ev.occurred_at) at time zone 'Europe/London')::date
         from referral_events ev where ev.referral_id = r.id and ev.kind = 'contact_attempt') as first_contact_on
    from referrals r
    left join organisations ro on ro.id = r.referrer_organisation_id;

    -- Commissions now decide a referral's authority too: every referral of a service whose commissions changed.
    create function referral_facts_from_commissions() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform refresh_referral_facts(array(
          select r.id from referrals r where r.service_organisation_id in (select service_organisation_id from new_rows)));
      elsif tg_op = 'DELETE' then
        perform refresh_referral_facts(array(
          select r.id from referrals r where r.service_organisation_id in (select service_organisation_id from old_rows)));
      else
        perform refresh_referral_facts(array(
          select r.id from referrals r where r.service_organisation_id in (
            select service_organisation_id from new_rows union select service_organisation_id from old_rows)));
      end if;
      return null;
    end
    $fn$;
    create trigger referral_facts_commissions_insert after insert on commissions
      referencing new table as new_rows for each statement execute function referral_facts_from_commissions();
    create trigger referral_facts_commissions_update after update on commissions
      referencing old table as old_rows new table as new_rows for each statement execute function referral_facts_from_commissions();
    create trigger referral_facts_commissions_delete after delete on commissions
      referencing old table as old_rows for each statement execute function referral_facts_from_commissions();

    -- The facts as the one rule now gives them (episodes' authorities are unchanged by it; referrals' may move).
    update referral_facts f set local_authority_code = s.local_authority_code
    from referral_fact_source s
    where s.referral_id = f.referral_id and f.local_authority_code is distinct from s.local_authority_code;
    update episode_facts f set local_authority_code = s.local_authority_code
    from episode_fact_source s
    where s.episode_id = f.episode_id and f.local_authority_code is distinct from s.local_authority_code;

    alter table return_versions add column counted jsonb;
  `.execute(db);
}

/**
 * Outcomes recorded under the old rule as self-reported quits with a CO reading of 10 ppm or more become
 * not quit, with a reason that says what happened and an audit row each (outcome.service.db.test.ts).
 */
export async function reclassifyHighCoQuits(db: Kysely<unknown>): Promise<void> {
  await sql`
    with changed as (
      update episode_outcomes
      set outcome = 'not_quit',
        reason = 'The person said they had not had a single puff from day 15 to day 28 after the quit date, but the CO reading was '
          || co_ppm || ' ppm, which is 10 ppm or more. The national monitoring rule counts a reading of 10 ppm or more at the '
          || 'four-week follow-up as not quit, whatever the person said. This outcome was first recorded as a self-reported quit, '
          || 'and was changed to not quit when Mortar adopted the rule. A high reading can have other causes, such as a faulty '
          || 'boiler or someone else''s smoke: talk it through with the person.'
      where outcome = 'quit_self_reported' and co_ppm >= 10
      returning episode_id, co_ppm
    )
    insert into audit_events (action, entity_type, entity_id, detail)
    select 'update', 'episode_outcome', episode_id::text,
      'quit_self_reported to not_quit: CO ' || co_ppm || ' ppm at the four-week follow-up (migration 0018, national rule)'
    from changed;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
