import { sql, type Kysely } from 'kysely';

// Issue 15, speed: an authority's dashboard counts (loadIndicatorCounts for one authority, eight
// quarters) read its rows of episode_facts and referral_facts. Those rows are spread over the whole table
// (every authority's are written day by day, interleaved), so the (authority, date) indexes sent each
// row to a heap page of its own, and PostgreSQL judged a scan of all of England's rows by date cheaper:
// 1.1 s for Kent's referrals at national scale (bench/README.md, Dashboards). The same indexes now carry
// the columns the counts read, so the counts come from the index alone (22 ms and 25 ms, measured). They
// replace the narrower ones, which they cover.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index referral_facts_la_received_covering_idx on referral_facts (local_authority_code, received_on)
      include (referral_kind, first_contact_on);
    drop index referral_facts_la_received_idx;
    create index episode_facts_la_quit_date_covering_idx on episode_facts (local_authority_code, quit_date)
      include (mental_health, referral_kind, outcome);
    drop index episode_facts_la_quit_date_idx;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
