import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCentroids } from './centroid-data.ts';
import {
  boundingBox,
  CentroidTable,
  distanceMiles,
  formatMiles,
  locate,
  parsePlaceQuery,
  type PostcodeSource,
} from './geo.ts';
import { PostcodeLookup } from '../../platform/postcode-lookup.ts';

const TABLE = CentroidTable.fromLines([
  '#centroids-v1 test',
  'LS6\t53.8201\t-1.5709\tE08000035',
  'LS6 1\t53.8113\t-1.5704\tE08000035',
  'LS6 2\t53.8200\t-1.5800\tE08000035',
  'M1\t53.4775\t-2.2362\tE08000003',
  'M1 1\t53.4800\t-2.2400\tE08000003',
  'M11\t53.4800\t-2.1800\tE08000003',
  'CH4\t53.1700\t-2.9500\t',
  'CH4 9\t53.1600\t-2.9600\t',
]);

const POSTCODES: PostcodeSource = {
  lookup: (pc) => {
    const known: Record<string, string | null> = {
      'LS6 1AN': 'E08000035',
      'CH4 9AB': 'W06000005',
      'M1 1AE': 'E08000003',
      'LS6 9ZZ': 'E08000035',
    };
    const key = pc
      .toUpperCase()
      .replace(/\s+/g, '')
      .replace(/(...)$/, ' $1');
    return key in known ? { postcode: key, localAuthorityCode: known[key] ?? null } : null;
  },
};

const at = (query: string) => locate(query, { centroids: TABLE, postcodes: POSTCODES });

describe('parsePlaceQuery', () => {
  test('a full postcode in any case and spacing', () => {
    for (const q of ['LS6 1AN', 'ls61an', ' ls6  1an ', 'Ls6 1aN']) {
      assert.deepEqual(parsePlaceQuery(q), [{ precision: 'postcode', code: 'LS6 1AN' }], q);
    }
  });

  test('a sector, with or without its space', () => {
    assert.deepEqual(parsePlaceQuery('ls6 1'), [{ precision: 'sector', code: 'LS6 1' }]);
    assert.deepEqual(parsePlaceQuery('  LS6   1 '), [{ precision: 'sector', code: 'LS6 1' }]);
    // "LS61" could be a district (AA99) or the sector LS6 1: the district comes first.
    assert.deepEqual(parsePlaceQuery('ls61'), [
      { precision: 'district', code: 'LS61' },
      { precision: 'sector', code: 'LS6 1' },
    ]);
  });

  test('a district', () => {
    assert.deepEqual(parsePlaceQuery('ls6'), [{ precision: 'district', code: 'LS6' }]);
    assert.deepEqual(parsePlaceQuery('SW1A'), [{ precision: 'district', code: 'SW1A' }]);
    assert.deepEqual(parsePlaceQuery('m'), []);
  });

  test('"M1 1" is the sector, "M11" the district first', () => {
    assert.deepEqual(parsePlaceQuery('M1 1'), [{ precision: 'sector', code: 'M1 1' }]);
    assert.deepEqual(parsePlaceQuery('M11')[0], { precision: 'district', code: 'M11' });
  });

  test('anything else is nothing', () => {
    for (const q of [
      '',
      '   ',
      'Leeds',
      'LS6 1A',
      'QS1',
      '<script>',
      'LS6-1AN',
      'ＬＳ６',
      'LS6 1AN LS6 1AN',
      'ſW1A',
      '123',
    ]) {
      assert.deepEqual(parsePlaceQuery(q), [], q);
    }
  });
});

describe('locate', () => {
  test('a full postcode: its sector centroid, and its own authority from the postcode table', () => {
    assert.deepEqual(at('ls61an'), {
      ok: true,
      place: {
        label: 'LS6 1AN',
        precision: 'postcode',
        lat: 53.8113,
        long: -1.5704,
        localAuthorityCode: 'E08000035',
      },
    });
  });

  test('a full postcode in a split sector still gets its exact authority', () => {
    const r = at('CH4 9AB');
    assert.ok(r.ok);
    assert.equal(r.place.localAuthorityCode, 'W06000005');
  });

  test('a full postcode whose sector has no centroid falls back to its district', () => {
    const r = at('LS6 9ZZ');
    assert.ok(r.ok);
    assert.equal(r.place.lat, 53.8201);
  });

  test('a sector and a district', () => {
    assert.deepEqual(at('LS6 2'), {
      ok: true,
      place: {
        label: 'LS6 2',
        precision: 'sector',
        lat: 53.82,
        long: -1.58,
        localAuthorityCode: 'E08000035',
      },
    });
    assert.deepEqual(at('m1'), {
      ok: true,
      place: {
        label: 'M1',
        precision: 'district',
        lat: 53.4775,
        long: -2.2362,
        localAuthorityCode: 'E08000003',
      },
    });
  });

  test('an area split between authorities has no authority', () => {
    const r = at('CH4');
    assert.ok(r.ok);
    assert.equal(r.place.localAuthorityCode, null);
  });

  test('no space: the district if it exists, else the sector', () => {
    const m11 = at('M11');
    assert.ok(m11.ok);
    assert.equal(m11.place.label, 'M11');
    const ls61 = at('ls61');
    assert.ok(ls61.ok);
    assert.equal(ls61.place.label, 'LS6 1');
  });

  test('empty, invalid and unknown are told apart', () => {
    assert.deepEqual(at(''), { ok: false, reason: 'empty' });
    assert.deepEqual(at('  '), { ok: false, reason: 'empty' });
    assert.deepEqual(at('Leeds'), { ok: false, reason: 'invalid' });
    assert.deepEqual(at('LS6 1AI'), { ok: false, reason: 'invalid' });
    assert.deepEqual(at('LS6 1ZZ'), { ok: false, reason: 'unknown' });
    assert.deepEqual(at('YY9'), { ok: false, reason: 'unknown' });
    assert.deepEqual(at('LS6 7'), { ok: false, reason: 'unknown' });
  });
});

