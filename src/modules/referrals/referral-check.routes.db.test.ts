// Before sending, the referral form shows which service will receive it and its track record last
// quarter, after a "check" step that works without JavaScript: through HTTP on the real database. The
// check keeps what was typed and sends nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { trackRecordWords } from './service-track-record.ts';
import { trackRecordSql } from './service-track-record.sql.ts';

let t: TestApp;
let referrer: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, now: '2027-05-15T10:00:00Z' });
  referrer = await signIn(t.app, 'referrer@demo.test');
});
after(() => t.close());

const typed = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Olu',
  familyName: 'Checker',
  postcode: 'ls6 1an',
  phone: '07700 900982',
};

const count = async () =>
  Number(
    (
      await t.db
        .selectFrom('referrals')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('checking names the service, its time to first contact and acceptance rate, and sends nothing', async () => {
  const before = await count();
  const res = await referrer.post('/referrals', { ...typed, check: 'service' }, { from: '/referrals/new' });
  assert.equal(res.statusCode, 200);
  assert.equal(await count(), before, 'nothing is sent');
  const leeds = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Leeds Stop Smoking Service')
    .executeTakeFirstOrThrow();
  const words = trackRecordWords(await trackRecordSql(t.db, leeds.id, t.clock.today()));
  const panel =
    /id="receiving-service"[\s\S]*?<\/div>\s*<\/div>|id="receiving-service"[\s\S]*?<\/dl>/.exec(
      res.body,
    )?.[0] ?? '';
  assert.match(panel, /Leeds Stop Smoking Service/);
  assert.ok(panel.includes(words.contact), `first contact: ${words.contact}`);
  assert.ok(panel.includes(words.acceptance.replace(/%/g, '%')), `acceptance: ${words.acceptance}`);
  assert.match(res.body, /value="Olu"/, 'what was typed is kept');
  assert.match(res.body, /value="07700 900982"/);
});

test('without a postcode, or one no service in Mortar covers, the check says so', async () => {
  const none = await referrer.post(
    '/referrals',
    { ...typed, postcode: '', check: 'service' },
    { from: '/referrals/new' },
  );
  assert.match(none.body, /Enter their postcode to see which service will receive it/);
  const wales = await referrer.post(
    '/referrals',
    { ...typed, postcode: 'CF10 1AA', check: 'service' },
    { from: '/referrals/new' },
  );
  assert.match(wales.body, /No service takes referrals in Mortar for this postcode/);
});
