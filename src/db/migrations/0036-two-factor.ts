import { sql, type Kysely } from 'kysely';

// Two-factor sign-in for staff (issue 14): a TOTP secret per account, its recovery codes, and the step
// between a right password and a right code.
// - user_two_factor: the secret sealed (AES-256-GCM, platform/secret-box.ts), never shown again once
//   confirmed; enabled_at null while it is being set up; last_time_step is the 30-second step of the last
//   code accepted, so a code is never accepted twice.
// - two_factor_recovery_codes: only each code's hash; used_at once it has been used.
// - sign_in_challenges: someone who gave a right password and still owes a code (or has to set two
//   factors up), by the hash of a short-lived cookie's token. No session exists until the second step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_two_factor (
      user_id uuid primary key references users (id) on delete cascade,
      secret_sealed text not null,
      created_at timestamptz not null default now(),
      enabled_at timestamptz,
      last_time_step bigint
    );
    create table two_factor_recovery_codes (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      unique (user_id, code_hash)
    );
    create table sign_in_challenges (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sign_in_challenges_expires_at on sign_in_challenges (expires_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
