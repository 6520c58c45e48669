import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

// 00:30 on 5 July in British Summer Time is still 4 July in UTC, and years from the machine's real
// date: an episode dated by the database's clock (its `current_date`) would show either difference.
const NOW = '2031-07-04T23:30:00Z';
const LONDON_DAY = '2031-07-05';

let t: TestApp;
let adviser: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const startedOn = (episodeId: string) =>
  t.db.selectFrom('episodes').select('started_on').where('id', '=', episodeId).executeTakeFirstOrThrow();

const episodeIdOf = (location: unknown) => {
  const id = /\/episodes\/([0-9a-f-]{36})$/.exec(String(location))?.[1];
  assert.ok(id, `redirected to an episode, not ${String(location)}`);
  return id;
};

test('an episode from a referral starts on the service’s day in England, not the database’s', async () => {
  assert.equal(t.clock.today(), LONDON_DAY);
  const { id } = await t.db
    .selectFrom('referrals')
    .select('id')
    .where('given_name', '=', 'Jordan')
    .executeTakeFirstOrThrow();
  assert.equal(
    (await adviser.post(`/worklist/${id}/accept`, {}, { from: `/worklist/${id}` })).statusCode,
    303,
  );
  const res = await adviser.post(`/worklist/${id}/start-treatment`, {}, { from: `/worklist/${id}` });
  assert.equal(res.statusCode, 303);
  assert.equal((await startedOn(episodeIdOf(res.headers.location))).started_on, LONDON_DAY);
});

test('an episode for someone met directly starts on the service’s day in England', async () => {
  const res = await adviser.post(
    '/people',
    {
      givenName: 'Ellis',
      familyName: 'Midnight',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '5',
      'dateOfBirth-year': '1975',
      postcode: 'LS2 9JT',
      phone: '07700 900557',
      mentalHealth: 'depression',
      inTalkingTherapies: 'no',
    },
    { from: '/people/new' },
  );
  assert.equal(res.statusCode, 303);
  assert.equal((await startedOn(episodeIdOf(res.headers.location))).started_on, LONDON_DAY);
});
