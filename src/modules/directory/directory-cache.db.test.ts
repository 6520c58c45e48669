import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CompiledQuery, sql, type QueryId, type RootOperationNode } from 'kysely';
import { buildApp } from '../../app.ts';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn } from '../../../test/helpers/http-session.ts';
import { decode } from '../organisations/test-html.ts';
import { addApiKey } from '../../../test/helpers/route-table.ts';
import { createDirectoryCache, directoryCacheOf } from './directory-cache.service.ts';
import { directoryStamp } from './directory-version.repository.ts';

// The directory held in memory (directory-cache.service.ts) against the database it copies: every kind
// of change to what the finder shows moves the stamp (migration 0047's triggers), and an instance that
// did not make the change sees it at its next request. Two apps on one database stand for two instances.
// The copy agreeing with the uncached queries on generated directories is directory-cache-agrees.db.test.ts.

const t = await buildTestApp({ demo: true });
const other = await buildApp({ config: t.config, db: t.db, postcodes: t.postcodes, clock: t.clock });
await other.ready();
after(async () => {
  await other.close();
  await t.close();
});

const versionOf = async () => Number((await directoryStamp(t.db)).split('@')[0]);

const idOf = async (name: string) => {
  const row = await t.db
    .selectFrom('organisations as o')
    .innerJoin('directory_services as s', 's.organisation_id', 'o.id')
    .select(['o.id as organisation', 's.id as service'])
    .where('o.name', '=', name)
    .executeTakeFirstOrThrow();
  return row;
};
const LEEDS = await idOf('Leeds Stop Smoking Service');
const LEEDS_LA = 'E08000035';

/** The result cards' names, and which is marked as the person's own. */
async function results(app: typeof other, q = 'LS6 1AN') {
  const res = await anonymous(app).get(`/find-support/results?postcode=${encodeURIComponent(q)}`);
  assert.equal(res.statusCode, 200);
  const names = [...res.body.matchAll(/<h2[^>]*><a [^>]*>([^<]+)<\/a><\/h2>/g)].map((m) => decode(m[1]!));
  return {
    names,
    local: res.body.includes('Your local service'),
    referYourself: /role="button"[^>]*>\s*Refer yourself/.test(res.body),
    body: res.body,
  };
}
const servicePage = (app: typeof other, id: string) => anonymous(app).get(`/find-support/services/${id}`);

describe('the version stamp', () => {
  const moves = async (what: string, change: () => Promise<unknown>, by = 1) => {
    const before = await versionOf();
    await change();
    assert.equal(await versionOf(), before + by, what);
  };

  test('moves once per transaction that changes what the directory shows, whichever table', async () => {
    const location = await t.db
      .selectFrom('directory_locations')
      .select('id')
      .where('service_id', '=', LEEDS.service)
      .limit(1)
      .executeTakeFirstOrThrow();
    await moves('an entry', () =>
      t.db
        .updateTable('directory_services')
        .set({ phone: '0113 496 0009' })
        .where('id', '=', LEEDS.service)
        .execute(),
    );
    await moves('a place', () =>
      t.db
        .updateTable('directory_locations')
        .set({ name: 'Renamed' })
        .where('id', '=', location.id)
        .execute(),
    );
    await moves('opening times', () =>
      t.db
        .insertInto('directory_opening_hours')
        .values({ location_id: location.id, weekday: 6, opens_at: '10:00', closes_at: '12:00' })
        .execute(),
    );
    await moves('opening days', () =>
      t.db
        .insertInto('service_opening_days')
        .values({ organisation_id: LEEDS.organisation, days: [1, 2, 3, 4, 5] })
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ days: [1, 2, 3, 4] }))
        .execute(),
    );
    await moves('a commission', () =>
      t.db
        .updateTable('commissions')
        .set({ ends_on: null })
        .where('local_authority_code', '=', LEEDS_LA)
        .execute(),
    );
    await moves('an organisation', () =>
      t.db
        .updateTable('organisations')
        .set({ phone: '0113 496 0008' })
        .where('id', '=', LEEDS.organisation)
        .execute(),
    );
    await moves(
      'an authority renamed',
      async () => {
        await t.db
          .updateTable('local_authorities')
          .set({ name: 'Leeds!' })
          .where('code', '=', LEEDS_LA)
          .execute();
        await t.db
          .updateTable('local_authorities')
          .set({ name: 'Leeds' })
          .where('code', '=', LEEDS_LA)
          .execute();
      },
      2,
    );
    await moves('an adviser leaving', () =>
      t.db.updateTable('users').set({ active: false }).where('email', '=', 'adviser@demo.test').execute(),
    );
    await moves('an adviser back', () =>
      t.db.updateTable('users').set({ active: true }).where('email', '=', 'adviser@demo.test').execute(),
    );
    await moves('many rows in one transaction', () =>
      t.db.transaction().execute(async (trx) => {
        await trx.updateTable('directory_services').set({ updated_at: new Date() }).execute();
        await trx.updateTable('directory_locations').set({ updated_at: new Date() }).execute();
        await trx.updateTable('commissions').set({ ends_on: null }).where('ends_on', 'is', null).execute();
      }),
    );
  });

  test('stays put for what the directory does not show, and for a change rolled back', async () => {
    const before = await versionOf();
    await t.db.updateTable('users').set({ last_sign_in_at: new Date() }).execute();
    await t.db
      .updateTable('local_authorities')
      .set({ name: sql`name` })
      .execute(); // the start-up upsert
    await t.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('directory_services').set({ published: false }).execute();
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    assert.equal(await versionOf(), before);
  });

  test("carries England's date by the database's clock, so a commission or opening time ends at midnight", async () => {
    const today = async () =>
      (
        await sql<{
          today: string;
        }>`select ((now() at time zone 'Europe/London')::date)::text as today`.execute(t.db)
      ).rows[0]!.today;
    // Read either side of the stamp: only a midnight between them could make the two differ.
    const before = await today();
    const stamp = await directoryStamp(t.db);
    const later = await today();
    assert.match(stamp, /^\d+@\d{4}-\d\d-\d\d$/);
    assert.ok([before, later].includes(stamp.split('@')[1]!), stamp);
  });
});

