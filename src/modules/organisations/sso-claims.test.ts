import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROLES, type Role } from '../../platform/roles.ts';
import {
  claimMappable,
  decideSignIn,
  emailOf,
  grantsFromClaims,
  providerAssertsMfa,
  rbacEntries,
  tenantMismatch,
  type Grant,
  type MappingRule,
} from './sso-claims.ts';

const LEEDS = 'org-leeds';
const YORK = 'org-york';
const rule = (r: Partial<MappingRule> & Pick<MappingRule, 'claim' | 'value' | 'role'>): MappingRule => ({
  organisationId: LEEDS,
  odsCode: 'RX3',
  ...r,
});

// The shape CIS2's userinfo gives with the nationalrbacaccess scope (docs/sso.md).
const cis2Claims = {
  sub: '910000000001',
  nhsid_nrbac_roles: [
    {
      person_roleid: '555254240100',
      org_code: 'RX3',
      role_code: 'S8000:G8000:R8000',
      role_name: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
      activity_codes: ['B0264', 'B0428'],
    },
    {
      person_roleid: '555254240101',
      org_code: 'RYY',
      role_code: 'S8001:G8001:R8001',
      activity_codes: ['B0570'],
    },
  ],
};

describe('CIS2 roles earn access only in the organisation they name', () => {
  test('a role code, any part of it, or an activity code maps, in the organisation with that ODS code', () => {
    const rules = [
      rule({ claim: 'role_code', value: 'R8000', role: 'adviser' }),
      rule({ claim: 'activity_codes', value: 'B0428', role: 'referrer' }),
      rule({ claim: 'role_code', value: 'S8000:G8000:R8000', role: 'service_manager' }),
    ];
    assert.deepEqual(
      grantsFromClaims('cis2', cis2Claims, rules).map((g) => g.role),
      ['adviser', 'referrer', 'service_manager'],
    );
  });

  test('a role held in another organisation earns nothing here (H173)', () => {
    // R8001 is held at RYY; Leeds (RX3) maps R8001, so must not get it from the RYY entry.
    const rules = [rule({ claim: 'role_code', value: 'R8001', role: 'adviser' })];
    assert.deepEqual(grantsFromClaims('cis2', cis2Claims, rules), []);
    // York has RYY: its rule matches.
    const york = [
      rule({ organisationId: YORK, odsCode: 'ryy', claim: 'role_code', value: 'R8001', role: 'adviser' }),
    ];
    assert.deepEqual(grantsFromClaims('cis2', cis2Claims, york), [{ organisationId: YORK, role: 'adviser' }]);
  });

  test('an organisation without an ODS code earns nothing from CIS2', () => {
    const rules = [rule({ odsCode: null, claim: 'role_code', value: 'R8000', role: 'adviser' })];
    assert.deepEqual(grantsFromClaims('cis2', cis2Claims, rules), []);
  });

  test('the role chosen at sign-in (selected_roleid) is the only one that counts', () => {
    const claims = { ...cis2Claims, selected_roleid: '555254240101' };
    assert.deepEqual(
      rbacEntries(claims).map((e) => e.orgCode),
      ['RYY'],
    );
    assert.deepEqual(
      grantsFromClaims('cis2', claims, [rule({ claim: 'role_code', value: 'R8000', role: 'adviser' })]),
      [],
    );
  });

  test('missing or malformed RBAC claims earn nothing and never throw', () => {
    const rules = [rule({ claim: 'role_code', value: 'R8000', role: 'adviser' })];
    for (const bad of [
      {},
      { nhsid_nrbac_roles: 'R8000' },
      { nhsid_nrbac_roles: [null, 3, { role_code: 'R8000' }] },
    ])
      assert.deepEqual(grantsFromClaims('cis2', bad, rules), []);
  });

  test('property: every grant comes from one RBAC entry holding the value at the rule’s ODS code', () => {
    const code = fc.constantFrom('R8000', 'R8001', 'R0260', 'B0264', 'B0428');
    const ods = fc.constantFrom('RX3', 'RYY', 'A81001');
    const entry = fc.record({
      person_roleid: fc.constantFrom('1', '2', '3'),
      org_code: ods,
      role_code: code,
      activity_codes: fc.array(code, { maxLength: 3 }),
    });
    const aRule = fc.record({
      organisationId: fc.constantFrom(LEEDS, YORK),
      odsCode: fc.option(ods),
      claim: fc.constantFrom('role_code', 'activity_codes'),
      value: code,
      role: fc.constantFrom(...ROLES),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.array(aRule, { maxLength: 6 }), (entries, rules) => {
        const grants = grantsFromClaims('cis2', { nhsid_nrbac_roles: entries }, rules);
        for (const g of grants) {
          const justified = rules.some(
            (r) =>
              r.organisationId === g.organisationId &&
              r.role === g.role &&
              entries.some(
                (e) =>
                  e.org_code === r.odsCode &&
                  (r.claim === 'role_code' ? e.role_code === r.value : e.activity_codes.includes(r.value)),
              ),
          );
          assert.ok(justified, JSON.stringify(g));
        }
      }),
    );
  });
});

