import { sql, type Kysely } from 'kysely';

// A system that retries a referral after a lost connection sends the same Idempotency-Key, and gets the
// referral it already made instead of a second one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table referrals add column idempotency_key text;
    create unique index referrals_idempotency_idx on referrals (api_key_id, idempotency_key) where idempotency_key is not null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
