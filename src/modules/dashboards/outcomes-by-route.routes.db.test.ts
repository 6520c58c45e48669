// A practitioner in NHS Talking Therapies runs a quit attempt; it counts once, in the Talking Therapies
// service's integrated-delivery return and never in Leeds's, and the comparison by route shows it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn } from '../../../test/helpers/http-session.ts';
import { loadDemoIntegrated } from '../../demo/demo-integrated.ts';
import { quarterOf } from '../../platform/quarters.ts';
import { computeReturnSql } from '../returns/return-counts.repository.ts';
import { integratedUnitKey } from '../returns/return-unit.ts';

const LEEDS = 'E08000035';
let t: TestApp;
let ttId: string;

before(async () => {
  t = await buildTestApp({ demo: true, now: '2026-05-13T10:00:00Z' });
  await loadDemoIntegrated(t.db, DEMO_PASSWORD, t.clock);
  ttId = (
    await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Leeds NHS Talking Therapies')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => t?.close());

/** The cells of the by-route table's row for a route, as text. */
function rowOf(html: string, label: string): string[] {
  const row = new RegExp(`<th scope="row"[^>]*>${label}</th>([\\s\\S]*?)</tr>`).exec(html);
  assert.ok(row, `no row for ${label}`);
  return [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.trim());
}

test('the practitioner in Talking Therapies sees their own episode on their caseload', async () => {
  const s = await signIn(t.app, 'practitioner.tt@demo.test');
  const res = await s.get('/episodes');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Morgan/);
  // The stop smoking service's adviser does not.
  const adviser = await signIn(t.app, 'adviser@demo.test');
  assert.doesNotMatch((await adviser.get('/episodes')).body, /Morgan Reed|Reed, Morgan/);
});

test('the integrated episode counts in the Talking Therapies return, never in Leeds’s', async () => {
  const period = { ...quarterOf(t.clock.today()), asOf: t.clock.today() };
  const integrated = await computeReturnSql(t.db, integratedUnitKey(ttId), period);
  assert.equal(integrated.totals.setQuitDate, 1);
  const leeds = await computeReturnSql(t.db, LEEDS, period);
  const leedsTt = await t.db
    .selectFrom('episode_facts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('service_organisation_id', '=', ttId)
    .executeTakeFirstOrThrow();
  assert.equal(Number(leedsTt.n), 1);
  const facts = await t.db
    .selectFrom('episode_facts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('local_authority_code', '=', LEEDS)
    .where('delivery_route', '<>', 'integrated')
    .where('quit_date', '>=', '2026-04-01')
    .where('quit_date', '<=', t.clock.today())
    .executeTakeFirstOrThrow();
  assert.equal(leeds.totals.setQuitDate, Number(facts.n));
});

test('the comparison by route: the Talking Therapies manager sees their integrated delivery', async () => {
  const s = await signIn(t.app, 'manager.tt@demo.test');
  const res = await s.get('/outcomes-by-route');
  assert.equal(res.statusCode, 200);
  assert.equal(rowOf(res.body, 'Integrated with mental health care')[0], '1');
  assert.equal(rowOf(res.body, 'Stop smoking service')[0], '0');
});

test('the comparison by route: Leeds’s commissioner and the national analyst see every route', async () => {
  for (const email of ['commissioner@demo.test', 'analyst@demo.test']) {
    const s = await signIn(t.app, email);
    const res = await s.get('/outcomes-by-route?period=2026/27 Q1');
    assert.equal(res.statusCode, 200, email);
    assert.equal(rowOf(res.body, 'Integrated with mental health care')[0], '1', email);
    const all = rowOf(res.body, 'All routes');
    assert.match(all[7]!, /\(\d+ of \d+\)/, 'each rate shows its counts');
  }
  const referrer = await signIn(t.app, 'referrer@demo.test');
  assert.equal((await referrer.get('/outcomes-by-route')).statusCode, 403);
});
