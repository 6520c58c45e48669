import type { Role } from '../../platform/roles.ts';
import type { SsoProviderKind } from '../../platform/sso-config.ts';

// What an identity provider's claims earn in Mortar, and who a sign-in is. Pure: the claims, the
// organisations' rules and what the database holds are passed in (docs/sso.md).

export type Claims = Record<string, unknown>;

/** An organisation's rule: the claim holding this value may hold this role there. */
export type MappingRule = {
  organisationId: string;
  /** The organisation's ODS code: CIS2's roles name their organisation by it. */
  odsCode: string | null;
  claim: string;
  value: string;
  role: Role;
};

export type Grant = { organisationId: string; role: Role };

/** The claims an administrator can map, for each kind of provider; any top-level claim for plain OIDC. */
export const MAPPABLE_CLAIMS: Record<SsoProviderKind, readonly { value: string; text: string }[]> = {
  cis2: [
    { value: 'role_code', text: 'Job role code (role_code), like R8000' },
    { value: 'activity_codes', text: 'Activity code (activity_codes), like B0264' },
  ],
  entra: [
    { value: 'roles', text: 'App role (roles)' },
    { value: 'groups', text: 'Group object ID (groups)' },
  ],
  oidc: [],
};

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;

/** Whether a claim may be mapped for this kind of provider. */
export function claimMappable(kind: SsoProviderKind, claim: string): boolean {
  if (kind === 'oidc') return CLAIM_NAME.test(claim);
  return MAPPABLE_CLAIMS[kind].some((c) => c.value === claim);
}

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

type RbacEntry = { personRoleId: string; orgCode: string; roleCodes: string[]; activityCodes: string[] };

/**
 * CIS2's national RBAC roles (nhsid_nrbac_roles), each naming its organisation by ODS code. A role code
 * like "S8000:G8000:R8000" counts as itself and as each of its parts. When the person chose a role as they
 * signed in (selected_roleid), only that one counts.
 */
export function rbacEntries(claims: Claims): RbacEntry[] {
  const raw = Array.isArray(claims.nhsid_nrbac_roles) ? claims.nhsid_nrbac_roles : [];
  const entries = raw
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => {
      const roleCode = typeof e.role_code === 'string' ? e.role_code : '';
      return {
        personRoleId: typeof e.person_roleid === 'string' ? e.person_roleid : '',
        orgCode: typeof e.org_code === 'string' ? e.org_code.trim().toUpperCase() : '',
        roleCodes: roleCode ? [roleCode, ...roleCode.split(':')] : [],
        activityCodes: strings(e.activity_codes),
      };
    })
    .filter((e) => e.orgCode !== '');
  const selected = typeof claims.selected_roleid === 'string' ? claims.selected_roleid : null;
  return selected === null ? entries : entries.filter((e) => e.personRoleId === selected);
}

function ruleMatches(kind: SsoProviderKind, claims: Claims, entries: RbacEntry[], rule: MappingRule) {
  if (kind !== 'cis2') return strings(claims[rule.claim]).includes(rule.value);
  // The role and the organisation must come from the same entry: a role held elsewhere earns nothing here.
  const ods = rule.odsCode?.trim().toUpperCase();
  if (!ods) return false;
  return entries.some(
    (e) =>
      e.orgCode === ods &&
      (rule.claim === 'role_code'
        ? e.roleCodes
        : rule.claim === 'activity_codes'
          ? e.activityCodes
          : []
      ).includes(rule.value),
  );
}

/** The (organisation, role) pairs the claims earn under the organisations' rules, each once. */
export function grantsFromClaims(
  kind: SsoProviderKind,
  claims: Claims,
  rules: readonly MappingRule[],
): Grant[] {
  const entries = kind === 'cis2' ? rbacEntries(claims) : [];
  const seen = new Map<string, Grant>();
  for (const rule of rules) {
    if (!ruleMatches(kind, claims, entries, rule)) continue;
    seen.set(`${rule.organisationId}\n${rule.role}`, {
      organisationId: rule.organisationId,
      role: rule.role,
    });
  }
  return [...seen.values()];
}

/**
 * Entra ID's issuer names one tenant (https://login.microsoftonline.com/<tenant>/v2.0): a token whose `tid`
 * is another tenant's is refused, whatever else it says. Other providers have no tenant.
 */
export function tenantMismatch(kind: SsoProviderKind, issuer: string, claims: Claims): boolean {
  if (kind !== 'entra') return false;
  const tenant = /^https:\/\/login\.microsoftonline\.com\/([^/]+)\//i.exec(`${issuer}/`)?.[1];
  if (!tenant) return false;
  return typeof claims.tid !== 'string' || claims.tid.toLowerCase() !== tenant.toLowerCase();
}

/** The email address the provider gives, and whether it vouches for it (docs/sso.md, Email addresses). */
export function emailOf(claims: Claims, trustEmail: boolean): { email: string | null; verified: boolean } {
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim() : null;
  // xms_edov: Entra ID's "the domain of this address is verified by its owner".
  const verified = claims.email_verified === true || claims.xms_edov === true || trustEmail;
  return { email, verified: email !== null && verified };
}

