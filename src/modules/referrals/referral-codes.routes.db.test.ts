import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn } from '../../../test/helpers/http-session.ts';
import { addDays } from '../../platform/dates.ts';
import { dateBoxes } from '../treatment/treatment.schemas.ts';

// Codes to add to the referrer's clinical system (issue 14): written by the services as each step
// happens (platform/step-codes.ts decides which), and shown on the referrer's page under the person's
// consent rules.

let t: TestApp;
let today: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
});
after(() => t.close());

/** Sam Taylor: referred by referrer@demo.test through the real service (demo data). */
const samsReferral = () =>
  t.db
    .selectFrom('referrals')
    .select(['id', 'consent_share_progress'])
    .where('given_name', '=', 'Sam')
    .where('family_name', '=', 'Taylor')
    .executeTakeFirstOrThrow();

/** An episode for the referral, its four-week outcome recorded by the adviser through the outcome page. */
async function outcomeRecorded(referralId: string) {
  const adviser = await t.db
    .selectFrom('users')
    .select(['id', 'organisation_id'])
    .where('email', '=', 'adviser@demo.test')
    .executeTakeFirstOrThrow();
  const person = await t.db
    .insertInto('people')
    .values({
      service_organisation_id: adviser.organisation_id,
      given_name: 'Sam',
      family_name: 'Taylor',
      date_of_birth: '1980-01-01',
      postcode: 'LS6 1AN',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const episode = await t.db
    .insertInto('episodes')
    .values({
      person_id: person.id,
      service_organisation_id: adviser.organisation_id,
      local_authority_code: null,
      referral_id: referralId,
      adviser_user_id: adviser.id,
      quit_date: addDays(today, -30),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await signIn(t.app, 'adviser@demo.test');
  const res = await session.post(
    `/episodes/${episode.id}/outcome`,
    { ...dateBoxes('followUpOn', addDays(today, -1)), smokedDays15to28: 'no', coPpm: '3' },
    { from: `/episodes/${episode.id}/outcome` },
  );
  assert.equal(res.statusCode, 303);
}

test('the referral stores its codes: status, advice and referral, in that order', async () => {
  const referral = await samsReferral();
  const rows = await t.db
    .selectFrom('clinical_codes')
    .select(['step', 'code', 'display'])
    .where('referral_id', '=', referral.id)
    .orderBy('position')
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.step, r.code]).sort(),
    [
      ['referral_made', '871661000000106'],
      ['smoking_status_at_referral', '77176002'],
      ['vba_given', '225323000'],
    ].sort(),
  );
});

test('the referrer sees codes to add, the four-week outcome only with consent, and plain text without script', async () => {
  const referral = await samsReferral();
  await t.db
    .updateTable('referrals')
    .set({ consent_share_progress: true })
    .where('id', '=', referral.id)
    .execute();
  await outcomeRecorded(referral.id);
  const referrer = await signIn(t.app, 'referrer@demo.test');

  const page = await referrer.get(`/referrals/${referral.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Codes to add to your clinical system/);
  const section = page.body.slice(page.body.indexOf('id="codes"'));
  // Status, advice and referral, then the outcome as Smoking status at 4 weeks = Ex-smoker, with the reading.
  const order = ['77176002', '225323000', '871661000000106', '390902009', '251900003'].map((c) =>
    section.indexOf(`data-copy-code="${c}"`),
  );
  assert.ok(
    order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!)),
    `codes in order: ${order.join(',')}`,
  );
  assert.match(section, /Value: Ex-smoker, <span class="app-code" data-copy-code="8517006"/);
  assert.match(section, /Value: 3 ppm/);
  // Without JavaScript the code is the cell's own text, selectable; no button is sent that cannot work.
  assert.match(section, />77176002<\/span>/);
  assert.doesNotMatch(section, /<button/);

  // Without consent, only what the referrer did themselves.
  await t.db
    .updateTable('referrals')
    .set({ consent_share_progress: false })
    .where('id', '=', referral.id)
    .execute();
  const hidden = await referrer.get(`/referrals/${referral.id}`);
  const rest = hidden.body.slice(hidden.body.indexOf('id="codes"'));
  assert.match(rest, /data-copy-code="871661000000106"/);
  assert.doesNotMatch(hidden.body, /390902009|251900003|8517006/);
  assert.match(rest, /did not agree to share their progress, so only the codes for what you did are shown/);

  // Another organisation's referrer cannot see the referral, nor its codes.
  const other = await signIn(t.app, 'referrer.manchester@demo.test');
  const refused = await other.get(`/referrals/${referral.id}`);
  assert.notEqual(refused.statusCode, 200);
  assert.doesNotMatch(refused.body, /871661000000106/);
});

test('a referral declined after advice keeps its codes with the advice record only', async () => {
  const referrer = await signIn(t.app, 'referrer@demo.test');
  const form = await referrer.get('/referrals/new');
  assert.equal(form.statusCode, 200);
  const res = await referrer.post(
    '/referrals',
    { smokingStatus: '1', vapingStatus: 'current', adviceGiven: 'yes', acceptsReferral: 'no' },
    { from: '/referrals/new' },
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 400));
  const adviceId = /\/referrals\/advice-recorded\/([0-9a-f-]{36})$/.exec(String(res.headers.location))![1]!;
  const rows = await t.db
    .selectFrom('clinical_codes')
    .select(['step', 'code', 'referral_id'])
    .where('advice_record_id', '=', adviceId)
    .execute();
  assert.deepEqual(
    rows.map((r) => r.code).sort(),
    ['225323000', '722499006', '77176002', '871641000000105'].sort(),
  );
  assert.ok(rows.every((r) => r.referral_id === null));
  // The page after recording shows them to add, in order, then the refusal.
  const page = await referrer.get(String(res.headers.location));
  assert.match(page.body, /Codes to add to your clinical system/);
  const at = (c: string) => page.body.indexOf(`data-copy-code="${c}"`);
  assert.ok(
    at('77176002') > 0 && at('77176002') < at('225323000') && at('225323000') < at('871641000000105'),
  );
  assert.doesNotMatch(page.body, /did not agree to share/);
});
