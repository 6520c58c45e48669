// Administration through HTTP on the real engine: organisations, sites, commissions, API keys, users,
// invitations. Each form: success, validation errors (empty, too long, script tags, wrong values),
// unknown ids, and the records it leaves behind. These act as a national administrator, who manages every
// organisation; what a local administrator may do is in grants.routes.db.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { LEEDS } from '../../demo/demo-data.ts';
import { hashToken } from '../../platform/tokens.ts';
import { currentCommissionedService } from '../referrals/referral.repository.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, selectedOption, textareaValue, textOf } from './test-html.ts';

const WAKEFIELD = 'E08000036';
const BRADFORD = 'E08000032';
const SCRIPT = '<script>alert(1)</script>';

let t: TestApp;
let admin: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  admin = await signIn(t.app, 'national.admin@demo.test');
});
after(() => t?.close());

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

const auditRows = (entityType: string, entityId: string) =>
  t.db
    .selectFrom('audit_events')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .execute();

/** Follows a redirect with the same session, as a browser would. */
async function follow(s: HttpSession, res: { statusCode: number; headers: Record<string, unknown> }) {
  assert.equal(res.statusCode, 303);
  return s.get(String(res.headers.location));
}

const yesterday = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
const dateFields = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'startsOn-day': String(Number(d)), 'startsOn-month': String(Number(m)), 'startsOn-year': y! };
};

describe('access', () => {
  test('only administrators reach the admin pages', async () => {
    const anon = anonymous(t.app);
    const res = await anon.get('/admin/organisations');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in/);
    for (const email of ['referrer@demo.test', 'commissioner@demo.test', 'analyst@demo.test']) {
      const s = await signIn(t.app, email);
      assert.equal((await s.get('/admin/organisations')).statusCode, 403, email);
      assert.equal((await s.get('/admin/users')).statusCode, 403, email);
      assert.equal((await s.post('/admin/users', { name: 'X' })).statusCode, 403, email);
    }
  });

  test('a form sent without its CSRF token is refused', async () => {
    const res = await admin.post(
      '/admin/organisations',
      { name: 'No token', type: 'foodbank', localAuthorityCode: LEEDS },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    assert.equal(
      await t.db.selectFrom('organisations').select('id').where('name', '=', 'No token').executeTakeFirst(),
      undefined,
    );
  });
});

