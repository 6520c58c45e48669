import { sql, type Kysely } from 'kysely';

// Two ways a record was made twice (issue 10).
//
// form_tokens: the referral, self-referral and new-person forms carry a one-time token in a hidden field.
// The first submission that makes a record claims the token in the same transaction as the record; a
// second submission of the same form (a double click, a retry after a slow answer) finds it claimed and
// is sent where the first one went. Only a hash of the token is kept, with the form, the user (none for
// a person's own referral) and where the first submission led.
//
// referrals.idempotency_fingerprint: a hash of the API request an Idempotency-Key was first used with,
// so the same key with a different body is refused instead of answered with the earlier referral.
// Referrals made before this migration have none, and a retry of one is answered as before.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table form_tokens (
      token_hash text primary key,
      form text not null,
      user_id uuid references users (id) on delete cascade,
      location text,
      detail text,
      used_at timestamptz not null default now()
    );
    create index form_tokens_used_at_idx on form_tokens (used_at);

    alter table referrals add column idempotency_fingerprint text;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
