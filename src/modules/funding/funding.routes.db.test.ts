// Costs through HTTP: a commissioner records what a service costs, mistakes come back with the NHS error
// summary and what was typed, the figures divide the cost by an independent count of the people the
// service supported, another authority's service is not found, and the national estimate's assumptions
// are kept with their history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, tableWithCaption, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let commissioner: HttpSession;
let analyst: HttpSession;
const serviceId = (name: string) =>
  t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
    .then((r) => r.id);

before(async () => {
  t = await buildTestApp({ demo: true, now: new Date('2026-10-15T10:00:00Z') });
  commissioner = await signIn(t.app, 'commissioner@demo.test');
  analyst = await signIn(t.app, 'analyst@demo.test');
});
after(() => t?.close());

/** People who set a quit date with the service in 2026/27 so far, counted straight from the episodes. */
async function independentlySupported(id: string): Promise<number> {
  const rows = await t.db
    .selectFrom('episodes')
    .select('id')
    .where('service_organisation_id', '=', id)
    .where('quit_date', '>=', '2026-04-01')
    .where('quit_date', '<=', '2026-10-15')
    .execute();
  return rows.length;
}

describe('/funding', () => {
  test('a commissioner records a service’s costs and sees what each person supported cost', async () => {
    const leeds = await serviceId('Leeds Stop Smoking Service');
    const page = await commissioner.get('/funding');
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /None recorded/);
    assert.ok(page.body.includes(`/funding/services/${leeds}?year=2026`));
    assert.doesNotMatch(textOf(page.body), /Manchester/);

    const form = await commissioner.get(`/funding/services/${leeds}?year=2026`);
    assert.equal(form.statusCode, 200);
    const bad = await commissioner.post(`/funding/services/${leeds}?year=2026`, {
      contract: '120,000',
      perPerson: 'a lot',
      perQuit: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(errorsByField(bad.body)), ['perPerson']);
    assert.equal(inputValue(bad.body, 'contract'), '120,000');
    assert.equal(inputValue(bad.body, 'perPerson'), 'a lot');
    assert.equal((await t.db.selectFrom('service_costs').selectAll().execute()).length, 0);

    const ok = await commissioner.post(`/funding/services/${leeds}?year=2026`, {
      contract: '120,000',
      perPerson: '',
      perQuit: '',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/funding?year=2026');
    const audit = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('entity_type', '=', 'service_costs')
      .executeTakeFirstOrThrow();
    assert.match(audit.detail ?? '', /Leeds Stop Smoking Service, 2026\/27: contract £120,000/);

    const supported = await independentlySupported(leeds);
    assert.ok(supported > 0, 'the demonstration has quit dates at Leeds this year');
    const after = await commissioner.get('/funding?year=2026');
    const table = textOf(tableWithCaption(after.body, 'Costs by service'));
    const perPerson = Math.round(12_000_000 / supported);
    const shown = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(
      perPerson / 100,
    );
    assert.ok(table.includes(shown.replace(/\.00$/, '')), `${shown} in ${table}`);
    // The CSV has the same figures, in pounds with pence.
    const csv = await commissioner.get('/funding.csv?year=2026');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const line = csv.body.split('\r\n').find((l) => l.includes('Leeds Stop Smoking Service'))!;
    const cells = line.split(',');
    assert.deepEqual(cells.slice(0, 2), ['2026/27', 'service']);
    assert.equal(cells[6], '120000.00');
    assert.equal(Number(cells[9]), supported);
    assert.equal(cells[12], (perPerson / 100).toFixed(2));
    assert.doesNotMatch(csv.body, /Manchester/);
    // The form shows what was saved.
    const again = await commissioner.get(`/funding/services/${leeds}?year=2026`);
    assert.equal(inputValue(again.body, 'contract'), '120000');
  });

  test('another authority’s service is not found, and years outside the range are not either', async () => {
    const manchester = await serviceId('Manchester Stop Smoking Service');
    assert.equal((await commissioner.get(`/funding/services/${manchester}`)).statusCode, 404);
    const post = await commissioner.post(`/funding/services/${manchester}`, { contract: '1' });
    assert.equal(post.statusCode, 404);
    assert.equal((await commissioner.get('/funding/services/not-a-uuid')).statusCode, 404);
    assert.equal((await commissioner.get('/funding?year=2024')).statusCode, 404);
    assert.equal((await commissioner.get('/funding?year=2027')).statusCode, 404);
    assert.equal((await commissioner.get('/funding?year=twenty')).statusCode, 404);
  });

  test('the national analyst reads every authority, with no way to change costs', async () => {
    const page = await analyst.get('/funding');
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Manchester Stop Smoking Service/);
    assert.match(textOf(page.body), /Leeds Stop Smoking Service/);
    assert.ok(!page.body.includes('/funding/services/'));
  });
});

describe('/funding/estimate', () => {
  test('the analyst sets assumptions, the estimate follows, and each change is kept', async () => {
    const first = await analyst.get('/funding/estimate');
    assert.equal(first.statusCode, 200);
    assert.match(textOf(first.body), /The estimate needs every assumption/);

    const bad = await analyst.post('/funding/estimate', { uptake_pct: '150', quit_pct: '45' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(errorsByField(bad.body)), ['uptake_pct']);
    assert.equal(inputValue(bad.body, 'uptake_pct'), '150');
    assert.equal(inputValue(bad.body, 'quit_pct'), '45');

    const ok = await analyst.post('/funding/estimate', {
      uptake_pct: '10',
      quit_pct: '50',
      cost_per_person_pence: '250',
    });
    assert.equal(ok.statusCode, 303);
    const page = textOf((await analyst.get('/funding/estimate')).body);
    // 1,820,000 referrals × 26.3% × 10% = 47,866 supported; × 50% = 23,933 quits; × £250 = £11,966,500.
    assert.match(page, /People supported to set a quit date 47,866/);
    assert.match(page, /Quit at four weeks 23,933/);
    assert.match(page, /Cost a year £11,966,500/);
    assert.match(page, /Cost per four-week quit £500/);
    const history = await t.db.selectFrom('funding_assumption_changes').selectAll().orderBy('id').execute();
    assert.deepEqual(
      history.map((h) => [h.name, h.before, h.after === null ? null : Number(h.after)]),
      [
        ['uptake_pct', null, 10],
        ['quit_pct', null, 50],
        ['cost_per_person_pence', null, 25_000],
      ],
    );
    assert.equal(history[0]!.occurred_at.toISOString(), '2026-10-15T10:00:00.000Z');

    // A commissioner reads the estimate but has no form; posting is refused.
    const read = await commissioner.get('/funding/estimate');
    assert.equal(read.statusCode, 200);
    assert.ok(!read.body.includes('Save the assumptions'));
    assert.equal((await commissioner.post('/funding/estimate', { uptake_pct: '1' })).statusCode, 403);
  });
});
