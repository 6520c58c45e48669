import { sql, type Kysely } from 'kysely';

// One row per treatment episode with a quit date, holding everything the quarterly return and the
// dashboards count it by, already resolved: the authority it counts for, its stored four-week outcome,
// the person's age on the quit date, the aids supplied, where the referral came from. Reading the
// return from this narrow table instead of joining six tables each time is what brings a quarter's
// returns for every authority near a plain GROUP BY (bench/returns.ts).
//
// It is derived data, and is kept exactly equal to the view `episode_fact_source` (the definition) by
// statement-level triggers on every table the definition reads: each change recomputes the facts of the
// episodes it touches, in the same transaction. episode-facts.db.test.ts changes each of those tables and
// checks the table against the view.
//
// Which authority an episode counts for (as return.repository.ts has always decided): the authority that
// commissioned its service on its quit date; when several did, the one it was recorded against if among
// them, otherwise the first by code (then the first commission made); when none did, the one it was
// recorded against.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create view episode_fact_source as
    select
      e.id as episode_id,
      coalesce(c.local_authority_code, e.local_authority_code) as local_authority_code,
      e.service_organisation_id,
      e.adviser_user_id,
      e.referral_id,
      r.referrer_organisation_id,
      e.quit_date,
      o.outcome,
      -- Whole years on the quit date, the birthday counting from its day (as ageOn in the definition).
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
    left join lateral (
      select c.local_authority_code
      from commissions c
      where c.service_organisation_id = e.service_organisation_id
        and c.starts_on <= e.quit_date and (c.ends_on is null or c.ends_on >= e.quit_date)
      order by case when c.local_authority_code is not distinct from e.local_authority_code then 0 else 1 end,
        c.local_authority_code, c.id
      limit 1
    ) c on true
    join people p on p.id = e.person_id
    left join episode_outcomes o on o.episode_id = e.id
    left join referrals r on r.id = e.referral_id
    left join organisations ro on ro.id = r.referrer_organisation_id
    where e.quit_date is not null and coalesce(c.local_authority_code, e.local_authority_code) is not null;

    create table episode_facts (
      episode_id uuid primary key references episodes(id) on delete cascade,
      local_authority_code text not null,
      service_organisation_id uuid not null,
      adviser_user_id uuid,
      referral_id uuid,
      referrer_organisation_id uuid,
      quit_date date not null,
      outcome text,
      age integer,
      sex text,
      gender_same_as_birth text,
      ethnic_category text,
      pregnant text,
      free_prescriptions text,
      ns_sec text,
      sexual_orientation text,
      intervention_type text,
      setting text,
      aids text[] not null,
      mental_health text not null,
      in_talking_therapies text not null,
      referral_kind text,
      referral_received_on date
    );
    create index episode_facts_quit_date_idx on episode_facts (quit_date);
    create index episode_facts_la_quit_date_idx on episode_facts (local_authority_code, quit_date);
    create index episode_facts_referrer_idx on episode_facts (referrer_organisation_id) where referrer_organisation_id is not null;

    -- Recomputes the facts of these episodes from the definition. Two transactions changing one episode
    -- at once (an adviser recording the outcome while the job marks it lost) must not leave the facts of
    -- whichever read first: each takes the episode rows' update lock first (in id order, so bulk changes
    -- cannot deadlock), and only then reads the definition, in a statement of its own, so it sees what
    -- the other committed. NO KEY UPDATE does not block rows that merely reference the episode. An upsert
    -- leaves a row that has not changed alone.
    create function refresh_episode_facts(ids uuid[]) returns void language plpgsql as $fn$
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
          referral_received_on = excluded.referral_received_on
        where episode_facts is distinct from excluded;
    end
    $fn$;

    -- Episodes: any change may move its quit date, authority or any item counted.
    create function episode_facts_from_episodes() returns trigger language plpgsql as $fn$
    begin
      perform refresh_episode_facts(array(select id from changed_rows));
      return null;
    end
    $fn$;
    create trigger episode_facts_episodes_insert after insert on episodes
      referencing new table as changed_rows for each statement execute function episode_facts_from_episodes();
    create trigger episode_facts_episodes_update after update on episodes
      referencing new table as changed_rows for each statement execute function episode_facts_from_episodes();

    -- Outcomes and aids: the episodes they belong to (before and after the change).
    create function episode_facts_from_episode_rows() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform refresh_episode_facts(array(select distinct episode_id from new_rows));
      elsif tg_op = 'DELETE' then
        perform refresh_episode_facts(array(select distinct episode_id from old_rows));
      else
        perform refresh_episode_facts(array(
          select episode_id from new_rows union select episode_id from old_rows));
      end if;
      return null;
    end
    $fn$;
  `.execute(db);

  for (const table of ['episode_outcomes', 'episode_aids']) {
    const t = sql.raw(table);
    await sql`
      create trigger ${sql.raw(`episode_facts_${table}_insert`)} after insert on ${t}
        referencing new table as new_rows for each statement execute function episode_facts_from_episode_rows();
      create trigger ${sql.raw(`episode_facts_${table}_update`)} after update on ${t}
        referencing old table as old_rows new table as new_rows for each statement execute function episode_facts_from_episode_rows();
      create trigger ${sql.raw(`episode_facts_${table}_delete`)} after delete on ${t}
        referencing old table as old_rows for each statement execute function episode_facts_from_episode_rows();
    `.execute(db);
  }

  await sql`
    -- A person's date of birth gives the age on the quit date.
    create function episode_facts_from_people() returns trigger language plpgsql as $fn$
    begin
      perform refresh_episode_facts(array(
        select e.id from episodes e
        join new_rows n on n.id = e.person_id
        join old_rows o on o.id = n.id
        where n.date_of_birth is distinct from o.date_of_birth and e.quit_date is not null));
      return null;
    end
    $fn$;
    create trigger episode_facts_people_update after update on people
      referencing old table as old_rows new table as new_rows for each statement execute function episode_facts_from_people();

    -- A referral's source, referrer and day received; a new referral has no episode yet.
    create function episode_facts_from_referrals() returns trigger language plpgsql as $fn$
    begin
      perform refresh_episode_facts(array(
        select e.id from episodes e
        join new_rows n on n.id = e.referral_id
        join old_rows o on o.id = n.id
        where (n.source, n.referrer_organisation_id, n.created_at)
          is distinct from (o.source, o.referrer_organisation_id, o.created_at)));
      return null;
    end
    $fn$;
    create trigger episode_facts_referrals_update after update on referrals
      referencing old table as old_rows new table as new_rows for each statement execute function episode_facts_from_referrals();

    -- A referring organisation's type is the referral source counted.
    create function episode_facts_from_organisations() returns trigger language plpgsql as $fn$
    begin
      perform refresh_episode_facts(array(
        select f.episode_id from episode_facts f
        join new_rows n on n.id = f.referrer_organisation_id
        join old_rows o on o.id = n.id
        where n.type is distinct from o.type));
      return null;
    end
    $fn$;
    create trigger episode_facts_organisations_update after update on organisations
      referencing old table as old_rows new table as new_rows for each statement execute function episode_facts_from_organisations();

    -- Commissions decide the authority: every episode of a service whose commissions changed.
    create function episode_facts_from_commissions() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform refresh_episode_facts(array(
          select e.id from episodes e where e.quit_date is not null
            and e.service_organisation_id in (select service_organisation_id from new_rows)));
      elsif tg_op = 'DELETE' then
        perform refresh_episode_facts(array(
          select e.id from episodes e where e.quit_date is not null
            and e.service_organisation_id in (select service_organisation_id from old_rows)));
      else
        perform refresh_episode_facts(array(
          select e.id from episodes e where e.quit_date is not null
            and e.service_organisation_id in (
              select service_organisation_id from new_rows union select service_organisation_id from old_rows)));
      end if;
      return null;
    end
    $fn$;
    create trigger episode_facts_commissions_insert after insert on commissions
      referencing new table as new_rows for each statement execute function episode_facts_from_commissions();
    create trigger episode_facts_commissions_update after update on commissions
      referencing old table as old_rows new table as new_rows for each statement execute function episode_facts_from_commissions();
    create trigger episode_facts_commissions_delete after delete on commissions
      referencing old table as old_rows for each statement execute function episode_facts_from_commissions();

    insert into episode_facts select * from episode_fact_source;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
