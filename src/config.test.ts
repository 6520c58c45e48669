import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

// The sign-in settings of issue 10: what replaced the lockout, the absolute session lifetime and the
// address used in emailed links.

const env = (extra: Record<string, string> = {}) => ({ NODE_ENV: 'test', ...extra });
const refusedNaming = (e: Record<string, string>, name: string, words?: RegExp) =>
  assert.throws(
    () => loadConfig(e),
    (err: unknown) =>
      err instanceof ConfigError && err.message.includes(`${name}: `) && (!words || words.test(err.message)),
  );

test('sign-in waits have defaults, and the lockout settings that went stop start-up with what replaced them', () => {
  assert.deepEqual(loadConfig(env()).signInThrottle, {
    freeFailures: 5,
    maxWaitMs: 15 * 60_000,
    accountMaxWaitMs: 60_000,
  });
  assert.deepEqual(
    loadConfig(
      env({
        SIGN_IN_FREE_FAILURES: '3',
        SIGN_IN_BACKOFF_MAX_MINUTES: '30',
        SIGN_IN_ACCOUNT_BACKOFF_MAX_SECONDS: '20',
      }),
    ).signInThrottle,
    { freeFailures: 3, maxWaitMs: 30 * 60_000, accountMaxWaitMs: 20_000 },
  );
  refusedNaming(env({ SIGN_IN_MAX_FAILURES: '5' }), 'SIGN_IN_MAX_FAILURES', /SIGN_IN_FREE_FAILURES/);
  refusedNaming(env({ SIGN_IN_LOCKOUT_MINUTES: '15' }), 'SIGN_IN_LOCKOUT_MINUTES', /no longer locked/);
  refusedNaming(env({ SIGN_IN_FREE_FAILURES: '0' }), 'SIGN_IN_FREE_FAILURES');
});

test('a session lasts 12 hours idle and 24 in all by default; both can be set', () => {
  const c = loadConfig(env());
  assert.equal(c.sessionTtlMs, 12 * 3600_000);
  assert.equal(c.sessionMaxMs, 24 * 3600_000);
  assert.equal(loadConfig(env({ SESSION_MAX_HOURS: '8' })).sessionMaxMs, 8 * 3600_000);
  refusedNaming(env({ SESSION_MAX_HOURS: '0' }), 'SESSION_MAX_HOURS');
});

test('PUBLIC_URL: the local address outside production, required in production, no trailing slash', () => {
  assert.equal(loadConfig(env({ PORT: '4000' })).publicUrl, 'http://localhost:4000');
  assert.equal(
    loadConfig(env({ PUBLIC_URL: 'https://mortar.example.nhs.uk/' })).publicUrl,
    'https://mortar.example.nhs.uk',
  );
  refusedNaming(env({ PUBLIC_URL: 'ftp://mortar.example' }), 'PUBLIC_URL');
  const production = {
    NODE_ENV: 'production',
    COOKIE_SECRET: 'x'.repeat(32),
    TWO_FACTOR_KEY: 'k'.repeat(32),
  };
  refusedNaming(production, 'PUBLIC_URL', /required when NODE_ENV=production/);
  assert.equal(
    loadConfig({ ...production, PUBLIC_URL: 'https://mortar.example.nhs.uk' }).publicUrl,
    'https://mortar.example.nhs.uk',
  );
});

const production = {
  NODE_ENV: 'production',
  COOKIE_SECRET: 'a-cookie-secret-of-32-characters-or-more',
  PUBLIC_URL: 'https://mortar.example.org',
  TWO_FACTOR_KEY: 'a-two-factor-key-of-32-characters-or-more',
};

test('production requires TWO_FACTOR_KEY, which seals two-factor secrets', () => {
  const { TWO_FACTOR_KEY: _, ...without } = production;
  refusedNaming(without, 'TWO_FACTOR_KEY', /required when NODE_ENV=production/);
  assert.equal(loadConfig(production).twoFactorKey, production.TWO_FACTOR_KEY);
});

test('production refuses MORTAR_LOAD_DEMO=true, naming the variable', () => {
  for (const value of ['true', '1', 'yes']) {
    assert.throws(
      () => loadConfig({ ...production, MORTAR_LOAD_DEMO: value }),
      (err: unknown) => err instanceof ConfigError && /MORTAR_LOAD_DEMO/.test(err.message),
    );
  }
});