describe('organisations', () => {
  test('the list shows name, type, local authority and number of users', async () => {
    const res = await admin.get('/admin/organisations');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Leeds Stop Smoking Service Stop smoking service Leeds 2 /);
    assert.match(text, /National Stop Smoking Data Team National body None \(national\) 2 /);
    assert.match(
      res.body,
      /<caption[^>]*class="nhsuk-table__caption"[^>]*>\s*Organisations in Mortar\s*<\/caption>/,
    );
    // Every one of the 153 upper-tier authorities is offered, after the prompt.
    const options =
      res.body
        .slice(res.body.indexOf('id="localAuthorityCode"'))
        .split('</select>')[0]!
        .match(/<option/g) ?? [];
    assert.equal(options.length, 154);
    assert.match(res.body, /name="_csrf" value="[^"]+"/);
  });

  test('adding an organisation: stored, audited, then shown with a success message', async () => {
    const res = await admin.post('/admin/organisations', {
      name: 'Wakefield Foodbank',
      type: 'foodbank',
      localAuthorityCode: WAKEFIELD,
      odsCode: ' x12ab ',
      email: 'hello@wakefield-foodbank.example',
      phone: '01924 000000',
    });
    assert.equal(res.statusCode, 303);
    const id = await orgId('Wakefield Foodbank');
    assert.equal(res.headers.location, `/admin/organisations/${id}`);
    const row = await t.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.type, 'foodbank');
    assert.equal(row.local_authority_code, WAKEFIELD);
    assert.equal(row.ods_code, 'X12AB');
    assert.equal((await auditRows('organisation', id)).length, 1);
    const page = await follow(admin, res);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Success Wakefield Foodbank has been added/);
    assert.match(textOf(page.body), /Local authority Wakefield/);
    // The message is shown once.
    assert.doesNotMatch(textOf((await admin.get(`/admin/organisations/${id}`)).body), /has been added/);
  });

  test('empty form: 400 with every problem in the error summary', async () => {
    const res = await admin.post('/admin/organisations', {});
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Error: /);
    assert.deepEqual(errorsByField(res.body), {
      name: 'Enter the organisation name',
      type: 'Select the type of organisation',
    });
  });

  test('too long, script tags, wrong type and an unknown authority are refused, and what was typed is kept', async () => {
    const long = 'A'.repeat(201);
    let res = await admin.post('/admin/organisations', {
      name: long,
      type: 'foodbank',
      localAuthorityCode: LEEDS,
      email: 'bad',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).name, 'The organisation name must be 200 characters or fewer');
    assert.match(errorsByField(res.body).email!, /correct format/);
    assert.equal(inputValue(res.body, 'name'), long);
    assert.equal(inputValue(res.body, 'email'), 'bad');
    assert.equal(selectedOption(res.body, 'localAuthorityCode'), LEEDS);
    assert.match(res.body, /id="type-\d+" name="type" type="radio" value="foodbank" checked/);

    res = await admin.post('/admin/organisations', {
      name: SCRIPT,
      type: 'foodbank',
      localAuthorityCode: LEEDS,
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body).name!, /must only include/);
    assert.ok(!res.body.includes(SCRIPT), 'the script is never echoed unescaped');
    assert.equal(inputValue(res.body, 'name'), SCRIPT);

    res = await admin.post('/admin/organisations', {
      name: 'Odd',
      type: 'spaceship',
      localAuthorityCode: 'E99999999',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).type, 'Select the type of organisation');

    res = await admin.post('/admin/organisations', {
      name: 'Odd',
      type: 'foodbank',
      localAuthorityCode: 'E99999999',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).localAuthorityCode, 'Select a local authority from the list');

    // A field sent twice is not guessed at.
    res = await admin.post('/admin/organisations', {
      name: 'Odd',
      type: 'foodbank',
      localAuthorityCode: [LEEDS, WAKEFIELD],
      odsCode: ['A1B', 'C2D'],
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      localAuthorityCode: 'Select a local authority from the list',
      odsCode: 'Enter the ODS code once, or leave it blank',
    });
    assert.equal(
      await t.db.selectFrom('organisations').select('id').where('name', '=', 'Odd').executeTakeFirst(),
      undefined,
    );
  });

  test('unknown or malformed organisation ids are 404', async () => {
    for (const id of [randomUUID(), 'not-an-id', '1%27%20or%201=1']) {
      assert.equal((await admin.get(`/admin/organisations/${id}`)).statusCode, 404, id);
      assert.equal((await admin.get(`/admin/organisations/${id}/api-keys`)).statusCode, 404, id);
      assert.equal(
        (await admin.post(`/admin/organisations/${id}/sites`, { siteName: 'X' })).statusCode,
        404,
        id,
      );
    }
  });

  test('the details page shows sites, users and, for a service, its commissions', async () => {
    const id = await orgId('Leeds Stop Smoking Service');
    const res = await admin.get(`/admin/organisations/${id}`);
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Leeds city centre clinic Merrion Centre, Leeds LS2 8NG/);
    assert.match(text, /Adam Clarke adviser@demo.test Stop smoking adviser Active/);
    assert.match(text, /Mina Hussain manager@demo.test Service manager Active/);
    assert.match(text, /Local authorities that commission this service/);
    assert.match(text, /Leeds 1 April 2025 No end date Current/);
    // A referrer's organisation has no commissions section or form.
    const tt = await admin.get(`/admin/organisations/${await orgId('Leeds NHS Talking Therapies')}`);
    assert.doesNotMatch(tt.body, /commissions"/);
    assert.equal(
      (
        await admin.post(`/admin/organisations/${await orgId('Leeds NHS Talking Therapies')}/commissions`, {
          localAuthorityCode: LEEDS,
          ...dateFields('2025-01-01'),
        })
      ).statusCode,
      404,
    );
  });
});

