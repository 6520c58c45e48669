// The national smoking data through HTTP: who may see what, and the published return's disclosure control
// on the page, in the CSV and in the JSON. The records are written into a quarter no demonstration data
// reaches (2020/21 Q1), so every count is known.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { parse } from 'csv-parse/sync';
import { SUPPRESSED } from '../returns/disclosure.ts';
import { SMOKING_MEASURES } from './smoking-data.ts';
import type { PublishedRow } from './smoking-data-tables.ts';

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';
const WAKEFIELD = 'E08000036';
const Q = 'year=2020&quarter=1';
let t: TestApp;
const as: Record<string, HttpSession> = {};

before(async () => {
  t = await buildTestApp({ demo: true, now: '2026-11-18T12:00:00Z' });
  const org = async (type: string, la: string) =>
    (
      await t.db
        .insertInto('organisations')
        .values({
          name: `${type} ${la}`,
          type,
          local_authority_code: la,
          ods_code: null,
          email: null,
          phone: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const gpLeeds = await org('gp_practice', LEEDS);
  const ttManchester = await org('talking_therapies', MANCHESTER);
  const cmhtWakefield = await org('community_mental_health_team', WAKEFIELD);
  const asked = (organisation_id: string, la: string, n: number, status = '1') =>
    Array.from({ length: n }, () => ({
      organisation_id,
      local_authority_code: la,
      smoking_status: status,
      vaping_status: 'never',
      advice_given: status === '1',
      outcome: status === '1' ? ('declined' as const) : ('asked_only' as const),
      recorded_at: '2020-05-01 12:00:00 Europe/London',
      user_id: null,
      api_key_id: null,
    }));
  // Leeds: 3 smokers (a small count) and 40 who never smoked; Manchester 23 smokers; Wakefield 12 ex-smokers.
  await t.db
    .insertInto('advice_records')
    .values([
      ...asked(gpLeeds, LEEDS, 3),
      ...asked(gpLeeds, LEEDS, 40, '4'),
      ...asked(ttManchester, MANCHESTER, 23),
      ...asked(cmhtWakefield, WAKEFIELD, 12, '2'),
    ])
    .execute();
  for (const [role, email] of Object.entries({
    analyst: 'analyst@demo.test',
    commissioner: 'commissioner@demo.test',
    adviser: 'adviser@demo.test',
    referrer: 'referrer@demo.test',
  }))
    as[role] = await signIn(t.app, email);
});
after(() => t?.close());

const json = async (who: string) => {
  const res = await as[who]!.get(`/national-data/smoking.json?${Q}`);
  assert.equal(res.statusCode, 200);
  return JSON.parse(res.body) as { rows: PublishedRow[] };
};

describe('/national-data/smoking', () => {
  test('England is exact; every other figure is 0, hidden, or rounded to 5, never a count of 1 to 7', async () => {
    const { rows } = await json('analyst');
    const england = rows.find((r) => r.level === 'england')!;
    // Exact, except where secondary suppression had to hide one to protect a small count below it.
    const exact: Record<string, number> = {
      asked: 78,
      smokes: 26,
      exSmoker: 12,
      neverSmoked: 40,
      advised: 26,
    };
    assert.equal(england.figures.asked, 78);
    for (const [m, v] of Object.entries(exact))
      assert.ok([v, SUPPRESSED].includes(england.figures[m as 'asked']), `England ${m}`);
    const leeds = rows.find((r) => r.code === LEEDS)!;
    assert.equal(leeds.figures.smokes, SUPPRESSED, '3 smokers is a small count');
    assert.notEqual(leeds.figures.asked, 43, 'rounded or hidden');
    for (const r of rows.filter((r) => r.level !== 'england'))
      for (const m of SMOKING_MEASURES) {
        const v = r.figures[m];
        assert.ok(
          v === SUPPRESSED || v === 0 || (typeof v === 'number' && v % 5 === 0),
          `${r.code} ${m}: ${v}`,
        );
      }
    // Leeds's 3 smokers cannot be worked out from its rounded total and its statuses: some other is hidden.
    const shownLeeds = ['exSmoker', 'neverSmoked', 'otherAnswer', 'asked'].filter(
      (m) => leeds.figures[m as 'asked'] !== SUPPRESSED,
    );
    assert.ok(shownLeeds.length < 4, 'secondary suppression hides a second figure in Leeds');
    assert.ok(
      rows.some((r) => r.level === 'icb' && r.code.startsWith('E54')),
      'ICB rows',
    );
    assert.deepEqual(
      rows.filter((r) => r.level === 'service_type').map((r) => r.code),
      ['talking_therapies', 'gp', 'community', 'other'],
    );
  });

  test('the page and the CSV show the same disclosed figures as the JSON', async () => {
    const { rows } = await json('analyst');
    const page = await as.analyst!.get(`/national-data/smoking?${Q}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /counts from 1 to 7 are shown as \*/);
    assert.doesNotMatch(page.body, />\s*3\s*</, 'the small count is not on the page');
    const csv = await as.analyst!.get(`/national-data/smoking.csv?${Q}`);
    assert.equal(csv.statusCode, 200);
    const lines = parse(csv.body, { columns: true }) as Record<string, string>[];
    assert.equal(lines.length, rows.length);
    lines.forEach((l, i) => {
      for (const m of SMOKING_MEASURES) assert.equal(l[m], String(rows[i]!.figures[m]));
    });
  });

  test('a commissioner sees England, their ICB and their own authority, figures as published', async () => {
    const all = (await json('analyst')).rows;
    const { rows } = await json('commissioner');
    assert.deepEqual(
      rows.map((r) => r.level),
      ['england', 'icb', 'local_authority'],
    );
    assert.equal(rows[2]!.code, LEEDS);
    assert.deepEqual(
      rows[2],
      all.find((r) => r.code === LEEDS),
    );
    assert.ok(!rows.some((r) => r.code === MANCHESTER));
  });

  test('nobody else may see it', async () => {
    for (const who of ['adviser', 'referrer'])
      for (const path of [
        '/national-data/smoking',
        '/national-data/smoking.csv',
        '/national-data/smoking.json',
      ])
        assert.equal((await as[who]!.get(`${path}?${Q}`)).statusCode, 403, `${who} ${path}`);
  });
});
