import { sql, type Kysely } from 'kysely';

// The organisations in a local authority's whole-system response (issue 6): partners, their named
// contacts, who on their staff is trained in what, and their smokefree policy. A partner belongs to one
// authority; it points at its organisation in Mortar when it has one, so its referrals can be counted.
// Status, training and policy are the current state (changes are in audit_events), so counts "on a
// day" in the past use today's status with the dates recorded (see partners/workforce.repository.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table partners (
      id uuid primary key default gen_random_uuid(),
      local_authority_code text not null references local_authorities(code),
      organisation_id uuid references organisations(id),
      name text not null check (length(name) between 1 and 200),
      sector text not null check (sector in ('nhs', 'local_authority', 'community', 'voluntary', 'private')),
      kind text check (length(kind) between 1 and 50),
      status text not null check (status in ('prospective', 'active', 'paused', 'ended')),
      joined_on date,
      notes text check (length(notes) <= 2000),
      created_by uuid references users(id),
      updated_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index partners_one_per_organisation on partners (local_authority_code, organisation_id)
      where organisation_id is not null;
    create index partners_by_authority on partners (local_authority_code, status);

    create table partner_contacts (
      id uuid primary key default gen_random_uuid(),
      partner_id uuid not null references partners(id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      role text check (length(role) <= 100),
      email text check (length(email) <= 254),
      phone text check (length(phone) <= 30),
      is_primary boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index partner_contacts_by_partner on partner_contacts (partner_id);
    create unique index partner_contacts_one_primary on partner_contacts (partner_id) where is_primary;

    create table training_records (
      id uuid primary key default gen_random_uuid(),
      partner_id uuid not null references partners(id) on delete cascade,
      staff_name text not null check (length(staff_name) between 1 and 100),
      -- The name as counted (partners/training.ts staffKey): one person, however their name was typed.
      -- Written by Mortar; rows written without it are counted by a close SQL equivalent.
      staff_key text check (length(staff_key) between 1 and 100),
      staff_role text check (length(staff_role) <= 100),
      course text not null check (course in ('vba', 'ncsct_practitioner', 'ncsct_mental_health')),
      completed_on date not null,
      renewal_due_on date,
      recorded_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (renewal_due_on is null or renewal_due_on > completed_on)
    );
    create index training_records_by_partner on training_records (partner_id, course);

    create table smokefree_policies (
      partner_id uuid primary key references partners(id) on delete cascade,
      status text not null check (status in ('none', 'drafted', 'adopted')),
      adopted_on date,
      review_on date,
      notes text check (length(notes) <= 2000),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      check (adopted_on is null or status = 'adopted')
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
