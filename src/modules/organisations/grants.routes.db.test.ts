// Granting access through HTTP, end to end: an administrator manages their own organisation only; a
// national administrator may grant access anywhere, and every such grant is audited and shown to the
// receiving organisation's managers and administrators.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { inputValue, textOf } from './test-html.ts';

let t: TestApp;
let localAdmin: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  localAdmin = await signIn(t.app, 'admin@demo.test');
});
after(() => t?.close());

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const invitationsFor = (email: string) =>
  t.db.selectFrom('invitations').selectAll().where('email', '=', email).execute();

/** Accepts an invitation link as the person would, then signs in with the password they chose. */
async function acceptAndSignIn(link: string, email: string): Promise<HttpSession> {
  const token = /\/invitations\/([A-Za-z0-9_-]+)$/.exec(link)?.[1];
  assert.ok(token, link);
  const person = anonymous(t.app);
  const res = await person.post(
    `/invitations/${token}`,
    { password: 'granite meadow falcon', confirmPassword: 'granite meadow falcon' },
    { from: `/invitations/${token}` },
  );
  assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
  return signIn(t.app, email, 'granite meadow falcon');
}

describe('a local administrator manages their own organisation only', () => {
  test('inviting an account (their own or anyone else’s) into another organisation is refused, and stores nothing', async () => {
    const service = await orgId('Leeds Stop Smoking Service');
    const gp = await orgId('Hyde Park Surgery');
    for (const [email, role, organisationId] of [
      ['alex.morgan+service@example.org', 'service_manager', service],
      ['alex.morgan+adviser@example.org', 'adviser', service],
      ['someone.else@example.org', 'referrer', gp],
      ['alex.morgan+admin@example.org', 'administrator', service],
    ] as const) {
      const res = await localAdmin.post('/admin/users', { name: 'Alex Morgan', email, role, organisationId });
      assert.equal(res.statusCode, 403, `${role} in another organisation: ${res.statusCode}`);
      assert.deepEqual(await invitationsFor(email), [], 'no invitation stored');
    }
  });

  test('granting a national role is refused even in their own organisation', async () => {
    const own = await orgId('Leeds City Council Public Health');
    const res = await localAdmin.post('/admin/users', {
      name: 'Alex Morgan',
      email: 'alex.morgan+national@example.org',
      role: 'national_administrator',
      organisationId: own,
    });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await invitationsFor('alex.morgan+national@example.org'), []);
  });

  test('another organisation’s page, users and keys are not found; its people cannot be disabled', async () => {
    const service = await orgId('Leeds Stop Smoking Service');
    for (const url of [`/admin/organisations/${service}`, `/admin/organisations/${service}/api-keys`]) {
      assert.equal((await localAdmin.get(url)).statusCode, 404, url);
    }
    const adviser = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'adviser@demo.test')
      .executeTakeFirstOrThrow();
    const res = await localAdmin.post(`/admin/users/${adviser.id}/disable`);
    assert.equal(res.statusCode, 404);
    const still = await t.db
      .selectFrom('users')
      .select('active')
      .where('id', '=', adviser.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.active, true);
    const users = textOf((await localAdmin.get('/admin/users')).body);
    assert.ok(!users.includes('adviser@demo.test'), 'only their own organisation’s users are listed');
    assert.ok(users.includes('commissioner@demo.test'));
  });

  test('organisations, commissions and the medicines list are national work', async () => {
    assert.equal((await localAdmin.get('/admin/organisations')).statusCode, 403);
    assert.equal((await localAdmin.get('/admin/medicines')).statusCode, 403);
    const own = await orgId('Leeds City Council Public Health');
    const home = await localAdmin.get('/admin');
    assert.equal(home.statusCode, 303);
    assert.equal(home.headers.location, `/admin/organisations/${own}`);
  });

  test('inviting someone into their own organisation works, and is listed for its managers', async () => {
    const own = await orgId('Leeds City Council Public Health');
    const res = await localAdmin.post('/admin/users', {
      name: 'Jo Walsh',
      email: 'jo.walsh@example.org',
      role: 'commissioner',
      organisationId: own,
    });
    assert.equal(res.statusCode, 200, textOf(res.body).slice(0, 400));
    const grants = textOf((await localAdmin.get('/access-grants')).body);
    assert.match(grants, /Jo Walsh jo\.walsh@example\.org Commissioner .*Alex Morgan/);
  });
});

describe('a national administrator may grant access anywhere, in the open', () => {
  let national: HttpSession;
  let manager: HttpSession;
  before(async () => {
    national = await signIn(t.app, 'national.admin@demo.test');
    manager = await signIn(t.app, 'manager@demo.test');
  });

  test('grants a service manager role in a service: audited, shown to that service’s managers, and works', async () => {
    const service = await orgId('Leeds Stop Smoking Service');
    const res = await national.post('/admin/users', {
      name: 'Nat Ional',
      email: 'nat.ional@example.org',
      role: 'service_manager',
      organisationId: service,
    });
    assert.equal(res.statusCode, 200, textOf(res.body).slice(0, 400));
    const [inv] = await invitationsFor('nat.ional@example.org');
    assert.ok(inv);

    const grant = await t.db
      .selectFrom('access_grants')
      .selectAll()
      .where('invitation_id', '=', inv.id)
      .executeTakeFirstOrThrow();
    assert.equal(grant.organisation_id, service);
    assert.equal(grant.role, 'service_manager');
    assert.equal(grant.granted_by_role, 'national_administrator');
    const audited = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'access_grant')
      .where('entity_id', '=', grant.id)
      .execute();
    assert.equal(audited.length, 1, 'one audit row for the grant');
    assert.equal(audited[0]!.action, 'create');
    assert.match(audited[0]!.detail ?? '', /national/);

    // The receiving service's manager sees it, with who granted it.
    const page = await manager.get('/access-grants');
    assert.equal(page.statusCode, 200);
    assert.match(
      textOf(page.body),
      /Nat Ional nat\.ional@example\.org Service manager .*Nia Roberts .*National Stop Smoking Data Team.* National .*Invited/,
    );
    // Another organisation's administrator does not.
    assert.ok(!textOf((await localAdmin.get('/access-grants')).body).includes('Nat Ional'));

    const link = inputValue(res.body, 'invitation-link')!;
    const granted = await acceptAndSignIn(link, 'nat.ional@example.org');
    const worklist = await granted.get('/worklist');
    assert.equal(worklist.statusCode, 200);
    assert.match(textOf(worklist.body), /Sam Taylor/);
    assert.match(textOf((await manager.get('/access-grants')).body), /Nat Ional .*Accepted/);
  });

  test('a grant row cannot be changed or removed afterwards', async () => {
    const row = await t.db.selectFrom('access_grants').select('id').executeTakeFirstOrThrow();
    await assert.rejects(
      t.db.updateTable('access_grants').set({ role: 'adviser' }).where('id', '=', row.id).execute(),
    );
    await assert.rejects(t.db.deleteFrom('access_grants').where('id', '=', row.id).execute());
  });

  test('only service managers and administrators see the grants page', async () => {
    for (const email of ['adviser@demo.test', 'referrer@demo.test', 'commissioner@demo.test']) {
      const s = await signIn(t.app, email);
      assert.equal((await s.get('/access-grants')).statusCode, 403, email);
    }
  });
});