describe('CentroidTable.fromLines', () => {
  test('refuses malformed lines, naming the line', () => {
    assert.throws(() => CentroidTable.fromLines(['LS6\t53.8\t-1.5']), /line 1: expected 4/);
    assert.throws(() => CentroidTable.fromLines(['#c', 'LS6\t91\t-1.5\t']), /line 2: bad latitude/);
    assert.throws(() => CentroidTable.fromLines(['LS6\t53.8\t-1.5\t', 'LS6\t53.8\t-1.5\t']), /duplicate/);
    assert.throws(() => CentroidTable.fromLines(['Leeds\t53.8\t-1.5\t']), /bad district or sector/);
    assert.throws(() => CentroidTable.fromLines(['LS6\t53.8\t-1.5\tLeeds']), /bad LA code/);
  });
});

describe('distanceMiles', () => {
  test('zero for the same place, symmetric', () => {
    const leeds = { lat: 53.7997, long: -1.5492 };
    const manchester = { lat: 53.4808, long: -2.2426 };
    assert.equal(distanceMiles(leeds, leeds), 0);
    assert.equal(distanceMiles(leeds, manchester), distanceMiles(manchester, leeds));
  });

  test('known distances', () => {
    // Leeds to Manchester city centres: about 36 miles as the crow flies.
    const lm = distanceMiles({ lat: 53.7997, long: -1.5492 }, { lat: 53.4808, long: -2.2426 });
    assert.ok(lm > 35 && lm < 37, String(lm));
    // One degree of latitude is about 69.1 miles.
    const deg = distanceMiles({ lat: 52, long: -1 }, { lat: 53, long: -1 });
    assert.ok(Math.abs(deg - 69.09) < 0.05, String(deg));
    // London (Charing Cross) to Edinburgh (Waverley): about 332 miles.
    const le = distanceMiles({ lat: 51.5073, long: -0.1276 }, { lat: 55.952, long: -3.1895 });
    assert.ok(le > 328 && le < 336, String(le));
  });

  test('every point within the distance is inside the bounding box', () => {
    const centre = { lat: 53.8, long: -1.55 };
    const box = boundingBox(centre, 25);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      // A point 24.9 miles away on this bearing, by small steps.
      const b = (bearing * Math.PI) / 180;
      const dLat = (24.9 / 69.09) * Math.cos(b);
      const dLong = ((24.9 / 69.09) * Math.sin(b)) / Math.cos((centre.lat * Math.PI) / 180);
      const p = { lat: centre.lat + dLat, long: centre.long + dLong };
      if (distanceMiles(centre, p) > 25) continue;
      assert.ok(
        p.lat >= box.minLat && p.lat <= box.maxLat && p.long >= box.minLong && p.long <= box.maxLong,
        `bearing ${bearing}`,
      );
    }
  });
});

describe('formatMiles', () => {
  test('as people say it', () => {
    assert.equal(formatMiles(0.04), 'less than 0.1 miles');
    assert.equal(formatMiles(0.44), '0.4 miles');
    assert.equal(formatMiles(0.97), '1 mile');
    assert.equal(formatMiles(1.23), '1.2 miles');
    assert.equal(formatMiles(9.96), '10 miles');
    assert.equal(formatMiles(14.6), '15 miles');
    assert.equal(formatMiles(Number.NaN), '');
  });

  test('in Welsh, singular after the number, softened after one and two', () => {
    assert.equal(formatMiles(0.04, 'cy'), 'llai na 0.1 milltir');
    assert.equal(formatMiles(0.44, 'cy'), '0.4 milltir');
    assert.equal(formatMiles(0.97, 'cy'), '1 filltir');
    assert.equal(formatMiles(1.23, 'cy'), '1.2 milltir');
    assert.equal(formatMiles(2.04, 'cy'), '2 filltir');
    assert.equal(formatMiles(14.6, 'cy'), '15 milltir');
    assert.equal(formatMiles(Number.NaN, 'cy'), '');
    assert.equal(formatMiles(3.3, 'en'), '3.3 miles');
  });
});

describe('the shipped centroid file', () => {
  test('loads, and places real postcodes where they are', async () => {
    const [centroids, postcodes] = await Promise.all([loadCentroids(), PostcodeLookup.load()]);
    assert.ok(centroids.size > 13_000, String(centroids.size));
    const ls6 = locate('LS6 1AN', { centroids, postcodes });
    assert.ok(ls6.ok);
    assert.equal(ls6.place.localAuthorityCode, 'E08000035');
    // The sector centroid is within a mile of Hyde Park, Leeds.
    assert.ok(distanceMiles(ls6.place, { lat: 53.8105, long: -1.5665 }) < 1);
    const district = locate('ls6', { centroids, postcodes });
    assert.ok(district.ok);
    assert.equal(district.place.precision, 'district');
    assert.equal(district.place.localAuthorityCode, 'E08000035');
    // SW1A's centroid, checked against postcodes.io in PROVENANCE.md.
    const sw1a = centroids.get('SW1A');
    assert.ok(sw1a && Math.abs(sw1a.lat - 51.5045) < 0.001 && Math.abs(sw1a.long - -0.1323) < 0.001);
    assert.deepEqual(locate('BT1 1AA', { centroids, postcodes }), { ok: false, reason: 'unknown' });
  });
});
