import { sql, type Kysely } from 'kysely';

// The Very Brief Advice module inside Mortar (issue 12): every attempt at its knowledge check, kept
// against the member of staff and the organisation they were in, and a link from a training record to
// the user it is about, so that passing the module keeps one record per partner up to date rather than
// adding a row at every retake. Records typed in by a commissioner have no user and are unchanged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table vba_attempts (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      organisation_id uuid not null references organisations(id),
      taken_on date not null,
      score integer not null check (score >= 0),
      total integer not null check (total > 0 and score <= total),
      passed boolean not null,
      answers jsonb not null,
      created_at timestamptz not null default now()
    );
    create index vba_attempts_by_user on vba_attempts (user_id, created_at desc);

    alter table training_records add column user_id uuid references users(id);
    create unique index training_records_one_per_user on training_records (partner_id, user_id, course)
      where user_id is not null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
