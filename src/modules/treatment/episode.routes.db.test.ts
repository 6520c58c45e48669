import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { hiddenField, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

let t: TestApp;
let adviser: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const referralId = async (givenName: string) =>
  (
    await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', givenName)
      .executeTakeFirstOrThrow()
  ).id;

test('an accepted referral starts an episode for a new person, once', async () => {
  // The demonstration's accepted referral (Morgan Hughes) is already in treatment: accept Jordan Lee's.
  const id = await referralId('Jordan');
  assert.equal(
    (await adviser.post(`/worklist/${id}/accept`, {}, { from: `/worklist/${id}` })).statusCode,
    303,
  );
  const res = await adviser.post(`/worklist/${id}/start-treatment`, {}, { from: `/worklist/${id}` });
  assert.equal(res.statusCode, 303);
  const episodeId = /\/episodes\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
  assert.ok(episodeId);
  const again = await adviser.post(`/worklist/${id}/start-treatment`, {}, { from: `/worklist/${id}` });
  assert.equal(again.headers.location, `/episodes/${episodeId}`, 'the same episode, not a second one');
  const episode = await t.db
    .selectFrom('episodes')
    .selectAll()
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  assert.equal(episode.referral_id, id);
  assert.equal(episode.mental_health, 'both', 'what the referrer knew of their mental health');
  const referral = await t.db
    .selectFrom('referrals')
    .select('person_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(referral.person_id, episode.person_id);
  const page = await adviser.get(`/episodes/${episodeId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Jordan Lee/);
  assert.match(page.body, /Preparing to quit/);
  const caseload = await adviser.get('/episodes');
  assert.match(caseload.body, /Jordan Lee/);
  const audits = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('entity_id', '=', episodeId)
    .execute();
  assert.ok(audits.some((a) => a.action === 'create') && audits.some((a) => a.action === 'view'));
});

test('a referral not yet accepted cannot start treatment', async () => {
  const id = await referralId('Priya');
  const res = await adviser.post(`/worklist/${id}/start-treatment`, {}, { from: `/worklist/${id}` });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /Accept the referral before starting treatment/);
});

test('someone met directly is added, and a second episode joins their history', async () => {
  const form = {
    givenName: 'Dana',
    familyName: 'Kerr',
    'dateOfBirth-day': '9',
    'dateOfBirth-month': '9',
    'dateOfBirth-year': '1970',
    postcode: 'LS2 9JT',
    phone: '07700 900555',
    mentalHealth: 'anxiety',
    inTalkingTherapies: 'no',
  };
  const first = await adviser.post('/people', form, { from: '/people/new' });
  assert.equal(first.statusCode, 303);
  const second = await adviser.post('/people', { ...form, givenName: 'dana' }, { from: '/people/new' });
  assert.equal(second.statusCode, 303);
  const people = await t.db.selectFrom('people').select('id').where('family_name', '=', 'Kerr').execute();
  assert.equal(people.length, 1, 'matched by name and date of birth');
  const episodes = await t.db
    .selectFrom('episodes')
    .select(['id', 'local_authority_code'])
    .where('person_id', '=', people[0]!.id)
    .execute();
  assert.equal(episodes.length, 2);
  assert.equal(episodes[0]!.local_authority_code, 'E08000035');
  const page = await adviser.get(`/people/${people[0]!.id}`);
  assert.match(page.body, /Episode 1/);
  assert.match(page.body, /Episode 2/);
});

test('the person form sent twice starts one episode, and the repeat goes to it', async () => {
  const formToken = hiddenField((await adviser.get('/people/new')).body, 'formToken');
  const form = {
    givenName: 'Rowan',
    familyName: 'Twicer',
    'dateOfBirth-day': '2',
    'dateOfBirth-month': '2',
    'dateOfBirth-year': '1966',
    postcode: 'LS2 9JT',
    phone: '07700 900556',
    mentalHealth: 'depression',
    inTalkingTherapies: 'no',
    formToken,
  };
  const [first, second] = [await adviser.post('/people', form), await adviser.post('/people', form)];
  assert.equal(first.statusCode, 303);
  assert.match(String(first.headers.location), /^\/episodes\/[0-9a-f-]{36}$/);
  assert.equal(second.headers.location, first.headers.location);
  const episodes = await t.db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select('e.id')
    .where('p.family_name', '=', 'Twicer')
    .execute();
  assert.equal(episodes.length, 1);
});

test('bad input on the person form is listed and kept', async () => {
  const res = await adviser.post(
    '/people',
    { givenName: '<script>', familyName: '', postcode: 'nowhere', 'dateOfBirth-day': '40' },
    { from: '/people/new' },
  );
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /nhsuk-error-summary/);
  assert.ok(res.body.includes('value="&lt;script&gt;"'));
  assert.ok(res.body.includes('value="nowhere"'));
  assert.ok(res.body.includes('value="40"'));
});

test("another service's adviser cannot see an episode or person", async () => {
  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  const episode = await t.db.selectFrom('episodes').select(['id', 'person_id']).executeTakeFirstOrThrow();
  assert.equal((await mcr.get(`/episodes/${episode.id}`)).statusCode, 404);
  assert.equal((await mcr.get(`/people/${episode.person_id}`)).statusCode, 404);
  assert.doesNotMatch((await mcr.get('/episodes?show=all')).body, /Morgan Hughes|Jordan Lee|Dana Kerr/);
});
