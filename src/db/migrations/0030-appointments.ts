import { sql, type Kysely } from 'kysely';

// Appointments (issue 13): a session booked for a time in England, by phone, video or face to face at one
// of the service's sites, with an adviser. Moving one changes its row (the audit keeps what it was);
// cancelling or recording "did not attend" ends it and keeps it, so a session can be booked again and its
// history read. At most one booked appointment per session. A service's opening days are its own (Monday
// to Friday until its manager says otherwise); bank holidays come from GOV.UK's file in data/reference.
// A supply of a medicine or vape may say how many days it lasts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table appointments (
      id uuid primary key default gen_random_uuid(),
      session_id uuid not null references episode_sessions(id),
      starts_at timestamptz not null,
      mode text not null check (mode in ('face_to_face', 'phone', 'video')),
      site_id uuid references sites(id),
      adviser_user_id uuid not null references users(id),
      status text not null default 'booked' check (status in ('booked', 'cancelled', 'did_not_attend')),
      reason text check (char_length(reason) <= 500),
      next_step text check (next_step in ('rebook', 'contact', 'close')),
      booked_by uuid references users(id),
      booked_at timestamptz not null default now(),
      ended_by uuid references users(id),
      ended_at timestamptz,
      check ((mode = 'face_to_face') = (site_id is not null)),
      check ((status = 'booked') = (ended_at is null)),
      check ((status = 'cancelled') = (reason is not null)),
      check ((status = 'did_not_attend') = (next_step is not null))
    );
    create unique index appointments_one_booked on appointments (session_id) where status = 'booked';
    create index appointments_by_time on appointments (starts_at) where status = 'booked';
    -- How many days a supply lasts, when the adviser says: a first supply over two weeks is warned about.
    alter table episode_aids add column supply_days smallint check (supply_days between 1 and 365);
    create table service_opening_days (
      organisation_id uuid primary key references organisations(id),
      days smallint[] not null check (days <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