describe('Entra ID and plain OpenID Connect claims', () => {
  test('roles and groups are arrays; a value in them maps', () => {
    const claims = { roles: ['Mortar.Adviser'], groups: ['a1b2'], tid: 'tenant-1' };
    const rules = [
      rule({ claim: 'roles', value: 'Mortar.Adviser', role: 'adviser' }),
      rule({ claim: 'groups', value: 'zzz', role: 'administrator' }),
    ];
    assert.deepEqual(grantsFromClaims('entra', claims, rules), [{ organisationId: LEEDS, role: 'adviser' }]);
  });

  test('a token from another tenant than the issuer’s is refused', () => {
    const issuer = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';
    assert.equal(tenantMismatch('entra', issuer, { tid: '11111111-2222-3333-4444-555555555555' }), false);
    assert.equal(tenantMismatch('entra', issuer, { tid: '99999999-2222-3333-4444-555555555555' }), true);
    assert.equal(tenantMismatch('entra', issuer, {}), true);
    assert.equal(tenantMismatch('cis2', issuer, {}), false);
  });

  test('which claims may be mapped: named ones for CIS2 and Entra ID, any plain name otherwise', () => {
    assert.equal(claimMappable('cis2', 'role_code'), true);
    assert.equal(claimMappable('cis2', 'email'), false);
    assert.equal(claimMappable('entra', 'groups'), true);
    assert.equal(claimMappable('oidc', 'department'), true);
    assert.equal(claimMappable('oidc', 'a b'), false);
  });
});

test('an email address counts only when the provider vouches for it', () => {
  assert.deepEqual(emailOf({ email: 'a@nhs.net', email_verified: true }, false), {
    email: 'a@nhs.net',
    verified: true,
  });
  assert.deepEqual(emailOf({ email: 'a@nhs.net' }, false), { email: 'a@nhs.net', verified: false });
  assert.deepEqual(emailOf({ email: 'a@nhs.net', email_verified: 'true' }, false).verified, false);
  assert.deepEqual(emailOf({ email: 'a@nhs.net', xms_edov: true }, false).verified, true);
  assert.deepEqual(emailOf({ email: 'a@nhs.net' }, true).verified, true);
  assert.deepEqual(emailOf({}, true), { email: null, verified: false });
});

describe('two factors from the provider', () => {
  test('CIS2’s AAL classes, an Entra authentication context or amr "mfa" count; anything else does not', () => {
    const cis2 = ['AAL3_ANY', 'AAL2_OR_ABOVE'];
    assert.equal(providerAssertsMfa({ acr: 'AAL3_ANY' }, cis2), true);
    assert.equal(providerAssertsMfa({ acr: 'AAL1_USERPASS' }, cis2), false);
    assert.equal(providerAssertsMfa({ amr: ['pwd', 'mfa'] }, []), true);
    assert.equal(providerAssertsMfa({ amr: ['pwd'] }, []), false);
    assert.equal(providerAssertsMfa({ acrs: ['c1'] }, ['c1']), true);
    assert.equal(providerAssertsMfa({ amr: 'mfa' }, []), true);
    assert.equal(providerAssertsMfa({}, cis2), false);
  });
});

