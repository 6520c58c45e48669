import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';
import { startE2E, type E2E } from './support.ts';
import { freePort } from '../helpers/free-port.ts';

// Single sign-on in the browser: the button on the sign-in page, the round trip through a real OpenID
// provider (oidc-provider, test/helpers/oidc-provider.ts) and back, and signing out there too, which the
// Content Security Policy must allow (form-action). Every Mortar page on the way is checked with axe.

let idp: TestOidcProvider;
let e2e: E2E;

before(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider([
    {
      client_id: 'mortar',
      client_secret: 'e2e-client-secret-0123456789',
      redirect_uris: [`${base}/sign-in/sso/cis2/callback`],
      post_logout_redirect_uris: [`${base}/signed-out`],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ]);
  e2e = await startE2E({
    port,
    env: {
      PUBLIC_URL: base,
      SSO_PROVIDERS: 'cis2',
      SSO_CIS2_KIND: 'cis2',
      SSO_CIS2_NAME: 'NHS Care Identity Service 2',
      SSO_CIS2_ISSUER: idp.issuer,
      SSO_CIS2_CLIENT_ID: 'mortar',
      SSO_CIS2_CLIENT_SECRET: 'e2e-client-secret-0123456789',
    },
  });
  // The demonstration adviser, linked to a CIS2 identity, in a service whose rule maps R8000 to advisers.
  const { db } = e2e.testApp;
  const adviser = await db
    .selectFrom('users')
    .select(['id', 'organisation_id'])
    .where('email', '=', 'adviser@demo.test')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('organisations')
    .set({ ods_code: 'RX3' })
    .where('id', '=', adviser.organisation_id)
    .execute();
  await db
    .insertInto('sso_role_mappings')
    .values({
      organisation_id: adviser.organisation_id,
      provider_id: 'cis2',
      claim: 'role_code',
      value: 'R8000',
      role: 'adviser',
      created_by: null,
    })
    .execute();
  await db
    .insertInto('user_identities')
    .values({
      issuer: idp.issuer,
      subject: 'e2e-adviser',
      provider_id: 'cis2',
      user_id: adviser.id,
      created_at: new Date(),
      last_used_at: null,
    })
    .execute();
});
after(async () => {
  await e2e?.close();
  await idp?.close();
});

test('an adviser signs in with CIS2 and out again, at Mortar and at the provider', async () => {
  idp.signInAs({
    sub: 'e2e-adviser',
    claims: {
      email: 'adviser@demo.test',
      nhsid_nrbac_roles: [
        { person_roleid: '1', org_code: 'RX3', role_code: 'S8000:G8000:R8000', activity_codes: [] },
      ],
    },
    acr: 'AAL3_ANY',
  });
  const p = await e2e.newPage();
  const { page } = p;
  await p.visit('/sign-in');
  await p.click(page.getByRole('button', { name: 'Sign in with NHS Care Identity Service 2' }));
  assert.equal(p.path, '/worklist', 'signed in, on the adviser’s first page');
  await p.visit('/account');
  assert.match(await page.locator('main').innerText(), /Adam Clarke/);

  await p.click(page.getByRole('button', { name: 'Sign out' }).first());
  assert.equal(new URL(page.url()).origin, idp.issuer, 'at the provider’s sign-out');
  await p.click(page.getByRole('button', { name: 'Yes, sign me out' }));
  assert.equal(p.path, '/signed-out');
  assert.equal(idp.signOuts, 1);
  await p.visit('/account');
  assert.match(p.path, /^\/sign-in/);
  await p.close();
});
