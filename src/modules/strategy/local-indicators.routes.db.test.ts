// Local indicators through HTTP on the demonstration data and its history: the form's errors (each in the
// summary, everything typed kept), who may read and change which authority's indicators, the history and
// audit rows of every change, retiring, and the dashboard: a local indicator's counts are the counts the
// dashboard shows for the national indicators, on the page and in the CSV.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { LEEDS } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { previousQuarter, quarterOf } from '../../platform/quarters.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import {
  errorsByField,
  inputValue,
  selectedOption,
  tableWithCaption,
  textareaValue,
  textOf,
} from '../organisations/test-html.ts';
import { loadIndicatorCounts, periodKey } from '../dashboards/indicator.repository.ts';

let t: TestApp;
let leeds: HttpSession;
let analyst: HttpSession;
let sophie: HttpSession;
const NOW = '2026-11-18T12:00:00Z';
const previous = previousQuarter(quarterOf(NOW.slice(0, 10)));
const prevParam = `${previous.financialYear}-${previous.quarter}`;

const FORM = {
  name: 'CO-verified quits: depression or anxiety',
  definition:
    'Of people with depression or anxiety who quit, the share confirmed by a carbon monoxide reading.',
  numerator: 'co_verified_cmhc',
  denominator: 'quits_cmhc',
  target: '60',
  better: 'higher',
};

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  await loadDemoHistory(t.db, t.clock.today());
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
});
after(() => t?.close());

const add = async (s: HttpSession, form: Record<string, string>) =>
  s.post('/local-indicators', form, { from: '/local-indicators/new' });
/** Indicators with the test's name: the demonstration data has one of its own for Leeds. */
const stored = async () =>
  (await t.db.selectFrom('local_indicators').select('id').where('name', '=', FORM.name).execute()).length;
const idFrom = (location: unknown) => /\/local-indicators\/([0-9a-f-]{36})$/.exec(String(location))![1]!;
const csvRows = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

describe('adding a local indicator', () => {
  test('pairs that are not a share of people are refused on the denominator, everything typed kept', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ numerator: 'quits', denominator: 'quits' }, /different from the numerator/],
      [{ numerator: 'quits', denominator: 'referrals' }, /not the same people/],
      [{ numerator: 'quits_cmhc', denominator: 'quits_other' }, /includes everyone in the numerator/],
    ];
    for (const [pair, message] of cases) {
      const res = await add(leeds, { ...FORM, ...pair });
      assert.equal(res.statusCode, 400);
      const errors = errorsByField(res.body);
      assert.deepEqual(Object.keys(errors), ['denominator']);
      assert.match(errors.denominator!, message);
      assert.match(res.body, /There is a problem/);
      assert.equal(inputValue(res.body, 'name'), FORM.name);
      assert.equal(textareaValue(res.body, 'definition'), FORM.definition);
      assert.equal(selectedOption(res.body, 'numerator'), pair.numerator);
      assert.equal(selectedOption(res.body, 'denominator'), pair.denominator);
      assert.equal(inputValue(res.body, 'target'), '60');
    }
  });

  test('every field checked, in the order of the page', async () => {
    const res = await add(leeds, { name: ' ', definition: '', numerator: 'x', target: '140' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(Object.keys(errorsByField(res.body)), [
      'name',
      'definition',
      'numerator',
      'denominator',
      'target',
      'better',
    ]);
    assert.match(errorsByField(res.body).target!, /100% or less/);
    assert.equal(inputValue(res.body, 'target'), '140');
    assert.equal(await stored(), 0);
  });

  test('without its CSRF token the form is refused and nothing is stored', async () => {
    const res = await leeds.post('/local-indicators', FORM, { csrf: false, from: '/local-indicators/new' });
    assert.equal(res.statusCode, 403);
    assert.equal(await stored(), 0);
  });

  test('a national analyst reads but cannot add', async () => {
    assert.equal((await analyst.get('/local-indicators/new')).statusCode, 403);
    assert.equal(
      (await analyst.post('/local-indicators', FORM, { from: '/local-indicators' })).statusCode,
      403,
    );
  });
});

