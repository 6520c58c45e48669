import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { derivedId } from './hsds-ids.ts';
import { TAXONOMY, TAXONOMY_ID } from './hsds-taxonomy.ts';

// The Open Referral UK API's filters and records, through HTTP on the demonstration directory: Leeds
// (group sessions, tailored support, inside Talking Therapies, Armley) and Manchester (neither).

const t = await buildTestApp({ demo: true });
after(() => t.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read by shape in assertions
type Json = any;
async function get(url: string): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}
const names = async (url: string) => {
  const { status, body } = await get(url);
  assert.equal(status, 200, url);
  return body.contents.map((s: Json) => s.name as string);
};

const LEEDS = 'Leeds Stop Smoking Service';
const MANCHESTER = 'Manchester Stop Smoking Service';
const term = (code: string) => derivedId(TAXONOMY, code);

describe('GET /api/directory/services filters', () => {
  test('search: every word found in the service, any case and accents', async () => {
    assert.deepEqual(await names('/api/directory/services?search=armley'), [LEEDS]);
    assert.deepEqual(await names('/api/directory/services?search=MANCHESTER%20stop'), [MANCHESTER]);
    assert.deepEqual(await names('/api/directory/services?search=stop%20smoking'), [LEEDS, MANCHESTER]);
    assert.deepEqual(await names('/api/directory/services?search=armley%20manchester'), []);
    assert.equal((await get('/api/directory/services?search=zzzz')).body.total_items, 0);
  });

  test('taxonomy_term_id keeps the services carrying the term; taxonomy_id those with any of its terms', async () => {
    const tt = term('works_in:nhs_talking_therapies');
    assert.deepEqual(await names(`/api/directory/services?taxonomy_term_id=${tt}`), [LEEDS]);
    assert.deepEqual(await names(`/api/directory/services?taxonomy_term_id=${term('mode:video')}`), [
      LEEDS,
      MANCHESTER,
    ]);
    assert.deepEqual(await names(`/api/directory/services?taxonomy_term_id=${term('mode:group')}`), [LEEDS]);
    assert.deepEqual(await names(`/api/directory/services?taxonomy_id=${TAXONOMY_ID}`), [LEEDS, MANCHESTER]);
    const unknown = '00000000-0000-4000-8000-000000000000';
    assert.deepEqual(await names(`/api/directory/services?taxonomy_id=${unknown}`), []);
    assert.deepEqual(await names(`/api/directory/services?taxonomy_term_id=${unknown}`), []);
    // Every service listed for a term carries it as an attribute.
    const { body } = await get(`/api/directory/services?taxonomy_term_id=${tt}`);
    for (const s of body.contents) assert.ok(s.attributes.some((a: Json) => a.taxonomy_term_id === tt));
  });

  test('filters combine with each other, with paging and with a postcode', async () => {
    const group = term('mode:group');
    assert.deepEqual(await names(`/api/directory/services?search=stop&taxonomy_term_id=${group}`), [LEEDS]);
    const second = await get('/api/directory/services?search=stop&per_page=1&page=2');
    assert.deepEqual(
      [second.body.total_items, second.body.contents.map((s: Json) => s.name)],
      [2, [MANCHESTER]],
    );
    assert.deepEqual(await names(`/api/directory/services?postcode=HD1&taxonomy_term_id=${group}`), [LEEDS]);
  });

  test('bad filters get a problem document naming the parameter', async () => {
    for (const [url, name] of [
      ['/api/directory/services?taxonomy_term_id=nope', 'taxonomy_term_id'],
      ['/api/directory/services?taxonomy_id=1', 'taxonomy_id'],
      ['/api/directory/services?search=a&search=b', 'search'],
      [`/api/directory/services?search=${'x'.repeat(201)}`, 'search'],
      ['/api/directory/organizations?per_page=0', 'per_page'],
      ['/api/directory/service_at_locations?taxonomy_id=x', 'taxonomy_id'],
    ] as const) {
      const { status, body, headers } = await get(url);
      assert.equal(status, 400, url);
      assert.match(String(headers['content-type']), /^application\/problem\+json/);
      assert.equal(body.invalid_params[0].name, name, url);
    }
  });
});

