import { sql, type Kysely } from 'kysely';

// Communications campaigns (issue 6): a regional or a local campaign with a code people quote when they
// are referred. A referral keeps the campaign whose code it carried (referrals.campaign_id), whatever its
// date; whether it COUNTS in the campaign's results is decided when results are read, by the rule in
// src/modules/referrals/campaign-attribution.ts, so a corrected start or end date applies to every referral.
//
// code is stored upper case, letters and digits in groups joined by single hyphens. code_key is the code
// without its hyphens: people type "leeds tt 2026" or "LEEDSTT2026" from a poster, so matching ignores
// hyphens and no two campaigns may differ by hyphens alone. Channels are checked by the application
// (campaign.schemas.ts), so a new channel needs no migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table campaigns (
      id uuid primary key default gen_random_uuid(),
      code text not null unique
        check (length(code) between 3 and 20 and code ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$'),
      code_key text generated always as (replace(code, '-', '')) stored,
      name text not null check (length(name) between 1 and 120),
      description text check (length(description) <= 2000),
      region_code text references regions(code),
      local_authority_code text references local_authorities(code),
      starts_on date not null,
      ends_on date,
      channels text[] not null default '{}',
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      check ((region_code is null) <> (local_authority_code is null)),
      check (ends_on is null or ends_on >= starts_on)
    );
    create unique index campaigns_code_key_idx on campaigns (code_key);
    create index campaigns_region_idx on campaigns (region_code) where region_code is not null;
    create index campaigns_authority_idx on campaigns (local_authority_code) where local_authority_code is not null;

    alter table referrals add column campaign_id uuid references campaigns(id);
    create index referrals_campaign_idx on referrals (campaign_id) where campaign_id is not null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
