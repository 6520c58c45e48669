import { sql, type Kysely } from 'kysely';

// Issue 15, speed: a page that lists people writes one audit row for each person shown (the service
// manager's dashboard about 120 at national scale), and audit_reach_of (migration 0045) asked the view
// audit_subjects once for each of them: 95 ms of the dashboard's time at the median on a loaded machine.
// For a statement of eight rows or more it now asks once for each kind of record, with all their ids: the
// same one-time filter on the kind (the generic plan is still forced, as 0045 explains) and an index
// look-up of the ids in that kind's branch. What each row reaches is unchanged; audit.routes.db.test.ts checks it row for row
// against the view, and audit-reach.db.test.ts for statements mixing kinds, codes and missing records.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_reach_of() returns trigger language plpgsql
    set plan_cache_mode = force_generic_plan as $fn$
    declare
      one record;
      kind text;
      ids uuid[];
    begin
      -- A statement of a few rows (a referral, a record opened) asks row by row, as 0045 did: for one row
      -- that is cheaper than building the list (400 one-row statements on national data: 110 to 198 ms
      -- row by row, 164 to 238 ms by list).
      if (select count(*) from new_rows) < 8 then
        for one in select * from new_rows loop
          insert into audit_reach (organisation_id, audit_event_id, at, action, actor_user_id, actor_api_key_id, holds, acted)
          select org, one.id, one.at, one.action, one.actor_user_id, one.actor_api_key_id, bool_or(holds), bool_or(acted)
          from (
            select h.organisation_id as org, true as holds, false as acted from audit_subjects h
            where h.entity_type = one.entity_type and h.entity_id = audit_entity_uuid(one.entity_id)
            union all
            select one.organisation_id, false, true where one.organisation_id is not null
          ) x
          group by org;
        end loop;
        return null;
      end if;
      for kind in select distinct entity_type from new_rows loop
        ids := array(
          select distinct audit_entity_uuid(n.entity_id) from new_rows n
          where n.entity_type = kind and audit_entity_uuid(n.entity_id) is not null);
        -- Materialized: joined to the new rows as a subquery, the view was asked again for each row.
        with h as materialized (
          select s.entity_id, s.organisation_id from audit_subjects s
          where s.entity_type = kind and s.entity_id = any(ids)
        )
        insert into audit_reach (organisation_id, audit_event_id, at, action, actor_user_id, actor_api_key_id, holds, acted)
        select org, id, at, action, actor_user_id, actor_api_key_id, bool_or(holds), bool_or(acted)
        from (
          select h.organisation_id as org, n.id, n.at, n.action, n.actor_user_id, n.actor_api_key_id,
            true as holds, false as acted
          from h join new_rows n on n.entity_type = kind and audit_entity_uuid(n.entity_id) = h.entity_id
          union all
          select n.organisation_id, n.id, n.at, n.action, n.actor_user_id, n.actor_api_key_id, false, true
          from new_rows n where n.entity_type = kind and n.organisation_id is not null
        ) x
        group by org, id, at, action, actor_user_id, actor_api_key_id;
      end loop;
      return null;
    end
    $fn$;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