/** The tables a plan reads, however deep in subplans. */
function relationsIn(plan: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(plan)) for (const p of plan) relationsIn(p, into);
  else if (plan && typeof plan === 'object')
    for (const [k, v] of Object.entries(plan)) {
      if (k === 'Relation Name' && typeof v === 'string') into.add(v);
      else relationsIn(v, into);
    }
  return into;
}

test('every table the copy is read from has a trigger that moves the stamp', async () => {
  // The queries the copy runs, as the database plans them: a table added to them without a trigger
  // (a change to it would not be seen until something else moved the stamp) fails here.
  const queries: { node: RootOperationNode; queryId: QueryId }[] = [];
  const watched = t.db.withPlugin({
    transformQuery: (args) => {
      queries.push(args);
      return args.node;
    },
    transformResult: async ({ result }) => result,
  });
  const copy = await createDirectoryCache(watched).current();
  for (const la of [LEEDS_LA, 'E08000003', 'W06000015']) await copy.commissioned(la);
  const read = new Set<string>();
  for (const { node, queryId } of queries) {
    const q = t.db.getExecutor().compileQuery(node, queryId);
    if (!/^\s*(select|with)\b/i.test(q.sql)) continue;
    const plan = await t.db.executeQuery(
      CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]),
    );
    relationsIn(plan.rows, read);
  }
  read.delete('directory_version');
  const { rows } = await sql<{ relname: string }>`
    select distinct c.relname from pg_trigger tg
    join pg_class c on c.oid = tg.tgrelid join pg_proc p on p.oid = tg.tgfoid
    where p.proname = 'bump_directory_version'`.execute(t.db);
  const moving = new Set(rows.map((r) => r.relname));
  for (const table of ['directory_services', 'directory_locations', 'commissions', 'users'])
    assert.ok(read.has(table), `the copy reads ${table}`);
  assert.deepEqual(
    [...read].filter((table) => !moving.has(table)),
    [],
    'tables read with no trigger on them',
  );
});

