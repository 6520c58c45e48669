// The estimate of need through HTTP: the commissioner's and the analyst's pages, the method beside every
// figure (hazard H60), the forms for the national parameters and a local estimate, and who may change what.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import {
  errorsByField,
  inputValue,
  tableWithCaption,
  textareaValue,
  textOf,
} from '../organisations/test-html.ts';

let t: TestApp;
let leeds: HttpSession;
let analyst: HttpSession;
let manchester: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  leeds = await signIn(t.app, 'commissioner@demo.test');
  analyst = await signIn(t.app, 'analyst@demo.test');
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
  manchester = await signIn(t.app, 'commissioner.manchester@demo.test');
});
after(() => t?.close());

const auditRows = () =>
  t.db
    .selectFrom('audit_events')
    .select(['entity_id', 'detail', 'action'])
    .where('entity_type', '=', 'need_parameters')
    .orderBy('id')
    .execute();

/** The step-by-step table beside a figure, as label → value text. */
function steps(html: string, name: string): Record<string, string> {
  const table = tableWithCaption(html, `The estimate for ${name}, step by step`);
  const out: Record<string, string> = {};
  for (const row of table.split('<tr').slice(2)) {
    const label = /<th[^>]*>([\s\S]*?)<\/th>/.exec(row)?.[1];
    const value = /<td[^>]*>([\s\S]*?)<\/td>/.exec(row)?.[1];
    if (label !== undefined && value !== undefined) out[textOf(label).trim()] = textOf(value).trim();
  }
  return out;
}

describe('GET /need', () => {
  test('a commissioner sees their authority’s figure with the method and the numbers used beside it (H60)', async () => {
    const res = await leeds.get('/need');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /About 23,760 adults in Leeds smoke and have a common mental health condition/);
    assert.match(text, /This is an estimate, not a count of people/);
    assert.match(text, /How this is worked out/);
    assert.deepEqual(steps(res.body, 'Leeds'), {
      'Adults aged 18 and over': '655,280',
      'times the share with a common mental health condition': '16.7%',
      'times the share of adults who smoke': '12.8%',
      'times how much more often people with a common mental health condition smoke': '1.7',
      'Estimated adults who smoke and have a common mental health condition': 'about 23,760',
    });
    assert.match(text, /Annual Population Survey 2024/);
    assert.match(text, /With a relative rate of 1.6 to 1.8: about 22,370 to 25,160/);
    assert.match(
      text,
      /The goal of 1.5 million is for Britain \(England, Scotland and Wales\)\. This estimate covers England only\./,
    );
    assert.ok(!text.includes('Manchester'), 'nothing of another authority');
    assert.match(
      res.body,
      /<a class="nhsuk-header__navigation-link" href="\/need"[^>]*aria-current="page"|href="\/need"[\s\S]{0,120}Estimated need/,
    );
  });

  test('the analyst sees every authority, each row with its inputs, England against 1.5 million, sortable by link', async () => {
    const res = await analyst.get('/need');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /About 1,349,460 adults in England smoke and have a common mental health condition/);
    assert.match(text, /90% of the goal of 1,500,000/);
    assert.match(text, /This estimate covers England only/);
    assert.match(text, /How this is worked out/);
    assert.match(
      text,
      /adults aged 18 and over \(ONS mid-2023\) × 16.7% with a common mental health condition \(about 1 in 6\)/,
    );
    const table = tableWithCaption(
      res.body,
      'Estimated need by local authority: adults × 16.7% × adults who smoke × 1.7',
    );
    const rows = table.split('<tr').slice(2);
    assert.equal(rows.length, 153);
    // Default order: the largest estimate first (Kent), each row with adults and prevalence beside the figure.
    const firstRow = textOf(`<tr${rows[0]}`);
    assert.match(firstRow, /^ ?Kent South East [\d,]+ [\d.]+% [\d,]+ Method, APS 2024, 12 districts/);
    const leedsRow = textOf(`<tr${rows.find((r) => r.includes('>Leeds<'))}`);
    assert.match(leedsRow, /Leeds Yorkshire and The Humber 655,280 12.8% 23,760 Method, APS 2024/);
    assert.match(textOf(`<tr${rows.find((r) => r.includes('>Cumberland<'))}`), /former districts/);

    const byName = await analyst.get('/need?sort=name&dir=asc');
    const names = tableWithCaption(byName.body, 'Estimated need by local authority')
      .split('<tr')
      .slice(2)
      .map((r) => /<th[^>]*>([^<]*)</.exec(r)?.[1]);
    assert.equal(names[0], 'Barking and Dagenham');
    assert.equal(names.at(-1), 'York');
    assert.match(byName.body, /aria-sort="ascending"><a href="\/need\?sort=name&amp;dir=desc#authorities"/);
    const byPrev = await analyst.get('/need?sort=prevalence&dir=desc');
    const prevs = tableWithCaption(byPrev.body, 'Estimated need by local authority')
      .split('<tr')
      .slice(2)
      .map((r) => Number(/([\d.]+)%<\/td>/.exec(r)?.[1]));
    assert.deepEqual(
      prevs,
      [...prevs].sort((a, b) => b - a),
    );
    // Nonsense in the query is ignored, not an error.
    assert.equal((await analyst.get('/need?sort=drop&dir=sideways')).statusCode, 200);
  });

  test('only commissioners and national analysts reach /need', async () => {
    assert.equal((await anonymous(t.app).get('/need')).statusCode, 303);
    for (const email of ['referrer@demo.test', 'adviser@demo.test', 'manager@demo.test', 'admin@demo.test']) {
      assert.equal((await (await signIn(t.app, email)).get('/need')).statusCode, 403, email);
    }
  });
});

