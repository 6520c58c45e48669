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
// 3. audit_subjects: which person's record each audited entity belongs to and which organisations hold
//    it, so that managers and administrators can read the audit of their own organisation's records.
//    A view, not columns written with each audit row: audit rows are written from many places, and
//    a view over the records themselves is right for every row ever written, old ones included.
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

    -- One row per (audited entity, organisation holding it). A referral is held by the service it was
    -- sent to and by the organisation that sent it; everything of a treatment episode by its service.
    -- entity_id is text because audit_events.entity_id is.
    create view audit_subjects as
      select 'referral'::text as entity_type, r.id::text as entity_id, o.organisation_id,
        r.person_id, r.id as referral_id, r.reference
      from referrals r
      cross join lateral (values (r.service_organisation_id), (r.referrer_organisation_id)) as o(organisation_id)
      where o.organisation_id is not null
      union all
      select 'person', p.id::text, p.service_organisation_id, p.id, null::uuid,
        (select r.reference from referrals r where r.person_id = p.id order by r.created_at desc limit 1)
      from people p
      union all
      select t.entity_type, e.id::text, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from episodes e
      cross join (values ('episode'), ('episode_outcome'), ('episode_local_outcome')) as t(entity_type)
      union all
      select x.entity_type, x.id::text, e.service_organisation_id, e.person_id, e.referral_id,
        (select r.reference from referrals r where r.id = e.referral_id)
      from (
        select 'episode_session'::text as entity_type, id, episode_id from episode_sessions
        union all select 'episode_medicine', id, episode_id from episode_medicines
        union all select 'mood_measure', id, episode_id from mood_measures
        union all select 'safety_task', id, episode_id from safety_tasks
        union all select 'medicine_alert', id, episode_id from medicine_alerts
        union all select 'clinician_note', id, episode_id from clinician_notes
      ) x
      join episodes e on e.id = x.episode_id;

    -- The audit page filters by who did it and when, and by the organisation of who did it.
    create index audit_events_actor_idx on audit_events (actor_user_id, at);
    create index audit_events_org_idx on audit_events (organisation_id, at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