describe('who a sign-in is', () => {
  const grants: Grant[] = [{ organisationId: LEEDS, role: 'adviser' }];
  const base = {
    grants,
    tenantMismatch: false,
    linked: null,
    linking: null,
    email: { email: 'a@nhs.net', verified: true },
    invitation: null,
    accountWithEmail: false,
  };
  const account = { userId: 'u1', organisationId: LEEDS, role: 'adviser' as Role, active: true };

  test('a linked identity signs in while its claims still earn the account’s organisation and role', () => {
    assert.deepEqual(decideSignIn({ ...base, linked: account }), { kind: 'sign-in', userId: 'u1' });
    assert.deepEqual(decideSignIn({ ...base, linked: { ...account, role: 'service_manager' } }), {
      kind: 'refuse',
      reason: 'role-not-mapped',
    });
    assert.deepEqual(decideSignIn({ ...base, linked: { ...account, organisationId: YORK } }), {
      kind: 'refuse',
      reason: 'not-mapped',
    });
    assert.deepEqual(decideSignIn({ ...base, linked: { ...account, active: false } }), {
      kind: 'refuse',
      reason: 'disabled',
    });
  });

  test('a first sign-in matches an invitation the claims agree with', () => {
    const invitation = { id: 'i1', organisationId: LEEDS, role: 'adviser' as Role };
    assert.deepEqual(decideSignIn({ ...base, invitation }), { kind: 'create', invitationId: 'i1' });
    assert.deepEqual(decideSignIn({ ...base, invitation: { ...invitation, role: 'administrator' } }), {
      kind: 'refuse',
      reason: 'role-not-mapped',
    });
    assert.deepEqual(decideSignIn({ ...base, invitation, email: { email: 'a@nhs.net', verified: false } }), {
      kind: 'refuse',
      reason: 'email-unverified',
    });
    assert.deepEqual(decideSignIn({ ...base, invitation, email: { email: null, verified: false } }), {
      kind: 'refuse',
      reason: 'no-email',
    });
  });

  test('an account with the same email is never taken over without a link (H174)', () => {
    assert.deepEqual(decideSignIn({ ...base, accountWithEmail: true }), {
      kind: 'refuse',
      reason: 'account-exists',
    });
    assert.deepEqual(decideSignIn(base), { kind: 'refuse', reason: 'no-invitation' });
  });

  test('linking needs the claims to earn the account’s place, and an identity nobody else holds', () => {
    assert.deepEqual(decideSignIn({ ...base, linking: account }), { kind: 'link', userId: 'u1' });
    assert.deepEqual(decideSignIn({ ...base, linking: account, linked: { ...account, userId: 'u2' } }), {
      kind: 'refuse',
      reason: 'identity-taken',
    });
    assert.deepEqual(decideSignIn({ ...base, linking: { ...account, organisationId: YORK } }).kind, 'refuse');
  });

  test('property: access is given only to an organisation and role the claims earn, never by email alone', () => {
    const org = fc.constantFrom(LEEDS, YORK);
    const role = fc.constantFrom(...ROLES);
    const acct = fc.record({
      userId: fc.constantFrom('u1', 'u2'),
      organisationId: org,
      role,
      active: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.record({
          grants: fc.array(fc.record({ organisationId: org, role }), { maxLength: 3 }),
          tenantMismatch: fc.boolean(),
          linked: fc.option(acct),
          linking: fc.option(acct),
          email: fc.record({ email: fc.option(fc.constant('a@nhs.net')), verified: fc.boolean() }),
          invitation: fc.option(fc.record({ id: fc.constant('i1'), organisationId: org, role })),
          accountWithEmail: fc.boolean(),
        }),
        (input) => {
          const d = decideSignIn(input);
          if (d.kind === 'refuse') return;
          assert.equal(input.tenantMismatch, false);
          const place =
            d.kind === 'create' ? input.invitation : d.kind === 'link' ? input.linking : input.linked;
          assert.ok(place, `${d.kind} without an invitation, a link or a linking user`);
          assert.ok(
            input.grants.some((g) => g.organisationId === place.organisationId && g.role === place.role),
          );
          if (d.kind === 'create') assert.ok(input.email.verified && input.email.email && !input.linked);
          if (d.kind === 'sign-in') assert.ok(input.linked?.active && input.linked.userId === d.userId);
        },
      ),
      // Enough draws that every combination of link, invitation, email and claims is met.
      { numRuns: 3000 },
    );
  });
});