describe('sites', () => {
  test('adding a site stores a normalised postcode', async () => {
    const id = await orgId('Leeds Stop Smoking Service');
    const res = await admin.post(`/admin/organisations/${id}/sites`, {
      siteName: 'Chapeltown clinic',
      address: '1 Chapeltown Road\nLeeds',
      postcode: 'ls7 3jb',
    });
    assert.equal(res.statusCode, 303);
    const site = await t.db
      .selectFrom('sites')
      .selectAll()
      .where('name', '=', 'Chapeltown clinic')
      .executeTakeFirstOrThrow();
    assert.equal(site.postcode, 'LS7 3JB');
    assert.equal(site.organisation_id, id);
    const page = await follow(admin, res);
    assert.match(textOf(page.body), /Chapeltown clinic has been added/);
    assert.match(textOf(page.body), /Chapeltown clinic 1 Chapeltown Road Leeds LS7 3JB/);
  });

  test('empty, bad postcode, too long and script tags: 400, values kept', async () => {
    const id = await orgId('Leeds Stop Smoking Service');
    let res = await admin.post(`/admin/organisations/${id}/sites`, {});
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      siteName: 'Enter the site name',
      address: 'Enter the address',
      postcode: 'Enter the postcode',
    });

    res = await admin.post(`/admin/organisations/${id}/sites`, {
      siteName: 'Clinic',
      address: 'Somewhere',
      postcode: 'LS99 ZZZ',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), { postcode: 'Enter a real postcode, like LS1 4AP' });
    assert.equal(inputValue(res.body, 'siteName'), 'Clinic');
    assert.equal(textareaValue(res.body, 'address'), 'Somewhere');
    assert.equal(inputValue(res.body, 'postcode'), 'LS99 ZZZ');

    res = await admin.post(`/admin/organisations/${id}/sites`, {
      siteName: SCRIPT,
      address: 'x'.repeat(301),
      postcode: 'LS1 4AP',
    });
    assert.equal(res.statusCode, 400);
    const e = errorsByField(res.body);
    assert.match(e.siteName!, /must only include/);
    assert.equal(e.address, 'The address must be 300 characters or fewer');
    assert.ok(!res.body.includes(SCRIPT));
    assert.equal(
      await t.db.selectFrom('sites').select('id').where('name', '=', 'Clinic').executeTakeFirst(),
      undefined,
    );
  });
});

describe('commissions', () => {
  let first: string;
  let second: string;

  before(async () => {
    for (const name of ['Wakefield Stop Smoking Service', 'Yorkshire Smokefree']) {
      const res = await admin.post('/admin/organisations', {
        name,
        type: 'stop_smoking_service',
        localAuthorityCode: WAKEFIELD,
      });
      assert.equal(res.statusCode, 303);
    }
    first = await orgId('Wakefield Stop Smoking Service');
    second = await orgId('Yorkshire Smokefree');
  });

  test('commissioning a service for an authority with none', async () => {
    const res = await admin.post(`/admin/organisations/${first}/commissions`, {
      localAuthorityCode: WAKEFIELD,
      ...dateFields('2025-01-01'),
    });
    assert.equal(res.statusCode, 303);
    assert.match(
      textOf((await follow(admin, res)).body),
      /Wakefield Stop Smoking Service is now commissioned by Wakefield/,
    );
    assert.equal(await currentCommissionedService(t.db, WAKEFIELD), first);
  });

  test('a new service ends the open commission the day before, in one go, and referrals route to it', async () => {
    const today = t.clock.today();
    const res = await admin.post(`/admin/organisations/${second}/commissions`, {
      localAuthorityCode: WAKEFIELD,
      ...dateFields(today),
    });
    assert.equal(res.statusCode, 303);
    const rows = await t.db
      .selectFrom('commissions')
      .select(['service_organisation_id', 'starts_on', 'ends_on'])
      .where('local_authority_code', '=', WAKEFIELD)
      .orderBy('starts_on')
      .execute();
    assert.deepEqual(rows, [
      { service_organisation_id: first, starts_on: '2025-01-01', ends_on: yesterday(today) },
      { service_organisation_id: second, starts_on: today, ends_on: null },
    ]);
    assert.equal(await currentCommissionedService(t.db, WAKEFIELD), second);
    const page = textOf((await admin.get(`/admin/organisations/${first}`)).body);
    assert.match(page, /Wakefield 1 January 2025 \d+ \w+ \d{4} Ended/);
    const audits = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('entity_type', '=', 'commission')
      .execute();
    assert.ok(audits.some((a) => a.detail?.startsWith(`${WAKEFIELD} from ${today}, ended`)));
  });

  test('the same service twice, a start before the open one, the future and nonsense are refused', async () => {
    const before = await t.db.selectFrom('commissions').select('id').execute();
    let res = await admin.post(`/admin/organisations/${second}/commissions`, {
      localAuthorityCode: WAKEFIELD,
      ...dateFields('2025-01-02'),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(
      errorsByField(res.body).localAuthorityCode,
      'This service is already commissioned by that local authority',
    );

    res = await admin.post(`/admin/organisations/${first}/commissions`, {
      localAuthorityCode: WAKEFIELD,
      ...dateFields('2025-01-02'),
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body)['startsOn-day']!, /The start date must be after/);
    assert.equal(selectedOption(res.body, 'localAuthorityCode'), WAKEFIELD);
    assert.equal(inputValue(res.body, 'startsOn-day'), '2');

    res = await admin.post(`/admin/organisations/${first}/commissions`, {
      localAuthorityCode: BRADFORD,
      'startsOn-day': '1',
      'startsOn-month': '1',
      'startsOn-year': '2999',
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body)['startsOn-day']!, /today or in the past/);

    res = await admin.post(`/admin/organisations/${first}/commissions`, {
      localAuthorityCode: BRADFORD,
      'startsOn-day': '31',
      'startsOn-month': '2',
      'startsOn-year': '2025',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body)['startsOn-day'], 'The start date must be a real date');

    res = await admin.post(`/admin/organisations/${first}/commissions`, {});
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      localAuthorityCode: 'Select the local authority',
      'startsOn-day': 'Enter the date the service starts',
    });

    res = await admin.post(`/admin/organisations/${first}/commissions`, {
      localAuthorityCode: SCRIPT,
      'startsOn-day': SCRIPT,
      'startsOn-month': '1',
      'startsOn-year': '2025',
    });
    assert.equal(res.statusCode, 400);
    assert.ok(!res.body.includes(SCRIPT));

    res = await admin.post(`/admin/organisations/${first}/commissions`, {
      localAuthorityCode: 'E99999999',
      ...dateFields('2025-01-01'),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).localAuthorityCode, 'Select a local authority from the list');

    assert.equal((await t.db.selectFrom('commissions').select('id').execute()).length, before.length);
  });
});

