import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, HttpSession, signIn } from '../../../test/helpers/http-session.ts';
import {
  ProviderBrowser,
  signInWith,
  startOidcProvider,
  throughProvider,
  type TestIdentity,
  type TestOidcProvider,
} from '../../../test/helpers/oidc-provider.ts';
import { purgeSsoSignInStates } from '../../platform/sso-identities.ts';

// Single sign-on end to end against a real OpenID provider (oidc-provider) on a local port: the
// authorization code flow with PKCE, state and nonce through openid-client; organisations' rules for
// claims; first sign-ins matched to invitations; refusals; two factors; sign-out at the provider.

const PUBLIC_URL = 'http://mortar.localhost:3000';
const CIS2_SECRET = 'cis2-client-secret-for-the-tests-0123456789';
const entraKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

let idp: TestOidcProvider;
let t: TestApp;
let orgs: { leedsService: string; leedsCouncil: string };

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ');

before(async () => {
  idp = await startOidcProvider([
    {
      client_id: 'mortar-cis2',
      client_secret: CIS2_SECRET,
      redirect_uris: [`${PUBLIC_URL}/sign-in/sso/cis2/callback`],
      post_logout_redirect_uris: [`${PUBLIC_URL}/signed-out`],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: 'mortar-entra',
      redirect_uris: [`${PUBLIC_URL}/sign-in/sso/entra/callback`],
      post_logout_redirect_uris: [`${PUBLIC_URL}/signed-out`],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS256',
      jwks: {
        keys: [
          { ...entraKey.publicKey.export({ format: 'jwk' }), kid: 'mortar-1', use: 'sig', alg: 'RS256' },
        ],
      },
    },
  ]);
  t = await buildTestApp({
    demo: true,
    env: {
      PUBLIC_URL,
      SSO_PROVIDERS: 'cis2,entra,down',
      SSO_CIS2_KIND: 'cis2',
      SSO_CIS2_NAME: 'NHS Care Identity Service 2',
      SSO_CIS2_ISSUER: idp.issuer,
      SSO_CIS2_CLIENT_ID: 'mortar-cis2',
      SSO_CIS2_CLIENT_SECRET: CIS2_SECRET,
      SSO_CIS2_TRUST_EMAIL: 'true',
      SSO_ENTRA_KIND: 'entra',
      SSO_ENTRA_NAME: 'Microsoft Entra ID',
      SSO_ENTRA_ISSUER: idp.issuer,
      SSO_ENTRA_CLIENT_ID: 'mortar-entra',
      SSO_ENTRA_PRIVATE_KEY: entraKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      SSO_ENTRA_KEY_ID: 'mortar-1',
      // A provider nobody answers for: its sign-in must say so, never fail with a 500.
      SSO_DOWN_NAME: 'Nobody',
      SSO_DOWN_ISSUER: 'http://127.0.0.1:9',
      SSO_DOWN_CLIENT_ID: 'x',
      SSO_DOWN_CLIENT_SECRET: 'y',
    },
  });
  const orgId = async (email: string) =>
    (
      await t.db
        .selectFrom('users')
        .select('organisation_id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).organisation_id;
  orgs = { leedsService: await orgId('adviser@demo.test'), leedsCouncil: await orgId('admin@demo.test') };
  await t.db
    .updateTable('organisations')
    .set({ ods_code: 'RX3' })
    .where('id', '=', orgs.leedsService)
    .execute();
  await t.db
    .updateTable('organisations')
    .set({ ods_code: 'RYY' })
    .where('id', '=', orgs.leedsCouncil)
    .execute();
});
after(async () => {
  await t?.close();
  await idp?.close();
});

/** A rule added through the administrator's page, as an administrator would. */
async function addRule(admin: HttpSession, organisationId: string, rule: Record<string, string>) {
  const res = await admin.post(`/admin/organisations/${organisationId}/single-sign-on`, rule, {
    from: `/admin/organisations/${organisationId}/single-sign-on`,
  });
  assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 400));
}

