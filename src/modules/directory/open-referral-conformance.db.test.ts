import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import {
  conformanceErrors,
  pageErrors,
  STANDARDS,
  type SchemaName,
  type Standard,
} from '../../../test/helpers/open-referral.ts';

// Every answer of the open directory API, checked against the Open Referral UK profile and HSDS 3.0 core
// as published (data/reference/open-referral), by a JSON Schema validator: list items and full records.

const t = await buildTestApp({ demo: true });
after(() => t.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read by shape
type Json = any;
async function getJson(url: string): Promise<Json> {
  const res = await t.app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return JSON.parse(res.body);
}

const standards = Object.keys(STANDARDS) as Standard[];

function assertConforms(name: SchemaName, data: Json, where: string) {
  for (const standard of standards) {
    assert.deepEqual(conformanceErrors(standard, name, data), [], `${where} against ${standard} ${name}`);
  }
}

/** A list endpoint: its page fields and each item, on every page. */
async function assertListConforms(url: string, item: SchemaName): Promise<Json[]> {
  const first = await getJson(url);
  const items: Json[] = [];
  for (let page = 1; page <= first.total_pages; page++) {
    const body = await getJson(`${url}${url.includes('?') ? '&' : '?'}page=${page}&per_page=2`);
    for (const standard of standards) assert.deepEqual(pageErrors(standard, body), [], `${url} page`);
    body.contents.forEach((x: Json, i: number) => assertConforms(item, x, `${url} page ${page} item ${i}`));
    items.push(...body.contents);
  }
  assert.ok(items.length > 0, `${url} lists something`);
  return items;
}

describe('the open directory API conforms to Open Referral UK and HSDS 3.0', () => {
  test('the schemas do find errors: a service without its name fails', async () => {
    const list = await getJson('/api/directory/services');
    const { name: _name, ...nameless } = list.contents[0];
    for (const standard of standards)
      assert.ok(conformanceErrors(standard, 'compiled/service_list.json', nameless).length > 0, standard);
  });

  test('the root says what it is, with profile and openapi_url', async () => {
    for (const root of ['/api/directory', '/api/directory/']) {
      const body = await getJson(root);
      assert.equal(body.version, '3.0');
      assert.match(body.profile, /^https:\/\//);
      assert.match(body.openapi_url, /^https?:\/\//);
    }
  });

  test('services: list items and each full record', async () => {
    const items = await assertListConforms('/api/directory/services', 'compiled/service_list.json');
    for (const s of items) {
      const full = await getJson(`/api/directory/services/${String(s.id)}`);
      assertConforms('service.json', full, `service ${String(s.id)}`);
      assert.ok(full.schedules.length > 0, 'opening hours as schedules');
    }
    await assertListConforms('/api/directory/services?postcode=HD1', 'compiled/service_list.json');
    assert.ok(
      items.some((s) => s.schedules.some((x: Json) => x.opens_at && x.service_at_location_id)),
      "places' opening times as schedules",
    );
  });

  test('services as ndjson: each line a full service record', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/directory/services?format=ndjson' });
    const lines = res.body.trim().split('\n');
    assert.ok(lines.length > 1);
    lines.forEach((line, i) => assertConforms('service.json', JSON.parse(line), `ndjson line ${i + 1}`));
  });

  test('organizations: list items and each full record', async () => {
    const items = await assertListConforms('/api/directory/organizations', 'compiled/organization_list.json');
    for (const o of items) {
      const full = await getJson(`/api/directory/organizations/${String(o.id)}`);
      assertConforms('organization.json', full, `organization ${String(o.id)}`);
    }
  });

  test('locations, service_at_locations, taxonomies and taxonomy terms', async () => {
    const locations = await assertListConforms('/api/directory/locations', 'location.json');
    for (const l of locations)
      assertConforms('location.json', await getJson(`/api/directory/locations/${String(l.id)}`), 'location');
    const sals = await assertListConforms(
      '/api/directory/service_at_locations',
      'compiled/service_at_location_list.json',
    );
    for (const sal of sals)
      assertConforms(
        'service_at_location.json',
        await getJson(`/api/directory/service_at_locations/${String(sal.id)}`),
        'service_at_location',
      );
    const taxonomies = await assertListConforms('/api/directory/taxonomies', 'taxonomy.json');
    for (const x of taxonomies)
      assertConforms('taxonomy.json', await getJson(`/api/directory/taxonomies/${String(x.id)}`), 'taxonomy');
    const terms = await assertListConforms('/api/directory/taxonomy_terms', 'taxonomy_term.json');
    for (const x of terms.slice(0, 3))
      assertConforms(
        'taxonomy_term.json',
        await getJson(`/api/directory/taxonomy_terms/${String(x.id)}`),
        'taxonomy_term',
      );
  });
});