describe('API keys', () => {
  test('create: the whole key is shown once, only its hash and prefix are kept; revoke', async () => {
    const id = await orgId('Leeds North Foodbank');
    const page = await admin.get(`/admin/organisations/${id}/api-keys`);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Leeds North Foodbank has no API keys/);

    const res = await admin.post(`/admin/organisations/${id}/api-keys`, {
      keyName: 'Case management system',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const key = inputValue(res.body, 'new-api-key');
    assert.match(key ?? '', /^mk_[A-Za-z0-9_-]{43}$/);
    const row = await t.db
      .selectFrom('api_keys')
      .selectAll()
      .where('organisation_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.key_hash, hashToken(key!));
    assert.equal(row.key_prefix, key!.slice(0, 11));
    assert.equal(row.name, 'Case management system');
    const stored = JSON.stringify(await sql`select * from api_keys`.execute(t.db));
    assert.ok(!stored.includes(key!), 'the key itself is not stored');
    assert.equal((await auditRows('api_key', row.id)).length, 1);
    // The key's id is its OAuth client id: shown with the new key and in the list.
    assert.match(textOf(res.body), new RegExp(`client ID: ${row.id}`));

    const again = await admin.get(`/admin/organisations/${id}/api-keys`);
    assert.ok(!again.body.includes(key!), 'never shown again');
    assert.match(
      textOf(again.body),
      new RegExp(`Case management system ${row.key_prefix} .* Not used Active`),
    );

    const revoked = await admin.post(`/admin/organisations/${id}/api-keys/${row.id}/revoke`);
    assert.equal(revoked.statusCode, 303);
    assert.match(
      textOf((await follow(admin, revoked)).body),
      /The API key "Case management system" has been revoked/,
    );
    const after = await t.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.ok(after.revoked_at instanceof Date);
    // Revoking twice is harmless.
    assert.equal((await admin.post(`/admin/organisations/${id}/api-keys/${row.id}/revoke`)).statusCode, 303);
    // A key is revoked through its own organisation only.
    const other = await orgId('Hyde Park Surgery');
    assert.equal(
      (await admin.post(`/admin/organisations/${other}/api-keys/${row.id}/revoke`)).statusCode,
      404,
    );
    assert.equal(
      (await admin.post(`/admin/organisations/${id}/api-keys/${randomUUID()}/revoke`)).statusCode,
      404,
    );
    assert.equal((await admin.post(`/admin/organisations/${id}/api-keys/nonsense/revoke`)).statusCode, 404);
  });

  test('empty, too long and script names are refused', async () => {
    const id = await orgId('Hyde Park Surgery');
    for (const [keyName, message] of [
      ['', 'Enter a name for the key'],
      ['x'.repeat(101), 'A name for the key must be 100 characters or fewer'],
      [SCRIPT, /must only include/],
    ] as const) {
      const res = await admin.post(`/admin/organisations/${id}/api-keys`, { keyName });
      assert.equal(res.statusCode, 400, keyName);
      assert.match(
        errorsByField(res.body).keyName!,
        typeof message === 'string' ? new RegExp(`^${message}$`) : message,
      );
      assert.ok(!res.body.includes(SCRIPT));
      assert.equal(inputValue(res.body, 'keyName'), keyName);
    }
    assert.equal(
      await t.db.selectFrom('api_keys').select('id').where('organisation_id', '=', id).executeTakeFirst(),
      undefined,
    );
  });
});

describe('users and invitations', () => {
  test('the list shows role, organisation and status: active, disabled, invited', async () => {
    await t.db
      .updateTable('users')
      .set({ active: false })
      .where('email', '=', 'adviser.manchester@demo.test')
      .execute();
    try {
      const res = await admin.get('/admin/users');
      assert.equal(res.statusCode, 200);
      const text = textOf(res.body);
      assert.match(text, /Riya Patel referrer@demo.test Referrer Leeds NHS Talking Therapies Active/);
      assert.match(text, /Gareth Price referrer.gp@demo.test Referrer Hyde Park Surgery Active/);
      assert.match(
        text,
        /Megan Doyle adviser.manchester@demo.test Stop smoking adviser Manchester Stop Smoking Service Disabled Enable Megan Doyle/,
      );
      assert.match(text, /Mortar cannot send emails yet/);
      // The administrator cannot disable themselves from the list.
      assert.doesNotMatch(text, /Disable Nia Roberts/);
    } finally {
      await t.db
        .updateTable('users')
        .set({ active: true })
        .where('email', '=', 'adviser.manchester@demo.test')
        .execute();
    }
  });

  test('inviting someone, who sets a password, is told to sign in, and can', async () => {
    const service = await orgId('Leeds Stop Smoking Service');
    const res = await admin.post('/admin/users', {
      name: 'Nadia Ahmed',
      email: 'Nadia.Ahmed@example.nhs.uk',
      role: 'adviser',
      organisationId: service,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(textOf(res.body), /Mortar has not sent an email/);
    const link = inputValue(res.body, 'invitation-link')!;
    const token = /\/invitations\/([A-Za-z0-9_-]+)$/.exec(link)?.[1];
    assert.ok(token, link);
    const inv = await t.db
      .selectFrom('invitations')
      .selectAll()
      .where('email', '=', 'Nadia.Ahmed@example.nhs.uk')
      .executeTakeFirstOrThrow();
    assert.equal(inv.token_hash, hashToken(token));
    assert.equal(inv.role, 'adviser');
    const days = (inv.expires_at.getTime() - Date.now()) / 86400_000;
    assert.ok(days > 6.99 && days <= 7, `expires in ${days} days`);
    assert.match(
      textOf((await admin.get('/admin/users')).body),
      /Nadia Ahmed Nadia.Ahmed@example.nhs.uk Stop smoking adviser Leeds Stop Smoking Service Invited/,
    );

    const person = anonymous(t.app);
    const form = await person.get(`/invitations/${token}`);
    assert.equal(form.statusCode, 200);
    assert.match(
      textOf(form.body),
      /Set your password .* Nadia Ahmed .* Leeds Stop Smoking Service .* Stop smoking adviser/,
    );

    let sent = await person.post(`/invitations/${token}`, { password: 'short', confirmPassword: 'short' });
    assert.equal(sent.statusCode, 400);
    assert.deepEqual(errorsByField(sent.body), { password: 'Password must be at least 12 characters' });
    assert.ok(!sent.body.includes('value="short"'), 'passwords are not sent back');
    sent = await person.post(`/invitations/${token}`, {
      password: 'a long enough password',
      confirmPassword: 'a different password',
    });
    assert.equal(sent.statusCode, 400);
    assert.match(errorsByField(sent.body).confirmPassword!, /do not match/);
    sent = await person.post(`/invitations/${token}`, {});
    assert.equal(sent.statusCode, 400);
    assert.deepEqual(errorsByField(sent.body), {
      password: 'Enter a password',
      confirmPassword: 'Enter the password again',
    });

    sent = await person.post(`/invitations/${token}`, {
      password: 'river copper lantern',
      confirmPassword: 'river copper lantern',
    });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/sign-in');
    const signInPage = await person.get('/sign-in');
    assert.match(textOf(signInPage.body), /Success Your account is ready\. Sign in with your email address/);

    const user = await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'Nadia.Ahmed@example.nhs.uk')
      .executeTakeFirstOrThrow();
    assert.equal(user.role, 'adviser');
    assert.equal(user.organisation_id, service);
    assert.match(user.password_hash ?? '', /^\$argon2id\$/);
    const created = await auditRows('user', user.id);
    assert.deepEqual(
      created.map((a) => a.action),
      ['create'],
    );

    const nadia = await signIn(t.app, 'nadia.ahmed@example.nhs.uk', 'river copper lantern');
    assert.equal((await nadia.get('/admin/users')).statusCode, 403);

    // The link works once.
    const used = await anonymous(t.app).get(`/invitations/${token}`);
    assert.equal(used.statusCode, 410);
    assert.match(textOf(used.body), /already been used/);
    const usedPost = await anonymous(t.app).post(
      `/invitations/${token}`,
      { password: 'another long password', confirmPassword: 'another long password' },
      { from: '/sign-in' },
    );
    assert.equal(usedPost.statusCode, 410);
    assert.match(
      textOf((await admin.get('/admin/users')).body),
      /Nadia Ahmed Nadia.Ahmed@example.nhs.uk Stop smoking adviser Leeds Stop Smoking Service Active/,
    );
  });

  test('a new invitation replaces the old link; expired and unknown links say so', async () => {
    const foodbank = await orgId('Leeds North Foodbank');
    const invite = async () => {
      const res = await admin.post('/admin/users', {
        name: 'Sam Green',
        email: 'sam.green@example.org',
        role: 'referrer',
        organisationId: foodbank,
      });
      assert.equal(res.statusCode, 200);
      return /\/invitations\/([A-Za-z0-9_-]+)$/.exec(inputValue(res.body, 'invitation-link')!)![1]!;
    };
    const oldToken = await invite();
    const newToken = await invite();
    const old = await anonymous(t.app).get(`/invitations/${oldToken}`);
    assert.equal(old.statusCode, 410);
    assert.match(textOf(old.body), /expired or has been replaced/);
    assert.equal((await anonymous(t.app).get(`/invitations/${newToken}`)).statusCode, 200);

    await t.db
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', hashToken(newToken))
      .execute();
    const expired = await anonymous(t.app).post(
      `/invitations/${newToken}`,
      { password: 'river copper lantern', confirmPassword: 'river copper lantern' },
      { from: '/sign-in' },
    );
    assert.equal(expired.statusCode, 410);
    assert.match(textOf(expired.body), /Ask your Mortar administrator to invite you again/);
    assert.equal(
      await t.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'sam.green@example.org')
        .executeTakeFirst(),
      undefined,
    );

    assert.equal((await anonymous(t.app).get(`/invitations/${'A'.repeat(43)}`)).statusCode, 404);
    assert.equal((await anonymous(t.app).get('/invitations/short')).statusCode, 404);
    assert.equal((await anonymous(t.app).get(`/invitations/${encodeURIComponent(SCRIPT)}`)).statusCode, 404);
  });

  test('invite form: empty, too long, script tags, wrong role, role that does not fit, existing email', async () => {
    const foodbank = await orgId('Leeds North Foodbank');
    const council = await orgId('Leeds City Council Public Health');
    const count = async () => (await t.db.selectFrom('invitations').select('id').execute()).length;
    const before = await count();

    let res = await admin.post('/admin/users', {});
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      name: 'Enter their full name',
      email: 'Enter their email address',
      role: 'Select a role',
      organisationId: 'Select an organisation',
    });

    res = await admin.post('/admin/users', {
      name: 'N'.repeat(101),
      email: `${'e'.repeat(250)}@x.uk`,
      role: 'referrer',
      organisationId: foodbank,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).name, 'Their full name must be 100 characters or fewer');
    assert.equal(errorsByField(res.body).email, 'Their email address must be 254 characters or fewer');

    res = await admin.post('/admin/users', {
      name: SCRIPT,
      email: 'x@example.org',
      role: 'root',
      organisationId: foodbank,
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body).name!, /must only include letters/);
    assert.equal(errorsByField(res.body).role, 'Select a role');
    assert.ok(!res.body.includes(SCRIPT));
    assert.equal(inputValue(res.body, 'name'), SCRIPT);
    assert.equal(inputValue(res.body, 'email'), 'x@example.org');
    assert.equal(selectedOption(res.body, 'organisationId'), foodbank);

    res = await admin.post('/admin/users', {
      name: 'Pat Lee',
      email: 'pat@example.org',
      role: 'adviser',
      organisationId: foodbank,
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body).role!, /must belong to a service that gives stop smoking support/);
    assert.match(res.body, /type="radio" value="adviser" checked/);

    res = await admin.post('/admin/users', {
      name: 'Pat Lee',
      email: 'pat@example.org',
      role: 'referrer',
      organisationId: council,
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body).role!, /organisation that refers people/);

    res = await admin.post('/admin/users', {
      name: 'Pat Lee',
      email: 'ADVISER@demo.test',
      role: 'referrer',
      organisationId: foodbank,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).email, 'Someone already has an account with this email address');

    res = await admin.post('/admin/users', {
      name: 'Pat Lee',
      email: 'pat@example.org',
      role: 'referrer',
      organisationId: randomUUID(),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(errorsByField(res.body).organisationId, 'Select an organisation from the list');

    assert.equal(await count(), before);
  });

  test('disabling signs the person out and stops them; enabling lets them back; both audited', async () => {
    const victim = await signIn(t.app, 'referrer.foodbank@demo.test');
    assert.equal((await victim.get('/referrals')).statusCode, 200);
    const user = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'referrer.foodbank@demo.test')
      .executeTakeFirstOrThrow();

    const res = await admin.post(`/admin/users/${user.id}/disable`);
    assert.equal(res.statusCode, 303);
    assert.match(textOf((await follow(admin, res)).body), /Fran Okafor has been disabled and signed out/);
    const sessions = await t.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(sessions.length, 0);
    const after = await victim.get('/referrals');
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/sign-in/);
    await assert.rejects(signIn(t.app, 'referrer.foodbank@demo.test'));
    assert.match(
      textOf((await admin.get('/admin/users')).body),
      /Fran Okafor .* Disabled Enable Fran Okafor/,
    );

    const enabled = await admin.post(`/admin/users/${user.id}/enable`);
    assert.equal(enabled.statusCode, 303);
    await signIn(t.app, 'referrer.foodbank@demo.test');

    const audits = await auditRows('user', user.id);
    assert.deepEqual(
      audits.map((a) => [a.action, a.detail]),
      [
        ['update', 'disabled'],
        ['update', 'enabled'],
      ],
    );
  });

  test('an administrator cannot disable themselves; unknown users are 404', async () => {
    const me = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'national.admin@demo.test')
      .executeTakeFirstOrThrow();
    const res = await admin.post(`/admin/users/${me.id}/disable`);
    assert.equal(res.statusCode, 400);
    assert.match(textOf(res.body), /You cannot disable your own account/);
    assert.equal((await admin.get('/admin/users')).statusCode, 200, 'still signed in');
    assert.equal((await admin.post(`/admin/users/${randomUUID()}/disable`)).statusCode, 404);
    assert.equal((await admin.post('/admin/users/nobody/enable')).statusCode, 404);
  });

  test('the users list can be narrowed to one organisation', async () => {
    const id = await orgId('Leeds Stop Smoking Service');
    const res = await admin.get(`/admin/users?organisationId=${id}`);
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Showing users of Leeds Stop Smoking Service/);
    assert.match(text, /Adam Clarke/);
    assert.doesNotMatch(text, /Riya Patel/);
    assert.equal(selectedOption(res.body, 'organisationId'), id);
  });
});