describe("Open Referral UK's other filters", () => {
  test('modified_after: services changed at or after it; a date is from the start of that day in England', async () => {
    assert.deepEqual(await names('/api/directory/services?modified_after=2000-01-01'), [LEEDS, MANCHESTER]);
    assert.deepEqual(await names('/api/directory/services?modified_after=2999-01-01T00:00:00Z'), []);
    for (const service of (await get('/api/directory/services')).body.contents) {
      const at = new Date(service.last_modified);
      const since = (d: Date) =>
        names(`/api/directory/services?modified_after=${encodeURIComponent(d.toISOString())}`);
      assert.ok((await since(at)).includes(service.name), 'on the instant');
      assert.ok(!(await since(new Date(at.getTime() + 1))).includes(service.name), 'a millisecond after');
    }
    assert.deepEqual(await names(`/api/directory/service_at_locations?modified_after=2999-01-01`), []);
  });

  test("day, start_time and end_time: services open then, by their places' times", async () => {
    assert.deepEqual(await names('/api/directory/services?day=TH&start_time=18:00'), [LEEDS]);
    assert.deepEqual(await names('/api/directory/services?start_time=17:45'), [LEEDS, MANCHESTER]);
    assert.deepEqual(await names('/api/directory/services?end_time=08:30'), [MANCHESTER]);
    assert.deepEqual(await names('/api/directory/services?day=monday&start_time=12:00&end_time=13:00:00'), [
      LEEDS,
      MANCHESTER,
    ]);
    assert.deepEqual(await names('/api/directory/services?day=SA'), [], 'nobody is open on Saturdays');
    assert.deepEqual(await names('/api/directory/services?day=SU&search=leeds'), []);
    const evening = (await get('/api/directory/service_at_locations?day=TH&start_time=19:00')).body.contents;
    assert.deepEqual(
      evening.map((x: Json) => x.location.name),
      ['Leeds city centre clinic'],
    );
    const drop = (await get('/api/directory/service_at_locations?day=TU&start_time=12:15&end_time=12:20'))
      .body.contents;
    assert.deepEqual(drop.map((x: Json) => x.location.name).sort(), [
      'Armley community hub',
      'Leeds city centre clinic',
      'Manchester central clinic',
    ]);
  });

  test('minimum_age and maximum_age: checked, and exclude no service (no age limits are held)', async () => {
    assert.deepEqual(await names('/api/directory/services?minimum_age=12&maximum_age=17'), [
      LEEDS,
      MANCHESTER,
    ]);
    const { body } = await get(
      '/api/directory/services/' + String((await get('/api/directory/services')).body.contents[0].id),
    );
    assert.equal(body.minimum_age, undefined, 'no age is published that the filter would not honour');
  });

  test('format=ndjson (or Accept): every service kept, fully nested, one a line, unpaged', async () => {
    for (const [url, headers] of [
      ['/api/directory/services?format=ndjson&per_page=1', {}],
      ['/api/directory/services', { accept: 'application/x-ndjson' }],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      const lines = res.body.split('\n');
      assert.equal(lines.pop(), '', 'each line ends with a newline');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l).name),
        [LEEDS, MANCHESTER],
      );
      assert.ok(JSON.parse(lines[0]!).service_at_locations.length > 0, 'fully nested');
    }
    const one = await t.app.inject({
      method: 'GET',
      url: '/api/directory/services?format=ndjson&search=armley',
    });
    assert.equal(one.body.trim().split('\n').length, 1);
  });

  test('bad values of these filters get a problem document naming the parameter', async () => {
    for (const [url, name] of [
      ['/api/directory/services?modified_after=yesterday', 'modified_after'],
      ['/api/directory/services?modified_after=2026-04-01T09:00:00', 'modified_after'],
      ['/api/directory/services?minimum_age=young', 'minimum_age'],
      ['/api/directory/services?maximum_age=200', 'maximum_age'],
      ['/api/directory/services?day=XX', 'day'],
      ['/api/directory/services?start_time=9am', 'start_time'],
      ['/api/directory/services?start_time=18:00&end_time=09:00', 'end_time'],
      ['/api/directory/services?format=xml', 'format'],
      ['/api/directory/service_at_locations?day=funday', 'day'],
    ] as const) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.equal(body.invalid_params[0].name, name, url);
    }
  });
});

