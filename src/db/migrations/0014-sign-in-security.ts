import { sql, type Kysely } from 'kysely';

// Sign-in security (issue 10): counters every instance of Mortar shares, one-time password reset links,
// and the end of account lockout.
//
// rate_limit_counters holds @fastify/rate-limit's counts (src/platform/rate-limit.store.ts): one row per
// limit and address, counting hits until expires_at, when the next hit starts a new window.
//
// sign_in_throttle holds wrong passwords per account, per address and per account from one address
// (src/platform/sign-in-throttle.ts decides the waits). Keys are hashes: nobody's typed email address or
// network address is stored as it was typed. A row is of no use after forget_at, and a job deletes it.
//
// password_resets holds the links sent to reset a password: the token only as its hash, used once,
// until expires_at. failed_sign_ins and locked_until go: an account is never locked by wrong passwords.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limit_counters (
      key text primary key,
      hits integer not null check (hits >= 0),
      expires_at timestamptz not null
    );
    create index rate_limit_counters_expiry_idx on rate_limit_counters (expires_at);

    create table sign_in_throttle (
      key text primary key,
      failures integer not null default 0 check (failures >= 0),
      last_failure_at timestamptz,
      forget_at timestamptz not null
    );
    create index sign_in_throttle_forget_idx on sign_in_throttle (forget_at);

    create table password_resets (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index password_resets_user_idx on password_resets (user_id, created_at);
    create index password_resets_expiry_idx on password_resets (expires_at);

    alter table users drop column failed_sign_ins, drop column locked_until;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
