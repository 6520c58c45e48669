import { sql, type Kysely } from 'kysely';

// Merged migrations never change: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table regions (
      code text primary key,
      name text not null
    );

    create table local_authorities (
      code text primary key,
      previous_code text,
      name text not null,
      official_name text,
      la_type text not null,
      region_code text not null references regions(code),
      pop_all_ages integer,
      pop_18plus integer
    );

    create table organisations (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      type text not null check (type in (
        'stop_smoking_service', 'talking_therapies', 'gp_practice', 'community_mental_health_team',
        'pharmacy', 'foodbank', 'housing', 'homelessness', 'addiction_support',
        'family_income_support', 'community_other', 'local_authority', 'national_body')),
      local_authority_code text references local_authorities(code),
      ods_code text,
      email text,
      phone text,
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create index organisations_la_idx on organisations (local_authority_code);

    create table sites (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      name text not null,
      address text,
      postcode text,
      created_at timestamptz not null default now()
    );
    create index sites_org_idx on sites (organisation_id);

    create table commissions (
      id uuid primary key default gen_random_uuid(),
      local_authority_code text not null references local_authorities(code),
      service_organisation_id uuid not null references organisations(id),
      starts_on date not null default current_date,
      ends_on date,
      created_at timestamptz not null default now()
    );
    create unique index commissions_one_open_per_la on commissions (local_authority_code) where ends_on is null;

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null,
      role text not null check (role in (
        'referrer', 'adviser', 'service_manager', 'commissioner', 'national_analyst', 'administrator')),
      organisation_id uuid not null references organisations(id),
      password_hash text,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz
    );
    create unique index users_email_idx on users (lower(email));
    create index users_org_idx on users (organisation_id);

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null,
      role text not null,
      organisation_id uuid not null references organisations(id),
      token_hash text not null unique,
      invited_by uuid references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz
    );

    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now()
    );
    create index sessions_user_idx on sessions (user_id);
    create index sessions_expiry_idx on sessions (expires_at);

    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      name text not null,
      key_prefix text not null,
      key_hash text not null unique,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    -- Very Brief Advice is counted whether or not the person accepts a referral, with nothing that
    -- identifies them.
    create table advice_records (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      user_id uuid references users(id),
      api_key_id uuid references api_keys(id),
      local_authority_code text references local_authorities(code),
      smoking_status text not null check (smoking_status in ('1', '2', '3', '4', 'Z', '9')),
      vaping_status text not null check (vaping_status in ('current', 'former', 'never', 'not_known')),
      advice_given boolean not null,
      outcome text not null check (outcome in ('referred', 'declined')),
      recorded_at timestamptz not null default now()
    );
    create index advice_records_org_idx on advice_records (organisation_id, recorded_at);

    create sequence referral_reference_seq;

    create table referrals (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      source text not null check (source in ('staff', 'api', 'self')),
      advice_record_id uuid references advice_records(id),
      referrer_organisation_id uuid references organisations(id),
      referrer_user_id uuid references users(id),
      api_key_id uuid references api_keys(id),
      service_organisation_id uuid not null references organisations(id),
      local_authority_code text not null references local_authorities(code),
      given_name text not null,
      family_name text not null,
      date_of_birth date not null,
      postcode text not null,
      phone text,
      email text,
      contact_methods text[] not null,
      contact_times text,
      nhs_number text,
      smoking_status text not null,
      vaping_status text not null,
      mental_health text not null check (mental_health in ('depression', 'anxiety', 'both', 'other', 'not_known')),
      in_talking_therapies text not null check (in_talking_therapies in ('yes', 'no', 'not_known')),
      consent_share_progress boolean not null,
      language text,
      access_needs text,
      notes text,
      created_at timestamptz not null default now()
    );
    create index referrals_service_idx on referrals (service_organisation_id, created_at desc);
    create index referrals_referrer_idx on referrals (referrer_organisation_id, created_at desc);
    create index referrals_la_idx on referrals (local_authority_code, created_at);

    create table referral_events (
      id bigint generated always as identity primary key,
      referral_id uuid not null references referrals(id),
      kind text not null check (kind in (
        'received', 'contact_attempt', 'contacted', 'accepted', 'declined', 'unable_to_contact',
        'quit_date_set', 'outcome_recorded', 'closed')),
      contact_outcome text check (contact_outcome in ('reached', 'no_answer', 'voicemail', 'wrong_number')),
      reason text,
      note text,
      actor_user_id uuid references users(id),
      occurred_at timestamptz not null default now()
    );
    create index referral_events_referral_idx on referral_events (referral_id, id);

    create table audit_events (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_user_id uuid,
      actor_api_key_id uuid,
      organisation_id uuid,
      action text not null,
      entity_type text not null,
      entity_id text,
      detail text,
      request_id text
    );
    create index audit_events_entity_idx on audit_events (entity_type, entity_id);
    create index audit_events_at_idx on audit_events (at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
