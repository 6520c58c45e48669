import { sql, type Kysely } from 'kysely';

// Issue 12, stop smoking support delivered inside NHS Talking Therapies (docs/domain.md, Route of
// delivery). The route of delivery is derived from the type of the organisation that holds the episode,
// never stored apart from it, so the two cannot disagree: delivery_route is the SQL twin of
// organisations/delivery-route.ts deliveryRouteOf (delivery-route.db.test.ts checks they agree).
// episode_facts carries it, so a local authority's return leaves out integrated episodes (they count in
// the Talking Therapies service's own return) and the dashboards can compare routes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function delivery_route(organisation_type text) returns text
    language sql immutable as $fn$
      select case
        when organisation_type in ('talking_therapies', 'community_mental_health_team') then 'integrated'
        when organisation_type = 'pharmacy' then 'pharmacy'
        else 'specialist' end
    $fn$;

    alter table episode_facts add column delivery_route text not null default 'specialist'
      check (delivery_route in ('integrated', 'specialist', 'pharmacy'));
    create index episode_facts_service_quit_date_idx on episode_facts (service_organisation_id, quit_date);

    -- As in migration 0018, with the route of the holding service added at the end (the table's order).
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
      (r.created_at at time zone 'Europe/London')::date as referral_received_on,
      delivery_route(so.type) as delivery_route
    from episodes e
    join people p on p.id = e.person_id
    join organisations so on so.id = e.service_organisation_id
    left join episode_outcomes o on o.episode_id = e.id
    left join referrals r on r.id = e.referral_id
    left join organisations ro on ro.id = r.referrer_organisation_id
    where e.quit_date is not null
      and counting_authority(e.service_organisation_id, e.local_authority_code, e.quit_date) is not null;

    create or replace function refresh_episode_facts(ids uuid[]) returns void language plpgsql as $fn$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      perform 1 from episodes where id = any(ids) order by id for no key update;
      with src as materialized (
        select * from episode_fact_source s where s.episode_id = any(ids)
      ), gone as (
        delete from episode_facts f
        where f.episode_id = any(ids) and not exists (select 1 from src where src.episode_id = f.episode_id)
      )
      insert into episode_facts select * from src
      on conflict (episode_id) do update set
          local_authority_code = excluded.local_authority_code,
          service_organisation_id = excluded.service_organisation_id,
          adviser_user_id = excluded.adviser_user_id,
          referral_id = excluded.referral_id,
          referrer_organisation_id = excluded.referrer_organisation_id,
          quit_date = excluded.quit_date,
          outcome = excluded.outcome,
          age = excluded.age,
          sex = excluded.sex,
          gender_same_as_birth = excluded.gender_same_as_birth,
          ethnic_category = excluded.ethnic_category,
          pregnant = excluded.pregnant,
          free_prescriptions = excluded.free_prescriptions,
          ns_sec = excluded.ns_sec,
          sexual_orientation = excluded.sexual_orientation,
          intervention_type = excluded.intervention_type,
          setting = excluded.setting,
          aids = excluded.aids,
          mental_health = excluded.mental_health,
          in_talking_therapies = excluded.in_talking_therapies,
          referral_kind = excluded.referral_kind,
          referral_received_on = excluded.referral_received_on,
          delivery_route = excluded.delivery_route
        where episode_facts is distinct from excluded;
    end
    $fn$;

    -- An organisation's type is the referral source counted (migration 0011) and now also the route of
    -- the episodes it holds: refresh both.
    create or replace function episode_facts_from_organisations() returns trigger language plpgsql as $fn$
    begin
      perform refresh_episode_facts(array(
        select f.episode_id from episode_facts f
        join new_rows n on n.id = f.referrer_organisation_id
        join old_rows o on o.id = n.id
        where n.type is distinct from o.type
        union
        select e.id from episodes e
        join new_rows n on n.id = e.service_organisation_id
        join old_rows o on o.id = n.id
        where n.type is distinct from o.type and e.quit_date is not null));
      return null;
    end
    $fn$;

    update episode_facts f set delivery_route = s.delivery_route
    from episode_fact_source s
    where s.episode_id = f.episode_id and f.delivery_route is distinct from s.delivery_route;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