async function invite(admin: HttpSession, fields: Record<string, string>) {
  const res = await admin.post('/admin/users', fields, { from: '/admin/users' });
  assert.equal(res.statusCode, 200, textOf(res.body).slice(0, 400));
}

const rbac = (org: string, roleCode: string) => ({
  nhsid_nrbac_roles: [
    {
      person_roleid: '555254240100',
      org_code: org,
      role_code: `S8000:G8000:${roleCode}`,
      activity_codes: ['B0264'],
    },
  ],
});

/** Someone new at the provider, signing in to Mortar in a browser of their own. */
async function ssoAs(providerId: string, identity: TestIdentity) {
  idp.signInAs(identity);
  const mortar = new HttpSession(t.app);
  const res = await signInWith(mortar, new ProviderBrowser(), providerId, PUBLIC_URL);
  return { mortar, res };
}

async function auditDetails(pattern: string) {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('detail', 'like', pattern)
    .execute();
  return rows.map((r) => r.detail);
}

test('the sign-in page offers a button for each provider, and passwords stay', async () => {
  const res = await anonymous(t.app).get('/sign-in');
  const text = textOf(res.body);
  assert.match(text, /Sign in with NHS Care Identity Service 2/);
  assert.match(text, /Sign in with Microsoft Entra ID/);
  assert.match(res.body, /href="\/sign-in\/sso\/cis2"/);
  assert.match(res.body, /name="password"/);
});

