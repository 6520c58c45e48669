import { sql, type Kysely } from 'kysely';

// Opening times per place of the directory (issue 14, Open Referral UK schedules): each row is one
// period on one weekday (1 Monday to 7 Sunday), opening and closing in England's local time, optionally
// valid only from or until a date, with a note. A day may have several periods. That no two periods of a
// place's day overlap while both are valid is checked before saving (directory/opening-hours.ts), in the
// transaction that replaces the place's rows with its location row locked.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table directory_opening_hours (
      id uuid primary key default gen_random_uuid(),
      location_id uuid not null references directory_locations (id) on delete cascade,
      weekday smallint not null check (weekday between 1 and 7),
      opens_at time not null,
      closes_at time not null,
      valid_from date,
      valid_to date,
      notes text check (char_length(notes) between 1 and 200),
      check (closes_at > opens_at),
      check (valid_from is null or valid_to is null or valid_to >= valid_from)
    );
    create index directory_opening_hours_by_location on directory_opening_hours (location_id, weekday);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
