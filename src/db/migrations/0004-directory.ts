import { sql, type Kysely } from 'kysely';

// The public service directory (issue 4): one entry per stop smoking service, and the places it sees
// people. The areas a service covers are its commissions, which already exist: they are not copied here.
// Merged migrations never change: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table directory_services (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null unique references organisations(id),
      description text not null,
      phone text,
      email text,
      website text,
      opening_times text,
      modes text[] not null default '{}'
        check (modes <@ array['in_person', 'telephone', 'video', 'text', 'group']::text[]),
      languages text[] not null default '{}',
      tailored_support boolean not null default false,
      tailored_support_text text,
      in_talking_therapies boolean not null default false,
      -- Codes from AIDS in src/modules/episodes/programme.ts; free vape kits are 'e_cigarette_swap_to_stop'.
      aids text[] not null default '{}',
      eligibility text,
      published boolean not null default false,
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id)
    );
    create index directory_services_published_idx on directory_services (published);

    create table directory_locations (
      id uuid primary key default gen_random_uuid(),
      service_id uuid not null references directory_services(id) on delete cascade,
      name text not null,
      address text not null,
      postcode text not null,
      latitude double precision not null check (latitude between -90 and 90),
      longitude double precision not null check (longitude between -180 and 180),
      accessibility text,
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id)
    );
    create index directory_locations_service_idx on directory_locations (service_id);
    create index directory_locations_position_idx on directory_locations (latitude, longitude);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
