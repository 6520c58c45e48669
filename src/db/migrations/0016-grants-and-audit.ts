import { sql, type Kysely } from 'kysely';

// Issue 10, security. Three things:
//
// 1. A national administrator role. An administrator manages their own organisation; granting access in
//    any other organisation is national work, by a role of its own (platform/scope.ts grantDecision).
//
// 2. access_grants: every grant of a role (an invitation) with who granted it, in which role and from
//    which organisation. The receiving organisation's managers and administrators see these, so access
//    given from outside is never silent. Rows are never changed or removed: a trigger refuses it, so a
//    grant cannot be hidden after the fact, whatever the application does.
//
// 3. Reading the audit. audit_subjects says which person's record each audited entity belongs to and
//    which organisations hold it: a referral is held by the service it was sent to and by the
//    organisation that sent it, everything of a treatment episode by its service. audit_reach keeps, for
//    each audit row, the organisations that may read it (those holding the record, and the organisation
//    of whoever did it) with the row's time, action and actor, so that the audit page reads one narrow
//    index in time order instead of joining every audit row to every record (measured: 300,000 rows took
//    ten seconds to count that way). It is filled by the database itself, for every audit row however it
//    is written, by a statement-level trigger, and once here for the rows already written. Who holds a
//    record never changes after it is made (a referral's two organisations, an episode's service), so
//    what is kept stays right.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check check (role in (
      'referrer', 'adviser', 'service_manager', 'commissioner', 'national_analyst', 'administrator',
      'national_administrator'));
    alter table invitations add constraint invitations_role_check check (role in (
      'referrer', 'adviser', 'service_manager', 'commissioner', 'national_analyst', 'administrator',
      'national_administrator'));

    create table access_grants (
      id uuid primary key default gen_random_uuid(),
      invitation_id uuid not null unique references invitations(id),
      organisation_id uuid not null references organisations(id),
      role text not null,
      email text not null,
      name text not null,
      granted_by_user_id uuid not null references users(id),
      granted_by_role text not null,
      granted_by_organisation_id uuid not null references organisations(id),
      created_at timestamptz not null default now()
    );
    create index access_grants_org_idx on access_grants (organisation_id, created_at desc);

    create function access_grants_keep() returns trigger language plpgsql as $fn$
    begin
      raise exception 'access grants are kept as they were made';
    end
    $fn$;
    create trigger access_grants_keep before update or delete on access_grants
      for each row execute function access_grants_keep();
    create trigger access_grants_keep_truncate before truncate on access_grants
      for each statement execute function access_grants_keep();

    -- audit_events.entity_id is text (some entities have codes, not ids); records are found by their uuid
    -- so that their primary keys serve the look-up.
    create function audit_entity_uuid(t text) returns uuid language sql immutable as $fn$
      select case when t ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then t::uuid end
    $fn$;

    -- One row per (audited entity, organisation holding it). One branch per kind and holder, each a plain
    -- join, so a condition on the id or the organisation reaches each table's index.
    create view audit_subjects as
      select 'referral'::text as entity_type, r.id as entity_id, r.service_organisation_id as organisation_id,
        r.person_id, r.id as referral_id, r.reference
      from referrals r
      union all
      select 'referral', r.id, r.referrer_organisation_id, r.person_id, r.id, r.reference
      from referrals r where r.referrer_organisation_id is not null
      union all
      select 'person', p.id, p.service_organisation_id, p.id, null::uuid,
        (select r.reference from referrals r where r.person_id = p.id order by r.created_at desc limit 1)
      from people p
      union all
      select 'episode', e.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from episodes e
      union all
      select 'episode_outcome', e.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from episodes e
      union all
      select 'episode_local_outcome', e.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from episodes e
      union all
      select 'episode_session', x.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from episode_sessions x join episodes e on e.id = x.episode_id
      union all
      select 'episode_medicine', x.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from episode_medicines x join episodes e on e.id = x.episode_id
      union all
      select 'mood_measure', x.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from mood_measures x join episodes e on e.id = x.episode_id
      union all
      select 'safety_task', x.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from safety_tasks x join episodes e on e.id = x.episode_id
      union all
      select 'medicine_alert', x.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from medicine_alerts x join episodes e on e.id = x.episode_id
      union all
      select 'clinician_note', x.id, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from clinician_notes x join episodes e on e.id = x.episode_id;

    create index referrals_person_idx on referrals (person_id) where person_id is not null;
    create index safety_tasks_episode_idx on safety_tasks (episode_id);
    create index clinician_notes_episode_idx on clinician_notes (episode_id);

    -- Who may read each audit row: holds (the organisation holds the record) or acted (someone of the
    -- organisation did it). The row's time, action and actor are copied so the page filters here alone.
    create table audit_reach (
      organisation_id uuid not null,
      audit_event_id bigint not null,
      at timestamptz not null,
      action text not null,
      actor_user_id uuid,
      actor_api_key_id uuid,
      holds boolean not null,
      acted boolean not null,
      primary key (organisation_id, audit_event_id)
    );
    create index audit_reach_time_idx on audit_reach (organisation_id, at desc, audit_event_id desc);
    -- "Who viewed this?" is the commonest question: by action, in time order.
    create index audit_reach_action_idx on audit_reach (organisation_id, action, at desc);

    create function audit_reach_of() returns trigger language plpgsql as $fn$
    begin
      insert into audit_reach (organisation_id, audit_event_id, at, action, actor_user_id, actor_api_key_id, holds, acted)
      select org, id, at, action, actor_user_id, actor_api_key_id, bool_or(holds), bool_or(acted)
      from (
        -- Lateral, so each audit row finds its record by primary key whatever the planner guesses: a
        -- join let it scan every referral for a single audit row.
        select s.org, n.id, n.at, n.action, n.actor_user_id, n.actor_api_key_id, true as holds, false as acted
        from new_rows n
        cross join lateral (
          select h.organisation_id as org from audit_subjects h
          where h.entity_type = n.entity_type and h.entity_id = audit_entity_uuid(n.entity_id)
        ) s
        union all
        select n.organisation_id, n.id, n.at, n.action, n.actor_user_id, n.actor_api_key_id, false, true
        from new_rows n where n.organisation_id is not null
      ) x
      group by org, id, at, action, actor_user_id, actor_api_key_id;
      return null;
    end
    $fn$;
    create trigger audit_reach_of after insert on audit_events
      referencing new table as new_rows for each statement execute function audit_reach_of();

    insert into audit_reach (organisation_id, audit_event_id, at, action, actor_user_id, actor_api_key_id, holds, acted)
    select org, id, at, action, actor_user_id, actor_api_key_id, bool_or(holds), bool_or(acted)
    from (
      select s.organisation_id as org, a.id, a.at, a.action, a.actor_user_id, a.actor_api_key_id,
        true as holds, false as acted
      from audit_events a
      join audit_subjects s on s.entity_type = a.entity_type and s.entity_id = audit_entity_uuid(a.entity_id)
      union all
      select a.organisation_id, a.id, a.at, a.action, a.actor_user_id, a.actor_api_key_id, false, true
      from audit_events a where a.organisation_id is not null
    ) x
    group by org, id, at, action, actor_user_id, actor_api_key_id;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
