import { sql, type Kysely } from 'kysely';

// Britain and services not on Mortar (issue 12). A person whose authority's service does not read
// referrals in Mortar, or who lives in Wales or Scotland, is given that service's details instead of
// being referred (referrals/where-to-send.ts). The referrer's Very Brief Advice is still counted, as an
// advice record with the outcome 'signposted' and where the person was sent: a national service by its
// code, or the commissioned service by its organisation. Nothing about the person is kept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table advice_records add column signposted_service text
      check (signposted_service in ('help_me_quit', 'quit_your_way_scotland'));
    alter table advice_records add column signposted_organisation_id uuid references organisations(id);
    alter table advice_records drop constraint advice_records_outcome_check;
    alter table advice_records add constraint advice_records_outcome_check
      check (outcome in ('referred', 'declined', 'asked_only', 'signposted'));
    -- Signposted means advice was given and names exactly one place; nothing else names one.
    alter table advice_records add constraint advice_records_signposted_check check (
      case when outcome = 'signposted'
        then advice_given and num_nonnulls(signposted_service, signposted_organisation_id) = 1
        else signposted_service is null and signposted_organisation_id is null
      end
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
