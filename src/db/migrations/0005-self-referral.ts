import { sql, type Kysely } from 'kysely';

// A person can refer themself from the public form. Their referral goes through the same pipeline as
// any other (source 'self', routed by postcode, the same worklist and status events), and carries what
// only they can say: what they would like help with, which consent wording they agreed to, and that
// they have no anxiety or depression ('none': a referrer is never asked that, a person may answer it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table referrals
      add column help_wanted text check (help_wanted in ('stop_smoking', 'switch_to_vaping', 'cut_down_first')),
      add column contact_consent_version text check (length(contact_consent_version) between 1 and 50);

    alter table referrals drop constraint referrals_mental_health_check;
    alter table referrals add constraint referrals_mental_health_check
      check (mental_health in ('depression', 'anxiety', 'both', 'other', 'none', 'not_known'));

    -- A self-referral is only stored with the person's consent to be contacted, and what they want help with.
    alter table referrals add constraint referrals_self_referral_check
      check (source <> 'self' or (help_wanted is not null and contact_consent_version is not null
        and referrer_organisation_id is null and referrer_user_id is null and api_key_id is null));
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