describe('the copy in memory', () => {
  test('answers repeated searches without loading again, and each instance keeps its own', async () => {
    const mine = directoryCacheOf(t.app, t.db);
    const theirs = directoryCacheOf(other, t.db);
    assert.notEqual(mine, theirs);
    await results(t.app);
    const first = mine.stats();
    for (const q of ['LS6 1AN', 'M1 1', 'LS2', 'HD1 2TA']) await results(t.app, q);
    await servicePage(t.app, LEEDS.service);
    await anonymous(t.app).get('/api/directory/services?postcode=LS6+1AN');
    const then = mine.stats();
    assert.equal(then.loads, first.loads, 'no new copy while nothing changed');
    assert.equal(then.hits, first.hits + 6, 'the six requests after the first');
  });

  test('an entry unpublished through one instance is gone from the other at its next request', async () => {
    assert.deepEqual((await results(other, 'HD1 2TA')).names.includes('Leeds Stop Smoking Service'), true);
    const manager = await signIn(t.app, 'manager@demo.test');
    const edit = `/directory/services/${LEEDS.organisation}/edit`;
    const form = await manager.get(edit);
    assert.equal(form.statusCode, 200);
    const fields = {
      description: 'Free help to stop smoking in Leeds.',
      phone: '0113 496 0001',
      email: 'help@leeds.example.org',
      website: 'https://leeds.example.org/stop',
      openingTimes: 'Monday to Friday, 9am to 5pm',
      modes: ['in_person', 'telephone'],
      languages: 'English',
      tailoredSupport: 'no',
      tailoredSupportText: '',
      inTalkingTherapies: 'no',
      aids: ['combination_nrt'],
      eligibility: 'Adults in Leeds.',
      published: 'no',
    };
    assert.equal((await manager.post(edit, fields)).statusCode, 303);
    const loads = directoryCacheOf(other, t.db).stats().loads;
    assert.equal((await results(other, 'HD1 2TA')).names.includes('Leeds Stop Smoking Service'), false);
    assert.equal((await servicePage(other, LEEDS.service)).statusCode, 404);
    assert.equal(directoryCacheOf(other, t.db).stats().loads, loads + 1, 'one new copy');
    assert.equal((await manager.post(edit, { ...fields, published: 'yes' })).statusCode, 303);
    assert.equal((await results(other, 'HD1 2TA')).names.includes('Leeds Stop Smoking Service'), true);
  });

  test('a place removed, opening times changed: the other instance shows the change', async () => {
    const place = await t.db
      .insertInto('directory_locations')
      .values({
        service_id: LEEDS.service,
        name: 'Penzance outreach',
        address: 'The Quay',
        postcode: 'TR18 4AA',
        latitude: 50.118,
        longitude: -5.537,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.deepEqual((await results(other, 'TR18 4AA')).names, ['Leeds Stop Smoking Service']);
    await t.db
      .insertInto('directory_opening_hours')
      .values({
        location_id: place.id,
        weekday: 2,
        opens_at: '09:00',
        closes_at: '11:00',
        notes: 'Harbour drop-in',
      })
      .execute();
    assert.match((await servicePage(other, LEEDS.service)).body, /Harbour drop-in/);
    await t.db.deleteFrom('directory_locations').where('id', '=', place.id).execute();
    assert.deepEqual((await results(other, 'TR18 4AA')).names, []);
    assert.doesNotMatch((await servicePage(other, LEEDS.service)).body, /Harbour drop-in/);
  });

  test('a commission ended, an organisation closed, its advisers gone: seen at the next request', async () => {
    const before = await results(other);
    assert.deepEqual([before.local, before.referYourself], [true, true]);

    await t.db
      .updateTable('users')
      .set({ active: false })
      .where('organisation_id', '=', LEEDS.organisation)
      .where('role', 'in', ['adviser', 'service_manager'])
      .execute();
    // Nobody reads referrals there now: the person is given the service's details, not the form.
    assert.equal((await results(other)).referYourself, false);

    const ended = await t.db
      .updateTable('commissions')
      .set({ ends_on: sql`(now() at time zone 'Europe/London')::date - 1` })
      .where('local_authority_code', '=', LEEDS_LA)
      .where('ends_on', 'is', null)
      .returning('id')
      .execute();
    assert.equal((await results(other)).local, false, 'no longer the person’s own service');

    await t.db
      .updateTable('organisations')
      .set({ active: false })
      .where('id', '=', LEEDS.organisation)
      .execute();
    assert.deepEqual((await results(other)).names, []);

    await t.db
      .updateTable('organisations')
      .set({ active: true })
      .where('id', '=', LEEDS.organisation)
      .execute();
    await t.db
      .updateTable('commissions')
      .set({ ends_on: null })
      .where(
        'id',
        'in',
        ended.map((r) => r.id),
      )
      .execute();
    await t.db
      .updateTable('users')
      .set({ active: true })
      .where('organisation_id', '=', LEEDS.organisation)
      .execute();
    const back = await results(other);
    assert.deepEqual(
      [back.names, back.local, back.referYourself],
      [['Leeds Stop Smoking Service'], true, true],
    );
  });

  test('a referral through the API is routed by the copy, and by a change at its next request', async () => {
    const org = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Manchester NHS Talking Therapies')
      .executeTakeFirstOrThrow();
    const { key } = await addApiKey(t.db, org.id, 'routing');
    const refer = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/referrals',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({
          smokingStatus: '1',
          vapingStatus: 'never',
          adviceGiven: 'yes',
          acceptsReferral: 'yes',
          givenName: 'Noor',
          familyName: 'Haddad',
          dateOfBirth: '1985-02-11',
          postcode: 'LS6 1AN',
          email: 'noor@example.com',
          contactMethods: ['email'],
          mentalHealth: 'depression',
          inTalkingTherapies: 'yes',
          consentShareProgress: 'yes',
        }),
      });
    const cache = directoryCacheOf(t.app, t.db);
    await results(t.app);
    const warm = cache.stats();
    const sent = await refer();
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().service.name, 'Leeds Stop Smoking Service');
    assert.deepEqual(cache.stats(), { hits: warm.hits + 1, loads: warm.loads }, 'routed by the copy');

    // Leeds's advisers gone, as another instance would record it: the next referral is not sent there.
    const gone = await t.db
      .updateTable('users')
      .set({ active: false })
      .where('organisation_id', '=', LEEDS.organisation)
      .where('role', 'in', ['adviser', 'service_manager'])
      .where('active', '=', true)
      .returning('id')
      .execute();
    const refused = await refer();
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().reason, 'contact_directly');
    assert.equal(cache.stats().loads, warm.loads + 1, 'a new copy for the new stamp');
    await t.db
      .updateTable('users')
      .set({ active: true })
      .where(
        'id',
        'in',
        gone.map((u) => u.id),
      )
      .execute();
  });

  test('the copy cannot be changed by what a request does with it', async () => {
    const copy = await directoryCacheOf(t.app, t.db).current();
    const first = copy.services[0]!;
    assert.throws(() => {
      (first as { name: string }).name = 'Changed';
    }, TypeError);
    assert.throws(() => (first.locations as unknown[]).push({}), TypeError);
  });
});
