// Local strategies through HTTP on the demonstration data: who may read and change which authority's
// strategy, the target grid's errors (each in the summary, linked to its cell, with everything typed
// kept), the history of every change, the audit rows, and what the dashboards then read (loadTargets).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import {
  errorsByField,
  inputValue,
  selectedOption,
  tableWithCaption,
  textOf,
} from '../organisations/test-html.ts';
import * as repo from './strategy.repository.ts';

let t: TestApp;
let leeds: HttpSession;
let analyst: HttpSession;
let sophie: HttpSession;
let leedsId: string;
let manchesterId: string;

// The demonstration strategies run over last financial year and this one, from the demonstration's
// today: the day is pinned so that their years are known.
const NOW = '2026-11-18T12:00:00Z';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  // The demonstration's Manchester commissioner has no password until the app starts; give her one.
  await t.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(DEMO_PASSWORD) })
    .where('email', '=', 'sophie.grant@demo.test')
    .execute();
  [leeds, analyst, sophie] = await Promise.all([
    signIn(t.app, 'commissioner@demo.test'),
    signIn(t.app, 'analyst@demo.test'),
    signIn(t.app, 'sophie.grant@demo.test'),
  ]);
  const ids = await t.db.selectFrom('strategies').select(['id', 'local_authority_code']).execute();
  leedsId = ids.find((r) => r.local_authority_code === LEEDS)!.id;
  manchesterId = ids.find((r) => r.local_authority_code === MANCHESTER)!.id;
});
after(() => t?.close());

const target = async (id: string, key: string) => (await repo.strategyTargets(t.db, id)).get(key);
const changes = (id: string) =>
  t.db.selectFrom('strategy_changes').selectAll().where('strategy_id', '=', id).orderBy('id').execute();

