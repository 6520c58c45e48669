// The national dashboard through HTTP with the demonstration history: who may see it, sorting by any
// column with aria-sort, the region filter, the map, and the CSVs (the published one disclosure-controlled).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { countsBehind } from './indicator-counts.ts';
import { LEEDS } from '../../demo/demo-data.ts';
import { loadNationalCounts } from './national-counts.cache.ts';
import { periodKey } from './indicator.repository.ts';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { previousQuarter, quarterOf, quarterRange } from '../../platform/quarters.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { tableWithCaption, textOf } from '../organisations/test-html.ts';
import { sortAuthorities, type AuthorityRow } from './national-dashboard.service.ts';
import { indicatorValues, zeroCounts } from './indicator-values.ts';

let t: TestApp;
let analyst: HttpSession;
// What these tests check (who leads, which targets are met) depends on where the demonstration
// history's quarters fall, so the day is pinned; the history and demonstration data are built from it.
const NOW = '2026-11-18T12:00:00Z';
const previous = previousQuarter(quarterOf(NOW.slice(0, 10)));
const period = `${previous.financialYear}-${previous.quarter}`;

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  await loadDemoHistory(t.db, t.clock.today());
  analyst = await signIn(t.app, 'analyst@demo.test');
});
after(() => t?.close());

const rowNames = (table: string) =>
  [...table.matchAll(/<tr class="nhsuk-table__row" id="la-[^"]+">\s*<th[^>]*>([^<]+)<\/th>/g)].map((m) =>
    m[1]!.trim(),
  );

