// Who may edit which directory entry, in the style of test/access-matrix.db.test.ts: every kind of caller is
// listed with what it should get, first from directoryEditScope itself, then over HTTP against the demo
// services. A role added tomorrow fails here until someone decides what it may do.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { HttpError } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { ROLES, type Actor, type Role, type StaffUser } from '../../platform/roles.ts';
import { directoryEditScope, type DirectoryEditScope } from '../../platform/scope.ts';
import { buildTestApp, DEMO_PASSWORD } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

const staff = (role: Role, over: Partial<StaffUser> = {}): StaffUser => ({
  kind: 'user',
  id: 'u1',
  email: 'x@example.org',
  name: 'X',
  role,
  organisationId: 'org-1',
  organisationName: 'Org',
  organisationType: 'stop_smoking_service',
  localAuthorityCode: LEEDS,
  ...over,
});

const EXPECTED: Record<Role, DirectoryEditScope | 'forbidden'> = {
  referrer: 'forbidden',
  adviser: 'forbidden',
  service_manager: { kind: 'organisation', organisationId: 'org-1' },
  commissioner: { kind: 'commissioned_by', localAuthorityCode: LEEDS },
  national_analyst: 'forbidden',
  administrator: { kind: 'organisation', organisationId: 'org-1' },
  national_administrator: { kind: 'all' },
};

describe('directoryEditScope', () => {
  for (const role of ROLES) {
    test(`${role}: ${JSON.stringify(EXPECTED[role])}`, () => {
      const expected = EXPECTED[role];
      if (expected === 'forbidden') {
        assert.throws(
          () => directoryEditScope(staff(role)),
          (e: unknown) => e instanceof HttpError && e.status === 403,
        );
      } else {
        assert.deepEqual(directoryEditScope(staff(role)), expected);
      }
    });
  }

  test('an API key edits nothing, and a commissioner without an authority edits nothing', () => {
    const api: Actor = {
      kind: 'api',
      keyId: 'k',
      organisationId: 'org-1',
      organisationName: 'Org',
      organisationType: 'stop_smoking_service',
      localAuthorityCode: LEEDS,
    };
    assert.throws(() => directoryEditScope(api), HttpError);
    assert.throws(() => directoryEditScope(staff('commissioner', { localAuthorityCode: null })), HttpError);
  });
});

// --- Over HTTP ------------------------------------------------------------------------------------------

const t = await buildTestApp({ demo: true });
after(() => t.close());

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const LEEDS_ORG = await orgId('Leeds Stop Smoking Service');
const MANCHESTER_ORG = await orgId('Manchester Stop Smoking Service');