describe('a local indicator in use', () => {
  let id: string;

  before(async () => {
    const res = await add(leeds, FORM);
    assert.equal(res.statusCode, 303);
    id = idFrom(res.headers.location);
  });

  test('is stored for the commissioner’s authority, with its first line of history and an audit row', async () => {
    const row = await t.db
      .selectFrom('local_indicators')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.local_authority_code, LEEDS);
    const page = await leeds.get(`/local-indicators/${id}`);
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Quits confirmed by carbon monoxide: depression or anxiety/);
    assert.match(text, /Added the indicator/);
    assert.match(text, /60%/);
    const audits = await t.db.selectFrom('audit_events').selectAll().where('entity_id', '=', id).execute();
    assert.deepEqual(
      audits.map((a) => [a.action, a.entity_type]),
      [['create', 'local_indicator']],
    );
  });

  test('another authority’s commissioner can neither read nor change it; a national analyst reads it', async () => {
    assert.equal((await sophie.get(`/local-indicators/${id}`)).statusCode, 403);
    assert.equal((await sophie.get(`/local-indicators/${id}/edit`)).statusCode, 403);
    const post = await sophie.post(`/local-indicators/${id}/edit`, FORM, { from: '/local-indicators' });
    assert.equal(post.statusCode, 403);
    assert.doesNotMatch(textOf((await sophie.get('/local-indicators')).body), /CO-verified quits/);
    assert.equal((await analyst.get(`/local-indicators/${id}`)).statusCode, 200);
    const list = textOf((await analyst.get('/local-indicators')).body);
    assert.match(list, /CO-verified quits: depression or anxiety\s*Leeds/);
    assert.doesNotMatch((await analyst.get(`/local-indicators/${id}`)).body, /Retire the indicator/);
  });

  test('its figures on the dashboard are the counts the dashboard shows, on the page and in the CSV', async () => {
    const page = await leeds.get(`/dashboard?period=${prevParam}`);
    assert.equal(page.statusCode, 200);
    const table = textOf(tableWithCaption(page.body, 'Local indicators against their targets'));
    const counts = (
      await loadIndicatorCounts(t.db, {
        authorities: [LEEDS],
        from: previous,
        to: previous,
        asOf: t.clock.today(),
      })
    )
      .get(LEEDS)!
      .get(periodKey(previous))!.counts;
    assert.ok(counts.quitsCmhc > 0, 'the history has quits to count');
    assert.match(table, new RegExp(`${counts.coVerifiedCmhc} of ${counts.quitsCmhc}`));

    const local = csvRows(
      (await leeds.get(`/dashboard.csv?period=${prevParam}&table=local-indicators`)).body,
    );
    // The demonstration's own indicator and this one, both on the same counts.
    assert.equal(local.length, 2);
    const l = local.find((r) => r['Local indicator'] === FORM.name)!;
    const q = Object.keys(l).find((k) => k.endsWith(' numerator') && !k.startsWith('Year'))!;
    assert.equal(Number(l[q]), counts.coVerifiedCmhc);
    assert.equal(Number(l[q.replace('numerator', 'denominator')]), counts.quitsCmhc);

    // The national quit rate's denominator and numerator are the local counts of the same people.
    const progress = csvRows((await leeds.get(`/dashboard.csv?period=${prevParam}&table=progress`)).body);
    const rate = progress.find((r) => r.Indicator === 'Four-week quit rate: depression or anxiety')!;
    assert.equal(Number(rate[q]), counts.quitsCmhc);
    assert.equal(Number(rate[q.replace('numerator', 'denominator')]), counts.quitDatesCmhc);
    assert.equal(
      Number(rate[q.replace('numerator', 'value')]),
      Math.round((1000 * counts.quitsCmhc) / counts.quitDatesCmhc) / 10,
    );
  });

  test('a change keeps what each field was, in words, with an audit row', async () => {
    const form = await leeds.get(`/local-indicators/${id}/edit`);
    assert.equal(selectedOption(form.body, 'numerator'), 'co_verified_cmhc');
    const res = await leeds.post(
      `/local-indicators/${id}/edit`,
      { ...FORM, denominator: 'quit_dates_cmhc', target: '' },
      { from: `/local-indicators/${id}/edit` },
    );
    assert.equal(res.statusCode, 303);
    const text = textOf((await leeds.get(`/local-indicators/${id}`)).body);
    assert.match(text, /Changed the denominator and target/);
    assert.match(text, /Quit at four weeks: depression or anxiety\s*Quit dates set: depression or anxiety/);
    assert.match(text, /60%\s*No target/);
    const refused = await leeds.post(
      `/local-indicators/${id}/edit`,
      { ...FORM, numerator: 'referrals' },
      { from: '/local-indicators' },
    );
    assert.equal(refused.statusCode, 400);
    const actions = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', id)
      .execute();
    assert.deepEqual(actions.map((a) => a.action).sort(), ['create', 'update']);
  });

  test('retired: off the dashboard, kept with its history, no longer changed', async () => {
    const res = await leeds.post(`/local-indicators/${id}/retire`, {}, { from: `/local-indicators/${id}` });
    assert.equal(res.statusCode, 303);
    const page = textOf((await leeds.get(`/local-indicators/${id}`)).body);
    assert.match(page, /Retired the indicator/);
    assert.match(page, /In use\s*Retired/);
    const dashboard = textOf((await leeds.get(`/dashboard?period=${prevParam}`)).body);
    assert.doesNotMatch(dashboard, new RegExp(FORM.name));
    assert.match(dashboard, /Quits confirmed by carbon monoxide: depression or anxiety/, 'the other stays');
    const edit = await leeds.post(
      `/local-indicators/${id}/edit`,
      { ...FORM, name: 'Renamed' },
      { from: '/local-indicators' },
    );
    assert.equal(edit.statusCode, 303);
    const row = await t.db
      .selectFrom('local_indicators')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.name, FORM.name, 'a retired indicator is not changed');
    const changes = await t.db
      .selectFrom('local_indicator_changes')
      .select('summary')
      .where('local_indicator_id', '=', id)
      .execute();
    assert.equal(changes.length, 3);
  });
});
