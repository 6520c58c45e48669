import { createPrivateKey } from 'node:crypto';

// Identity providers for single sign-on (OpenID Connect), from the environment: SSO_PROVIDERS names
// them, and each has variables of its own under SSO_<ID>_ (docs/sso.md). Read by src/config.ts, so a
// wrong value stops start-up with its name.

/** How a provider's claims are read (docs/sso.md): CIS2's national RBAC, Entra ID's roles and groups, or plain claims. */
export type SsoProviderKind = 'cis2' | 'entra' | 'oidc';

export type SsoClientAuth =
  | { method: 'client_secret_post'; secret: string }
  | { method: 'private_key_jwt'; privateKeyPem: string; keyId: string | undefined };

export type SsoProvider = {
  /** Lower case, in URLs: /sign-in/sso/<id>. */
  id: string;
  /** What the sign-in button says after "Sign in with". */
  name: string;
  kind: SsoProviderKind;
  issuer: string;
  clientId: string;
  auth: SsoClientAuth;
  scopes: string;
  /** acr values that mean the person used more than one factor (or `acrs` entries, for Entra ID). */
  mfaAcr: readonly string[];
  /** Sent as acr_values, to ask the provider for a level of assurance. */
  acrValues: string | undefined;
  /** The provider's own directory vouches for email addresses, though its tokens say nothing of it. */
  trustEmail: boolean;
  /** Ask the userinfo endpoint for more claims (CIS2 gives its RBAC roles there). */
  userinfo: boolean;
};

const DEFAULT_SCOPES: Record<SsoProviderKind, string> = {
  cis2: 'openid profile email nationalrbacaccess',
  entra: 'openid profile email',
  oidc: 'openid profile email',
};

/** CIS2's ACR values for authenticators of AAL2 and AAL3, every one of them multi-factor (docs/sso.md). */
const DEFAULT_MFA_ACR: Record<SsoProviderKind, readonly string[]> = {
  cis2: ['AAL3_ANY', 'AAL2_OR_ABOVE', 'AAL2_ANY'],
  entra: [],
  oidc: [],
};

const ID = /^[a-z][a-z0-9-]{0,30}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The prefix of a provider's variables: SSO_ then its id in capitals, hyphens as underscores. */
export const ssoPrefix = (id: string) => `SSO_${id.toUpperCase().replaceAll('-', '_')}_`;

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const yes = (v: string | undefined) => v === 'true' || v === '1' || v === 'yes';

/** One provider's settings, or the names of what is wrong with them. */
function providerOf(id: string, env: Record<string, string | undefined>, production: boolean) {
  const p = ssoPrefix(id);
  const problems: string[] = [];
  const get = (name: string) => env[p + name]?.trim() || undefined;
  const need = (name: string) => {
    const v = get(name);
    if (!v) problems.push(`${p}${name}: required for the provider "${id}"`);
    return v ?? '';
  };
  const issuer = need('ISSUER');
  if (issuer) {
    const url = URL.canParse(issuer) ? new URL(issuer) : null;
    // Plain HTTP only to this machine and never in production: the tests' provider runs there.
    const local = url?.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname) && !production;
    if (!url || (url.protocol !== 'https:' && !local))
      problems.push(`${p}ISSUER: must be an https URL (the provider's issuer identifier)`);
  }
  const kind = get('KIND') ?? 'oidc';
  if (kind !== 'cis2' && kind !== 'entra' && kind !== 'oidc')
    problems.push(`${p}KIND: must be cis2, entra or oidc`);
  const k = kind as SsoProviderKind;
  const secret = get('CLIENT_SECRET');
  const privateKeyPem = get('PRIVATE_KEY')?.replaceAll('\\n', '\n');
  if (!secret === !privateKeyPem)
    problems.push(`${p}CLIENT_SECRET: give either a client secret or ${p}PRIVATE_KEY, not both or neither`);
  if (privateKeyPem) {
    try {
      createPrivateKey(privateKeyPem);
    } catch {
      problems.push(`${p}PRIVATE_KEY: must be a private key in PEM form`);
    }
  }
  const auth: SsoClientAuth = privateKeyPem
    ? { method: 'private_key_jwt', privateKeyPem, keyId: get('KEY_ID') }
    : { method: 'client_secret_post', secret: secret ?? '' };
  const provider: SsoProvider = {
    id,
    name: need('NAME'),
    kind: k,
    issuer: issuer.replace(/\/+$/, '') || issuer,
    clientId: need('CLIENT_ID'),
    auth,
    scopes: get('SCOPES') ?? DEFAULT_SCOPES[k] ?? DEFAULT_SCOPES.oidc,
    mfaAcr: get('MFA_ACR') !== undefined ? list(get('MFA_ACR')) : (DEFAULT_MFA_ACR[k] ?? []),
    acrValues: get('ACR_VALUES'),
    trustEmail: yes(get('TRUST_EMAIL')),
    userinfo: get('USERINFO') !== undefined ? yes(get('USERINFO')) : k === 'cis2',
  };
  if (provider.scopes.split(/\s+/).indexOf('openid') < 0) problems.push(`${p}SCOPES: must include openid`);
  return { provider, problems };
}

/** Every configured provider, or the lines to report: each names its variable. */
export function ssoProvidersOf(
  env: Record<string, string | undefined>,
  production: boolean,
): { providers: SsoProvider[]; problems: string[] } {
  const ids = list(env.SSO_PROVIDERS).map((s) => s.toLowerCase());
  const problems: string[] = [];
  const providers: SsoProvider[] = [];
  for (const id of ids) {
    if (!ID.test(id)) {
      problems.push(`SSO_PROVIDERS: "${id}" must be letters, digits and hyphens, starting with a letter`);
      continue;
    }
    const r = providerOf(id, env, production);
    problems.push(...r.problems);
    providers.push(r.provider);
  }
  if (new Set(ids).size !== ids.length) problems.push('SSO_PROVIDERS: a provider is named twice');
  return { providers, problems };
}
