import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { hiddenField, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

const valid = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Zoë',
  familyName: "O'Neill-Smith",
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '11',
  'dateOfBirth-year': '1979',
  postcode: 'ls6 1an',
  phone: '07700 900982',
  email: '',
  contactMethods: ['phone', 'text'],
  contactTimes: 'evening',
  nhsNumber: '943 476 5919',
  mentalHealth: 'both',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
  language: 'Polish',
  accessNeeds: '',
  notes: '',
};

let t: TestApp;
let referrer: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  referrer = await signIn(t.app, 'referrer@demo.test');
});
after(() => t.close());

const count = async (table: 'referrals' | 'advice_records' | 'audit_events') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The advice record written last. */
const latestAdvice = () =>
  t.db
    .selectFrom('advice_records')
    .selectAll()
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();

const errorLinks = (html: string) =>
  [...html.matchAll(/<a href="(#[^"]+)"[^>]*>\s*([^<]+?)\s*</g)]
    .filter(() => html.includes('nhsuk-error-summary'))
    .map((m) => [m[1], m[2]]);

describe('the referral form', () => {
  test('a valid referral is routed by postcode, stored with its first event and audit row, and confirmed', async () => {
    const before = await count('referrals');
    const res = await referrer.post('/referrals', valid, { from: '/referrals/new' });
    assert.equal(res.statusCode, 303);
    const id = /\/referrals\/([0-9a-f-]{36})\/sent/.exec(String(res.headers.location))?.[1];
    assert.ok(id, 'redirects to the confirmation');
    assert.equal(await count('referrals'), before + 1);
    const row = await t.db
      .selectFrom('referrals as r')
      .innerJoin('organisations as o', 'o.id', 'r.service_organisation_id')
      .select([
        'r.postcode',
        'r.local_authority_code',
        'o.name',
        'r.nhs_number',
        'r.contact_methods',
        'r.given_name',
        'r.family_name',
        'r.date_of_birth',
        'r.mental_health',
      ])
      .where('r.id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      postcode: 'LS6 1AN',
      local_authority_code: 'E08000035',
      name: 'Leeds Stop Smoking Service',
      nhs_number: '9434765919',
      contact_methods: ['phone', 'text'],
      given_name: 'Zoë',
      family_name: "O'Neill-Smith",
      date_of_birth: '1979-11-03',
      mental_health: 'both',
    });
    const events = await t.db
      .selectFrom('referral_events')
      .select('kind')
      .where('referral_id', '=', id)
      .execute();
    assert.deepEqual(
      events.map((e) => e.kind),
      ['received'],
    );
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['action', 'entity_type'])
      .where('entity_id', '=', id)
      .execute();
    assert.ok(audits.some((a) => a.action === 'create' && a.entity_type === 'referral'));
    const sent = await referrer.get(`/referrals/${id}/sent`);
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Referral sent/);
    assert.match(sent.body, /MOR-\d{6}/);
    assert.match(sent.body, /Leeds Stop Smoking Service/);
  });

  test('an empty form shows the error summary for the Ask questions and stores nothing', async () => {
    const before = [await count('referrals'), await count('advice_records')];
    const res = await referrer.post('/referrals', {}, { from: '/referrals/new' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /nhsuk-error-summary/);
    assert.match(res.body, /<title>Error: /);
    const hrefs = errorLinks(res.body).map(([href]) => href);
    for (const field of ['#smokingStatus', '#vapingStatus']) assert.ok(hrefs.includes(field), field);
    // Advice and the referral question depend on the answer, so they are asked once it is known.
    for (const field of ['#adviceGiven', '#acceptsReferral']) assert.ok(!hrefs.includes(field), field);
    assert.deepEqual([await count('referrals'), await count('advice_records')], before);
  });

  test('someone who smokes must still be advised and asked about a referral', async () => {
    const res = await referrer.post(
      '/referrals',
      { smokingStatus: '1', vapingStatus: 'never' },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 400);
    const hrefs = errorLinks(res.body).map(([href]) => href);
    for (const field of ['#adviceGiven', '#acceptsReferral']) assert.ok(hrefs.includes(field), field);
  });

  test('asking someone who does not smoke is recorded on its own: no advice, no referral question', async () => {
    for (const [status, words] of [
      ['2', /they used to smoke/],
      ['4', /they have never smoked/],
      ['Z', /they did not want to say whether they smoke/],
    ] as const) {
      const before = [await count('referrals'), await count('advice_records')];
      const res = await referrer.post(
        '/referrals',
        { smokingStatus: status, vapingStatus: 'never' },
        { from: '/referrals/new' },
      );
      assert.equal(res.statusCode, 303, status);
      assert.equal(res.headers.location, `/referrals/asked-recorded?status=${status}`);
      assert.deepEqual(
        [await count('referrals'), await count('advice_records')],
        [before[0], before[1]! + 1],
      );
      const asked = await latestAdvice();
      assert.deepEqual(
        [asked.smoking_status, asked.advice_given, asked.outcome],
        [status, false, 'asked_only'],
      );
      const page = await referrer.get(String(res.headers.location));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, words);
    }
  });

  test('the form asks first, and shows advice and referral questions under "Smokes now" only', async () => {
    const page = await referrer.get('/referrals/new');
    assert.equal(page.statusCode, 200);
    const ask = page.body.slice(
      page.body.indexOf('name="smokingStatus"') - 400,
      page.body.indexOf('<h2>About the person</h2>'),
    );
    assert.match(
      ask,
      /data-aria-controls="conditional-smokingStatus"|aria-controls="conditional-smokingStatus/,
    );
    const conditional = /id="conditional-smokingStatus[^"]*"[\s\S]*?name="acceptsReferral"/.exec(page.body);
    assert.ok(conditional, 'advice and referral questions sit in the conditional reveal of an answer');
    assert.ok(conditional[0].includes('name="adviceGiven"'));
    assert.ok(!page.body.includes('Not asked'), 'the form records asking: "not asked" is not an answer');
    for (const answer of ['Smokes now', 'Used to smoke', 'Has never smoked', 'did not want to say'])
      assert.ok(page.body.includes(answer), answer);
  });

  test('every field problem is listed at once, and what was typed is kept', async () => {
    const res = await referrer.post(
      '/referrals',
      {
        ...valid,
        givenName: '<script>alert(1)</script>',
        familyName: 'x'.repeat(101),
        postcode: 'not a postcode',
        nhsNumber: '9434765918',
        'dateOfBirth-day': '31',
        'dateOfBirth-month': '2',
        phone: '',
        email: 'nope',
        contactMethods: ['email'],
      },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 400);
    const messages = errorLinks(res.body).map(([, text]) => text);
    for (const expected of [
      /first name must only include letters/i,
      /last name must be 100 characters or fewer/i,
      /date of birth must be a real date/i,
      /real postcode/i,
      /valid 10 digit NHS number/i,
      /email address in the correct format/i,
    ])
      assert.ok(
        messages.some((m) => expected.test(m!)),
        `${expected} in ${messages.join(' | ')}`,
      );
    assert.ok(res.body.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'), 'script kept, escaped');
    assert.ok(!res.body.includes('<script>alert(1)</script>'));
    assert.ok(res.body.includes('value="not a postcode"'));
    assert.ok(res.body.includes('value="Polish"'));
  });

  test('a postcode that does not exist, one in Northern Ireland, and one with no service each get a clear message', async () => {
    const cases: [string, RegExp][] = [
      ['LS6 9ZZ', /cannot find this postcode/],
      ['BT1 1AA', /This postcode is in Northern Ireland\. Mortar covers England, Scotland and Wales/],
      ['SW1A 1AA', /No stop smoking service in Mortar covers this postcode/],
    ];
    for (const [postcode, message] of cases) {
      const before = await count('referrals');
      const res = await referrer.post('/referrals', { ...valid, postcode }, { from: '/referrals/new' });
      assert.equal(res.statusCode, 400, postcode);
      assert.match(res.body, message);
      assert.ok(res.body.includes(`value="${postcode}"`), 'postcode kept');
      assert.ok(res.body.includes('value="Zoë"'), 'other answers kept');
      assert.equal(await count('referrals'), before);
    }
  });

  test('someone who does not smoke is never referred, whatever else was left on the page', async () => {
    const before = [await count('referrals'), await count('advice_records')];
    const res = await referrer.post(
      '/referrals',
      { ...valid, smokingStatus: '4' },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/referrals/asked-recorded?status=4');
    assert.deepEqual([await count('referrals'), await count('advice_records')], [before[0], before[1]! + 1]);
    const asked = await latestAdvice();
    assert.ok(!JSON.stringify(asked).includes('Zoë'), 'nothing about the person is kept');
  });

  test('a phone number is needed for phone contact', async () => {
    const res = await referrer.post(
      '/referrals',
      { ...valid, phone: '', email: 'a@example.com', contactMethods: ['phone'] },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Enter their phone number, or choose a way to contact them/);
  });

  test('when the person declines, the advice is counted and nothing about them is kept', async () => {
    const before = [await count('referrals'), await count('advice_records')];
    const res = await referrer.post(
      '/referrals',
      { ...valid, acceptsReferral: 'no' },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/referrals\/advice-recorded\/[0-9a-f-]{36}$/);
    assert.deepEqual([await count('referrals'), await count('advice_records')], [before[0], before[1]! + 1]);
    const advice = await latestAdvice();
    assert.equal(advice.outcome, 'declined');
    assert.equal(advice.smoking_status, '1');
    assert.ok(!JSON.stringify(advice).includes('Zoë'));
  });

  test('a form sent without its CSRF token is refused and stores nothing', async () => {
    const before = await count('referrals');
    const res = await referrer.post('/referrals', valid, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal(await count('referrals'), before);
  });
});

describe("the referrer's view of what happened", () => {
  test('shows status only where the person consented, and audits each read', async () => {
    const list = await referrer.get('/referrals');
    assert.equal(list.statusCode, 200);
    const rows = await t.db
      .selectFrom('referrals')
      .select(['id', 'consent_share_progress', 'given_name'])
      .where(
        'referrer_organisation_id',
        '=',
        (
          await t.db
            .selectFrom('users')
            .select('organisation_id')
            .where('email', '=', 'referrer@demo.test')
            .executeTakeFirstOrThrow()
        ).organisation_id,
      )
      .execute();
    assert.ok(rows.length > 0);
    for (const r of rows) assert.ok(list.body.includes(r.given_name));
    const unreachable = await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', 'Alex')
      .executeTakeFirstOrThrow();
    const page = await referrer.get(`/referrals/${unreachable.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Unable to contact/);
    const audits = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', unreachable.id)
      .where('action', '=', 'view')
      .execute();
    assert.ok(audits.length >= 1);
  });

  test("another organisation's referral is not found", async () => {
    const gp = await signIn(t.app, 'referrer.gp@demo.test');
    const tt = await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', 'Sam')
      .executeTakeFirstOrThrow();
    assert.equal((await gp.get(`/referrals/${tt.id}`)).statusCode, 404);
    assert.ok(!(await gp.get('/referrals')).body.includes('Sam Taylor'));
  });

  test('without consent the referrer sees only that it was received', async () => {
    const gp = await signIn(t.app, 'referrer.gp@demo.test');
    const declined = await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', 'Casey')
      .executeTakeFirstOrThrow();
    const page = await gp.get(`/referrals/${declined.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /did not agree to share their progress/);
    assert.doesNotMatch(page.body, /Declined by service/);
  });
});

describe('the same form sent twice', () => {
  const openForm = async (s: HttpSession) => hiddenField((await s.get('/referrals/new')).body, 'formToken');

  test('one after the other: one referral, and the repeat goes to the same confirmation', async () => {
    const formToken = await openForm(referrer);
    const before = await count('referrals');
    const first = await referrer.post('/referrals', { ...valid, formToken });
    const second = await referrer.post('/referrals', { ...valid, formToken });
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    assert.match(String(first.headers.location), /^\/referrals\/[0-9a-f-]{36}\/sent$/);
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(await count('referrals'), before + 1);
  });

  test('both at once: still one referral, and both go to it', async () => {
    const formToken = await openForm(referrer);
    const before = await count('referrals');
    const [a, b] = await Promise.all([
      referrer.post('/referrals', { ...valid, formToken }),
      referrer.post('/referrals', { ...valid, formToken }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode], [303, 303]);
    assert.equal(a.headers.location, b.headers.location);
    assert.equal(await count('referrals'), before + 1);
  });

  test('advice without a referral is recorded once', async () => {
    const formToken = await openForm(referrer);
    const before = await count('advice_records');
    const declined = { ...valid, acceptsReferral: 'no', formToken };
    const locations = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await referrer.post('/referrals', declined);
      assert.match(String(res.headers.location), /^\/referrals\/advice-recorded\/[0-9a-f-]{36}$/);
      locations.add(String(res.headers.location));
    }
    assert.equal(locations.size, 1, 'the repeat goes where the first went');
    assert.equal(await count('advice_records'), before + 1);
  });

  test('a form corrected after an error keeps its token, and the corrected one is made once', async () => {
    const formToken = await openForm(referrer);
    const before = await count('referrals');
    const wrong = await referrer.post('/referrals', { ...valid, postcode: 'ZZ99 9ZZ', formToken });
    assert.equal(wrong.statusCode, 400);
    assert.equal(hiddenField(wrong.body, 'formToken'), formToken, 'the form shown again carries its token');
    const first = await referrer.post('/referrals', { ...valid, formToken });
    const second = await referrer.post('/referrals', { ...valid, formToken });
    assert.equal(first.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(await count('referrals'), before + 1);
  });

  test("another user's token does not lead to their referral", async () => {
    const formToken = await openForm(referrer);
    const sent = await referrer.post('/referrals', { ...valid, formToken });
    assert.equal(sent.statusCode, 303);
    const gp = await signIn(t.app, 'referrer.gp@demo.test');
    const res = await gp.post('/referrals', { ...valid, formToken }, { from: '/referrals/new' });
    assert.equal(res.statusCode, 409);
    assert.notEqual(res.headers.location, sent.headers.location);
  });

  test('two forms opened separately make two referrals', async () => {
    const before = await count('referrals');
    await referrer.post('/referrals', { ...valid, formToken: await openForm(referrer) });
    await referrer.post('/referrals', { ...valid, formToken: await openForm(referrer) });
    assert.equal(await count('referrals'), before + 2);
  });
});
