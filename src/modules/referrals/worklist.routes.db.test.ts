import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

let t: TestApp;
let adviser: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, env: { MAX_FAILED_CONTACT_ATTEMPTS: '2' } });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(() => t.close());

const idOf = async (givenName: string) =>
  (
    await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', givenName)
      .executeTakeFirstOrThrow()
  ).id;
const kinds = async (id: string) =>
  (
    await t.db
      .selectFrom('referral_events')
      .select('kind')
      .where('referral_id', '=', id)
      .orderBy('id')
      .execute()
  ).map((e) => e.kind);

test("the worklist shows the service's open referrals, oldest first, with days waiting, and nobody else's", async () => {
  const res = await adviser.get('/worklist');
  assert.equal(res.statusCode, 200);
  assert.ok(res.body.indexOf('Sam Taylor') < res.body.indexOf('Priya Shah'), 'oldest first');
  assert.match(res.body, /9 days/, 'days waiting since the referral');
  assert.ok(!res.body.includes('Morgan Hughes'), 'accepted referrals are not to do');
  assert.ok(!res.body.includes('Robin Ashworth'), 'Manchester referrals never');
  const all = await adviser.get('/worklist?status=all');
  assert.ok(all.body.includes('Morgan Hughes'));
  assert.ok(!all.body.includes('Robin Ashworth'));
  const listed = await t.db
    .selectFrom('audit_events')
    .select('entity_id')
    .where('action', '=', 'list')
    .execute();
  assert.ok(
    listed.some((a) => a.entity_id === null) === false && listed.length > 0,
    'each listed referral audited',
  );
});

test('failed attempts up to the configured limit make a referral unable to contact; reaching them reopens it', async () => {
  const id = await idOf('Sam');
  const page = `/worklist/${id}`;
  let res = await adviser.post(`${page}/contact-attempts`, { outcome: 'no_answer' }, { from: page });
  assert.equal(res.statusCode, 303);
  res = await adviser.post(
    `${page}/contact-attempts`,
    { outcome: 'voicemail', note: 'Left message at 10am' },
    { from: page },
  );
  assert.equal(res.statusCode, 303);
  assert.deepEqual(await kinds(id), ['received', 'contact_attempt', 'contact_attempt', 'unable_to_contact']);
  const shown = await adviser.get(page);
  assert.match(shown.body, /Unable to contact/);
  assert.match(shown.body, /Left message at 10am/);
  await adviser.post(`${page}/contact-attempts`, { outcome: 'reached' }, { from: page });
  assert.equal((await kinds(id)).at(-1), 'contacted');
});

test('accept, then a second accept or a decline is refused with a clear message', async () => {
  const id = await idOf('Priya');
  const page = `/worklist/${id}`;
  assert.equal((await adviser.post(`${page}/accept`, {}, { from: page })).statusCode, 303);
  const again = await adviser.post(`${page}/accept`, {}, { from: page });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /already accepted/);
  const decline = await adviser.post(`${page}/decline`, { reason: 'duplicate' }, { from: page });
  assert.equal(decline.statusCode, 409);
  assert.deepEqual(await kinds(id), ['received', 'accepted']);
});

test('declining needs a reason, and "other" needs a note; bad input keeps what was typed', async () => {
  const id = await idOf('Jordan');
  const page = `/worklist/${id}`;
  let res = await adviser.post(`${page}/decline`, { reason: '' }, { from: page });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Select why the service is declining/);
  res = await adviser.post(`${page}/decline`, { reason: 'other', note: '' }, { from: page });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Say why the referral is being declined/);
  res = await adviser.post(
    `${page}/contact-attempts`,
    { outcome: 'shouted', note: 'x'.repeat(1001) },
    { from: page },
  );
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Select what happened/);
  res = await adviser.post(
    `${page}/decline`,
    { reason: 'out_of_area', note: 'Lives in Bradford' },
    { from: page },
  );
  assert.equal(res.statusCode, 303);
  assert.equal((await kinds(id)).at(-1), 'declined');
  const ev = await t.db
    .selectFrom('referral_events')
    .select(['reason', 'note', 'actor_user_id'])
    .where('referral_id', '=', id)
    .where('kind', '=', 'declined')
    .executeTakeFirstOrThrow();
  assert.equal(ev.reason, 'out_of_area');
  assert.equal(ev.note, 'Lives in Bradford');
  assert.ok(ev.actor_user_id);
});

test('a Manchester adviser can neither see nor act on a Leeds referral', async () => {
  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  const id = await idOf('Alex');
  const before = await kinds(id);
  assert.equal((await mcr.get(`/worklist/${id}`)).statusCode, 404);
  const res = await mcr.post(`/worklist/${id}/accept`, {}, { from: '/worklist' });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(await kinds(id), before);
  assert.ok(!(await mcr.get('/worklist?status=all')).body.includes('Alex Wood'));
});

test('an id that is not a uuid is simply not found', async () => {
  assert.equal((await adviser.get('/worklist/not-an-id')).statusCode, 404);
  assert.equal((await adviser.get("/worklist/1'%20or%201=1")).statusCode, 404);
});
