import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { decideForWhereabouts } from '../referrals/referral.service.ts';
import { whereaboutsOf } from '../referrals/where-to-send.ts';
import { createDirectoryCache, type DirectoryCopy } from './directory-cache.service.ts';
import { directoryStamp } from './directory-version.repository.ts';
import { allPublishedServices, servicesNear } from './directory.service.ts';
import type { Place } from './geo.ts';

// The copy in memory gives what the uncached queries give, on generated directories: services open and
// closed, published and not, commissions in force, ended yesterday, ending today and starting tomorrow,
// places near and far, opening times ended and current, services with and without advisers; searched
// from generated places at several distances, before and after a round of edits. Fixed seed.

const t = await buildTestApp({ demo: true });
after(() => t.close());

/** A small seeded generator (mulberry32): enough to spread the cases, the same every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(15);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const CENTRES = [
  { lat: 53.8, long: -1.55 },
  { lat: 53.48, long: -2.24 },
  { lat: 52.48, long: -1.9 },
  { lat: 51.45, long: -2.58 },
];
const TODAY = sql<string>`(now() at time zone 'Europe/London')::date`;
const day = (offset: number) => sql<string>`(${TODAY} + ${offset}::int)`;

const authorities = (
  await t.db
    .selectFrom('local_authorities as la')
    .select('la.code')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('commissions as c').select('c.id').whereRef('c.local_authority_code', '=', 'la.code'),
        ),
      ),
    )
    .orderBy('la.code')
    .limit(12)
    .execute()
).map((r) => r.code);

async function generate(count: number) {
  const locations: string[] = [];
  for (let i = 0; i < count; i++) {
    const org = await t.db
      .insertInto('organisations')
      .values({ name: `Generated service ${i}`, type: 'stop_smoking_service', active: rnd() < 0.85 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const service = await t.db
      .insertInto('directory_services')
      .values({
        organisation_id: org.id,
        description: `Generated ${i}`,
        phone: rnd() < 0.5 ? '0300 123 0000' : null,
        modes: ['in_person'],
        published: rnd() < 0.8,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const centre = pick(CENTRES);
    for (let k = Math.floor(rnd() * 4); k > 0; k--) {
      const place = await t.db
        .insertInto('directory_locations')
        .values({
          service_id: service.id,
          name: `Place ${i}.${k}`,
          address: 'Somewhere',
          postcode: 'LS1 1AA',
          latitude: centre.lat + (rnd() - 0.5) * 0.8,
          longitude: centre.long + (rnd() - 0.5) * 1.2,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      locations.push(place.id);
      if (rnd() < 0.5)
        await t.db
          .insertInto('directory_opening_hours')
          .values({
            location_id: place.id,
            weekday: 1 + Math.floor(rnd() * 7),
            opens_at: '09:00',
            closes_at: '12:00',
            valid_to: pick([null, day(-1), day(0), day(30)]),
          })
          .execute();
    }
    if (i < authorities.length) {
      const [starts, ends] = pick([
        [-100, null],
        [-100, -1],
        [-100, 0],
        [1, null],
      ] as const);
      await t.db
        .insertInto('commissions')
        .values({
          local_authority_code: authorities[i]!,
          service_organisation_id: org.id,
          starts_on: day(starts),
          ends_on: ends === null ? null : day(ends),
        })
        .execute();
    }
    if (rnd() < 0.6)
      await t.db
        .insertInto('users')
        .values({
          email: `adviser${i}@generated.test`,
          name: `Adviser ${i}`,
          role: pick(['adviser', 'service_manager', 'referrer'] as const),
          organisation_id: org.id,
          active: rnd() < 0.8,
        })
        .execute();
  }
  return locations;
}

function places(n: number): { place: Place; radius: number }[] {
  return Array.from({ length: n }, (_, i) => ({
    place: {
      label: `Place ${i}`,
      precision: pick(['postcode', 'sector', 'district'] as const),
      lat: 50.8 + rnd() * 3.6,
      long: -3.2 + rnd() * 3.4,
      localAuthorityCode: pick([null, 'E08000035', 'E08000003', ...authorities]),
    },
    radius: pick([2, 10, 25, 60]),
  }));
}

/** Everything the finder and the open data read, from the copy and from the database, side by side. */
async function compare(copy: DirectoryCopy, round: string) {
  assert.deepStrictEqual(copy.services, await allPublishedServices(t.db), `${round}: every service`);
  for (const s of copy.services) assert.equal(copy.service(s.id), s);
  let found = 0;
  for (const { place, radius } of places(80)) {
    const near = copy.near(place, radius);
    found += near.length;
    assert.deepStrictEqual(
      near,
      await servicesNear(t.db, place, radius),
      `${round}: ${JSON.stringify(place)}`,
    );
  }
  assert.ok(found > 40, `${round}: the places find services (${found})`);
  const kinds = new Set<string>();
  for (const la of ['E08000035', 'E08000003', ...authorities]) {
    const where = whereaboutsOf('LS1 1AA', { localAuthorityCode: la, countryCode: 'E92000001' });
    const decision = await decideForWhereabouts(t.db, where, copy.commissioned);
    assert.deepStrictEqual(
      decision,
      await decideForWhereabouts(t.db, where),
      `${round}: the decision for ${la}`,
    );
    kinds.add(decision.kind);
  }
  assert.ok(kinds.size >= 3, `${round}: several kinds of decision (${[...kinds].join(', ')})`);
}

/** Compares with a copy of the directory as it is now; again if England's date turned meanwhile. */
async function agrees(round: string) {
  const cache = createDirectoryCache(t.db);
  for (let attempt = 0; ; attempt++) {
    const copy = await cache.current();
    await compare(copy, round);
    if ((await directoryStamp(t.db)) === copy.stamp || attempt > 0) return;
  }
}

test('the copy and the queries agree on generated directories, before and after edits', async () => {
  assert.equal(authorities.length, 12);
  const locations = await generate(24);
  await agrees('generated');

  // A round of edits, as managers and administrators make them.
  await t.db.transaction().execute(async (trx) => {
    for (const id of locations.filter(() => rnd() < 0.3))
      await trx
        .updateTable('directory_locations')
        .set({ latitude: sql`latitude + 0.2`, longitude: sql`longitude - 0.3` })
        .where('id', '=', id)
        .execute();
  });
  await t.db
    .updateTable('directory_services')
    .set({ published: sql`not published` })
    .where('description', 'in', ['Generated 1', 'Generated 4', 'Generated 7'])
    .execute();
  await t.db
    .updateTable('commissions')
    .set({ ends_on: day(-1) })
    .where('local_authority_code', 'in', authorities.slice(0, 4))
    .where('ends_on', 'is', null)
    .execute();
  await t.db
    .updateTable('organisations')
    .set({ active: sql`not active` })
    .where('name', 'in', ['Generated service 2', 'Generated service 9'])
    .execute();
  await agrees('edited');
});
