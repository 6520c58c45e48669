// The national dashboard's roadmap through HTTP: the trajectory set by the national team shown against
// the actual counts (chart and table, the same figures), and Britain's goal with England, Wales and
// Scotland apart, Wales and Scotland shown as not collected rather than as zero.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { tableWithCaption, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let analyst: HttpSession;
const NOW = '2026-11-18T12:00:00Z';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  await loadDemoHistory(t.db, t.clock.today());
  analyst = await signIn(t.app, 'analyst@demo.test');
});
after(() => t?.close());

/** People with depression or anxiety who set a quit date from 1 April 2025 to `last`, read directly. */
async function counted(last: string): Promise<number> {
  const r = await t.db
    .selectFrom('episode_facts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('quit_date', '>=', '2025-04-01')
    .where('quit_date', '<=', last)
    .where('mental_health', 'in', ['depression', 'anxiety', 'both'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const cells = (table: string, label: string) => {
  const row = table.split('<tr').find((r) => new RegExp(`<th[^>]*>${label}</th>`).test(r));
  assert.ok(row, `no row ${label}`);
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1]!).trim());
};
const n = (s: number) => s.toLocaleString('en-GB');

describe('the roadmap on the national dashboard', () => {
  test('with no trajectory: the actual figures by year, and a link to set one', async () => {
    const res = await analyst.get('/national/dashboard');
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /No national trajectory has been set yet/);
    const table = tableWithCaption(res.body, 'The trajectory and the actual figures by financial year');
    assert.deepEqual(cells(table, '2025/26'), [
      'None set',
      '31 March 2026',
      n(await counted('2026-03-31')),
      '',
      '',
    ]);
  });

  test('the trajectory against the counts: milestones, the line through unset years, counts behind every rate', async () => {
    await analyst.post('/national/trajectory', { 'milestone-2025': '1000', 'milestone-2027': '5000' });
    const res = await analyst.get('/national/dashboard');
    const table = tableWithCaption(res.body, 'The trajectory and the actual figures by financial year');
    const y1 = await counted('2026-03-31');
    assert.ok(y1 > 0, 'the demonstration history has quit dates in 2025/26');
    assert.deepEqual(cells(table, '2025/26'), [
      '1,000',
      '31 March 2026',
      n(y1),
      '1,000',
      `${((y1 / 1000) * 100).toFixed(1)}%`,
    ]);
    // 2026/27 has no milestone: its end is on the line from 1,000 (31 March 2026) to 5,000 (31 March 2028),
    // 365 of 731 days; today is 18 November 2026, 232 days in.
    const now = await counted('2026-11-18');
    const expected = 1000 + (4000 * 232) / 731;
    assert.deepEqual(cells(table, '2026/27'), [
      `${n(Math.round(1000 + (4000 * 365) / 731))} (on the line)`,
      '18 November 2026',
      n(now),
      n(Math.round(expected)),
      `${((now / expected) * 100).toFixed(1)}%`,
    ]);
    assert.deepEqual(cells(table, '2027/28'), ['5,000', 'Not started', '', '', '']);
    // The chart draws the same figures: one point per year counted, and the trajectory as a dashed line.
    const svg = res.body.slice(
      res.body.indexOf('id="trajectory-title"') - 400,
      res.body.indexOf('</svg>', res.body.indexOf('id="trajectory-title"')),
    );
    assert.match(svg, /Trajectory/);
    assert.match(svg, /stroke-dasharray/);
    assert.match(textOf(res.body), /The national trajectory reaches the goal|By today it expects/);
  });

  test('Britain by nation: England counted, Wales and Scotland not yet collected (never zero)', async () => {
    const res = await analyst.get('/national/dashboard');
    const text = textOf(res.body);
    assert.match(text, /Britain against the 1.5 million goal/);
    assert.match(text, /Wales and Scotland are not yet counted/);
    const table = tableWithCaption(res.body, 'The goal by nation');
    const all = await counted('2026-11-18');
    assert.equal(cells(table, 'England')[3], n(all));
    for (const nation of ['Wales', 'Scotland']) {
      const c = cells(table, nation);
      assert.equal(c[3], 'Not yet collected in Mortar');
      assert.equal(c[4], 'Not yet collected in Mortar');
      assert.match(c[0]!, /^about [\d,]+$/);
    }
    assert.equal(cells(table, 'Britain')[3], `${n(all)} (England only)`);
    assert.match(text, /taken as 80\.4% of Scotland’s 5,490,100 people, the share of adults in Wales/);
  });
});
