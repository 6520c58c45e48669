// Publishing a quarter and reading it without signing in, through HTTP on the real database: the public
// page and CSV carry only the stored, disclosure-controlled figures, and an attacker given the CSV works
// out none of the hidden ones.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorSummary, textOf } from '../organisations/test-html.ts';
import { toRows } from './csv-layout.ts';
import { SUPPRESSED } from './disclosure.ts';
import { attack, rowKey } from './publication-attack.fixtures.ts';
import { insertSubmittedReturns } from './publication.fixtures.ts';
import { nationalInput } from './national-input.fixtures.ts';
import { ENGLAND, buildPublication, publicationRows } from './publication.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { sumReturns } from './return-figures.ts';

let t: TestApp;
let analyst: HttpSession;
let commissioner: HttpSession;
let anon: HttpSession;
// 2025/26 Q1 has ended on any date these tests run; about one in seven of England's authorities submitted.
const input = nationalInput({ seed: 7, quitDates: 2000, submitted: 0.15, financialYear: 2025, quarter: 1 });
const returns = input.regions.flatMap((r) => r.returns.map((s) => ({ ...s, region: r.code })));
const PAGE = '/statistics/quarterly-returns/2025/1';

before(async () => {
  t = await buildTestApp({ demo: true });
  await insertSubmittedReturns(t.db, input);
  analyst = await signIn(t.app, 'analyst@demo.test');
  commissioner = await signIn(t.app, 'commissioner@demo.test');
  anon = anonymous(t.app);
});
after(() => t.close());

test('nothing is public before a national analyst publishes; then anyone can read the quarter without signing in', async () => {
  const list = await anon.get('/statistics/quarterly-returns');
  assert.equal(list.statusCode, 200);
  assert.match(textOf(list.body), /No quarter has been published yet/);
  assert.equal((await anon.get(PAGE)).statusCode, 404);
  assert.equal((await anon.get(`${PAGE}/tables.csv`)).statusCode, 404);

  const preview = await analyst.get('/national/returns/published?year=2025&quarter=1');
  assert.match(textOf(preview.body), /Not published yet/);
  assert.equal(
    (await commissioner.post('/national/returns/published', { year: '2025', quarter: '1' })).statusCode,
    403,
    'only national analysts publish',
  );
  const anonPost = await anon.post('/national/returns/published', { year: '2025', quarter: '1' });
  assert.equal(anonPost.statusCode, 303);
  assert.match(String(anonPost.headers.location), /^\/sign-in/);

  const res = await analyst.post('/national/returns/published', { year: '2025', quarter: '1' });
  assert.equal(res.statusCode, 303);
  const done = await analyst.get(String(res.headers.location));
  assert.match(textOf(done.body), /Published\. Anyone can now read 2025\/26 Q1/);

  const listed = textOf((await anon.get('/statistics/quarterly-returns')).body);
  assert.match(listed, new RegExp(`2025/26 Q1 ${returns.length} CSV for 2025/26 Q1`));
  const page = await anon.get(PAGE);
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.match(text, /counts from 1 to 7 are hidden \(\*\)/);
  assert.match(text, /England and regions, submitted returns/);
  assert.match(text, /England: Common mental health condition/);
  assert.ok(!/exact \(not for publication\)/.test(text));
  // Every table has a caption and header cells with a scope.
  assert.equal((page.body.match(/<table/g) ?? []).length, (page.body.match(/<caption/g) ?? []).length);
});

test('the public CSV is the stored publication: only figures as published, and none hidden can be worked out', async () => {
  const res = await anon.get(`${PAGE}/tables.csv`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  const lines = res.body.trim().split('\r\n');
  assert.equal(lines[0], 'local_authority_code,financial_year,quarter,breakdown,category,measure,value');
  const rows = lines.slice(1).map((l) => {
    const [area, , , breakdown, category, measure, value] = l.split(',') as string[];
    return {
      area: area!,
      breakdown: breakdown!,
      category: category!,
      measure: measure!,
      value: value === SUPPRESSED ? SUPPRESSED : Number(value),
    } as const;
  });
  // The same as the pure rule gives for the submitted returns.
  const expected = publicationRows(buildPublication(input));
  assert.equal(rows.length, expected.length);
  assert.deepEqual(
    rows.map((r) => r.value),
    expected.map((r) => r.value),
  );

  const all = returns.map((r) => r.data);
  const truth = new Map<string, number>();
  const add = (ret: QuarterlyReturn) => {
    for (const r of toRows(ret)) truth.set(rowKey({ area: r.local_authority_code, ...r }), r.value as number);
  };
  add(sumReturns(ENGLAND, 2025, 1, all));
  for (const r of input.regions)
    add(
      sumReturns(
        r.code,
        2025,
        1,
        r.returns.map((s) => s.data),
      ),
    );
  all.forEach(add);
  const parentOf = new Map<string, string>();
  for (const r of input.regions) {
    parentOf.set(r.code, ENGLAND);
    for (const s of r.returns) parentOf.set(s.code, r.code);
  }
  let small = 0;
  for (const r of rows) {
    const v = truth.get(rowKey(r))!;
    if (r.area !== ENGLAND && v >= 1 && v <= 7) {
      small++;
      assert.equal(r.value, SUPPRESSED, `${rowKey(r)} is a small count`);
    }
  }
  assert.ok(small > 100);
  const result = attack({
    rows,
    parentOf,
    exact: (r) => r.area === ENGLAND && r.breakdown === 'total',
    threshold: 7,
    base: 5,
    truth,
    hiddenMeans: 'any',
  });
  assert.deepEqual(result.recovered, []);
});

test('a quarter is published once: a second publication could be subtracted from the first', async () => {
  const res = await analyst.post('/national/returns/published', { year: '2025', quarter: '1' });
  assert.equal(res.statusCode, 409);
  assert.match(errorSummary(res.body)[0]![1], /2025\/26 Q1 is published already/);
  const notEnded = await analyst.post('/national/returns/published', { year: '2099', quarter: '4' });
  assert.equal(notEnded.statusCode, 409);
  assert.match(errorSummary(notEnded.body)[0]![1], /has not ended yet/);
  assert.equal((await anon.get('/statistics/quarterly-returns/2099/4')).statusCode, 404);
  assert.equal((await anon.get('/statistics/quarterly-returns/1999/9')).statusCode, 404);
});