describe('the other Open Referral UK records', () => {
  test('organizations: each with its description and its service', async () => {
    const { body } = await get('/api/directory/organizations');
    assert.deepEqual(
      body.contents.map((o: Json) => o.name),
      [LEEDS, MANCHESTER],
    );
    const leeds = body.contents[0];
    assert.match(leeds.description, /Free help to stop smoking/);
    const one = await get(`/api/directory/organizations/${String(leeds.id)}`);
    assert.deepEqual(
      one.body.services.map((s: Json) => s.name),
      [LEEDS],
    );
    assert.equal(one.headers['access-control-allow-origin'], '*');
  });

  test('locations and service_at_locations match the places nested in the services', async () => {
    const services = (await get('/api/directory/services')).body.contents;
    const nested = services.flatMap((s: Json) => s.service_at_locations);
    const locations = (await get('/api/directory/locations?per_page=100')).body;
    assert.deepEqual(
      locations.contents.map((l: Json) => l.id).sort(),
      nested.map((sal: Json) => sal.location.id).sort(),
    );
    const sals = (await get('/api/directory/service_at_locations?per_page=100')).body;
    assert.deepEqual(sals.contents.map((x: Json) => x.id).sort(), nested.map((sal: Json) => sal.id).sort());
    const armley = (await get('/api/directory/service_at_locations?search=armley')).body.contents;
    assert.ok(armley.every((x: Json) => x.service.name === LEEDS));
    const one = (await get(`/api/directory/service_at_locations/${String(nested[0].id)}`)).body;
    assert.deepEqual([one.service_id, one.location.id], [nested[0].service_id, nested[0].location_id]);
  });

  test('taxonomies and terms: every term a service carries is listed', async () => {
    const taxonomies = (await get('/api/directory/taxonomies')).body.contents;
    assert.deepEqual(
      taxonomies.map((x: Json) => x.id),
      [TAXONOMY_ID],
    );
    const terms = (await get('/api/directory/taxonomy_terms?per_page=100')).body.contents;
    const listed = new Set(terms.map((x: Json) => x.id));
    const services = (await get('/api/directory/services')).body.contents;
    for (const s of services)
      for (const a of s.attributes) assert.ok(listed.has(a.taxonomy_term_id), a.taxonomy_term.code);
    const one = (await get(`/api/directory/taxonomy_terms/${term('mode:group')}`)).body;
    assert.equal(one.name, 'In a group');
  });

  test('unknown and malformed ids are not found, with a problem document', async () => {
    for (const path of [
      'organizations',
      'locations',
      'service_at_locations',
      'taxonomies',
      'taxonomy_terms',
    ]) {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        const { status, body } = await get(`/api/directory/${path}/${id}`);
        assert.equal(status, 404, `${path} ${id}`);
        assert.equal(body.status, 404);
      }
    }
  });
});

describe('opening hours as HSDS schedules', () => {
  test("the weekly schedule's days are the service's opening days", async () => {
    const leeds = (await get('/api/directory/services')).body.contents[0];
    assert.equal(leeds.schedules[0].freq, 'WEEKLY');
    assert.equal(leeds.schedules[0].byday, 'MO,TU,WE,TH,FR');
    assert.match(leeds.schedules[0].description, /Monday to Friday/);
    await t.db
      .insertInto('service_opening_days')
      .values({ organisation_id: leeds.organization_id, days: [6, 1, 3] })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ days: [6, 1, 3] }))
      .execute();
    const again = (await get(`/api/directory/services/${String(leeds.id)}`)).body;
    assert.equal(again.schedules[0].byday, 'MO,WE,SA');
    assert.equal(again.schedules[0].id, leeds.schedules[0].id);
  });
});
