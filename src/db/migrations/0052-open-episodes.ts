import { sql, type Kysely } from 'kysely';

// Issue 15, speed: the service manager's dashboard counts the caseload, the open episodes (not closed,
// no four-week outcome recorded). Found from the episodes, that is every episode the service ever ran,
// each looked up in episode_outcomes: 355 ms for the busiest service with five years of national data
// (34,582 episodes, almost all finished). The open ones are now kept in a table of their own by
// triggers, so the dashboard reads only those. The rule is the one the dashboards and the caseload apply
// (service-dashboard.repository.ts openEpisodes); open-episodes.db.test.ts checks the table against it
// after generated sequences of new episodes, outcomes recorded, corrected and removed, closures,
// reopenings and moves between services.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table open_episodes (
      episode_id uuid primary key references episodes(id) on delete cascade,
      service_organisation_id uuid not null
    );
    create index open_episodes_service_idx on open_episodes (service_organisation_id);

    create function refresh_open_episodes(ids uuid[]) returns void language plpgsql
    set plan_cache_mode = force_generic_plan as $fn$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      -- The episodes' rows locked first (as refresh_referral_facts does): an outcome removed while the
      -- episode is reopened in another transaction would otherwise leave each side seeing the other's
      -- change uncommitted, and the episode missing from the table.
      perform 1 from episodes where id = any(ids) order by id for no key update;
      delete from open_episodes oe
      where oe.episode_id = any(ids)
        and not exists (
          select 1 from episodes e
          where e.id = oe.episode_id and e.closed_at is null and e.service_organisation_id = oe.service_organisation_id
            and not exists (select 1 from episode_outcomes o where o.episode_id = e.id));
      insert into open_episodes (episode_id, service_organisation_id)
      select e.id, e.service_organisation_id from episodes e
      where e.id = any(ids) and e.closed_at is null
        and not exists (select 1 from episode_outcomes o where o.episode_id = e.id)
      on conflict (episode_id) do nothing;
    end
    $fn$;

    create function open_episodes_from_episodes() returns trigger language plpgsql as $fn$
    begin
      perform refresh_open_episodes(array(select id from changed_rows));
      return null;
    end
    $fn$;
    create trigger open_episodes_episodes_insert after insert on episodes
      referencing new table as changed_rows for each statement execute function open_episodes_from_episodes();

    -- Only a closure, a reopening or a move to another service changes whether and where an episode is open.
    create function open_episodes_from_episode_changes() returns trigger language plpgsql as $fn$
    begin
      perform refresh_open_episodes(array(
        select n.id from new_rows n join old_rows o on o.id = n.id
        where (n.closed_at is null) is distinct from (o.closed_at is null)
          or n.service_organisation_id is distinct from o.service_organisation_id));
      return null;
    end
    $fn$;
    create trigger open_episodes_episodes_update after update on episodes
      referencing old table as old_rows new table as new_rows for each statement execute function open_episodes_from_episode_changes();

    create function open_episodes_from_outcomes() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform refresh_open_episodes(array(select episode_id from new_rows));
      elsif tg_op = 'DELETE' then
        perform refresh_open_episodes(array(select episode_id from old_rows));
      else
        perform refresh_open_episodes(array(
          select n.episode_id from new_rows n where not exists (select 1 from old_rows o where o.episode_id = n.episode_id)
          union select o.episode_id from old_rows o where not exists (select 1 from new_rows n where n.episode_id = o.episode_id)));
      end if;
      return null;
    end
    $fn$;
    create trigger open_episodes_outcomes_insert after insert on episode_outcomes
      referencing new table as new_rows for each statement execute function open_episodes_from_outcomes();
    create trigger open_episodes_outcomes_update after update on episode_outcomes
      referencing old table as old_rows new table as new_rows for each statement execute function open_episodes_from_outcomes();
    create trigger open_episodes_outcomes_delete after delete on episode_outcomes
      referencing old table as old_rows for each statement execute function open_episodes_from_outcomes();

    insert into open_episodes (episode_id, service_organisation_id)
    select e.id, e.service_organisation_id from episodes e
    where e.closed_at is null and not exists (select 1 from episode_outcomes o where o.episode_id = e.id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