describe('/national/dashboard', () => {
  test('every authority, the map, regions, the goal; sorted by a column with aria-sort', async () => {
    const res = await analyst.get(`/national/dashboard?period=${period}&sort=cmhc_quit_dates&dir=desc`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const table = tableWithCaption(html, 'Local authorities in');
    const names = rowNames(table);
    assert.equal(names.length, 153);
    // The authority with the most quit dates by people with depression or anxiety, ties by name.
    const { start, end } = quarterRange(previous.financialYear, previous.quarter);
    const counts = await t.db
      .selectFrom('episode_facts as f')
      .innerJoin('local_authorities as la', 'la.code', 'f.local_authority_code')
      .select(['la.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('f.quit_date', '>=', start)
      .where('f.quit_date', '<=', end)
      .where('f.mental_health', 'in', ['depression', 'anxiety', 'both'])
      .groupBy('la.name')
      .execute();
    const most = Math.max(...counts.map((c) => Number(c.n)));
    const leaders = counts
      .filter((c) => Number(c.n) === most)
      .map((c) => c.name)
      .sort((a, b) => a.localeCompare(b, 'en-GB'));
    assert.equal(names[0], leaders[0], 'the most quit dates by people with depression or anxiety first');
    assert.match(table, /aria-sort="descending"><a href="[^"]*sort=cmhc_quit_dates&amp;dir=asc/);
    assert.equal((table.match(/aria-sort="none"/g) ?? []).length, 9);
    const map = html.slice(
      html.indexOf('<svg xmlns="http://www.w3.org/2000/svg" class="app-map"'),
      html.indexOf('</svg>', html.indexOf('class="app-map"')),
    );
    assert.equal((map.match(/<path /g) ?? []).length, 153);
    assert.ok(!/<svg[^>]*style=/.test(html));
    assert.match(textOf(html), /Britain against the 1.5 million goal/);
    assert.match(textOf(html), /Office for National Statistics licensed under the Open Government Licence/);
    tableWithCaption(html, 'Regions in');

    const asc = await analyst.get(`/national/dashboard?period=${period}&sort=name&dir=desc`);
    const z = rowNames(tableWithCaption(asc.body, 'Local authorities in'));
    assert.equal(z[0], 'York');
  });

  test('filtered by region', async () => {
    const res = await analyst.get(`/national/dashboard?period=${period}&region=E12000003`);
    const names = rowNames(tableWithCaption(res.body, 'Local authorities in'));
    assert.equal(names.length, 15);
    assert.ok(names.includes('Leeds') && !names.includes('Manchester'));
  });

  test('CSV: exact for analysts, and a published table with disclosure control and England exact', async () => {
    const exact = await analyst.get(`/national/dashboard.csv?period=${period}&table=authorities`);
    assert.equal(exact.statusCode, 200);
    const published = await analyst.get(
      `/national/dashboard.csv?period=${period}&table=authorities-published`,
    );
    const lines = published.body.trim().split('\r\n');
    assert.equal(lines.length, 1 + 153 + 1);
    const kirklees = lines.find((l) => l.includes(',Kirklees,'))!.split(',');
    const quitDates = kirklees[3]!;
    assert.ok(quitDates === '*' || Number(quitDates) % 5 === 0, `published count ${quitDates}`);
    assert.match(lines.at(-1)!, /^E92000001,England \(exact\)/);
    for (const table of ['regions', 'furthest'])
      assert.equal(
        (await analyst.get(`/national/dashboard.csv?period=${period}&table=${table}`)).statusCode,
        200,
      );
    assert.equal((await analyst.get('/national/dashboard.csv?table=x')).statusCode, 400);
  });

  test('the trajectory CSV has a row a year, with the count beside where the line says it should be', async () => {
    const res = await analyst.get(`/national/dashboard.csv?period=${period}&table=trajectory`);
    assert.equal(res.statusCode, 200);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    assert.equal(rows[0]!['Financial year'], '2025/26');
    // Without milestones the line is empty, and the count is still given for every year counted so far.
    assert.ok(rows.every((r) => r['Milestone at the year’s end'] === ''));
    const counted = rows.filter((r) => r['Counted to'] !== '');
    assert.ok(counted.length >= 1);
    assert.ok(counted.every((r) => /^\d+$/.test(r['Counted in Mortar (England)']!)));
  });

  test('only national analysts', async () => {
    assert.equal((await anonymous(t.app).get('/national/dashboard')).statusCode, 303);
    for (const email of [
      'commissioner@demo.test',
      'referrer@demo.test',
      'adviser@demo.test',
      'manager@demo.test',
      'admin@demo.test',
    ]) {
      const s = await signIn(t.app, email);
      assert.equal((await s.get('/national/dashboard')).statusCode, 403, email);
      assert.equal((await s.get('/national/dashboard.csv?table=authorities')).statusCode, 403, email);
    }
  });
});

test('every rate in the CSVs and on the page comes with its counts: exact, or disclosed beside a published rate', async () => {
  const rows = async (table: string) =>
    parse((await analyst.get(`/national/dashboard.csv?period=${period}&table=${table}`)).body, {
      columns: true,
    }) as Record<string, string>[];
  const counts = (await loadNationalCounts(t.db, previous, previous, t.clock.today()))
    .get(LEEDS)!
    .get(periodKey(previous))!.counts;
  assert.ok(counts.quitDatesCmhc > 0, 'the history has quit dates in Leeds');
  const rate = 'Four-week quit rate: depression or anxiety';
  const exact = (await rows('authorities')).find((r) => r.Code === LEEDS)!;
  assert.equal(Number(exact[`${rate}: quits (depression or anxiety)`]), counts.quitsCmhc);
  assert.equal(Number(exact[`${rate}: quit dates set (depression or anxiety)`]), counts.quitDatesCmhc);
  assert.equal(
    Number(exact[`${rate} (percent)`]),
    Math.round((1000 * counts.quitsCmhc) / counts.quitDatesCmhc) / 10,
  );
  const published = await rows('authorities-published');
  let hidden = 0;
  for (const r of published.slice(0, -1)) {
    const top = r[`${rate}: quits (depression or anxiety)`]!;
    const bottom = r[`${rate}: quit dates set (depression or anxiety)`]!;
    for (const v of [top, bottom]) assert.ok(v === '' || v === '*' || Number(v) % 5 === 0, `${r.Code} ${v}`);
    if (top === '*' || bottom === '*') {
      hidden++;
      assert.equal(r[`${rate} (percent)`], '*', `${r.Code}: a rate with a hidden count is hidden`);
    } else if (top !== '' && Number(bottom) > 0)
      assert.equal(Number(r[`${rate} (percent)`]), Math.round((1000 * Number(top)) / Number(bottom)) / 10);
    else if (top !== '') assert.equal(r[`${rate} (percent)`], '', `${r.Code}: no rate of nobody, not 0%`);
  }
  assert.ok(hidden > 0, 'some published counts are hidden');
  const page = await analyst.get(`/national/dashboard?period=${period}&region=E12000003`);
  const leeds = page.body.split('<tr').find((r) => r.includes(`id="la-${LEEDS}"`))!;
  assert.match(textOf(leeds), new RegExp(`${counts.quitsCmhc} of ${counts.quitDatesCmhc}`));
  const regions = await rows('regions');
  assert.ok(regions.every((r) => `${rate}: quits (depression or anxiety)` in r));
});

test('sorting puts authorities with no data last in either direction, ties by name', () => {
  const row = (name: string, v: number | null): AuthorityRow => {
    const values = indicatorValues(zeroCounts(), null, null);
    values.cmhc_quit_rate = v;
    const behind = countsBehind(zeroCounts(), null, null);
    return { code: name, name, regionCode: 'r', regionName: 'R', usesMortar: v !== null, values, behind };
  };
  const rows = [row('B', 50), row('A', null), row('C', 50), row('D', 10)];
  assert.deepEqual(
    sortAuthorities(rows, 'cmhc_quit_rate', 'desc').map((r) => r.name),
    ['B', 'C', 'D', 'A'],
  );
  assert.deepEqual(
    sortAuthorities(rows, 'cmhc_quit_rate', 'asc').map((r) => r.name),
    ['D', 'B', 'C', 'A'],
  );
  assert.deepEqual(
    sortAuthorities(rows, 'name', 'desc').map((r) => r.name),
    ['D', 'C', 'B', 'A'],
  );
});
