// The service manager's dashboard through HTTP, on the demonstration data: who may see it, the figures
// against what the demo data is known to hold, the overdue list, the CSV exports and the audit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MANCHESTER } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { addDays } from '../../platform/dates.ts';
import { quarterLabel, quarterOf } from '../../platform/quarters.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { decode, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let manager: HttpSession;
let today: string;

// The figures checked below (who waits in this quarter, whose quit date falls in which quarter) need the
// demonstration referrals, made 2 to 14 days before the app's day, to fall in the day's quarter: the
// day is pinned mid-quarter. (Early in a quarter they belong to the quarter before.)
const NOW = '2026-11-18T12:00:00Z';

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  manager = await signIn(t.app, 'manager@demo.test');
  today = t.clock.today();
});
after(() => t?.close());

/** The table whose caption starts with this text (headings above tables often repeat it). */
function tableWithCaption(html: string, caption: string): string {
  const at = html.search(new RegExp(`<caption[^>]*>\\s*${caption.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  if (at < 0) throw new Error(`No table with caption "${caption}"`);
  const start = html.lastIndexOf('<table', at);
  return html.slice(start, html.indexOf('</table>', at));
}

/** A table's body rows as arrays of cell texts (header cell first). */
function rows(html: string, caption: string): string[][] {
  return tableWithCaption(html, caption)
    .split('<tr')
    .slice(2)
    .map((r) =>
      [...r.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
        decode(textOf(m[1]!)).replace(/\s+/g, ' ').trim(),
      ),
    );
}
const row = (html: string, caption: string, first: string) => rows(html, caption).find((r) => r[0] === first);
const periodParam = (d: string) => {
  const p = quarterOf(d);
  return encodeURIComponent(quarterLabel(p.financialYear, p.quarter));
};

describe('who sees the service dashboard', () => {
  test('an adviser, a commissioner and a referrer are refused', async () => {
    for (const email of [
      'adviser@demo.test',
      'commissioner@demo.test',
      'referrer@demo.test',
      'analyst@demo.test',
    ]) {
      const s = await signIn(t.app, email);
      assert.equal((await s.get('/service/dashboard')).statusCode, 403, email);
      assert.equal((await s.get('/service/dashboard.csv?table=safety-tasks')).statusCode, 403, email);
    }
  });

  test("another service's manager sees their own service only, never Leeds' people", async () => {
    const mcr = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('local_authority_code', '=', MANCHESTER)
      .where('type', '=', 'stop_smoking_service')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('users')
      .values({
        email: 'manager.manchester@demo.test',
        name: 'Rae Okafor',
        role: 'service_manager',
        organisation_id: mcr.id,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
    const other = await signIn(t.app, 'manager.manchester@demo.test');
    const res = await other.get('/service/dashboard');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Manchester Stop Smoking Service/);
    assert.doesNotMatch(res.body, /Jo Brennan|Adam Clarke/);
    assert.match(textOf(res.body), /There are no open safety tasks/);
    // Manchester has one referral waiting (Jamie Fletcher); Robin Ashworth was reached.
    assert.equal(rows(res.body, 'Referrals waiting now').length, 1);
    const csv = await other.get('/service/dashboard.csv?table=safety-tasks');
    assert.equal(csv.body.trim(), 'Person,Adviser,Raised,Days open');
  });

  test('the navigation starts with the dashboard', async () => {
    const res = await manager.get('/service/dashboard');
    const nav = [
      ...res.body.matchAll(
        /class="nhsuk-header__navigation-link"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*class="nhsuk-header__navigation-link"/g,
      ),
    ].map((m) => m[1] ?? m[2]);
    assert.equal(nav[0], '/service/dashboard');
  });

  test('a quarter that does not exist is not found, an unknown table too', async () => {
    assert.equal((await manager.get('/service/dashboard?period=2026%2F28%20Q1')).statusCode, 404);
    assert.equal((await manager.get('/service/dashboard?year=2026&quarter=5')).statusCode, 404);
    assert.equal((await manager.get('/service/dashboard.csv?table=people')).statusCode, 404);
  });
});

describe('the figures, against the demonstration data', () => {
  test('caseload today: Jo Brennan preparing, Morgan Hughes in their quit attempt', async () => {
    const res = await manager.get('/service/dashboard');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.equal(row(html, 'Open episodes by stage', 'Preparing to quit: no quit date yet')?.[1], '1');
    assert.equal(
      row(html, 'Open episodes by stage', 'Quit attempt under way, before the follow-up window')?.[1],
      '1',
    );
    assert.equal(row(html, 'Open episodes by stage', 'All open episodes')?.[1], '2');
    assert.deepEqual(row(html, 'Open episodes by adviser and stage', 'Adam Clarke'), [
      'Adam Clarke',
      '1',
      '0',
      '1',
      '0',
      '0',
      '0',
      '2',
    ]);
    assert.match(
      html,
      /<svg[^>]*role="img"[^>]*aria-labelledby="chart-caseload-stage-title chart-caseload-stage-desc"/,
    );
  });

  test("Jo Brennan's open safety task links to the episode, and the list is audited", async () => {
    const jo = await t.db
      .selectFrom('episodes as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select('e.id')
      .where('p.given_name', '=', 'Jo')
      .executeTakeFirstOrThrow();
    const task = await t.db
      .selectFrom('safety_tasks')
      .select('id')
      .where('episode_id', '=', jo.id)
      .executeTakeFirstOrThrow();
    const res = await manager.get('/service/dashboard');
    const safety = rows(res.body, 'Open safety tasks, oldest first');
    assert.equal(safety.length, 1);
    assert.equal(safety[0]![0], 'Jo Brennan');
    assert.equal(safety[0]![1], 'Adam Clarke');
    assert.match(
      tableWithCaption(res.body, 'Open safety tasks'),
      new RegExp(`href="/episodes/${jo.id}#safety"`),
    );
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'safety_task')
      .where('request_id', 'is not', null)
      .where('entity_id', '=', task.id)
      .where('action', '=', 'list')
      .execute();
    assert.ok(audited.length >= 1);
  });

  test('referrals waiting with nobody reached: Sam Taylor (9 days) before Priya Shah (6 days), without names', async () => {
    const res = await manager.get('/service/dashboard');
    const waiting = rows(res.body, 'Referrals waiting now with nobody yet reached');
    assert.deepEqual(
      waiting.map((r) => [r[1], r[3], r[4]]),
      [
        ['Leeds NHS Talking Therapies', '9', '0'],
        ['Hyde Park Surgery', '6', '0'],
      ],
    );
    assert.doesNotMatch(tableWithCaption(res.body, 'Referrals waiting now'), /Sam|Taylor|Priya|Shah/);
  });

  test('waiting times: the three referrals tried were first tried a day after they arrived', async () => {
    // The six Leeds referrals arrived 4 to 14 days ago, so they may straddle two quarters: add both up.
    const quarters = [...new Set([addDays(today, -14), addDays(today, -4)].map(periodParam))];
    let received = 0;
    let reached = 0;
    for (const q of quarters) {
      const r = row(
        (await manager.get(`/service/dashboard?period=${q}`)).body,
        'Days from a referral being received',
        'First contact attempt',
      )!;
      received += Number(r[1]);
      reached += Number(r[2]);
      if (Number(r[2]) > 0) assert.deepEqual([r[4], r[5]], ['1', '1'], 'median and 90th percentile');
      else assert.deepEqual([r[4], r[5]], ['No data', 'No data']);
    }
    assert.deepEqual([received, reached], [6, 3]);
  });

  test('outcomes: Dana CO-verified, Kerry lost to follow-up, Morgan waiting, in the quarters of their quit dates', async () => {
    const quarters = [...new Set([35, 50, 7].map((n) => periodParam(addDays(today, -n))))];
    const sum = [0, 0, 0, 0, 0, 0];
    for (const q of quarters) {
      const all = row(
        (await manager.get(`/service/dashboard?period=${q}`)).body,
        'Four-week outcomes by adviser',
        'All',
      )!;
      all.slice(1, 7).forEach((v, i) => (sum[i]! += Number(v)));
    }
    // Set a quit date, quit, CO-verified, not quit, lost, waiting.
    assert.deepEqual(sum, [3, 1, 1, 0, 1, 1]);
    if (quarters.length === 1) {
      const html = (await manager.get(`/service/dashboard?period=${quarters[0]}`)).body;
      assert.deepEqual(row(html, 'Four-week outcomes by adviser', 'Adam Clarke')!.slice(7), [
        '33.3%',
        '100.0%',
      ]);
      assert.equal(
        row(html, 'Four-week outcomes by type of support', 'One-to-one, several sessions, in person')?.[1],
        '3',
      );
      assert.equal(row(html, 'Four-week outcomes by setting', 'Community')?.[1], '3');
    }
  });

  test('an overdue follow-up is listed, most urgent first, and marked when its window closes within 7 days', async () => {
    // Move Morgan's quit date back to day 37: overdue by 9 days, 6 days left.
    const morgan = await t.db
      .selectFrom('episodes as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select('e.id')
      .where('p.given_name', '=', 'Morgan')
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable('episodes')
      .set({ quit_date: addDays(today, -37) })
      .where('id', '=', morgan.id)
      .execute();
    try {
      const res = await manager.get('/service/dashboard');
      const overdue = rows(res.body, 'Four-week follow-ups overdue');
      assert.equal(overdue.length, 1);
      assert.equal(overdue[0]![0], 'Morgan Hughes');
      assert.deepEqual(overdue[0]!.slice(4), ['9', '6 Closes within 7 days']);
      assert.match(textOf(res.body), /1 closes within 7 days/);
      assert.equal(
        row(res.body, 'Open episodes by stage', 'Four-week follow-up overdue (past day 28)')?.[1],
        '1',
      );
      const audited = await t.db
        .selectFrom('audit_events')
        .select('id')
        .where('entity_type', '=', 'episode')
        .where('entity_id', '=', morgan.id)
        .where('action', '=', 'list')
        .execute();
      assert.ok(audited.length >= 1, 'the named list is audited');
      const csv = await manager.get('/service/dashboard.csv?table=overdue-follow-ups');
      const lines = csv.body.trim().split('\r\n');
      assert.equal(
        lines[0],
        'Person,Adviser,Quit date,Follow-up was due,Days overdue,Days left to record it',
      );
      assert.equal(lines[1], `Morgan Hughes,Adam Clarke,${addDays(today, -37)},${addDays(today, -9)},9,6`);
    } finally {
      await t.db
        .updateTable('episodes')
        .set({ quit_date: addDays(today, -7) })
        .where('id', '=', morgan.id)
        .execute();
    }
  });
});

describe('CSV exports', () => {
  test('each table downloads as CSV with the figures the page shows, and the export is audited', async () => {
    const res = await manager.get('/service/dashboard.csv?table=caseload-stage');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(
      String(res.headers['content-disposition']),
      /attachment; filename="mortar-service-caseload-stage-\d{4}-\d{2}-Q[1-4]\.csv"/,
    );
    const lines = res.body.trim().split('\r\n');
    assert.equal(lines[0], 'Stage,Open episodes');
    assert.ok(lines.includes('All open episodes,2'));
    const audit = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('entity_type', '=', 'service_dashboard')
      .where('action', '=', 'export')
      .execute();
    assert.ok(audit.some((a) => a.detail?.startsWith('caseload-stage')));
    for (const table of [
      'caseload-adviser',
      'waiting-times',
      'waiting-now',
      'outcomes-adviser',
      'outcomes-intervention',
      'outcomes-setting',
      'safety-tasks',
    ]) {
      const r = await manager.get(`/service/dashboard.csv?table=${table}`);
      assert.equal(r.statusCode, 200, table);
    }
    const safety = (await manager.get('/service/dashboard.csv?table=safety-tasks')).body.trim().split('\r\n');
    assert.equal(safety.length, 2);
    assert.match(safety[1]!, /^Jo Brennan,Adam Clarke,/);
  });

  test('the page links each table to its CSV for the chosen quarter', async () => {
    const q = periodParam(today);
    const html = (await manager.get(`/service/dashboard?period=${q}`)).body;
    assert.match(
      html,
      new RegExp(`href="/service/dashboard.csv\\?table=outcomes-adviser&amp;period=${q.replace(/%/g, '%')}"`),
    );
    assert.equal(
      (await manager.get(`/service/dashboard.csv?table=outcomes-adviser&period=${q}`)).statusCode,
      200,
    );
  });
});