describe('a first sign-in is matched to an invitation, then the account is linked', () => {
  let admin: HttpSession;
  before(async () => {
    admin = await signIn(t.app, 'national.admin@demo.test');
    await addRule(admin, orgs.leedsService, {
      providerId: 'cis2',
      claim: 'role_code',
      value: 'R8000',
      role: 'adviser',
    });
    await invite(admin, {
      name: 'Nadia Ahmed',
      email: 'nadia.ahmed@nhs.net',
      role: 'adviser',
      organisationId: orgs.leedsService,
    });
  });

  const nadia: TestIdentity = {
    sub: 'cis2-uid-555254240100',
    claims: { email: 'Nadia.Ahmed@nhs.net', name: 'Nadia Ahmed', ...rbac('RX3', 'R8000') },
    acr: 'AAL3_ANY',
  };

  test('CIS2 with an AAL3 authenticator: the invited account is made and signed in, no code asked', async () => {
    const { mortar, res } = await ssoAs('cis2', nadia);
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 400));
    assert.equal(res.headers.location, '/');
    assert.ok(mortar.signedIn);
    const account = await mortar.get('/account');
    assert.match(textOf(account.body), /nadia\.ahmed@nhs\.net .*Stop smoking adviser/i);
    const user = await t.db
      .selectFrom('users as u')
      .innerJoin('user_identities as i', 'i.user_id', 'u.id')
      .select(['u.role', 'u.organisation_id', 'u.password_hash', 'i.provider_id'])
      .where('i.subject', '=', nadia.sub)
      .executeTakeFirstOrThrow();
    assert.deepEqual(user, {
      role: 'adviser',
      organisation_id: orgs.leedsService,
      password_hash: null,
      provider_id: 'cis2',
    });
    assert.equal((await auditDetails('accepted invitation % by single sign-on with cis2')).length, 1);
    const invitation = await t.db
      .selectFrom('invitations')
      .select('accepted_at')
      .where('email', '=', 'nadia.ahmed@nhs.net')
      .executeTakeFirstOrThrow();
    assert.ok(invitation.accepted_at, 'the invitation is used');
  });

  test('the next sign-in finds the link by issuer and subject, whatever the email says now', async () => {
    const { mortar, res } = await ssoAs('cis2', {
      ...nadia,
      claims: { ...nadia.claims, email: 'someone.else@nhs.net' },
    });
    assert.equal(res.statusCode, 303);
    assert.ok(mortar.signedIn);
    assert.equal(
      (await t.db.selectFrom('users').select('id').where('email', 'ilike', 'nadia.ahmed@nhs.net').execute())
        .length,
      1,
    );
  });

  test('role mapping: without a rule for the account’s role, the linked account is refused', async () => {
    const { mortar, res } = await ssoAs('cis2', {
      ...nadia,
      claims: { ...nadia.claims, ...rbac('RX3', 'R8001') },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(mortar.signedIn, false);
    assert.match(textOf(res.body), /does not give you access to Mortar in your organisation/);
  });

  test('sign-out ends the Mortar session and sends the person to the provider’s logout', async () => {
    idp.signInAs(nadia);
    const mortar = new HttpSession(t.app);
    const browser = new ProviderBrowser();
    await signInWith(mortar, browser, 'cis2', PUBLIC_URL);
    assert.ok(mortar.signedIn);
    const out = await mortar.post('/sign-out', {}, { from: '/account' });
    assert.equal(out.statusCode, 303);
    const there = new URL(String(out.headers.location));
    assert.equal(there.origin, idp.issuer);
    assert.equal(there.searchParams.get('post_logout_redirect_uri'), `${PUBLIC_URL}/signed-out`);
    assert.ok(there.searchParams.get('id_token_hint'));
    assert.equal(mortar.signedIn, false);
    assert.equal((await mortar.get('/account')).headers.location?.startsWith('/sign-in'), true);
    // At the provider: its confirmation form, then back to Mortar's signed-out page.
    const page = await browser.get(there.href);
    const html = await page.text();
    const action = /action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(action && xsrf, html.slice(0, 300));
    const confirmed = await browser.request(new URL(action, idp.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    assert.equal(confirmed.headers.get('location'), `${PUBLIC_URL}/signed-out`);
    assert.equal(idp.signOuts, 1);
  });
});

describe('refused claims end on a clear page, audited, never a 500', () => {
  before(async () => {
    const admin = await signIn(t.app, 'national.admin@demo.test');
    await invite(admin, {
      name: 'Omar Khan',
      email: 'omar.khan@nhs.net',
      role: 'adviser',
      organisationId: orgs.leedsService,
    });
  });
  const omar = (claims: Record<string, unknown>): TestIdentity => ({
    sub: `omar-${Object.keys(claims).join('-')}-${JSON.stringify(claims).length}`,
    claims: { email: 'omar.khan@nhs.net', ...claims },
    acr: 'AAL3_ANY',
  });

  for (const [name, claims, words] of [
    ['a role at another organisation (H173)', rbac('RYY', 'R8000'), /does not give you access/],
    ['no rule for the role', rbac('RX3', 'R0001'), /does not give you access/],
    ['the RBAC claim missing', {}, /does not give you access/],
  ] as const) {
    test(name, async () => {
      const before = (await auditDetails('single sign-on with cis2 refused: not-mapped')).length;
      const { mortar, res } = await ssoAs('cis2', omar(claims));
      assert.equal(res.statusCode, 403);
      assert.equal(mortar.signedIn, false);
      assert.match(textOf(res.body), words);
      assert.equal((await auditDetails('single sign-on with cis2 refused: not-mapped')).length, before + 1);
      assert.equal(
        (await t.db.selectFrom('users').select('id').where('email', '=', 'omar.khan@nhs.net').execute())
          .length,
        0,
      );
    });
  }

  test('an email the provider does not vouch for matches no invitation', async () => {
    const admin = await signIn(t.app, 'national.admin@demo.test');
    await addRule(admin, orgs.leedsService, {
      providerId: 'entra',
      claim: 'roles',
      value: 'Mortar.Adviser',
      role: 'adviser',
    });
    const { res } = await ssoAs('entra', {
      sub: 'entra-omar',
      claims: { email: 'omar.khan@nhs.net', roles: ['Mortar.Adviser'] },
    });
    assert.equal(res.statusCode, 403);
    assert.match(textOf(res.body), /did not confirm your email address/);
    assert.equal((await auditDetails('single sign-on with entra refused: email-unverified')).length, 1);
  });

  test('an unreachable provider says so (502)', async () => {
    const res = await anonymous(t.app).get('/sign-in/sso/down');
    assert.equal(res.statusCode, 502);
    assert.match(textOf(res.body), /could not reach your identity provider/);
  });

  test('an unknown provider is not found', async () => {
    assert.equal((await anonymous(t.app).get('/sign-in/sso/nobody')).statusCode, 404);
  });
});

describe('no account is taken over by its email address (H174)', () => {
  const adam: TestIdentity = {
    sub: 'entra-adam',
    claims: { email: 'adviser@demo.test', email_verified: true, roles: ['Mortar.Adviser'] },
    amr: ['pwd', 'mfa'],
  };

  test('a verified, mapped email of an existing account is refused until its owner links it', async () => {
    const { mortar, res } = await ssoAs('entra', adam);
    assert.equal(res.statusCode, 403);
    assert.equal(mortar.signedIn, false);
    assert.match(textOf(res.body), /You already have a Mortar account/);
    assert.equal(
      (await t.db.selectFrom('user_identities').select('subject').where('subject', '=', adam.sub).execute())
        .length,
      0,
    );
  });

  test('the owner links it after signing in with their password; then it signs them in', async () => {
    const owner = await signIn(t.app, 'adviser@demo.test');
    idp.signInAs(adam);
    const start = await owner.post('/account/single-sign-on/entra', {}, { from: '/account' });
    assert.equal(start.statusCode, 303);
    const linked = await owner.get(await throughProvider(new ProviderBrowser(), start, PUBLIC_URL));
    assert.equal(linked.headers.location, '/account#single-sign-on');
    assert.match(textOf((await owner.get('/account')).body), /Linked to Microsoft Entra ID/);
    const { mortar, res } = await ssoAs('entra', adam);
    assert.equal(res.statusCode, 303);
    assert.match(textOf((await mortar.get('/account')).body), /adviser@demo\.test/);
  });

  test('a link started by someone else’s session cannot be finished by another browser', async () => {
    const owner = await signIn(t.app, 'manager@demo.test');
    idp.signInAs({ ...adam, sub: 'entra-intruder' });
    const start = await owner.post('/account/single-sign-on/entra', {}, { from: '/account' });
    const callback = await throughProvider(new ProviderBrowser(), start, PUBLIC_URL);
    // The provider's answer taken to another browser, which has no cookie for it.
    const other = await anonymous(t.app).get(callback);
    assert.equal(other.statusCode, 400);
    assert.equal(
      (
        await t.db
          .selectFrom('user_identities')
          .select('subject')
          .where('subject', '=', 'entra-intruder')
          .execute()
      ).length,
      0,
    );
  });
});

describe('state and nonce', () => {
  const ready = async () => {
    idp.signInAs({
      sub: 'cis2-uid-555254240100',
      claims: { email: 'nadia.ahmed@nhs.net', ...rbac('RX3', 'R8000') },
      acr: 'AAL3_ANY',
    });
    const mortar = new HttpSession(t.app);
    const start = await mortar.get('/sign-in/sso/cis2');
    return { mortar, callback: await throughProvider(new ProviderBrowser(), start, PUBLIC_URL) };
  };

  test('a callback with another state is refused', async () => {
    const { mortar, callback } = await ready();
    const res = await mortar.get(callback.replace(/state=[^&]+/, 'state=forged'));
    assert.equal(res.statusCode, 400);
    assert.equal(mortar.signedIn, false);
    assert.match(textOf(res.body), /could not be checked/);
  });

  test('an ID token for another nonce is refused', async () => {
    const { mortar, callback } = await ready();
    await t.db.updateTable('sso_sign_in_states').set({ nonce: 'another-sign-in' }).execute();
    const res = await mortar.get(callback);
    assert.equal(res.statusCode, 400);
    assert.equal(mortar.signedIn, false);
  });

  test('a provider’s answer is taken once', async () => {
    const { mortar, callback } = await ready();
    assert.equal((await mortar.get(callback)).statusCode, 303);
    const again = new HttpSession(t.app);
    assert.equal((await again.get(callback)).statusCode, 400);
  });
});

describe('two factors', () => {
  before(async () => {
    const admin = await signIn(t.app, 'national.admin@demo.test');
    await addRule(admin, orgs.leedsCouncil, {
      providerId: 'entra',
      claim: 'groups',
      value: 'admins-group',
      role: 'administrator',
    });
    await invite(admin, {
      name: 'Sam Lee',
      email: 'sam.lee@leeds.gov.uk',
      role: 'administrator',
      organisationId: orgs.leedsCouncil,
    });
  });
  const sam = (amr: string[]): TestIdentity => ({
    sub: 'entra-sam',
    claims: { email: 'sam.lee@leeds.gov.uk', email_verified: true, groups: ['admins-group'] },
    amr,
  });

  test('an administrator without the provider’s two factors must set up Mortar’s', async () => {
    const { mortar, res } = await ssoAs('entra', sam(['pwd']));
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in\/set-up/);
    assert.equal(mortar.signedIn, false);
  });

  test('with the provider’s two factors (amr mfa) the administrator is signed in', async () => {
    const { mortar, res } = await ssoAs('entra', sam(['pwd', 'mfa']));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.ok(mortar.signedIn);
    const audited = await t.db
      .selectFrom('audit_events as a')
      .innerJoin('users as u', 'u.id', 'a.actor_user_id')
      .select('a.detail')
      .where('u.email', '=', 'sam.lee@leeds.gov.uk')
      .where('a.detail', 'like', 'signed in with%')
      .execute();
    assert.deepEqual(
      audited.map((r) => r.detail),
      ['signed in with entra, two factors at the provider'],
    );
  });
});

describe('the administrator’s page of rules', () => {
  test('errors are shown with what was typed; rules of another organisation are out of reach', async () => {
    const admin = await signIn(t.app, 'admin@demo.test');
    const url = `/admin/organisations/${orgs.leedsCouncil}/single-sign-on`;
    const page = await admin.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /admins-group/);
    const empty = await admin.post(url, { claim: 'groups' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /nhsuk-error-summary/);
    assert.match(empty.body, /value="groups"/);
    const wrongClaim = await admin.post(url, {
      providerId: 'cis2',
      claim: 'email',
      value: 'x',
      role: 'referrer',
    });
    assert.equal(wrongClaim.statusCode, 400);
    assert.match(textOf(wrongClaim.body), /Select a claim that NHS Care Identity Service 2 gives/);
    const national = await admin.post(url, {
      providerId: 'entra',
      claim: 'groups',
      value: 'x',
      role: 'national_administrator',
    });
    assert.equal(national.statusCode, 403);
    assert.equal(
      (await admin.get(`/admin/organisations/${orgs.leedsService}/single-sign-on`)).statusCode,
      404,
    );
  });

  test('removing a rule stops the sign-ins it allowed', async () => {
    const admin = await signIn(t.app, 'national.admin@demo.test');
    const rule = await t.db
      .selectFrom('sso_role_mappings')
      .select('id')
      .where('value', '=', 'Mortar.Adviser')
      .executeTakeFirstOrThrow();
    const res = await admin.post(
      `/admin/organisations/${orgs.leedsService}/single-sign-on/${rule.id}/delete`,
      {},
      { from: '/account' },
    );
    assert.equal(res.statusCode, 303);
    const { mortar } = await ssoAs('entra', {
      sub: 'entra-adam',
      claims: { email: 'adviser@demo.test', email_verified: true, roles: ['Mortar.Adviser'] },
      amr: ['mfa'],
    });
    assert.equal(mortar.signedIn, false);
  });
});

test('sign-ins sent to a provider that never came back are purged after 10 minutes', async () => {
  await anonymous(t.app).get('/sign-in/sso/cis2');
  const left = async () =>
    (await t.db.selectFrom('sso_sign_in_states').select('token_hash').execute()).length;
  assert.ok((await left()) >= 1);
  assert.equal(await purgeSsoSignInStates(t.db, new Date(t.clock.now().getTime() + 9 * 60_000)), 0);
  assert.ok((await purgeSsoSignInStates(t.db, new Date(t.clock.now().getTime() + 11 * 60_000))) >= 1);
  assert.equal(await left(), 0);
});