// The demo has no Manchester service manager or commissioner: add them, as an administrator would.
const manchesterCouncil = (
  await t.db
    .insertInto('organisations')
    .values({
      name: 'Manchester City Council Public Health',
      type: 'local_authority',
      local_authority_code: MANCHESTER,
      ods_code: null,
      email: null,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
).id;
const hash = await hashPassword(DEMO_PASSWORD);
await t.db
  .insertInto('users')
  .values([
    {
      email: 'manager.manchester@test.example',
      name: 'Manchester Manager',
      role: 'service_manager',
      organisation_id: MANCHESTER_ORG,
      password_hash: hash,
    },
    {
      email: 'commissioner.manchester@test.example',
      name: 'Manchester Commissioner',
      role: 'commissioner',
      organisation_id: manchesterCouncil,
      password_hash: hash,
    },
  ])
  .execute();

const CALLERS: Record<string, string | null> = {
  anonymous: null,
  referrer: 'referrer@demo.test',
  adviser: 'adviser@demo.test',
  'Leeds service manager': 'manager@demo.test',
  'Manchester service manager': 'manager.manchester@test.example',
  'Leeds commissioner': 'commissioner@demo.test',
  'Manchester commissioner': 'commissioner.manchester@test.example',
  'national analyst': 'analyst@demo.test',
  'Leeds council administrator': 'admin@demo.test',
  'national administrator': 'national.admin@demo.test',
};

/** What each caller gets for GET /directory/services/:orgId/edit: [Leeds, Manchester]. */
const MATRIX: Record<string, [number, number]> = {
  anonymous: [303, 303],
  referrer: [403, 403],
  adviser: [403, 403],
  'Leeds service manager': [200, 404],
  'Manchester service manager': [404, 200],
  'Leeds commissioner': [200, 404],
  'Manchester commissioner': [404, 200],
  'national analyst': [403, 403],
  // An administrator manages their own organisation only, and Leeds City Council is not a service.
  'Leeds council administrator': [404, 404],
  'national administrator': [200, 200],
};

const sessions = new Map<string, HttpSession>();
for (const [name, email] of Object.entries(CALLERS))
  sessions.set(name, email ? await signIn(t.app, email) : anonymous(t.app));

describe('who may edit which entry, over HTTP', () => {
  for (const [caller, [leeds, manchester]] of Object.entries(MATRIX)) {
    test(`${caller}: Leeds ${leeds}, Manchester ${manchester}`, async () => {
      const s = sessions.get(caller)!;
      const got = [
        (await s.get(`/directory/services/${LEEDS_ORG}/edit`)).statusCode,
        (await s.get(`/directory/services/${MANCHESTER_ORG}/edit`)).statusCode,
      ];
      assert.deepEqual(got, [leeds, manchester]);
    });
  }

  test('the list shows each editor only what they may edit', async () => {
    const names = async (caller: string) => {
      const res = await sessions.get(caller)!.get('/directory/services');
      assert.equal(res.statusCode, 200, caller);
      return [...res.body.matchAll(/<a href="\/directory\/services\/[^/]+\/edit">([^<]+)<\/a>/g)].map(
        (m) => m[1],
      );
    };
    assert.deepEqual(await names('Leeds service manager'), ['Leeds Stop Smoking Service']);
    assert.deepEqual(await names('Manchester service manager'), ['Manchester Stop Smoking Service']);
    assert.deepEqual(await names('Leeds commissioner'), ['Leeds Stop Smoking Service']);
    assert.deepEqual(await names('Leeds council administrator'), []);
    assert.deepEqual(await names('national administrator'), [
      'Leeds Stop Smoking Service',
      'Manchester Stop Smoking Service',
    ]);
  });

  test('a Manchester manager cannot change Leeds: not its entry, not its places', async () => {
    const m = sessions.get('Manchester service manager')!;
    await m.get(`/directory/services/${MANCHESTER_ORG}/edit`); // a page with a form, for the token
    const before = await t.db
      .selectFrom('directory_services')
      .selectAll()
      .where('organisation_id', '=', LEEDS_ORG)
      .executeTakeFirstOrThrow();
    const leedsPlace = await t.db
      .selectFrom('directory_locations')
      .select('id')
      .where('service_id', '=', before.id)
      .executeTakeFirstOrThrow();
    const entry = {
      description: 'Taken over',
      phone: '0161 496 0001',
      modes: 'telephone',
      tailoredSupport: 'no',
      inTalkingTherapies: 'no',
      published: 'no',
    };
    assert.equal((await m.post(`/directory/services/${LEEDS_ORG}/edit`, entry)).statusCode, 404);
    assert.equal(
      (
        await m.post(`/directory/services/${LEEDS_ORG}/locations`, {
          name: 'X',
          address: 'Y',
          postcode: 'LS1 4AP',
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await m.get(`/directory/services/${LEEDS_ORG}/locations/${leedsPlace.id}/edit`)).statusCode,
      404,
    );
    assert.equal(
      (await m.post(`/directory/services/${LEEDS_ORG}/locations/${leedsPlace.id}/remove`)).statusCode,
      404,
    );
    // Nor through its own service's address with a Leeds place's id.
    assert.equal(
      (await m.post(`/directory/services/${MANCHESTER_ORG}/locations/${leedsPlace.id}/remove`)).statusCode,
      404,
    );
    const after = await t.db
      .selectFrom('directory_services')
      .selectAll()
      .where('organisation_id', '=', LEEDS_ORG)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, before);
    assert.ok(
      await t.db
        .selectFrom('directory_locations')
        .select('id')
        .where('id', '=', leedsPlace.id)
        .executeTakeFirst(),
    );
  });

  test('a commissioner loses an entry when their authority stops commissioning the service', async () => {
    await t.db
      .updateTable('commissions')
      .set({ ends_on: '2025-05-01' })
      .where('local_authority_code', '=', MANCHESTER)
      .execute();
    try {
      assert.equal(
        (await sessions.get('Manchester commissioner')!.get(`/directory/services/${MANCHESTER_ORG}/edit`))
          .statusCode,
        404,
      );
      // The service's own manager still edits it.
      assert.equal(
        (await sessions.get('Manchester service manager')!.get(`/directory/services/${MANCHESTER_ORG}/edit`))
          .statusCode,
        200,
      );
    } finally {
      await t.db
        .updateTable('commissions')
        .set({ ends_on: null })
        .where('local_authority_code', '=', MANCHESTER)
        .execute();
    }
  });
});
