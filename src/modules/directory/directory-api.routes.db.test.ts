import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { LEEDS } from '../../demo/demo-data.ts';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, type Response } from '../../../test/helpers/http-session.ts';

const t = await buildTestApp({ demo: true });
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read by shape in assertions
type Json = any;
const json = (res: Response): Json => JSON.parse(res.body);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function assertOpen(res: Response) {
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['set-cookie'], undefined);
}

function assertProblem(res: Response, status: number) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assertOpen(res);
  const body = JSON.parse(res.body) as {
    status: number;
    title: string;
    invalid_params?: { name: string; reason: string }[];
  };
  assert.equal(body.status, status);
  return body;
}

describe('GET /api/directory/services', () => {
  test('every published service, by name, as an HSDS page, open to any origin', async () => {
    const res = await get('/api/directory/services', { origin: 'https://elsewhere.example' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assertOpen(res);
    const page = json(res);
    assert.deepEqual(
      { ...page, contents: undefined },
      {
        total_items: 2,
        total_pages: 1,
        page_number: 1,
        size: 2,
        first_page: true,
        last_page: true,
        empty: false,
        contents: undefined,
      },
    );
    assert.deepEqual(
      page.contents.map((s: Json) => s.name),
      ['Leeds Stop Smoking Service', 'Manchester Stop Smoking Service'],
    );
  });

  test('a service has the HSDS fields', async () => {
    const leeds = json(await get('/api/directory/services')).contents[0];
    assert.match(leeds.id, UUID);
    assert.match(leeds.organization_id, UUID);
    assert.equal(leeds.name, 'Leeds Stop Smoking Service');
    assert.match(leeds.description, /Free help to stop smoking/);
    assert.equal(leeds.url, 'https://stopsmoking.leeds.example.org');
    assert.equal(leeds.email, 'stopsmoking@leeds.example.org');
    assert.equal(leeds.status, 'active');
    assert.equal(
      leeds.eligibility_description,
      'Adults who live in Leeds or are registered with a Leeds GP.',
    );
    assert.ok(!Number.isNaN(Date.parse(leeds.last_modified)));
    assert.equal(leeds.phones[0].number, '0113 496 0000');
    assert.equal(leeds.contacts[0].email, 'stopsmoking@leeds.example.org');
    assert.match(leeds.schedules[0].description, /Monday to Friday/);
    assert.deepEqual(
      leeds.service_areas.map((a: { name: string; uri: string }) => [a.name, a.uri]),
      [['Leeds', `http://statistics.data.gov.uk/id/statistical-geography/${LEEDS}`]],
    );
    assert.deepEqual(
      leeds.languages.map((l: { name: string; code: string }) => [l.name, l.code]),
      [
        ['English', 'en'],
        ['Urdu', 'ur'],
        ['Punjabi', 'pa'],
        ['Polish', 'pl'],
      ],
    );
    const places = leeds.service_at_locations.map((sal: Json) => sal.location);
    assert.deepEqual(places.map((l: { name: string }) => l.name).sort(), [
      'Armley community hub',
      'Leeds city centre clinic',
    ]);
    for (const l of places) {
      assert.equal(typeof l.latitude, 'number');
      assert.equal(typeof l.longitude, 'number');
      assert.equal(l.location_type, 'physical');
      assert.equal(l.addresses[0].country, 'GB');
    }
    const clinic = places.find((l: { name: string }) => l.name === 'Leeds city centre clinic');
    assert.deepEqual(
      [clinic.latitude, clinic.longitude, clinic.addresses[0].postal_code],
      [53.801614, -1.544044, 'LS2 8NG'],
    );
    const codes = leeds.attributes.map((a: { taxonomy_term: { code: string } }) => a.taxonomy_term.code);
    for (const code of [
      'mode:in_person',
      'mode:group',
      'tailored_support:anxiety_depression',
      'works_in:nhs_talking_therapies',
      'aid:e_cigarette_swap_to_stop',
    ]) {
      assert.ok(codes.includes(code), code);
    }
    assert.equal(leeds.free_vape_kits, true);
    // Every nested object has an id, the same on every call.
    const again = json(await get('/api/directory/services')).contents[0];
    assert.deepEqual(again, leeds);
  });

  test('paging', async () => {
    const second = json(await get('/api/directory/services?page=2&per_page=1'));
    assert.deepEqual(
      { ...second, contents: second.contents.map((s: Json) => s.name) },
      {
        total_items: 2,
        total_pages: 2,
        page_number: 2,
        size: 1,
        first_page: false,
        last_page: true,
        empty: false,
        contents: ['Manchester Stop Smoking Service'],
      },
    );
    const beyond = json(await get('/api/directory/services?page=5&per_page=1'));
    assert.equal(beyond.empty, true);
    assert.deepEqual(beyond.contents, []);
  });

  test('by postcode: those covering or near it, nearest first, with the distance and whether it covers the postcode', async () => {
    const page = json(await get('/api/directory/services?postcode=m14%205tq'));
    assert.deepEqual(
      page.contents.map((s: Json) => [s.name, s.covers_postcode]),
      [['Manchester Stop Smoking Service', true]],
    );
    assert.equal(typeof page.contents[0].distance_miles, 'number');
    const between = json(await get('/api/directory/services?postcode=HD1'));
    assert.deepEqual(
      between.contents.map((s: Json) => [s.name, s.covers_postcode]),
      [
        ['Leeds Stop Smoking Service', false],
        ['Manchester Stop Smoking Service', false],
      ],
    );
    // Within 1 km of HD1 there is no place; the services are not Kirklees's own, so none is listed.
    assert.equal(json(await get('/api/directory/services?postcode=HD1&proximity=1000')).total_items, 0);
    // A service covers its own area however far its places are.
    const own = json(await get('/api/directory/services?postcode=LS6%201AN&proximity=1'));
    assert.deepEqual(
      own.contents.map((s: Json) => s.name),
      ['Leeds Stop Smoking Service'],
    );
    assert.equal(own.contents[0].covers_postcode, true);
  });

  test('bad input gets a problem document naming the parameter', async () => {
    for (const url of [
      '/api/directory/services?page=0',
      '/api/directory/services?page=abc',
      '/api/directory/services?per_page=101',
      '/api/directory/services?per_page=-1',
      '/api/directory/services?proximity=500',
      '/api/directory/services?postcode=LS6&postcode=M1',
      '/api/directory/services?postcode=Leeds',
      '/api/directory/services?postcode=LS6%201ZZ',
    ]) {
      const body = assertProblem(await get(url), 400);
      assert.ok(body.invalid_params?.length, url);
    }
    const body = assertProblem(await get('/api/directory/services?postcode=Leeds'), 400);
    assert.equal(body.invalid_params?.[0]?.name, 'postcode');
  });
});

describe('GET /api/directory/services/:id', () => {
  test('one service, fully nested; unknown, malformed and unpublished ids are not found', async () => {
    const list = json(await get('/api/directory/services'));
    const manchester = list.contents[1];
    const res = await get(`/api/directory/services/${String(manchester.id)}`);
    assert.equal(res.statusCode, 200);
    assertOpen(res);
    assert.deepEqual(json(res), manchester);

    assertProblem(await get('/api/directory/services/00000000-0000-4000-8000-000000000000'), 404);
    assertProblem(await get('/api/directory/services/nope'), 404);
    await t.db
      .updateTable('directory_services')
      .set({ published: false })
      .where('id', '=', String(manchester.id))
      .execute();
    try {
      assertProblem(await get(`/api/directory/services/${String(manchester.id)}`), 404);
      assert.equal(json(await get('/api/directory/services')).total_items, 1);
    } finally {
      await t.db
        .updateTable('directory_services')
        .set({ published: true })
        .where('id', '=', String(manchester.id))
        .execute();
    }
  });

  test('the API root says what it is', async () => {
    const res = await get('/api/directory');
    assert.equal(res.statusCode, 200);
    assertOpen(res);
    assert.equal(json(res).version, '3.0');
  });
});

describe('CORS is open on these routes only', () => {
  test('other pages and APIs do not send the header', async () => {
    for (const url of [
      '/find-support',
      '/find-support/results?postcode=LS6',
      '/api/v1/referrals',
      '/healthz',
    ]) {
      const res = await anonymous(t.app).get(url);
      assert.equal(res.headers['access-control-allow-origin'], undefined, url);
    }
  });
});