/**
 * Whether the provider says the person used more than one factor: an acr value the provider's settings
 * name (CIS2's AAL2 and AAL3 classes), an Entra ID authentication context (acrs) among them, or `mfa` in
 * amr (RFC 8176). Only claims from the ID token count: it is signed by the provider.
 */
export function providerAssertsMfa(idTokenClaims: Claims, mfaAcr: readonly string[]): boolean {
  const acr = typeof idTokenClaims.acr === 'string' ? idTokenClaims.acr : null;
  if (acr !== null && mfaAcr.includes(acr)) return true;
  if (strings(idTokenClaims.acrs).some((a) => mfaAcr.includes(a))) return true;
  return strings(idTokenClaims.amr).includes('mfa');
}

export type Refusal =
  | 'not-mapped'
  | 'role-not-mapped'
  | 'tenant'
  | 'no-email'
  | 'email-unverified'
  | 'no-invitation'
  | 'account-exists'
  | 'disabled'
  | 'identity-taken';

export type SignInDecision =
  | { kind: 'sign-in'; userId: string }
  | { kind: 'create'; invitationId: string }
  | { kind: 'link'; userId: string }
  | { kind: 'refuse'; reason: Refusal };

type Account = { userId: string; organisationId: string; role: Role; active: boolean };

const holds = (grants: readonly Grant[], organisationId: string, role: Role) =>
  grants.some((g) => g.organisationId === organisationId && g.role === role);

function refusalFor(grants: readonly Grant[], organisationId: string, role: Role): SignInDecision | null {
  if (holds(grants, organisationId, role)) return null;
  const elsewhere = grants.some((g) => g.organisationId === organisationId);
  return { kind: 'refuse', reason: elsewhere ? 'role-not-mapped' : 'not-mapped' };
}

/**
 * Who a single sign-on is (docs/sso.md, Who a sign-in is):
 * - an identity already linked signs in to its account, while the claims earn that account's organisation
 *   and role (a claim never moves anyone to another organisation or role: invitations do);
 * - a signed-in member of staff linking their own account needs the claims to earn their organisation
 *   and role, and an identity nobody else holds;
 * - otherwise the first sign-in must match a valid invitation for the provider's verified email address,
 *   whose organisation and role the claims earn. An account with that email but no link is never taken
 *   over: its owner links it after signing in with their password.
 */
export function decideSignIn(a: {
  grants: readonly Grant[];
  tenantMismatch: boolean;
  linked: Account | null;
  linking: Account | null;
  email: { email: string | null; verified: boolean };
  invitation: { id: string; organisationId: string; role: Role } | null;
  accountWithEmail: boolean;
}): SignInDecision {
  if (a.tenantMismatch) return { kind: 'refuse', reason: 'tenant' };
  if (a.linking) {
    if (a.linked && a.linked.userId !== a.linking.userId) return { kind: 'refuse', reason: 'identity-taken' };
    return (
      refusalFor(a.grants, a.linking.organisationId, a.linking.role) ?? {
        kind: 'link',
        userId: a.linking.userId,
      }
    );
  }
  if (a.linked) {
    if (!a.linked.active) return { kind: 'refuse', reason: 'disabled' };
    return (
      refusalFor(a.grants, a.linked.organisationId, a.linked.role) ?? {
        kind: 'sign-in',
        userId: a.linked.userId,
      }
    );
  }
  if (a.grants.length === 0) return { kind: 'refuse', reason: 'not-mapped' };
  if (!a.email.email) return { kind: 'refuse', reason: 'no-email' };
  if (!a.email.verified) return { kind: 'refuse', reason: 'email-unverified' };
  if (a.invitation)
    return (
      refusalFor(a.grants, a.invitation.organisationId, a.invitation.role) ?? {
        kind: 'create',
        invitationId: a.invitation.id,
      }
    );
  return { kind: 'refuse', reason: a.accountWithEmail ? 'account-exists' : 'no-invitation' };
}

/** What the person is told for each refusal: what happened and what to do. */
export const REFUSAL_TEXT: Record<Refusal, string> = {
  'not-mapped':
    'Your account with this identity provider does not give you access to Mortar in your organisation. Ask your organisation’s Mortar administrator to check your role.',
  'role-not-mapped':
    'Your role with this identity provider does not match your role in Mortar. Ask your organisation’s Mortar administrator to check it.',
  tenant: 'This identity provider signed you in for an organisation that Mortar does not accept here.',
  'no-email':
    'Your identity provider did not give Mortar your email address, so Mortar cannot find your invitation. Ask your administrator.',
  'email-unverified':
    'Your identity provider did not confirm your email address, so Mortar cannot match it to your invitation. Ask your administrator.',
  'no-invitation':
    'You do not have a Mortar account yet. Ask your organisation’s Mortar administrator to invite you, then sign in again.',
  'account-exists':
    'You already have a Mortar account. Sign in with your email address and password, then link this identity provider from Your account.',
  disabled: 'Your Mortar account has been disabled. Ask your organisation’s Mortar administrator.',
  'identity-taken':
    'This identity is already linked to another Mortar account, so it cannot be linked to yours.',
};