describe('reading strategies', () => {
  test('a commissioner sees their own authority’s strategies, with the one in force, and nobody else’s', async () => {
    const res = await leeds.get('/strategy');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Strategies for Leeds/);
    assert.match(text, /Leeds smokefree minds 2025 to 2027/);
    assert.match(text, /2025\/26 Q1 to 2026\/27 Q4/);
    assert.match(text, /88 of 88/);
    assert.doesNotMatch(text, /Manchester/);
  });

  test('the strategy page shows the aims, the period and a target in every cell, each indicator linked to its definition', async () => {
    const res = await leeds.get(`/strategy/${leedsId}`);
    assert.equal(res.statusCode, 200);
    const grid = tableWithCaption(res.body, 'Targets for 2026/27');
    assert.match(grid, /href="\/indicators#tt_referrals"/);
    assert.match(textOf(grid), /Referrals from NHS Talking Therapies\s*110\s*125\s*140\s*155/);
    assert.match(textOf(grid), /Four-week quit rate: depression or anxiety\s*49%\s*50%\s*51%\s*52%/);
    assert.match(
      textOf(grid),
      /Reach among smokers with depression or anxiety\s*0\.52%\s*0\.56%\s*0\.61%\s*0\.65%/,
    );
    assert.match(res.body, /href="\/strategy\/[^"]+\/targets"/);
    assert.match(textOf(res.body), /every adviser completes the NCSCT mental health module/);
  });

  test('a national analyst sees every authority, with or without a strategy, filters by region, and reads but cannot change', async () => {
    const all = await analyst.get('/strategy');
    assert.equal(all.statusCode, 200);
    const text = textOf(all.body);
    assert.match(text, /Leeds smokefree minds/);
    assert.match(text, /Manchester: stopping smoking/);
    assert.match(text, /Bradford\s*Yorkshire and The Humber\s*None in force/);

    const region = (
      await t.db
        .selectFrom('local_authorities')
        .select('region_code')
        .where('code', '=', LEEDS)
        .executeTakeFirstOrThrow()
    ).region_code;
    const filtered = await analyst.get(`/strategy?region=${region}&show=with`);
    assert.equal(selectedOption(filtered.body, 'region'), region);
    const rows = tableWithCaption(filtered.body, '1 authority, 1 with a strategy in force');
    assert.match(textOf(rows), /Leeds/);
    assert.doesNotMatch(textOf(rows), /Manchester|Bradford/);

    const page = await analyst.get(`/strategy/${manchesterId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /\/targets"/, 'no link to change the targets');
    assert.equal((await analyst.get(`/strategy/${manchesterId}/targets`)).statusCode, 403);
    assert.equal(
      (await analyst.post(`/strategy/${manchesterId}/targets`, { 't-tt_referrals-2025-1': '1' })).statusCode,
      403,
    );
    assert.equal(await target(manchesterId, 'tt_referrals:2025:1'), 40);
  });

  test('a commissioner cannot read or change another authority’s strategy', async () => {
    assert.equal((await sophie.get(`/strategy/${leedsId}`)).statusCode, 403);
    assert.equal((await sophie.get(`/strategy/${leedsId}/history`)).statusCode, 403);
    const res = await sophie.post(
      `/strategy/${leedsId}/targets`,
      { 't-tt_referrals-2025-1': '1' },
      { from: '/strategy' },
    );
    assert.equal(res.statusCode, 403);
    assert.equal(
      (
        await sophie.post(`/strategy/${leedsId}/edit`, {
          title: 'Taken over',
          aims: 'x',
          start: '2025-1',
          end: '2025-4',
        })
      ).statusCode,
      403,
    );
    assert.equal(await target(leedsId, 'tt_referrals:2025:1'), 60);
  });

  test('other staff, and anyone signed out, cannot see strategies; every role can read the indicators', async () => {
    for (const email of ['referrer@demo.test', 'adviser@demo.test', 'manager@demo.test', 'admin@demo.test']) {
      const s = await signIn(t.app, email);
      assert.equal((await s.get('/strategy')).statusCode, 403, email);
      assert.equal((await s.get(`/strategy/${leedsId}`)).statusCode, 403, email);
      const indicators = await s.get('/indicators');
      assert.equal(indicators.statusCode, 200, email);
      assert.match(
        textOf(indicators.body),
        /Carbon monoxide verification rate[\s\S]*Numerator[\s\S]*Four-week quits confirmed by a carbon monoxide reading/,
      );
    }
    const anon = await anonymous(t.app).get(`/strategy/${leedsId}`);
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);
  });

  test('an id that is not a strategy is not found', async () => {
    assert.equal((await leeds.get('/strategy/not-an-id')).statusCode, 404);
    assert.equal((await leeds.get('/strategy/00000000-0000-4000-8000-000000000000/targets')).statusCode, 404);
  });
});

describe('changing the targets', () => {
  test('bad values are refused cell by cell, linked from the summary, with everything typed kept and nothing saved', async () => {
    const before = await changes(leedsId);
    const res = await leeds.post(
      `/strategy/${leedsId}/targets`,
      {
        't-tt_referrals-2025-1': '65.5',
        't-tt_referrals-2025-2': '75',
        't-cmhc_quit_rate-2025-1': '140',
        't-quit_rate_gap-2025-1': '-3',
        't-days_to_first_contact-2025-1': 'soon',
        't-vba_trained_staff-2025-1': '-4',
      },
      { from: `/strategy/${leedsId}/targets` },
    );
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      't-tt_referrals-2025-1':
        'The target for Referrals from NHS Talking Therapies in 2025/26 Q1 must be a whole number, like 120',
      't-cmhc_quit_rate-2025-1':
        'The target for Four-week quit rate: depression or anxiety in 2025/26 Q1 must be 100 or less',
      't-days_to_first_contact-2025-1':
        'Enter the target for Time from referral to first contact in 2025/26 Q1 as a number of days from 0 to 365, like 3',
      't-vba_trained_staff-2025-1':
        'The target for Staff trained in Very Brief Advice in 2025/26 Q1 must be 0 or more',
    });
    assert.equal(inputValue(res.body, 't-tt_referrals-2025-1'), '65.5');
    assert.equal(
      inputValue(res.body, 't-tt_referrals-2025-2'),
      '75',
      'a good value typed beside a bad one is kept',
    );
    assert.equal(inputValue(res.body, 't-days_to_first_contact-2025-1'), 'soon');
    assert.equal(
      inputValue(res.body, 't-tt_referrals-2026-1'),
      '110',
      'cells not typed in show what is stored',
    );
    assert.match(res.body, /id="t-cmhc_quit_rate-2025-1-error"/);
    assert.equal(await target(leedsId, 'tt_referrals:2025:2'), 70);
    assert.equal((await changes(leedsId)).length, before.length);
  });

  test('without the form’s token nothing is saved', async () => {
    const res = await leeds.post(
      `/strategy/${leedsId}/targets`,
      { 't-tt_referrals-2025-2': '99' },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    assert.equal(await target(leedsId, 'tt_referrals:2025:2'), 70);
  });

  test('a save writes only what changed, with its history and audit row, and the dashboards read the new targets', async () => {
    const before = await changes(leedsId);
    const res = await leeds.post(
      `/strategy/${leedsId}/targets`,
      {
        't-tt_referrals-2025-2': '75',
        't-tt_referrals-2025-3': '80',
        't-cmhc_quit_rate-2025-1': '46.5%',
        't-quit_rate_gap-2025-1': '',
        't-co_verification_rate-2025-1': '70',
      },
      { from: `/strategy/${leedsId}/targets` },
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/strategy/${leedsId}`);
    const page = await leeds.get(`/strategy/${leedsId}`);
    assert.match(textOf(page.body), /The targets have been saved: changed 2 targets and removed 1/);

    const after = await changes(leedsId);
    assert.equal(after.length, before.length + 1);
    const last = after.at(-1)!;
    assert.equal(last.summary, 'Changed 2 targets and removed 1');
    assert.deepEqual(last.before, {
      'tt_referrals:2025:2': 70,
      'cmhc_quit_rate:2025:1': 45,
      'quit_rate_gap:2025:1': 10,
    });
    assert.deepEqual(last.after, {
      'tt_referrals:2025:2': 75,
      'cmhc_quit_rate:2025:1': 46.5,
      'quit_rate_gap:2025:1': null,
    });
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('entity_type', '=', 'strategy_targets')
      .where('entity_id', '=', leedsId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(audit, { action: 'update', detail: 'Changed 2 targets and removed 1' });

    const rows = await repo.loadTargets(
      t.db,
      [LEEDS],
      { financialYear: 2025, quarter: 1 },
      { financialYear: 2025, quarter: 2 },
    );
    const find = (code: string, q: number) =>
      rows.find((r) => r.indicator === code && r.quarter === q)?.target;
    assert.equal(find('tt_referrals', 2), 75);
    assert.equal(find('cmhc_quit_rate', 1), 46.5);
    assert.equal(find('quit_rate_gap', 1), undefined);

    const history = await analyst.get(`/strategy/${leedsId}/history`);
    assert.equal(history.statusCode, 200);
    const table = textOf(tableWithCaption(history.body, 'Changed 2 targets and removed 1'));
    assert.match(table, /Referrals from NHS Talking Therapies, 2025\/26 Q2\s*70\s*75/);
    assert.match(table, /Four-week quit rate: depression or anxiety, 2025\/26 Q1\s*45%\s*46\.5%/);
    assert.match(table, /Quit rate gap, 2025\/26 Q1\s*10 points\s*No target/);
    assert.match(table, /Chris Owen/);
  });

  test('saving with nothing changed writes no history and says so', async () => {
    const before = await changes(leedsId);
    const audits = () =>
      t.db.selectFrom('audit_events').select('id').where('entity_type', '=', 'strategy_targets').execute();
    const auditsBefore = (await audits()).length;
    const res = await leeds.post(
      `/strategy/${leedsId}/targets`,
      { 't-tt_referrals-2025-2': '75' },
      { from: `/strategy/${leedsId}/targets` },
    );
    assert.equal(res.statusCode, 303);
    assert.equal((await changes(leedsId)).length, before.length);
    assert.equal((await audits()).length, auditsBefore);
    const page = textOf((await leeds.get(`/strategy/${leedsId}`)).body);
    assert.match(page, /No targets changed/);
    assert.doesNotMatch(page, /have been saved/);
  });
});

