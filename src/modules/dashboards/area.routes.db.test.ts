// The commissioner's area page and the national page through HTTP on the real engine, and the SQL
// behind them checked against the pure rules it must agree with.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { deriveStatus, STATUS_KINDS, type ReferralEvent } from '../referrals/referral-status.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { adviceCounts, referralBreakdowns } from './area.repository.ts';
import { lastMonths } from './area.service.ts';
import { rowNumbers, tableWithCaption, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let leeds: HttpSession;
let analyst: HttpSession;

// Names in the demonstration referrals: none may appear on a page of counts.
const PEOPLE = [
  'Sam',
  'Taylor',
  'Priya',
  'Shah',
  'Jordan',
  'Morgan',
  'Hughes',
  'Casey',
  'Alex Wood',
  'Robin',
  'Ashworth',
  'Jamie',
  'Fletcher',
  '07700',
];

// The demonstration referrals were received 4 to 14 days before the app's day: pinned mid-month, they
// all fall in one month. A month's first days are tested on their own below.
const NOW = '2026-11-20T12:00:00Z';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  leeds = await signIn(t.app, 'commissioner@demo.test');
  analyst = await signIn(t.app, 'analyst@demo.test');
});
after(() => t?.close());

describe('/area', () => {
  test('a commissioner sees their authority: service, advice, months, status, referrers, mental health', async () => {
    const res = await leeds.get('/area');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const text = textOf(html);
    assert.match(text, /Yorkshire and The Humber Leeds/);
    assert.match(text, /Leeds Stop Smoking Service receives referrals for people who live in Leeds/);
    assert.match(text, /6 referrals received since Mortar started/);

    const asked = tableWithCaption(html, 'People asked about smoking by organisations in Leeds');
    assert.deepEqual(rowNumbers(asked, 'Smokes now'), [6]);
    assert.deepEqual(rowNumbers(asked, 'Has never smoked'), [0]);
    assert.deepEqual(rowNumbers(asked, 'Everyone asked'), [6]);

    const advice = tableWithCaption(html, 'Very Brief Advice given by organisations in Leeds');
    assert.deepEqual(rowNumbers(advice, 'Person accepted a referral'), [6]);
    assert.deepEqual(rowNumbers(advice, 'Person did not want a referral'), [0]);
    assert.deepEqual(rowNumbers(advice, 'Total'), [6]);

    const months = tableWithCaption(html, 'Referrals received in the last 6 months');
    const [thisMonth] = lastMonths(t.clock.now(), 1);
    const [y, m] = thisMonth!.split('-').map(Number);
    const label = `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m! - 1]} ${y}`;
    assert.deepEqual(rowNumbers(months, label), [6]);
    assert.deepEqual(rowNumbers(months, 'Total for 6 months'), [6]);
    assert.equal((months.match(/<tr/g) ?? []).length, 1 + 6 + 1);

    const status = tableWithCaption(html, 'Where referrals are now');
    assert.deepEqual(rowNumbers(status, 'Received'), [2]);
    assert.deepEqual(rowNumbers(status, 'Contacted'), [1]);
    // The accepted demo referral (Morgan Hughes) is in treatment with a quit date set.
    assert.deepEqual(rowNumbers(status, 'Accepted'), [0]);
    assert.deepEqual(rowNumbers(status, 'Declined by service'), [1]);
    assert.deepEqual(rowNumbers(status, 'Unable to contact'), [1]);
    assert.deepEqual(rowNumbers(status, 'Quit date set'), [1]);
    assert.deepEqual(rowNumbers(status, 'Closed'), [0]);
    assert.deepEqual(rowNumbers(status, 'Total'), [6]);

    const referrers = tableWithCaption(html, 'Who made the referrals');
    assert.deepEqual(rowNumbers(referrers, 'NHS Talking Therapies'), [3]);
    assert.deepEqual(rowNumbers(referrers, 'GP practice'), [2]);
    assert.deepEqual(rowNumbers(referrers, 'Foodbank'), [1]);
    assert.deepEqual(rowNumbers(referrers, 'Self-referral'), [0]);

    const mh = tableWithCaption(html, 'What referrers knew of people');
    assert.deepEqual(rowNumbers(mh, 'Depression'), [2]);
    assert.deepEqual(rowNumbers(mh, 'Anxiety'), [2]);
    assert.deepEqual(rowNumbers(mh, 'Depression and anxiety'), [1]);
    assert.deepEqual(rowNumbers(mh, 'Not known'), [1]);

    // NHS table markup, each with a caption; counts only.
    assert.equal((html.match(/<table class="nhsuk-table">/g) ?? []).length, 6);
    assert.equal((html.match(/<caption class="nhsuk-table__caption/g) ?? []).length, 6);
    for (const word of PEOPLE) assert.ok(!text.includes(word), `the page mentions ${word}`);
    assert.ok(!text.includes('Manchester'), 'nothing of another authority');
  });

  test('early in a month, referrals from the month before count in that month (here, across a new year)', async () => {
    const early = await buildTestApp({ demo: true, now: '2027-01-08T09:00:00Z' });
    try {
      const commissioner = await signIn(early.app, 'commissioner@demo.test');
      const months = tableWithCaption(
        (await commissioner.get('/area')).body,
        'Referrals received in the last 6 months',
      );
      // Received 9, 6, 4, 12, 8 and 14 days before 8 January: two in January, four in December.
      assert.deepEqual(rowNumbers(months, 'January 2027'), [2]);
      assert.deepEqual(rowNumbers(months, 'December 2026'), [4]);
      assert.deepEqual(rowNumbers(months, 'August 2026'), [0]);
      assert.deepEqual(rowNumbers(months, 'Total for 6 months'), [6]);
    } finally {
      await early.close();
    }
  });

  test('a commissioner sees only their authority: another authority’s activity does not change their page', async () => {
    const before = textOf((await leeds.get('/area')).body);
    // Advice in Manchester and an old Leeds-area advice record that was declined.
    const mcrOrg = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Manchester NHS Talking Therapies')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('advice_records')
      .values([
        {
          organisation_id: mcrOrg.id,
          local_authority_code: MANCHESTER,
          smoking_status: '1',
          vaping_status: 'never',
          advice_given: true,
          outcome: 'declined',
        },
        {
          organisation_id: mcrOrg.id,
          local_authority_code: MANCHESTER,
          smoking_status: '1',
          vaping_status: 'never',
          advice_given: true,
          outcome: 'declined',
        },
      ])
      .execute();
    assert.equal(textOf((await leeds.get('/area')).body), before);

    // A commissioner in Manchester sees Manchester's figures and not Leeds's.
    const council = await t.db
      .insertInto('organisations')
      .values({
        name: 'Manchester City Council Public Health',
        type: 'local_authority',
        local_authority_code: MANCHESTER,
        ods_code: null,
        email: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('users')
      .values({
        email: 'commissioner.manchester@demo.test',
        name: 'Max Byrne',
        role: 'commissioner',
        organisation_id: council.id,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
    const mcr = await signIn(t.app, 'commissioner.manchester@demo.test');
    const res = await mcr.get('/area');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /North West Manchester/);
    assert.match(text, /Manchester Stop Smoking Service receives referrals/);
    assert.match(text, /2 referrals received/);
    assert.deepEqual(
      rowNumbers(
        tableWithCaption(res.body, 'Very Brief Advice given by organisations in Manchester'),
        'Person did not want a referral',
      ),
      [2],
    );
    assert.deepEqual(rowNumbers(tableWithCaption(res.body, 'Where referrals are now'), 'Contacted'), [1]);
    assert.ok(!text.includes('Leeds'));
  });

  test('an authority with no commissioned service is told plainly', async () => {
    const council = await t.db
      .insertInto('organisations')
      .values({
        name: 'Wakefield Council Public Health',
        type: 'local_authority',
        local_authority_code: 'E08000036',
        ods_code: null,
        email: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('users')
      .values({
        email: 'commissioner.wakefield@demo.test',
        name: 'Wren Hall',
        role: 'commissioner',
        organisation_id: council.id,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
    const res = await (await signIn(t.app, 'commissioner.wakefield@demo.test')).get('/area');
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /No stop smoking service is set up/);
    assert.match(textOf(res.body), /0 referrals received/);
  });

  test('only commissioners reach /area', async () => {
    const anon = await anonymous(t.app).get('/area');
    assert.equal(anon.statusCode, 303);
    for (const email of ['referrer@demo.test', 'adviser@demo.test', 'admin@demo.test']) {
      assert.equal((await (await signIn(t.app, email)).get('/area')).statusCode, 403, email);
    }
    assert.equal((await analyst.get('/area')).statusCode, 403);
  });
});

describe('/national', () => {
  test('counts per authority with referrals or a service, England totals, and coverage out of 153', async () => {
    const res = await analyst.get('/national');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const text = textOf(html);
    assert.match(text, /2 of 153 local authorities have a stop smoking service commissioned in Mortar/);

    const las = tableWithCaption(html, 'Local authorities');
    assert.match(textOf(las), /Leeds Yorkshire and The Humber Leeds Stop Smoking Service 6 6 6/);
    assert.match(textOf(las), /Manchester North West Manchester Stop Smoking Service \d+ \d+ 2/);
    assert.deepEqual(rowNumbers(las, 'England').slice(-1), [8]);
    // Only authorities with a service or a referral are listed.
    assert.ok(!textOf(las).includes('Wakefield'));

    const status = tableWithCaption(html, 'Where referrals are now, by local authority');
    // Columns: the 9 statuses (withdrawn last) then the total.
    assert.deepEqual(rowNumbers(status, 'Leeds'), [2, 1, 0, 1, 1, 1, 0, 0, 0, 6]);
    assert.deepEqual(rowNumbers(status, 'Manchester'), [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert.deepEqual(rowNumbers(status, 'England'), [3, 2, 0, 1, 1, 1, 0, 0, 0, 8]);

    const england = tableWithCaption(html, 'Where referrals in England are now');
    assert.deepEqual(rowNumbers(england, 'Received'), [3]);
    assert.deepEqual(rowNumbers(england, 'Total'), [8]);

    const referrers = tableWithCaption(html, 'Who made the referrals, by local authority');
    assert.deepEqual(rowNumbers(referrers, 'England'), [5, 2, 1, 8]);
    assert.equal((html.match(/<caption class="nhsuk-table__caption/g) ?? []).length, 9);
    for (const word of PEOPLE) assert.ok(!text.includes(word), `the page mentions ${word}`);
  });

  test('only national analysts reach /national', async () => {
    assert.equal((await anonymous(t.app).get('/national')).statusCode, 303);
    assert.equal((await leeds.get('/national')).statusCode, 403);
    assert.equal((await (await signIn(t.app, 'admin@demo.test')).get('/national')).statusCode, 403);
  });
});

describe('the SQL behind the counts', () => {
  test('current status counts agree with deriveStatus over every referral’s events', async () => {
    // Make the histories less tidy: a contact attempt after a decision does not change the status.
    const casey = await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', 'Casey')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('referral_events')
      .values({ referral_id: casey.id, kind: 'contact_attempt', contact_outcome: 'no_answer' })
      .execute();

    const events = await t.db
      .selectFrom('referral_events')
      .select(['referral_id', 'kind', 'contact_outcome', 'occurred_at'])
      .orderBy('id')
      .execute();
    const referrals = await t.db.selectFrom('referrals').select(['id', 'local_authority_code']).execute();
    const expected = new Map<string, number>();
    for (const r of referrals) {
      const own = events
        .filter((e) => e.referral_id === r.id)
        .map((e) => ({ kind: e.kind, occurredAt: e.occurred_at }) as ReferralEvent);
      const key = `${r.local_authority_code}:${deriveStatus(own)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const rows = await referralBreakdowns(t.db, { kind: 'all' }, lastMonths(t.clock.now())[0]!);
    const actual = new Map(
      rows.filter((r) => r.dimension === 'status' && r.la !== null).map((r) => [`${r.la}:${r.key}`, r.n]),
    );
    assert.deepEqual(actual, expected);
    for (const k of actual.keys())
      assert.ok(STATUS_KINDS.includes(k.split(':')[1] as (typeof STATUS_KINDS)[number]));
    // England is the sum of its authorities, in every breakdown.
    for (const dimension of ['total', 'month', 'status', 'referrer_type', 'mental_health'] as const) {
      const sum = (la: 'any' | null) =>
        rows
          .filter((r) => r.dimension === dimension && (la === null ? r.la === null : r.la !== null))
          .reduce((n, r) => n + r.n, 0);
      assert.equal(sum(null), sum('any'), dimension);
    }
  });

  test('scoped to one authority, the rows are that authority’s and England’s equal them', async () => {
    const rows = await referralBreakdowns(
      t.db,
      { kind: 'local_authority', code: LEEDS },
      lastMonths(t.clock.now())[0]!,
    );
    assert.ok(rows.every((r) => r.la === LEEDS || r.la === null));
    assert.equal(rows.find((r) => r.la === LEEDS && r.dimension === 'total')?.n, 6);
    const advice = await adviceCounts(t.db, { kind: 'local_authority', code: LEEDS });
    assert.ok(advice.every((a) => a.la === LEEDS || a.la === null));
  });

  test('months are England’s months: just after midnight on 1 April (BST) is April; older referrals stay in the totals', async () => {
    const ids = (
      await t.db
        .selectFrom('referrals')
        .select('id')
        .where('local_authority_code', '=', MANCHESTER)
        .orderBy('created_at')
        .execute()
    ).map((r) => r.id);
    await t.db
      .updateTable('referrals')
      .set({ created_at: new Date('2025-03-31T23:30:00Z') })
      .where('id', '=', ids[0]!)
      .execute();
    await t.db
      .updateTable('referrals')
      .set({ created_at: new Date('2025-03-31T22:30:00Z') })
      .where('id', '=', ids[1]!)
      .execute();
    const scope = { kind: 'local_authority', code: MANCHESTER } as const;
    const months = (since: string) =>
      referralBreakdowns(t.db, scope, since).then((rows) =>
        rows.filter((r) => r.la === MANCHESTER && r.dimension === 'month').map((r) => [r.key, r.n]),
      );
    assert.deepEqual(await months('2025-03'), [
      ['2025-03', 1],
      ['2025-04', 1],
    ]);
    // From April only the first counts; the other is older than the months shown but still a referral.
    assert.deepEqual(await months('2025-04'), [['2025-04', 1]]);
    const rows = await referralBreakdowns(t.db, scope, '2025-04');
    assert.equal(rows.find((r) => r.la === MANCHESTER && r.dimension === 'total')?.n, 2);
  });
});

describe('asking about smoking, counted by answer', () => {
  test('people a referrer asked who do not smoke are counted as asked, by what they said; advice counts are unchanged', async () => {
    const referrer = await signIn(t.app, 'referrer@demo.test');
    const before = tableWithCaption(
      (await leeds.get('/area')).body,
      'Very Brief Advice given by organisations in Leeds',
    );
    for (const smokingStatus of ['4', '4', '2', 'Z']) {
      const res = await referrer.post(
        '/referrals',
        { smokingStatus, vapingStatus: 'current' },
        { from: '/referrals/new' },
      );
      assert.equal(res.statusCode, 303);
    }
    const html = (await leeds.get('/area')).body;
    const asked = tableWithCaption(html, 'People asked about smoking by organisations in Leeds');
    assert.deepEqual(rowNumbers(asked, 'Has never smoked'), [2]);
    assert.deepEqual(rowNumbers(asked, 'Used to smoke (ex-smoker)'), [1]);
    assert.deepEqual(rowNumbers(asked, 'Asked, but did not want to say'), [1]);
    assert.deepEqual(rowNumbers(asked, 'Smokes now'), [6]);
    assert.deepEqual(rowNumbers(asked, 'Everyone asked'), [10]);
    assert.equal(
      tableWithCaption(html, 'Very Brief Advice given by organisations in Leeds'),
      before,
      'asking someone who does not smoke is not advice',
    );
    const national = (await analyst.get('/national')).body;
    assert.match(textOf(national), /People asked about smoking/);
  });
});
