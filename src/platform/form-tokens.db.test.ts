import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import {
  FORM_TOKEN_DAYS,
  formTokenFor,
  makeOnce,
  newFormToken,
  purgeFormTokens,
  sentBefore,
  submittedFormToken,
} from './form-tokens.ts';
import { HttpError } from './errors.ts';
import { hashToken } from './tokens.ts';

// The routes' own tests show one form making one record; these pin the rules underneath.

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t?.close());

const claim = (token: string | undefined, form = 'test-form') => ({ form, token, userId: null });

test('only a token that looks like one of ours is taken from a form', () => {
  const token = newFormToken();
  assert.equal(submittedFormToken({ formToken: token }), token);
  for (const v of [undefined, '', 'short', ['a', 'b'], 42, `${token}\u0000`, 'x'.repeat(65)])
    assert.equal(submittedFormToken({ formToken: v }), undefined, String(v));
  assert.equal(formTokenFor({ formToken: token }), token, 'a form shown again keeps its token');
  assert.notEqual(formTokenFor({}), formTokenFor({}), 'a new form gets a new one');
});

test('the first submission makes the record; the repeat gets its page and makes nothing', async () => {
  const token = newFormToken();
  let made = 0;
  const make = async () => ({ location: `/made/${++made}`, value: made });
  const first = await makeOnce(t.db, claim(token), make);
  const second = await makeOnce(t.db, claim(token), make);
  assert.deepEqual(first, { replayed: false, location: '/made/1', value: 1 });
  assert.deepEqual(second, { replayed: true, location: '/made/1', detail: null });
  assert.equal(made, 1);
  assert.deepEqual(await sentBefore(t.db, claim(token)), { location: '/made/1', detail: null });
});

test('a failed submission leaves the token unclaimed, so the corrected form can be sent', async () => {
  const token = newFormToken();
  await assert.rejects(
    makeOnce(t.db, claim(token), async () => {
      throw new Error('the postcode has no service');
    }),
  );
  assert.equal(await sentBefore(t.db, claim(token)), undefined);
  const sent = await makeOnce(t.db, claim(token), async () => ({ location: '/ok', value: null }));
  assert.equal(sent.replayed, false);
});

test('a token spent on one form or by one user is not accepted for another', async () => {
  const token = newFormToken();
  await makeOnce(t.db, claim(token, 'referral'), async () => ({ location: '/r', value: null }));
  await assert.rejects(
    sentBefore(t.db, claim(token, 'person')),
    (e) => e instanceof HttpError && e.status === 409,
  );
});

test('without a token the record is simply made, every time', async () => {
  let made = 0;
  for (let i = 0; i < 2; i++)
    await makeOnce(t.db, claim(undefined), async () => ({ location: '/x', value: ++made }));
  assert.equal(made, 2);
});

test(`tokens are kept ${FORM_TOKEN_DAYS} days, then purged`, async () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const day = 24 * 3600_000;
  const old = newFormToken();
  const recent = newFormToken();
  // Only these two, whatever the other tests' rows were dated.
  await t.db.deleteFrom('form_tokens').execute();
  for (const [token, at] of [
    [old, new Date(now.getTime() - (FORM_TOKEN_DAYS + 1) * day)],
    [recent, new Date(now.getTime() - (FORM_TOKEN_DAYS - 1) * day)],
  ] as const) {
    await t.db
      .insertInto('form_tokens')
      .values({ token_hash: hashToken(token), form: 'test-form', user_id: null, location: '/x', used_at: at })
      .execute();
  }
  assert.equal(await purgeFormTokens(t.db, now), 1);
  assert.equal(await sentBefore(t.db, claim(old)), undefined);
  assert.ok(await sentBefore(t.db, claim(recent)));
});
