import { sql, type Kysely } from 'kysely';

// Notifications to referrers (issue 13). Both are opt-in and both are read when each email is composed,
// so clearing the inbox or switching the updates off stops emails already planned:
// - an organisation's shared inbox for updates on the referrals its staff and systems send, set by its
//   administrator (an address that is not a person's, so a colleague can act while the referrer is away);
// - a referrer's own choice to be emailed about the referrals they sent, at their account's address.
// What was sent is a row of outbound_messages (kind referrer_update), with no address.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organisations
      add column referral_updates_email text check (char_length(referral_updates_email) between 3 and 254);
    alter table users add column referral_updates boolean not null default false;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