describe('creating a strategy and changing its details', () => {
  test('a period that overlaps another of the authority’s strategies is refused, keeping what was typed', async () => {
    const res = await leeds.post(
      '/strategy',
      { title: 'Next', aims: 'More', start: '2026-3', end: '2027-2' },
      { from: '/strategy/new' },
    );
    assert.equal(res.statusCode, 400);
    assert.match(
      errorsByField(res.body).start ?? '',
      /overlaps your strategy “Leeds smokefree minds 2025 to 2027” \(2025\/26 Q1 to 2026\/27 Q4\)/,
    );
    assert.equal(inputValue(res.body, 'title'), 'Next');
    assert.equal(selectedOption(res.body, 'end'), '2027-2');
  });

  test('missing fields and a period that ends before it starts are refused', async () => {
    const res = await leeds.post(
      '/strategy',
      { title: ' ', aims: '', start: '2027-3', end: '2027-1' },
      { from: '/strategy/new' },
    );
    assert.equal(res.statusCode, 400);
    assert.deepEqual(Object.keys(errorsByField(res.body)).sort(), ['aims', 'end', 'title']);
  });

  test('a new strategy after the current one is created with its history, then a shorter period removes the targets outside it', async () => {
    const res = await leeds.post(
      '/strategy',
      { title: 'Leeds 2027 to 2029', aims: 'Keep going', start: '2027-1', end: '2028-4' },
      { from: '/strategy/new' },
    );
    assert.equal(res.statusCode, 303);
    const id = /^\/strategy\/([0-9a-f-]{36})\/targets$/.exec(String(res.headers.location))?.[1];
    assert.ok(id);
    assert.deepEqual(
      (await changes(id)).map((c) => c.summary),
      ['Created the strategy'],
    );
    const grid = await leeds.get(`/strategy/${id}/targets`);
    assert.equal(grid.statusCode, 200);
    assert.ok(tableWithCaption(grid.body, 'Targets for 2028/29'));

    const saved = await leeds.post(
      `/strategy/${id}/targets`,
      { 't-tt_referrals-2027-1': '150', 't-tt_referrals-2028-4': '200' },
      { from: `/strategy/${id}/targets` },
    );
    assert.equal(saved.statusCode, 303);
    const edited = await leeds.post(
      `/strategy/${id}/edit`,
      { title: 'Leeds 2027/28', aims: 'Keep going', start: '2027-1', end: '2027-4' },
      { from: `/strategy/${id}/edit` },
    );
    assert.equal(edited.statusCode, 303);
    assert.deepEqual([...(await repo.strategyTargets(t.db, id)).keys()], ['tt_referrals:2027:1']);
    const last = (await changes(id)).at(-1)!;
    assert.equal(last.summary, 'Changed the title and period; removed 1 target outside the new period');
    assert.deepEqual(last.before, {
      title: 'Leeds 2027 to 2029',
      period: '2027/28 Q1 to 2028/29 Q4',
      'tt_referrals:2028:4': 200,
    });
    assert.deepEqual(last.after, {
      title: 'Leeds 2027/28',
      period: '2027/28 Q1 to 2027/28 Q4',
      'tt_referrals:2028:4': null,
    });

    const list = textOf((await leeds.get('/strategy')).body);
    assert.ok(
      list.indexOf('Leeds smokefree minds') < list.indexOf('Leeds 2027/28'),
      'the strategy in force comes first',
    );
    assert.match(list, /Not started/);
  });

  test('changing a strategy’s period into another’s is refused', async () => {
    const res = await leeds.post(
      `/strategy/${leedsId}/edit`,
      { title: 'Leeds smokefree minds 2025 to 2027', aims: 'Aims', start: '2025-1', end: '2027-1' },
      { from: `/strategy/${leedsId}/edit` },
    );
    assert.equal(res.statusCode, 400);
    assert.match(errorsByField(res.body).start ?? '', /overlaps your strategy “Leeds 2027\/28”/);
  });
});
