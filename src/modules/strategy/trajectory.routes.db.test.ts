// The national trajectory through HTTP: the national team sets milestones, each change is kept with who
// and when, mistakes come back with the NHS error summary and what was typed, and no one else may edit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, tableWithCaption, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let analyst: HttpSession;
let nationalAdmin: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true, now: new Date('2026-10-15T10:00:00Z') });
  analyst = await signIn(t.app, 'analyst@demo.test');
  nationalAdmin = await signIn(t.app, 'national.admin@demo.test');
});
after(() => t?.close());

const history = () =>
  t.db
    .selectFrom('national_milestone_changes')
    .select(['financial_year', 'before', 'after', 'occurred_at'])
    .orderBy('id')
    .execute();

describe('/national/trajectory', () => {
  test('the analyst sets milestones; each year changed is kept with who and when, and audited', async () => {
    const page = await analyst.get('/national/trajectory');
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /No milestone has been set yet/);
    const res = await analyst.post('/national/trajectory', {
      'milestone-2025': '100,000',
      'milestone-2026': '400000',
      'milestone-2028': '1500000',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/national/trajectory');
    const rows = await history();
    assert.deepEqual(
      rows.map((r) => [r.financial_year, r.before, r.after]),
      [
        [2025, null, 100_000],
        [2026, null, 400_000],
        [2028, null, 1_500_000],
      ],
    );
    // The app's clock, not the machine's, dates the change.
    assert.equal(rows[0]!.occurred_at.toISOString(), '2026-10-15T10:00:00.000Z');
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['detail'])
      .where('entity_type', '=', 'national_trajectory')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.detail),
      ['2025/26: none to 100,000; 2026/27: none to 400,000; 2028/29: none to 1,500,000'],
    );

    const after = await analyst.get('/national/trajectory');
    assert.equal(inputValue(after.body, 'milestone-2026'), '400000');
    assert.match(textOf(after.body), /the goal is reached by the end of 2028\/29/);
    const table = textOf(tableWithCaption(after.body, 'Every change to a milestone, newest first'));
    assert.match(table, /2028\/29: none to 1,500,000/);
  });

  test('the national administrator changes one year and removes another: two changes, by them', async () => {
    const res = await nationalAdmin.post('/national/trajectory', {
      'milestone-2025': '100000',
      'milestone-2026': '450000',
      'milestone-2028': '',
    });
    assert.equal(res.statusCode, 303);
    const rows = (await history()).slice(3);
    assert.deepEqual(
      rows.map((r) => [r.financial_year, r.before, r.after]),
      [
        [2026, 400_000, 450_000],
        [2028, 1_500_000, null],
      ],
    );
    const page = await analyst.get('/national/trajectory');
    const table = tableWithCaption(page.body, 'Every change to a milestone, newest first');
    const first = textOf(table.split('<tr').slice(2)[0]!);
    assert.match(first, /2028\/29: 1,500,000 to none/);
    const name = await t.db
      .selectFrom('users')
      .select('name')
      .where('email', '=', 'national.admin@demo.test')
      .executeTakeFirstOrThrow();
    assert.ok(first.includes(name.name), first);
  });

  test('saving the same milestones again records nothing', async () => {
    const before = (await history()).length;
    const res = await analyst.post('/national/trajectory', {
      'milestone-2025': '100000',
      'milestone-2026': '450000',
    });
    assert.equal(res.statusCode, 303);
    assert.equal((await history()).length, before);
  });

  test('a falling milestone or a word is refused with the error summary, keeping what was typed', async () => {
    const before = (await history()).length;
    const res = await analyst.post('/national/trajectory', {
      'milestone-2025': '500000',
      'milestone-2026': '450000',
      'milestone-2027': 'lots',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    const errors = errorsByField(res.body);
    assert.match(errors['milestone-2026'] ?? '', /must be at least 500,000/);
    assert.match(errors['milestone-2027'] ?? '', /as a whole number/);
    assert.equal(inputValue(res.body, 'milestone-2027'), 'lots');
    assert.equal(inputValue(res.body, 'milestone-2025'), '500000');
    assert.equal((await history()).length, before);
  });

  test('a commissioner may neither see nor change the trajectory', async () => {
    const leeds = await signIn(t.app, 'commissioner@demo.test');
    assert.equal((await leeds.get('/national/trajectory')).statusCode, 403);
    const res = await leeds.post('/national/trajectory', { 'milestone-2025': '1' });
    assert.equal(res.statusCode, 403);
    const rows = await t.db
      .selectFrom('national_milestones')
      .select('target')
      .where('financial_year', '=', 2025)
      .execute();
    assert.deepEqual(rows, [{ target: 100_000 }]);
  });
});
