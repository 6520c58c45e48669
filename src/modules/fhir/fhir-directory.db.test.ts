// The FHIR directory answers from the app's copy of the published directory (directory-cache.service.ts),
// as the finder and the Open Referral UK API do: the same bytes as the published entries read from the
// tables make, no load while nothing changed, and a change seen at the next request whichever instance
// made it. Two apps on one database stand for two instances (as in directory-cache.db.test.ts).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildApp } from '../../app.ts';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { signIn } from '../../../test/helpers/http-session.ts';
import { assertValidFhir } from '../../../test/helpers/fhir-validation.ts';
import { directoryCacheOf } from '../directory/directory-cache.service.ts';
import { allPublishedServices } from '../directory/directory.service.ts';
import { healthcareServiceOf, locationOf, organizationOf } from './fhir-directory.ts';
import { searchset, type Resource } from './fhir-resources.ts';
import { MAX_COUNT } from './fhir-search.ts';

const t = await buildTestApp({ demo: true, now: '2026-11-18T12:00:00Z' });
const other = await buildApp({ config: t.config, db: t.db, postcodes: t.postcodes, clock: t.clock });
await other.ready();
after(async () => {
  await other.close();
  await t.close();
});

type App = typeof other;
const get = (app: App, url: string) => app.inject({ url, headers: { accept: 'application/fhir+json' } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON, checked by the validator
const json = async (app: App, url: string): Promise<any> => {
  const res = await get(app, url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return JSON.parse(res.body);
};

const leeds = await t.db
  .selectFrom('organisations as o')
  .innerJoin('directory_services as s', 's.organisation_id', 'o.id')
  .select(['o.id as organisation', 's.id as service'])
  .where('o.name', '=', 'Leeds Stop Smoking Service')
  .executeTakeFirstOrThrow();

/** What each resource type lists, made from the published entries read from the tables, not the copy. */
async function fromTables(): Promise<Record<string, Resource[]>> {
  const all = await allPublishedServices(t.db);
  return {
    HealthcareService: all.map(healthcareServiceOf),
    Organization: [...new Map(all.map((s) => [s.organisationId, s])).values()].map(organizationOf),
    Location: all.flatMap((s) => s.locations.map((l) => locationOf(s, l))),
  };
}

test('searches and reads are, byte for byte, what the published entries in the tables make', async () => {
  const base = `${t.config.publicUrl}/fhir`;
  const expected = await fromTables();
  assert.ok(expected.Location!.length > 0, 'the demonstration directory has places');
  for (const [type, resources] of Object.entries(expected)) {
    const page = { count: MAX_COUNT, offset: 0 };
    assert.ok(resources.length <= MAX_COUNT, `${type}: one page holds them all`);
    const links = { base, path: `/${type}`, params: new URLSearchParams() };
    const bundle = searchset(resources, resources.length, page, links, t.clock.now());
    const res = await get(t.app, `/fhir/${type}?_count=${MAX_COUNT}`);
    assert.equal(res.body, JSON.stringify(bundle), type);
    for (const r of resources)
      assert.equal((await get(t.app, `/fhir/${type}/${r.id!}`)).body, JSON.stringify(r), `${type}/${r.id!}`);
  }
  const named = expected.HealthcareService!.filter((r) => /leeds/i.test(String(r.name)));
  const links = { base, path: '/HealthcareService', params: new URLSearchParams({ name: 'LEEDS' }) };
  assert.equal(
    (await get(t.app, '/fhir/HealthcareService?name=LEEDS&_count=3')).body,
    JSON.stringify(searchset(named.slice(0, 3), named.length, { count: 3, offset: 0 }, links, t.clock.now())),
  );
});

test('answered from the copy: no new load while nothing changed', async () => {
  const cache = directoryCacheOf(other, t.db);
  await get(other, '/fhir/HealthcareService');
  const first = cache.stats();
  for (const path of ['/fhir/Organization', '/fhir/Location', `/fhir/HealthcareService/${leeds.service}`])
    await json(other, path);
  assert.equal(cache.stats().loads, first.loads, 'no new copy while nothing changed');
  assert.equal(cache.stats().hits, first.hits + 3);
});

test('an edit through one instance shows in the other one at its next request', async () => {
  const read = () => json(other, `/fhir/HealthcareService/${leeds.service}`);
  const phoneOf = (r: { telecom?: { system: string; value: string }[] }) =>
    r.telecom?.find((c) => c.system === 'phone')?.value;
  assert.notEqual(phoneOf(await read()), '0113 496 0999');
  const manager = await signIn(t.app, 'manager@demo.test');
  const edit = `/directory/services/${leeds.organisation}/edit`;
  const fields = {
    description: 'Free help to stop smoking in Leeds.',
    phone: '0113 496 0999',
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
    published: 'yes',
  };
  assert.equal((await manager.post(edit, fields)).statusCode, 303);
  const service = await read();
  assertValidFhir(service);
  assert.equal(phoneOf(service), '0113 496 0999');
  assert.equal(service.comment, 'Free help to stop smoking in Leeds.');
  assert.equal(phoneOf(await json(other, `/fhir/Organization/${leeds.organisation}`)), '0113 496 0999');

  const named = async () => (await json(other, '/fhir/HealthcareService?name=leeds')).total as number;
  const listed = await named();
  assert.equal((await manager.post(edit, { ...fields, published: 'no' })).statusCode, 303);
  assert.equal((await get(other, `/fhir/HealthcareService/${leeds.service}`)).statusCode, 404);
  assert.equal(await named(), listed - 1, 'unpublished: no longer listed');
  assert.equal((await manager.post(edit, fields)).statusCode, 303);
  assert.equal(await named(), listed);
});

test('a place added and removed in the tables directly: its Location comes and goes at the next request', async () => {
  const places = () => json(other, `/fhir/Location?organization=Organization/${leeds.organisation}`);
  const before = (await places()).total as number;
  const place = await t.db
    .insertInto('directory_locations')
    .values({
      service_id: leeds.service,
      name: 'Headingley outreach',
      address: 'North Lane',
      postcode: 'LS6 3HU',
      latitude: 53.819,
      longitude: -1.577,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const added = await places();
  assert.equal(added.total, before + 1);
  const location = await json(other, `/fhir/Location/${place.id}`);
  assertValidFhir(location);
  assert.equal(location.name, 'Headingley outreach');
  const service = await json(other, `/fhir/HealthcareService/${leeds.service}`);
  assert.ok(service.location.some((l: { reference: string }) => l.reference === `Location/${place.id}`));

  await t.db.deleteFrom('directory_locations').where('id', '=', place.id).execute();
  assert.equal((await places()).total, before);
  assert.equal((await get(other, `/fhir/Location/${place.id}`)).statusCode, 404);
});
