import { sql, type Kysely } from 'kysely';

// Single sign-on with OpenID Connect (issue 14): identity providers are configured by environment
// (SSO_PROVIDERS); what lives here is who is linked to which identity, what each organisation accepts,
// and the few minutes between sending someone to their identity provider and their return.
// - user_identities: an account linked to an identity provider's (issuer, subject), made on a first
//   sign-in that matched an invitation or by the signed-in user themselves; never by email alone.
// - sso_role_mappings: an organisation's rule "this claim with this value may hold this role here".
// - sso_sign_in_states: state, nonce and PKCE verifier of a sign-in under way, by the hash of a cookie's
//   token; used once. link_user_id is set when a signed-in user asked to link their own account.
// - sessions: which provider made the session and its ID token, to end the provider's session too;
//   sign_in_challenges the same, for a single sign-on that still owes Mortar's own second step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_identities (
      issuer text not null,
      subject text not null,
      provider_id text not null,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      primary key (issuer, subject),
      unique (user_id, issuer)
    );
    create table sso_role_mappings (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id),
      provider_id text not null,
      claim text not null,
      value text not null,
      role text not null check (role in (
        'referrer', 'adviser', 'service_manager', 'commissioner', 'national_analyst',
        'administrator', 'national_administrator')),
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      unique (organisation_id, provider_id, claim, value, role)
    );
    create table sso_sign_in_states (
      token_hash text primary key,
      provider_id text not null,
      state text not null,
      nonce text not null,
      code_verifier text not null,
      return_to text not null,
      link_user_id uuid references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sso_sign_in_states_expires_at on sso_sign_in_states (expires_at);
    alter table sessions add column sso_provider_id text, add column sso_id_token text;
    alter table sign_in_challenges add column sso_provider_id text, add column sso_id_token text;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
