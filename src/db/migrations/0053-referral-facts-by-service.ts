import { sql, type Kysely } from 'kysely';

// Issue 15, speed: the service manager's dashboard times how long the quarter's referrals waited, from
// referral_facts. Reached through referrals, each fact row was a look-up of its own (180 ms for the
// busiest service's quarter at national scale); this index gives the service's rows for the quarter,
// with the day of the first contact attempt, from the index alone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index referral_facts_service_received_idx on referral_facts (service_organisation_id, received_on)
      include (first_contact_on);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
