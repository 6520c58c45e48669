// /metrics: Prometheus's text, for the bearer of METRICS_TOKEN only; requests counted by route pattern,
// never by the address asked for; the work waiting counted by the dashboards' own rules.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { anonymous, type HttpSession } from '../../test/helpers/http-session.ts';
import { addApiKey } from '../../test/helpers/route-table.ts';
import { caseloadStage } from '../modules/dashboards/service-dashboard.rules.ts';
import { cachedReader } from './metrics.ts';
import { addDays } from './dates.ts';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';

let t: TestApp;
let api: HttpSession;
before(async () => {
  t = await buildTestApp({ demo: true, env: { METRICS_TOKEN: TOKEN, METRICS_CACHE_SECONDS: '0' } });
  const tt = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Leeds NHS Talking Therapies')
    .executeTakeFirstOrThrow();
  api = anonymous(t.app, { authorization: `Bearer ${(await addApiKey(t.db, tt.id, 'metrics test')).key}` });
});
after(() => t?.close());

const scrape = async (authorization = `Bearer ${TOKEN}`) =>
  t.app.inject({ url: '/metrics', headers: { authorization } });

/** The value of one series in Prometheus's text format, or undefined when it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

test('without METRICS_TOKEN there is no /metrics', async () => {
  const plain = await buildTestApp();
  try {
    assert.equal((await plain.app.inject({ url: '/metrics' })).statusCode, 404);
    assert.equal(
      (await plain.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode,
      404,
    );
  } finally {
    await plain.close();
  }
});

test('refused without the token, or with another: a 401 problem document that is not cached', async () => {
  for (const authorization of ['', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, 'Bearer ']) {
    const res = await scrape(authorization);
    assert.equal(res.statusCode, 401, authorization);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.doesNotMatch(res.body, /mortar_http_requests_total/);
  }
});

test('with the token: Prometheus text with the process, the pool and requests by route pattern', async () => {
  await t.app.inject({ url: '/find-support' });
  const withId = await t.app.inject({ url: '/self-referral/sent/NOT-A-REFERENCE' });
  await t.app.inject({ url: '/no-such-page/secret-token-123' });
  const res = await scrape();
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.equal(res.headers['cache-control'], 'no-store');
  const text = res.body;
  assert.ok(
    (sample(text, 'mortar_http_requests_total', { route: '/find-support', method: 'GET', status: '200' }) ??
      0) >= 1,
  );
  // The pattern, never the address: no reference, no token, one series for every page not found.
  const sentStatus = String(withId.statusCode);
  assert.ok(
    (sample(text, 'mortar_http_requests_total', {
      route: '/self-referral/sent/:reference',
      status: sentStatus,
    }) ?? 0) >= 1,
  );
  assert.doesNotMatch(text, /NOT-A-REFERENCE|secret-token-123/);
  assert.equal(sample(text, 'mortar_http_requests_total', { route: '(no route)', status: '404' }), 1);
  assert.ok(
    (sample(text, 'mortar_http_request_duration_seconds_count', { route: '/find-support' }) ?? 0) >= 1,
  );
  // Node's own, and the database pool.
  assert.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined);
  assert.ok(sample(text, 'nodejs_eventloop_lag_seconds') !== undefined);
  assert.ok((sample(text, 'mortar_db_pool_connections', { pool: 'primary', state: 'total' }) ?? 0) >= 1);
  assert.ok(sample(text, 'mortar_db_pool_connections', { pool: 'primary', state: 'waiting' }) !== undefined);
  assert.equal(sample(text, 'mortar_metric_read_failures_total'), undefined, 'every gauge was read');
  // No READ_DATABASE_URL: nothing about a replica (read-replica-metrics.db.test.ts has one).
  assert.doesNotMatch(text, /mortar_replica_/);
});

test('referrals waiting goes up when a referral is made', async () => {
  const before = sample((await scrape()).body, 'mortar_referrals_waiting', { status: 'received' });
  assert.ok(before !== undefined);
  const res = await api.postJson('/api/v1/referrals', {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: 'Metric',
    familyName: 'Personname',
    dateOfBirth: '1988-02-14',
    postcode: 'LS6 1AN',
    phone: '07700 900312',
    contactMethods: ['phone'],
    mentalHealth: 'anxiety',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(sample((await scrape()).body, 'mortar_referrals_waiting', { status: 'received' }), before + 1);
});

/** Every open episode's stage by the dashboard's rule, counted here from all of them. */
async function overdueByRule(today: string) {
  const open = await t.db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select('e.quit_date')
    .where('e.closed_at', 'is', null)
    .where('o.episode_id', 'is', null)
    .execute();
  return open.filter((e) => e.quit_date && caseloadStage(e.quit_date, today) === 'follow_up_overdue').length;
}

test('overdue follow-ups agree with the dashboard rule applied to every open episode, on each side of the window', async () => {
  const today = t.clock.today();
  const before = sample((await scrape()).body, 'mortar_follow_ups_overdue');
  assert.equal(before, await overdueByRule(today));
  // Quit dates from 20 to 50 days ago: before, in, and after the overdue days (29 to 42).
  const model = await t.db
    .selectFrom('episodes')
    .select(['person_id', 'service_organisation_id'])
    .executeTakeFirstOrThrow();
  const offsets = Array.from({ length: 31 }, (_, i) => 20 + i);
  await t.db
    .insertInto('episodes')
    .values(
      offsets.map((d) => ({
        ...model,
        referral_id: null,
        adviser_user_id: null,
        quit_date: addDays(today, -d),
      })),
    )
    .execute();
  const added = offsets.filter(
    (d) => caseloadStage(addDays(today, -d), today) === 'follow_up_overdue',
  ).length;
  assert.equal(added, 14, 'days 29 to 42 after the quit date');
  const after = sample((await scrape()).body, 'mortar_follow_ups_overdue');
  assert.equal(after, before + added);
  assert.equal(after, await overdueByRule(today));
});

test('open safety tasks go up when one is raised and down when it is completed', async () => {
  const before = sample((await scrape()).body, 'mortar_safety_tasks_open');
  assert.ok(before !== undefined);
  const episode = await t.db.selectFrom('episodes').select('id').executeTakeFirstOrThrow();
  const task = await t.db
    .insertInto('safety_tasks')
    .values({ episode_id: episode.id, mood_measure_id: null, raised_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  assert.equal(sample((await scrape()).body, 'mortar_safety_tasks_open'), before + 1);
  await t.db
    .updateTable('safety_tasks')
    .set({ completed_at: new Date(), action_taken: 'Called their GP' })
    .where('id', '=', task.id)
    .execute();
  assert.equal(sample((await scrape()).body, 'mortar_safety_tasks_open'), before);
});

test('a cached reading is reused until it is too old, and a failed one is not kept', async () => {
  let now = 0;
  let reads = 0;
  let fail = false;
  const read = cachedReader(
    async () => {
      reads++;
      if (fail) throw new Error('database unreachable');
      return reads;
    },
    30_000,
    () => now,
  );
  assert.equal(await read(), 1);
  now = 29_999;
  assert.equal(await read(), 1);
  now = 30_000;
  fail = true;
  await assert.rejects(read());
  fail = false;
  assert.equal(await read(), 3, 'tried again at once after a failure');
});