describe('changing the estimate', () => {
  test('the analyst changes the national parameters: validated, values kept, audited, used everywhere', async () => {
    const bad = await analyst.post(
      '/need/parameters',
      { cmhcSharePercent: '70', relativeRate: 'lots' },
      { from: '/need' },
    );
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorsByField(bad.body), {
      cmhcSharePercent: 'Share of adults with a common mental health condition must be between 5% and 50%',
      relativeRate: 'Enter the relative rate as a number, like 1.7',
    });
    assert.equal(inputValue(bad.body, 'cmhcSharePercent'), '70');
    assert.equal(inputValue(bad.body, 'relativeRate'), 'lots');
    assert.match(bad.body, /<title>Error: /);
    assert.equal((await auditRows()).length, 0);

    const ok = await analyst.post('/need/parameters', { cmhcSharePercent: '20', relativeRate: '1.8' });
    assert.equal(ok.statusCode, 303);
    const page = await analyst.get('/need');
    assert.match(textOf(page.body), /The parameters were last changed by Ana Silva/);
    assert.equal(inputValue(page.body, 'cmhcSharePercent'), '20');
    const leedsPage = await leeds.get('/need');
    const leedsSteps = steps(leedsPage.body, 'Leeds');
    assert.equal(leedsSteps['times the share with a common mental health condition'], '20%');
    assert.equal(
      leedsSteps['times how much more often people with a common mental health condition smoke'],
      '1.8',
    );
    // 655,280 × 20% × 12.8% × 1.8 = 30,195.3, shown to the nearest 10
    assert.equal(
      leedsSteps['Estimated adults who smoke and have a common mental health condition'],
      'about 30,200',
    );
    const rows = await auditRows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.entity_id, 'national');
    assert.equal(rows[0]!.detail, 'share with a CMHC 16.67% to 20%; relative rate 1.7 to 1.8');

    // Back to the defaults for the tests that follow.
    assert.equal(
      (await analyst.post('/need/parameters', { cmhcSharePercent: '16.6666666667', relativeRate: '1.7' }))
        .statusCode,
      303,
    );
  });

  test('only a national analyst changes the national parameters', async () => {
    assert.equal(
      (
        await leeds.post(
          '/need/parameters',
          { cmhcSharePercent: '20', relativeRate: '1.8' },
          { from: '/need' },
        )
      ).statusCode,
      403,
    );
  });

  test('a commissioner replaces their figure with a local estimate and its source, shown as such, and can go back', async () => {
    const bad = await leeds.post(
      `/need/${LEEDS}/local`,
      { localEstimate: '24,000.5', localSource: '' },
      { from: '/need' },
    );
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorsByField(bad.body), {
      localEstimate: 'Enter the local estimate as a whole number, like 24000',
      localSource: 'Enter where the local estimate comes from',
    });
    assert.equal(inputValue(bad.body, 'localEstimate'), '24,000.5');

    const ok = await leeds.post(`/need/${LEEDS}/local`, {
      localEstimate: '25,500',
      localSource: 'Leeds JSNA 2025, mental health chapter',
    });
    assert.equal(ok.statusCode, 303);
    const page = await leeds.get('/need');
    const text = textOf(page.body);
    assert.match(text, /About 25,500 adults in Leeds smoke and have a common mental health condition/);
    assert.match(text, /It is your local estimate/);
    assert.match(
      text,
      /Local estimate: 25,500\. Source: Leeds JSNA 2025, mental health chapter\. Entered by Chris Owen/,
    );
    assert.match(text, /It replaces Mortar’s estimate of about 23,760, worked out as below/);
    assert.equal(
      steps(page.body, 'Leeds')['Adults aged 18 and over'],
      '655,280',
      'the method is still shown',
    );
    assert.equal(textareaValue(page.body, 'localSource'), 'Leeds JSNA 2025, mental health chapter');

    const national = textOf((await analyst.get('/need')).body);
    assert.match(
      national,
      /Leeds Yorkshire and The Humber 655,280 12.8% 25,500 Local estimate \(Leeds JSNA 2025, mental health chapter\); by the method about 23,760/,
    );
    assert.match(
      national,
      /1 authority uses its own local estimate; by the method alone it is about 1,349,460/,
    );

    assert.equal((await leeds.post(`/need/${LEEDS}/local/remove`, {}, { from: '/need' })).statusCode, 303);
    assert.match(textOf((await leeds.get('/need')).body), /About 23,760 adults in Leeds/);
    const trail = (await auditRows()).filter((r) => r.entity_id === LEEDS).map((r) => r.detail);
    assert.deepEqual(trail, [
      'local estimate none to 25500; source: Leeds JSNA 2025, mental health chapter',
      'local estimate 25500 removed',
    ]);
  });

  test('a Manchester commissioner cannot change Leeds, and an analyst sets no local estimate', async () => {
    const before = await t.db.selectFrom('need_parameters').selectAll().execute();
    assert.equal(
      (
        await manchester.post(
          `/need/${LEEDS}/local`,
          { localEstimate: '1', localSource: 'Mine' },
          { from: '/need' },
        )
      ).statusCode,
      403,
    );
    assert.equal((await manchester.post(`/need/${LEEDS}/local/remove`, {})).statusCode, 403);
    assert.equal(
      (
        await analyst.post(
          `/need/${LEEDS}/local`,
          { localEstimate: '1', localSource: 'Mine' },
          { from: '/need' },
        )
      ).statusCode,
      403,
    );
    assert.deepEqual(await t.db.selectFrom('need_parameters').selectAll().execute(), before);
    // Their own authority they may.
    const mine = await manchester.post(`/need/${MANCHESTER}/local`, {
      localEstimate: '30000',
      localSource: 'Manchester needs assessment 2025 <i>draft</i>',
    });
    assert.equal(mine.statusCode, 303);
    const html = (await manchester.get('/need')).body;
    assert.ok(
      html.includes('Source: Manchester needs assessment 2025 &lt;i&gt;draft&lt;/i&gt;.') &&
        !html.includes('<i>draft'),
      'the source is escaped, once',
    );
    const page = textOf(html);
    assert.match(page, /About 30,000 adults in Manchester/);
    assert.ok(!page.includes('Leeds'));
    assert.match(textOf((await leeds.get('/need')).body), /About 23,760 adults in Leeds/);
  });
});