test('production never loads demonstration data by default, embedded or not', () => {
  assert.equal(loadConfig(production).loadDemo, false);
  assert.equal(
    loadConfig({ ...production, DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/d' }).loadDemo,
    false,
  );
  assert.equal(loadConfig({ ...production, MORTAR_LOAD_DEMO: 'false' }).loadDemo, false);
});

test('outside production MORTAR_LOAD_DEMO is read as given, unset leaving the choice to the database kind', () => {
  assert.equal(loadConfig({ NODE_ENV: 'development' }).loadDemo, undefined);
  assert.equal(loadConfig({ NODE_ENV: 'development', MORTAR_LOAD_DEMO: 'true' }).loadDemo, true);
  assert.equal(loadConfig({ NODE_ENV: 'test', MORTAR_LOAD_DEMO: 'no' }).loadDemo, false);
});

test('webhooks may reach private addresses outside production only, and never when production is asked to', () => {
  assert.deepEqual(loadConfig(env()).webhooks, { allowPrivateAddresses: true, timeoutMs: 10_000 });
  assert.equal(loadConfig(production).webhooks.allowPrivateAddresses, false);
  refusedNaming(
    { ...production, WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true' },
    'WEBHOOKS_ALLOW_PRIVATE_ADDRESSES',
  );
  assert.equal(
    loadConfig(env({ WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'false' })).webhooks.allowPrivateAddresses,
    false,
  );
  refusedNaming(env({ WEBHOOK_TIMEOUT_SECONDS: '60' }), 'WEBHOOK_TIMEOUT_SECONDS');
});

test('letters by secure email: off until an SMTP host is set, then checked whole; never unencrypted in production', () => {
  assert.deepEqual(loadConfig(env()).letters, { smtp: null, secureDomains: ['nhs.net'] });
  const host = { LETTERS_SMTP_HOST: 'smtp.office365.com', LETTERS_SMTP_FROM: 'leeds.stopsmoking@nhs.net' };
  assert.deepEqual(
    loadConfig(env({ ...host, LETTERS_SMTP_USER: 'leeds.stopsmoking@nhs.net', LETTERS_SMTP_PASSWORD: 'pw' }))
      .letters.smtp,
    {
      host: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
      auth: { user: 'leeds.stopsmoking@nhs.net', pass: 'pw' },
      from: 'leeds.stopsmoking@nhs.net',
    },
  );
  refusedNaming(env({ LETTERS_SMTP_HOST: 'smtp.office365.com' }), 'LETTERS_SMTP_FROM');
  refusedNaming(env({ LETTERS_SMTP_USER: 'a@nhs.net' }), 'LETTERS_SMTP_HOST');
  refusedNaming(env({ ...host, LETTERS_SMTP_USER: 'a@nhs.net' }), 'LETTERS_SMTP_PASSWORD');
  refusedNaming(env({ ...host, LETTERS_SMTP_FROM: 'not an address' }), 'LETTERS_SMTP_FROM');
  const production = {
    NODE_ENV: 'production',
    COOKIE_SECRET: 'x'.repeat(32),
    PUBLIC_URL: 'https://mortar.example',
    TWO_FACTOR_KEY: 'k'.repeat(32),
  };
  refusedNaming(
    { ...production, ...host, LETTERS_SMTP_SECURITY: 'none' },
    'LETTERS_SMTP_SECURITY',
    /starttls or tls/,
  );
  assert.equal(loadConfig({ ...production, ...host }).letters.smtp?.security, 'starttls');
  assert.deepEqual(
    loadConfig(env({ LETTERS_SECURE_DOMAINS: ' NHS.net, leeds.gov.uk ' })).letters.secureDomains,
    ['nhs.net', 'leeds.gov.uk'],
  );
  refusedNaming(env({ LETTERS_SECURE_DOMAINS: 'nhs.net, *.gov.uk' }), 'LETTERS_SECURE_DOMAINS');
  refusedNaming(env({ LETTERS_SECURE_DOMAINS: ' , ' }), 'LETTERS_SECURE_DOMAINS');
});

test('identity providers for single sign-on: each named in SSO_PROVIDERS, checked, with defaults by kind', () => {
  const cis2 = {
    SSO_PROVIDERS: 'cis2',
    SSO_CIS2_KIND: 'cis2',
    SSO_CIS2_NAME: 'NHS Care Identity Service 2',
    SSO_CIS2_ISSUER: 'https://cis2.example.nhs.uk/realms/Healthcare/',
    SSO_CIS2_CLIENT_ID: 'mortar',
    SSO_CIS2_CLIENT_SECRET: 'secret',
  };
  assert.deepEqual(loadConfig(env()).ssoProviders, []);
  const [p] = loadConfig(env(cis2)).ssoProviders;
  assert.equal(p?.issuer, 'https://cis2.example.nhs.uk/realms/Healthcare');
  assert.equal(p?.scopes, 'openid profile email nationalrbacaccess');
  assert.deepEqual(p?.mfaAcr, ['AAL3_ANY', 'AAL2_OR_ABOVE', 'AAL2_ANY']);
  assert.equal(p?.userinfo, true);
  assert.deepEqual(p?.auth, { method: 'client_secret_post', secret: 'secret' });
  refusedNaming(env({ ...cis2, SSO_CIS2_ISSUER: 'http://cis2.example.nhs.uk' }), 'SSO_CIS2_ISSUER', /https/);
  // Plain HTTP to this machine is for the tests' provider, never production.
  assert.equal(loadConfig(env({ ...cis2, SSO_CIS2_ISSUER: 'http://127.0.0.1:4000' })).ssoProviders.length, 1);
  refusedNaming(
    {
      ...cis2,
      NODE_ENV: 'production',
      COOKIE_SECRET: 'x'.repeat(32),
      PUBLIC_URL: 'https://mortar.example.nhs.uk',
      TWO_FACTOR_KEY: 'k'.repeat(32),
      SSO_CIS2_ISSUER: 'http://127.0.0.1:4000',
    },
    'SSO_CIS2_ISSUER',
  );
  refusedNaming(env({ ...cis2, SSO_CIS2_CLIENT_ID: '' }), 'SSO_CIS2_CLIENT_ID');
  refusedNaming(env({ ...cis2, SSO_CIS2_KIND: 'saml' }), 'SSO_CIS2_KIND');
  refusedNaming(env({ ...cis2, SSO_CIS2_PRIVATE_KEY: 'not a key' }), 'SSO_CIS2_CLIENT_SECRET', /not both/);
  refusedNaming(
    env({ ...cis2, SSO_CIS2_CLIENT_SECRET: '', SSO_CIS2_PRIVATE_KEY: 'not a key' }),
    'SSO_CIS2_PRIVATE_KEY',
  );
  refusedNaming(env({ ...cis2, SSO_CIS2_SCOPES: 'profile' }), 'SSO_CIS2_SCOPES');
  refusedNaming(env({ SSO_PROVIDERS: 'Bad Id' }), 'SSO_PROVIDERS');
});

test('MIGRATE_ON_START: serve migrates by default; false leaves it to `migrate` on deploy', () => {
  assert.equal(loadConfig(env()).migrateOnStart, true);
  assert.equal(loadConfig(env({ MIGRATE_ON_START: 'false' })).migrateOnStart, false);
  refusedNaming(env({ MIGRATE_ON_START: 'sometimes' }), 'MIGRATE_ON_START');
});

test('a read replica needs a server primary, and its lag limits have defaults', () => {
  const primary = 'postgres://mortar:pw@db.example:5432/mortar';
  const replica = 'postgres://mortar_read:pw@replica.example:5432/mortar';
  assert.equal(loadConfig(env()).readReplica, null);
  assert.equal(loadConfig(env({ DATABASE_URL: primary })).readReplica, null);
  assert.deepEqual(loadConfig(env({ DATABASE_URL: primary, READ_DATABASE_URL: replica })).readReplica, {
    url: replica,
    noticeSeconds: 30,
    maxSeconds: 300,
  });
  assert.deepEqual(
    loadConfig(
      env({
        DATABASE_URL: primary,
        READ_DATABASE_URL: replica,
        REPLICA_LAG_NOTICE_SECONDS: '0',
        REPLICA_MAX_LAG_SECONDS: '60',
      }),
    ).readReplica,
    { url: replica, noticeSeconds: 0, maxSeconds: 60 },
  );
  // The embedded database (no DATABASE_URL) has no replica: refused at start-up, naming the variable.
  refusedNaming(env({ READ_DATABASE_URL: replica }), 'READ_DATABASE_URL', /DATABASE_URL/);
  refusedNaming(env({ DATABASE_URL: primary, READ_DATABASE_URL: 'http://replica' }), 'READ_DATABASE_URL');
  refusedNaming(env({ DATABASE_URL: primary, REPLICA_MAX_LAG_SECONDS: '0' }), 'REPLICA_MAX_LAG_SECONDS');
  refusedNaming(
    env({ DATABASE_URL: primary, REPLICA_LAG_NOTICE_SECONDS: 'soon' }),
    'REPLICA_LAG_NOTICE_SECONDS',
  );
});
