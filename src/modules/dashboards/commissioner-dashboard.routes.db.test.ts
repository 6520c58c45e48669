// The commissioner's dashboard through HTTP on the real engine, with the demonstration history loaded:
// who may see it, what it shows, the CSV exports, and disclosure control on the region's figures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { LEEDS } from '../../demo/demo-data.ts';
import { previousQuarter, quarterOf, quarterLabel } from '../../platform/quarters.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { tableWithCaption, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let leeds: HttpSession;
// What these tests check (who leads, which targets are met) depends on where the demonstration
// history's quarters fall, so the day is pinned; the history and demonstration data are built from it.
const NOW = '2026-11-18T12:00:00Z';
const previous = previousQuarter(quarterOf(NOW.slice(0, 10)));
const prevParam = `${previous.financialYear}-${previous.quarter}`;

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  await loadDemoHistory(t.db, t.clock.today());
  leeds = await signIn(t.app, 'commissioner@demo.test');
});
after(() => t?.close());

describe('/dashboard', () => {
  test('a commissioner sees their own authority: targets, trend chart and table, comparison, breakdowns, need', async () => {
    const res = await leeds.get(`/dashboard?period=${prevParam}`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const text = textOf(html);
    assert.match(text, /Dashboard: Leeds/);
    assert.match(
      text,
      new RegExp(quarterLabel(previous.financialYear, previous.quarter).replace('/', '\\/')),
    );
    const progress = tableWithCaption(html, 'Each indicator against the target');
    assert.equal(
      (progress.match(/<tr class="nhsuk-table__row">/g) ?? []).length,
      12,
      'a header and eleven indicators',
    );
    // Progress in words, never colour alone.
    assert.match(textOf(progress), /(Met|Not met|No target|No data yet)/);
    // The chart is SVG with no inline style, and its figures are in a table.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    assert.ok(svg.includes('role="img"'));
    assert.ok(!/style=/.test(svg));
    tableWithCaption(html, 'by quarter');
    assert.match(text, /Compared with Yorkshire and The Humber and England/);
    tableWithCaption(html, 'By referral source');
    tableWithCaption(html, 'By mental health condition');
    assert.match(text, /Estimated need and reach/);
    assert.match(text, /adults aged 18 and over \(ONS mid-2023\)/);
    assert.ok(!text.includes('Manchester'), 'nothing of another authority by name');
  });

  test('the region is disclosure-controlled and England exact', async () => {
    const html = (await leeds.get(`/dashboard?period=${prevParam}`)).body;
    const table = tableWithCaption(html, 'Leeds, Yorkshire and The Humber and England in');
    const row = table.split('<tr').find((r) => r.includes('Referrals from NHS Talking Therapies'))!;
    const cells = [...row.matchAll(/<td[^>]*>\s*([^<]*?)\s*<\/td>/g)].map((m) => m[1]!);
    assert.equal(cells.length, 3);
    const region = cells[1]!.replace(/,/g, '');
    assert.ok(region === '*' || Number(region) % 5 === 0, `region count ${region} is rounded to 5 or hidden`);
  });

  test('the quarter and the trend indicator are chosen with a GET form; a bad value falls back', async () => {
    const res = await leeds.get('/dashboard?period=1999-9&indicator=nonsense');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/dashboard"/);
    const chosen = await leeds.get(`/dashboard?period=${prevParam}&indicator=cmhc_quit_rate`);
    assert.match(
      textOf(tableWithCaption(chosen.body, 'by quarter')),
      /Four-week quit rate: depression or anxiety in Leeds/,
    );
  });

  test('every table exports as CSV, audited', async () => {
    for (const table of ['progress', 'trend', 'comparison', 'sources', 'conditions', 'partners']) {
      const res = await leeds.get(`/dashboard.csv?period=${prevParam}&table=${table}`);
      assert.equal(res.statusCode, 200, table);
      assert.match(String(res.headers['content-type']), /text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="dashboard-Leeds-/);
      assert.ok(res.body.split('\r\n').length > 2, table);
    }
    assert.equal((await leeds.get('/dashboard.csv?table=nothing')).statusCode, 400);
    const audits = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('entity_type', '=', 'dashboard')
      .where('entity_id', '=', LEEDS)
      .execute();
    assert.ok(audits.length >= 6);
  });

  test('the trend CSV has the same figures as the page’s table', async () => {
    const page = (await leeds.get(`/dashboard?period=${prevParam}&indicator=cmhc_quit_dates`)).body;
    const table = tableWithCaption(page, 'in Leeds, by quarter');
    const pageValues = [
      ...table.matchAll(/<tr class="nhsuk-table__row">\s*<th[^>]*>[^<]*<\/th>\s*<td[^>]*>([^<]*)<\/td>/g),
    ].map((m) => Number(m[1]!.replace(/,/g, '')));
    const csv = (
      await leeds.get(`/dashboard.csv?period=${prevParam}&indicator=cmhc_quit_dates&table=trend`)
    ).body
      .trim()
      .split('\r\n')
      .slice(1);
    assert.deepEqual(
      csv.map((l) => Number(l.split(',')[1])),
      pageValues,
    );
    assert.ok(
      pageValues.some((v) => v > 0),
      'the history gives a trend',
    );
  });

  test('only commissioners, each their own authority', async () => {
    assert.equal((await anonymous(t.app).get('/dashboard')).statusCode, 303);
    for (const email of [
      'referrer@demo.test',
      'adviser@demo.test',
      'manager@demo.test',
      'admin@demo.test',
      'analyst@demo.test',
    ]) {
      const s = await signIn(t.app, email);
      assert.equal((await s.get('/dashboard')).statusCode, 403, email);
      assert.equal((await s.get('/dashboard.csv?table=progress')).statusCode, 403, email);
    }
    // A Manchester commissioner sees Manchester, and no query string shows them Leeds.
    const council = await t.db
      .insertInto('organisations')
      .values({
        name: 'Manchester City Council Public Health',
        type: 'local_authority',
        local_authority_code: 'E08000003',
        ods_code: null,
        email: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('users')
      .values({
        email: 'commissioner.mcr@demo.test',
        name: 'Max Byrne',
        role: 'commissioner',
        organisation_id: council.id,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
    const mcr = await signIn(t.app, 'commissioner.mcr@demo.test');
    const res = await mcr.get(`/dashboard?period=${prevParam}&la=${LEEDS}&code=${LEEDS}`);
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /Dashboard: Manchester/);
    assert.ok(!textOf(res.body).includes('Leeds'));
  });
});
